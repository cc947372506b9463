package scheduler

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/store"
)

// Ratio is a share with its counts, so a digest says "9/10" and not only 90 %.
type Ratio struct{ Met, Total int }

// Percent is the share in percent; -1 when there is nothing to count.
func (r Ratio) Percent() float64 {
	if r.Total == 0 {
		return -1
	}
	return 100 * float64(r.Met) / float64(r.Total)
}

// Target is a figure managers measure against its target (002 二).
type Target struct {
	Name   string
	Value  Ratio
	Target float64 // percent
}

// Digest is the managers' daily digest for one shop day (MGR-1, MGR-2).
type Digest struct {
	Date       string
	NewByKind  map[string]int
	Open       int
	Overdue    int
	SLA        Ratio // clocks due that day, met
	Targets    []Target
	Surveys    map[string]int // answered that day, by satisfaction
	LowRated   []cases.Provider
	Flagged    []cases.Provider // by their complaint rate (PRV-6), providers.go
	InflowDays []string         // the 14 days of the chart
	Inflow     []map[string]int // new cases by kind, per day
	SLADays    []Ratio          // clocks met, per day
	Granted    store.Granted    // money granted that day (grants.go)
	// Actions are the corrective actions not closed (quality.go, QLT-4).
	Actions []cases.Corrective
	// Calls sums the call-backs and questionnaires of the last 30 days
	// (quality.go, QLT-2, QLT-3).
	Calls []store.CallSummary
}

// window is how far back the target figures look.
const window = 30 * 24 * time.Hour

// BuildDigest computes the digest of the shop day that contains `day`, as
// of `day` (the digest job passes its run time).
func BuildDigest(ctx context.Context, db *store.DB, cal *config.Calendar, day time.Time) (Digest, error) {
	return BuildDigestAt(ctx, db, cal, day, day)
}

// BuildDigestAt computes the digest of the shop day that contains `day` as
// of now: a clock counts as missed only once it is past due at now, and one
// still running and not yet due is no failure (SLA-14).
func BuildDigestAt(ctx context.Context, db *store.DB, cal *config.Calendar, day, now time.Time) (Digest, error) {
	loc := cal.Location()
	y, m, dd := day.In(loc).Date()
	start := time.Date(y, m, dd, 0, 0, 0, 0, loc)
	end := start.AddDate(0, 0, 1)
	d := Digest{Date: start.Format("2006-01-02")}
	var err error
	if d.NewByKind, err = db.NewCasesByKind(ctx, start, end); err != nil {
		return d, err
	}
	if d.Open, err = db.OpenCaseCount(ctx, end); err != nil {
		return d, err
	}
	asOf := end
	if now.Before(end) {
		asOf = now
	}
	if d.Overdue, err = db.OverdueCount(ctx, asOf); err != nil {
		return d, err
	}
	if d.SLA.Met, d.SLA.Total, err = db.ClocksMetAsOf(ctx, "%", start, end, asOf); err != nil {
		return d, err
	}
	if d.Granted, err = db.GrantedBetween(ctx, start, end); err != nil {
		return d, err
	}
	if d.Actions, err = db.Correctives(ctx, false); err != nil {
		return d, err
	}
	from := end.Add(-window)
	if d.Calls, err = db.QualityCallSummary(ctx, from, end); err != nil {
		return d, err
	}
	var complaints, delivery, fix Ratio
	if complaints.Met, complaints.Total, err = db.ClocksMetAsOf(ctx, "complaint%", from, end, asOf); err != nil {
		return d, err
	}
	if delivery.Met, delivery.Total, err = db.DeliveriesOnTime(ctx, from.Format("2006-01-02"), end.Format("2006-01-02")); err != nil {
		return d, err
	}
	if fix.Met, fix.Total, err = db.FirstVisitFixes(ctx, from, end); err != nil {
		return d, err
	}
	csat, install, err := surveyFigures(ctx, db, from, end)
	if err != nil {
		return d, err
	}
	d.Targets = []Target{
		{"Complaints handled on time", complaints, 90},
		{"CSAT (basically or fairly satisfied)", csat, 85},
		{"Delivery on time", delivery, 95},
		{"Installation on time", install, 95},
		{"First-visit fix", fix, 80},
	}
	today, err := db.SurveyAnswers(ctx, start, end)
	if err != nil {
		return d, err
	}
	d.Surveys = map[string]int{}
	for _, s := range today {
		d.Surveys[satisfaction(s)]++
	}
	providers, err := db.Providers(ctx)
	if err != nil {
		return d, err
	}
	for _, p := range providers {
		if p.Visits > 0 && p.Stars < 3 {
			d.LowRated = append(d.LowRated, p)
		}
		if p.Flagged {
			d.Flagged = append(d.Flagged, p)
		}
	}
	for i := 13; i >= 0; i-- {
		s := start.AddDate(0, 0, -i)
		f, err := dayFigures(ctx, db, s, s.AddDate(0, 0, 1), asOf, now)
		if err != nil {
			return d, err
		}
		d.InflowDays = append(d.InflowDays, s.Format("01-02"))
		d.Inflow = append(d.Inflow, f.NewByKind)
		d.SLADays = append(d.SLADays, Ratio{f.Met, f.Total})
	}
	return d, nil
}

