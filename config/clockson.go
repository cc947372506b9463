package config

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// The case events that start or stop the clocks of SLA-8 … SLA-13. Staff
// actions of the same names write them (package cases).
const (
	// EvAssigned: a colleague was given the case. Like a claim it confirms
	// the case (SLA-9).
	EvAssigned = "assigned"
	// EvDispatched: a provider was sent (SLA-8, SLA-9, SLA-11).
	EvDispatched = "dispatched"
	// EvAppointment: the visit's time was agreed (SLA-9).
	EvAppointment = "appointment"
	// EvReturnReceived … EvReturnExchanged: the returned goods arrived, were
	// checked, and the money or the exchange went out (SLA-12).
	EvReturnReceived  = "return_received"
	EvReturnChecked   = "return_checked"
	EvReturnRefunded  = "return_refunded"
	EvReturnExchanged = "return_exchanged"
	// EvRepairReceived, EvRepairReturned: a mail-in repair arrived at the
	// shop and went back to the customer (SLA-13).
	EvRepairReceived = "repair_received"
	EvRepairReturned = "repair_returned"
)

// progressKinds are the kinds that must be dispatched, with a progress
// update to the customer, within sla.progress_update (SLA-11).
var progressKinds = map[CaseKind]bool{KindInstallationHelp: true, KindTransportDamage: true, KindQualityDefect: true}

// serviceKinds are the kinds whose service must start within
// sla.service_start_working_days of the case's confirmation (SLA-9): the
// kinds with a case_confirm clock.
var serviceKinds = map[CaseKind]bool{KindDeliveryDelay: true, KindTransportDamage: true, KindQualityDefect: true,
	KindInstallationHelp: true}

// ClockNames are the clocks the desk runs; sla.business_hours may name any.
var ClockNames = []string{"first_response", "inquiry_answer", "case_confirm", "service_start", "repair_dispatch",
	"repair_resolve", "complaint_apology", "complaint_solution", "complaint_follow_up", "return_review",
	"low_score_follow_up", "progress_update", "return_check", "return_refund", "mailin_repair"}

// ClocksOn returns the clocks that a case event starts on a case of kind
// at `at`: the event is a record of the case's history (a staff action).
//
//   - A case is confirmed when a clerk claims it or it is assigned to one
//     (001 §2.2.2: staff contact the customer and confirm the request is
//     theirs to serve; the case_confirm clock stops there). Service must start
//     within sla.service_start_working_days of that (SLA-9): the service_start
//     clock stops on a dispatch, an appointment or a remedy chosen.
//   - Returned goods received: checked within sla.return_check_working_days;
//     checked: refunded or exchanged within sla.return_refund_working_days
//     (SLA-12).
//   - A mail-in repair received: sent back within
//     sla.mailin_repair_working_days (SLA-13).
//
// Starting a clock a case already has changes nothing (the store keeps the
// first), so a second claim does not move the target.
func (c *Config) ClocksOn(kind, event string, at time.Time) []ClockSpec {
	s := c.SLA
	switch event {
	case EvClaim, EvAssigned:
		if serviceKinds[CaseKind(kind)] {
			return []ClockSpec{c.dayClock("service_start", at, s.ServiceStartDays, EvDispatched, EvAppointment, EvRemedy, EvResolved)}
		}
	case EvReturnReceived:
		return []ClockSpec{c.dayClock("return_check", at, s.ReturnCheckDays, EvReturnChecked, EvResolved)}
	case EvReturnChecked:
		return []ClockSpec{c.dayClock("return_refund", at, s.ReturnRefundDays, EvReturnRefunded, EvReturnExchanged, EvResolved)}
	case EvRepairReceived:
		return []ClockSpec{c.dayClock("mailin_repair", at, s.MailInRepairDays, EvRepairReturned, EvResolved)}
	}
	return nil
}

// dayClock is a clock of n working days from `from`, far past due at 2n.
func (c *Config) dayClock(name string, from time.Time, n int, stop ...string) ClockSpec {
	return ClockSpec{Name: name, Due: c.Calendar.AddWorkingDays(from, n), FarDue: c.Calendar.AddWorkingDays(from, 2*n), StopOn: stop}
}

// timedClock is a clock of d from `from` (wall or business time, see
// ClockDue), far past due at 2d.
func (c *Config) timedClock(name string, from time.Time, d time.Duration, stop ...string) ClockSpec {
	return ClockSpec{Name: name, Due: c.ClockDue(name, from, d), FarDue: c.ClockDue(name, from, 2*d), StopOn: stop}
}

// ClockDue returns when a clock of target d started at from is due. A clock
// named in sla.business_hours counts only the calendar's opening hours
// (SLA-10): a request at 02:00 on Sunday with a 1 h target is due at 10:00
// on Monday when the shop opens at 09:00, and so is escalated only then;
// others count wall time.
func (c *Config) ClockDue(clock string, from time.Time, d time.Duration) time.Time {
	if c.SLA.BusinessHours[clock] && c.Calendar.loc != nil {
		return c.Calendar.AddBusinessDuration(from, d)
	}
	return from.Add(d)
}

// Promise says what the customer is promised for a clock started at from:
// when the shop opens (from itself when it is open, or when the clock counts
// wall time) and when the clock is due.
func (c *Config) Promise(clock string, from time.Time, d time.Duration) (opens, due time.Time) {
	opens = from
	if c.SLA.BusinessHours[clock] && c.Calendar.loc != nil {
		opens = c.Calendar.NextOpen(from)
	}
	return opens, c.ClockDue(clock, from, d)
}

// validate checks the SLA targets: every one positive, and business_hours
// naming only clocks the desk runs.
func (s SLA) validate() []error {
	var errs []error
	durations := map[string]Duration{"sla.first_response": s.FirstResponse, "sla.inquiry_answer": s.InquiryAnswer,
		"sla.repair_dispatch": s.RepairDispatch, "sla.repair_resolve": s.RepairResolve, "sla.repair_resolve_max": s.RepairResolveMax,
		"sla.complaint_apology": s.ComplaintApology, "sla.complaint_solution": s.ComplaintSolve,
		"sla.complaint_follow_up": s.ComplaintFollow, "sla.low_score_follow_up": s.LowScoreFollowUp,
		"sla.installer_confirm_before": s.InstallerConfirm, "sla.progress_update": s.ProgressUpdate}
	days := map[string]int{"sla.case_confirm_working_days": s.CaseConfirmDays, "sla.service_start_working_days": s.ServiceStartDays,
		"sla.return_review_working_days": s.ReturnReviewDays, "sla.return_check_working_days": s.ReturnCheckDays,
		"sla.return_refund_working_days": s.ReturnRefundDays, "sla.mailin_repair_working_days": s.MailInRepairDays}
	for _, field := range sortedKeys(durations) {
		if durations[field] <= 0 {
			errs = append(errs, fmt.Errorf("config: %s: must be greater than zero, e.g. \"1h\"", field))
		}
	}
	for _, field := range sortedKeys(days) {
		if days[field] <= 0 {
			errs = append(errs, fmt.Errorf("config: %s: must be a whole number of working days greater than zero", field))
		}
	}
	for _, name := range sortedKeys(s.BusinessHours) {
		if !slices.Contains(ClockNames, name) {
			errs = append(errs, fmt.Errorf("config: sla.business_hours: no clock %q; name one of %v", name, ClockNames))
		}
	}
	return errs
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
