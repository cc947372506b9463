package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/store"
)

// targetKeys name the digest's targets in the catalog.
var targetKeys = map[string]string{
	"Complaints handled on time":           "staff.dg.target.complaints",
	"CSAT (basically or fairly satisfied)": "staff.dg.target.csat",
	"Delivery on time":                     "staff.dg.target.delivery",
	"Installation on time":                 "staff.dg.target.install",
	"First-visit fix":                      "staff.dg.target.fix",
}

// TextIn is the digest in a staff member's language (STF-2): kinds and
// targets by name, from the catalog.
func (d Digest) TextIn(lang conversations.Lang) string {
	t := func(key string, args ...any) string {
		a := conversations.Args{}
		for i := 0; i+1 < len(args); i += 2 {
			a[args[i].(string)] = args[i+1]
		}
		return conversations.T(lang, key, a)
	}
	var b strings.Builder
	b.WriteString(t("staff.dg.title", "Date", d.Date) + "\n\n")
	kinds := make([]string, 0, len(d.NewByKind))
	total := 0
	for k, n := range d.NewByKind {
		kinds = append(kinds, k)
		total += n
	}
	sort.Strings(kinds)
	b.WriteString(t("staff.dg.new", "N", total) + "\n")
	for _, k := range kinds {
		fmt.Fprintf(&b, "  %s%s%d\n", conversations.Label(lang, "kind.", k), colon(lang), d.NewByKind[k])
	}
	b.WriteString(t("staff.dg.open", "Open", d.Open, "Overdue", d.Overdue) + "\n")
	b.WriteString(t("staff.dg.sla", "Ratio", ratioIn(lang, d.SLA)) + "\n\n")
	b.WriteString(t("staff.dg.targets") + "\n")
	for _, tg := range d.Targets {
		mark := "✅"
		if p := tg.Value.Percent(); p >= 0 && p < tg.Target {
			mark = "❌"
		} else if p < 0 {
			mark = "–"
		}
		name := tg.Name
		if k, ok := targetKeys[name]; ok {
			name = t(k)
		}
		fmt.Fprintf(&b, "  %s %s\n", mark, t("staff.dg.target", "Name", name, "Value", ratioIn(lang, tg.Value), "Target", fmt.Sprintf("%.0f", tg.Target)))
	}
	b.WriteString("\n" + t("staff.dg.surveys", "Unsatisfied", d.Surveys["unsatisfied"], "Basic", d.Surveys["basic"], "Fair", d.Surveys["fair"]) + "\n")
	if len(d.LowRated) == 0 {
		b.WriteString(t("staff.dg.low_none") + "\n")
	} else {
		b.WriteString(t("staff.dg.low") + "\n")
		for _, p := range d.LowRated {
			line := fmt.Sprintf("%s（%s）%.1f★ · %s", p.Name, p.Region, p.Stars, t("staff.dg.visits", "N", p.Visits))
			if last := lastVisitIn(lang, p.LastSummary); last != "" { // digest_words.go
				line += " · " + last
			}
			fmt.Fprintf(&b, "  %s\n", line)
		}
	}
	b.WriteString(d.flaggedTextIn(lang)) // digest_lang.go
	if g := d.Granted; g.Count == 0 {
		b.WriteString(t("staff.dg.granted_none") + "\n")
	} else {
		b.WriteString(t("staff.dg.granted", "N", g.Count, "Yuan", g.CompensationYuan, "Rolls", g.Rolls, "Advance", g.AdvanceYuan) + "\n")
	}
	b.WriteString(callsTextIn(lang, d.Calls))
	b.WriteString(correctiveTextIn(lang, d.Actions))
	return b.String()
}

func ratioIn(lang conversations.Lang, r Ratio) string {
	if r.Total == 0 {
		return conversations.T(lang, "staff.dg.none")
	}
	return fmt.Sprintf("%.0f %% (%d/%d)", r.Percent(), r.Met, r.Total)
}

// OnDemand builds the digest of any day up to today when staff ask for it
// on the staff page: today as of now, a past day as of its end.
type OnDemand struct {
	Store *store.DB
	Cal   *config.Calendar
	Now   func() time.Time
	// ChartFont and Log: the chart's CJK font (found on the system when
	// empty) and where a missing one is logged.
	ChartFont string
	Log       *slog.Logger
}

// Digest is the digest of the shop day that contains day, in lang, with
// its chart. A day after today is refused.
func (o OnDemand) Digest(ctx context.Context, day time.Time, lang conversations.Lang) (string, []byte, error) {
	now := o.Now()
	loc := o.Cal.Location()
	y, m, dd := now.In(loc).Date()
	today := time.Date(y, m, dd, 0, 0, 0, 0, loc)
	y, m, dd = day.In(loc).Date()
	asked := time.Date(y, m, dd, 0, 0, 0, 0, loc)
	if asked.After(today) {
		return "", nil, cases.Errorf(cases.Invalid, "day %s is after today", asked.Format(time.DateOnly))
	}
	at := now
	if asked.Before(today) {
		at = asked.AddDate(0, 0, 1).Add(-time.Second)
	}
	d, err := BuildDigestAt(ctx, o.Store, o.Cal, at, at)
	if err != nil {
		return "", nil, err
	}
	chart, err := ChartOptions{Lang: lang, FontPath: o.ChartFont, Log: o.Log}.Render(d)
	if err != nil {
		return "", nil, err
	}
	return d.TextIn(lang), chart, nil
}