// closeAfter is how long after its end a day's figures are kept for good:
// a case opened in its last moment may commit a little later.
const closeAfter = time.Minute

// dayFigures are the chart's figures of the day [s, e) as of asOf: kept
// ones when the day is over (store.CloseDay), else counted, and kept when
// the day is over by closeAfter.
func dayFigures(ctx context.Context, db *store.DB, s, e, asOf, now time.Time) (store.DayFigures, error) {
	closed := !e.Add(closeAfter).After(asOf) && !e.Add(closeAfter).After(now)
	if closed {
		if f, ok, err := db.ClosedDay(ctx, s, e); err != nil || ok {
			return f, err
		}
	}
	var f store.DayFigures
	var err error
	if f.NewByKind, err = db.NewCasesByKind(ctx, s, e); err != nil {
		return f, err
	}
	if f.Met, f.Total, err = db.ClocksMetAsOf(ctx, "%", s, e, asOf); err != nil {
		return f, err
	}
	if closed {
		err = db.CloseDay(ctx, s, e, f, now)
	}
	return f, err
}

type surveyAnswers struct {
	OnTime       bool   `json:"on_time"`
	Satisfaction string `json:"satisfaction"`
}

func satisfaction(s store.Survey) string {
	var a surveyAnswers
	json.Unmarshal([]byte(s.Answers), &a)
	return a.Satisfaction
}

// surveyFigures: CSAT is the share of answered surveys basically or fairly
// satisfied; installation on time the share of installation surveys whose
// technician came on time.
func surveyFigures(ctx context.Context, db *store.DB, from, to time.Time) (csat, install Ratio, err error) {
	csat.Met, csat.Total, install.Met, install.Total, err = db.SurveyFigures(ctx, from, to)
	return csat, install, err
}

// Text renders the digest for a terminal or a Slack message.
func (d Digest) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Daily digest %s\n\n", d.Date)
	kinds := make([]string, 0, len(d.NewByKind))
	total := 0
	for k, n := range d.NewByKind {
		kinds = append(kinds, k)
		total += n
	}
	sort.Strings(kinds)
	fmt.Fprintf(&b, "New cases: %d\n", total)
	for _, k := range kinds {
		fmt.Fprintf(&b, "  %-20s %d\n", k, d.NewByKind[k])
	}
	fmt.Fprintf(&b, "Open cases: %d   Overdue clocks: %d\n", d.Open, d.Overdue)
	fmt.Fprintf(&b, "SLA compliance today: %s\n\n", ratio(d.SLA))
	b.WriteString("Targets (last 30 days):\n")
	for _, t := range d.Targets {
		mark := "✅"
		if p := t.Value.Percent(); p >= 0 && p < t.Target {
			mark = "❌"
		} else if p < 0 {
			mark = "–"
		}
		fmt.Fprintf(&b, "  %s %-38s %-14s target ≥ %.0f %%\n", mark, t.Name, ratio(t.Value), t.Target)
	}
	fmt.Fprintf(&b, "\nSurveys answered today: unsatisfied %d, basically satisfied %d, fairly satisfied %d\n",
		d.Surveys["unsatisfied"], d.Surveys["basic"], d.Surveys["fair"])
	if len(d.LowRated) == 0 {
		b.WriteString("Providers below three stars: none\n")
	} else {
		b.WriteString("Providers below three stars:\n")
		for _, p := range d.LowRated {
			fmt.Fprintf(&b, "  %s (%s) %.1f★ over %d visits: %s\n", p.Name, p.Region, p.Stars, p.Visits, p.LastSummary)
		}
	}
	b.WriteString(d.flaggedText()) // providers.go
	b.WriteString(d.grantedText())
	b.WriteString(callsText(d.Calls))
	b.WriteString(correctiveText(d.Actions))
	return b.String()
}

func ratio(r Ratio) string {
	if r.Total == 0 {
		return "n/a (none)"
	}
	return fmt.Sprintf("%.0f %% (%d/%d)", r.Percent(), r.Met, r.Total)
}

// WeeklyReport lists the most frequent problems by product over the week
// before `day` (MGR-3), to feed back to production.
func WeeklyReport(ctx context.Context, db *store.DB, cal *config.Calendar, day time.Time) (string, error) {
	loc := cal.Location()
	y, m, dd := day.In(loc).Date()
	end := time.Date(y, m, dd, 0, 0, 0, 0, loc)
	start := end.AddDate(0, 0, -7)
	problems, err := db.ProblemsByProduct(ctx, start, end)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Weekly problem report %s – %s: most frequent problems by product\n", start.Format("2006-01-02"), end.AddDate(0, 0, -1).Format("2006-01-02"))
	if len(problems) == 0 {
		b.WriteString("  no damage, defect or repair cases this week\n")
	}
	for i, p := range problems {
		fmt.Fprintf(&b, "  %2d. %-12s %-20s %-17s %d\n", i+1, p.SKU, p.Name, p.Kind, p.Count)
	}
	return b.String(), nil
}
