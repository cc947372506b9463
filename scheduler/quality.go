package scheduler

import (
	"context"
	"fmt"
	"strings"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/store"
)

// QualityDesk is what the quality loop's jobs ask of the desk.
type QualityDesk interface {
	DrawSpotChecks(ctx context.Context) (int, error)
	CheckCorrectiveEffects(ctx context.Context) (int, error)
	SendQualityCalls(ctx context.Context, kind string) (int, error)
}

// QualityCallJob sends the quarterly call-backs (Kind "callback", QLT-2) or
// the half-yearly questionnaire to the main customers (Kind
// "questionnaire", QLT-3) for the period before its run.
type QualityCallJob struct {
	Desk QualityDesk
	Kind string
}

// Name implements Job.
func (j QualityCallJob) Name() string { return "quality_" + j.Kind }

// Run implements Job.
func (j QualityCallJob) Run(ctx context.Context, _ time.Time) error {
	return whenWired(j.Desk != nil, func() (int, error) { return j.Desk.SendQualityCalls(ctx, j.Kind) })
}

// SpotCheckJob draws, each Monday, last week's spot checks (QLT-1).
type SpotCheckJob struct{ Desk QualityDesk }

// Name implements Job.
func (SpotCheckJob) Name() string { return "spot_check" }

// Run implements Job.
func (j SpotCheckJob) Run(ctx context.Context, _ time.Time) error {
	return whenWired(j.Desk != nil, func() (int, error) { return j.Desk.DrawSpotChecks(ctx) })
}

// EffectCheckJob runs the corrective actions' effect checks that are due
// (QLT-4).
type EffectCheckJob struct{ Desk QualityDesk }

// Name implements Job.
func (EffectCheckJob) Name() string { return "effect_check" }

// Run implements Job.
func (j EffectCheckJob) Run(ctx context.Context, _ time.Time) error {
	return whenWired(j.Desk != nil, func() (int, error) { return j.Desk.CheckCorrectiveEffects(ctx) })
}

// MonthlyJob posts the monthly figures of the month before to the managers
// on the 3rd (QLT-5); the staff page shows the latest.
type MonthlyJob struct {
	*Jobs
	Reporter Reporter
}

// Name implements Job.
func (MonthlyJob) Name() string { return "monthly" }

// Run implements Job.
func (j MonthlyJob) Run(ctx context.Context, now time.Time) error {
	m, err := BuildMonthly(ctx, j.Store, j.Cal, now)
	if err != nil {
		return err
	}
	_, err = j.Reporter.PostToManagers(ctx, "monthly:"+m.Month, m.TextIn(j.lang()), nil)
	return err
}

// Monthly is the managers' monthly figures (002 四(一), 003 分工 9–10,
// 001 §7.3.1).
type Monthly struct {
	Month     string // YYYY-MM
	Top       []store.ComplaintCause
	Areas     []store.AreaCount
	Staff     []store.StaffFigures
	Providers []store.ProviderFigures
	Actions   []cases.Corrective  // open corrective actions
	Calls     []store.CallSummary // call-backs and questionnaires sent in the month
}

// BuildMonthly computes the figures of the calendar month before the one
// holding now, in the shop's zone.
func BuildMonthly(ctx context.Context, db *store.DB, cal *config.Calendar, now time.Time) (Monthly, error) {
	loc := cal.Location()
	y, mo, _ := now.In(loc).Date()
	end := time.Date(y, mo, 1, 0, 0, 0, 0, loc)
	start := end.AddDate(0, -1, 0)
	m := Monthly{Month: start.Format("2006-01")}
	var err error
	if m.Top, err = db.TopComplaints(ctx, start, end, 5); err != nil {
		return m, err
	}
	if m.Areas, err = db.VisitsByArea(ctx, start, end); err != nil {
		return m, err
	}
	if m.Staff, err = db.StaffMonth(ctx, start, end); err != nil {
		return m, err
	}
	if m.Providers, err = db.ProvidersMonth(ctx, start, end); err != nil {
		return m, err
	}
	if m.Actions, err = db.Correctives(ctx, false); err != nil {
		return m, err
	}
	if m.Calls, err = db.QualityCallSummary(ctx, start, end); err != nil {
		return m, err
	}
	return m, nil
}

// Text renders the monthly figures for Slack and the staff page.
func (m Monthly) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Monthly figures %s\n\nTop complaints and their causes:\n", m.Month)
	if len(m.Top) == 0 {
		b.WriteString("  none\n")
	}
	for i, c := range m.Top {
		cause := c.Cause
		if cause == "" {
			cause = "cause not recorded"
		}
		fmt.Fprintf(&b, "  %d. %-18s %-30s %d\n", i+1, c.Kind, cause, c.Count)
	}
	b.WriteString("\nInstallations and repairs by area:\n")
	if len(m.Areas) == 0 {
		b.WriteString("  none\n")
	}
	for _, a := range m.Areas {
		area := a.Area
		if area == "" {
			area = "(no provider)"
		}
		fmt.Fprintf(&b, "  %-16s %-8s %d\n", area, a.Kind, a.Count)
	}
	b.WriteString("\nStaff: cases handled, complaints, first response, call-backs satisfied:\n")
	if len(m.Staff) == 0 {
		b.WriteString("  none\n")
	}
	for _, s := range m.Staff {
		first := "n/a"
		if s.FirstResponses > 0 {
			first = fmt.Sprintf("%.0f min over %d", s.FirstResponseMin, s.FirstResponses)
		}
		fmt.Fprintf(&b, "  %-14s handled %d, complaints %d, first response %s, satisfied %s\n",
			s.Name, s.Handled, s.Complaints, first, ratio(Ratio{s.Satisfied, s.CallBacks}))
	}
	b.WriteString("\nProviders: visits, surveys satisfied, low scores:\n")
	if len(m.Providers) == 0 {
		b.WriteString("  none\n")
	}
	for _, p := range m.Providers {
		fmt.Fprintf(&b, "  %s (%s) %.1f★: visits %d, satisfied %s, low scores %d\n",
			p.Name, p.Region, p.Stars, p.Visits, ratio(Ratio{p.Satisfied, p.Surveys}), p.LowScores)
	}
	b.WriteString(callsText(m.Calls))
	b.WriteString(correctiveText(m.Actions))
	return b.String()
}

// callsText sums the call-backs and questionnaires: how many were sent,
// answered, and the mean scores of product and service (QLT-2, QLT-3).
func callsText(calls []store.CallSummary) string {
	if len(calls) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\nCall-backs and questionnaires (sent in the window):\n")
	for _, c := range calls {
		scores := "no answers yet"
		if c.Answered > 0 {
			scores = fmt.Sprintf("product %.1f/5, service %.1f/5", c.AvgProduct, c.AvgService)
		}
		fmt.Fprintf(&b, "  %-14s sent %d, answered %d: %s\n", c.Kind, c.Sent, c.Answered, scores)
	}
	return b.String()
}

// correctiveText lists the corrective actions not yet closed: they stay in
// the digest until they are (QLT-4).
func correctiveText(actions []cases.Corrective) string {
	var b strings.Builder
	b.WriteString("\nOpen corrective actions:\n")
	if len(actions) == 0 {
		b.WriteString("  none\n")
	}
	for _, a := range actions {
		state := "open, due " + a.DueOn
		if a.Status == cases.ActionChecking {
			state = "carried out, effect check " + a.CheckAt.Format("2006-01-02")
		}
		fmt.Fprintf(&b, "  #%d %s: %s (%s, %s)\n", a.ID, a.SKU, a.Problem, a.Owner, state)
	}
	return b.String()
}
