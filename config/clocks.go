package config

import "time"

// ClockSpec is one service-time clock of a case: when it is due, when it is
// far past due (then the managers hear of it), and which case events stop it.
type ClockSpec struct {
	Name   string
	Due    time.Time
	FarDue time.Time
	StopOn []string
}

// Case events that stop clocks (bot's staff actions write them).
const (
	EvReply    = "message_out"
	EvClaim    = "claimed"
	EvRemedy   = "remedy"
	EvResolved = "resolved"
)

// ClocksFor returns the clocks a new case of kind starts at opened
// (DOMAIN, SLA clocks; rules SLA-1 … SLA-11). Targets in hours are wall
// time, or business time for the clocks named in sla.business_hours
// (SLA-10); "working day" targets count the calendar's working days. The
// clocks that start on a later case event are in ClocksOn.
func (c *Config) ClocksFor(kind string, opened time.Time) []ClockSpec {
	cal := &c.Calendar
	wall := func(name string, d time.Duration, stop ...string) ClockSpec {
		return c.timedClock(name, opened, d, stop...) // business hours when configured (SLA-10)
	}
	days := func(name string, n int, stop ...string) ClockSpec {
		due := cal.AddWorkingDays(opened, n)
		return ClockSpec{Name: name, Due: due, FarDue: cal.AddWorkingDays(opened, 2*n), StopOn: stop}
	}
	s := c.SLA
	clocks := []ClockSpec{wall("first_response", s.FirstResponse.D(), EvReply)}
	switch kind {
	case "inquiry":
		clocks = append(clocks, wall("inquiry_answer", s.InquiryAnswer.D(), EvResolved))
	case "repair":
		clocks = append(clocks, wall("repair_dispatch", s.RepairDispatch.D(), EvDispatched, EvResolved), // SLA-8
			ClockSpec{Name: "repair_resolve", Due: opened.Add(s.RepairResolve.D()), FarDue: opened.Add(s.RepairResolveMax.D()), StopOn: []string{EvResolved}})
	case "complaint":
		clocks = append(clocks, wall("complaint_solution", s.ComplaintSolve.D(), EvRemedy, EvResolved),
			wall("complaint_follow_up", s.ComplaintFollow.D(), EvResolved))
		clocks[0] = wall("complaint_apology", s.ComplaintApology.D(), EvReply)
	case "return_exchange":
		clocks = append(clocks, days("return_review", s.ReturnReviewDays, EvRemedy, EvResolved))
	case "low_survey_score":
		clocks[0] = wall("low_score_follow_up", s.LowScoreFollowUp.D(), EvReply, EvClaim)
	default: // damage, delay, installation: confirmed within 2 working days; service_start follows the confirmation (ClocksOn)
		clocks = append(clocks, days("case_confirm", s.CaseConfirmDays, EvClaim, EvAssigned, EvRemedy, EvResolved))
		if progressKinds[CaseKind(kind)] { // SLA-11
			clocks = append(clocks, wall("progress_update", s.ProgressUpdate.D(), EvDispatched, EvReply, EvResolved))
		}
	}
	return clocks
}
