package scheduler

import (
	"context"
	"fmt"
	"strings"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/store"
)

// The managers' texts in the channel's language (STF-2): the sections of
// the digest that TextIn adds after the figures, the weekly problem report
// and the monthly figures. Kinds, areas and call kinds by their names from
// the catalog; no internal codes.

// lang is the managers' channel's language: zh-Hans unless configured.
func (j *Jobs) lang() conversations.Lang {
	if j.Lang == "" {
		return conversations.ZhHans
	}
	return j.Lang
}

// chartOptions draw the digest chart in the channel's language with the
// configured font.
func (j *Jobs) chartOptions() ChartOptions {
	return ChartOptions{Lang: j.lang(), FontPath: j.ChartFont, Log: j.Log}
}

// colon is the colon of lang's lines: full width in Chinese.
func colon(lang conversations.Lang) string {
	if lang == conversations.En {
		return ": "
	}
	return "："
}

// tr is conversations.T with its arguments as name, value pairs.
func tr(lang conversations.Lang, key string, args ...any) string {
	a := conversations.Args{}
	for i := 0; i+1 < len(args); i += 2 {
		a[args[i].(string)] = args[i+1]
	}
	return conversations.T(lang, key, a)
}

// flaggedTextIn lists the providers flagged by their complaint rate (PRV-6).
func (d Digest) flaggedTextIn(lang conversations.Lang) string {
	if len(d.Flagged) == 0 {
		return tr(lang, "staff.dgx.flagged_none") + "\n"
	}
	var b strings.Builder
	b.WriteString(tr(lang, "staff.dgx.flagged") + "\n")
	for _, p := range d.Flagged {
		fmt.Fprintf(&b, "  🚩 %s%s%s\n", p.Name, colon(lang), flagNoteIn(lang, p.FlagNote)) // digest_words.go
	}
	return b.String()
}

// callsTextIn sums the call-backs and questionnaires (QLT-2, QLT-3).
func callsTextIn(lang conversations.Lang, calls []store.CallSummary) string {
	if len(calls) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("\n" + tr(lang, "staff.dgx.calls") + "\n")
	for _, c := range calls {
		scores := tr(lang, "staff.dgx.calls_unanswered")
		if c.Answered > 0 {
			scores = tr(lang, "staff.dgx.calls_scores", "Product", fmt.Sprintf("%.1f", c.AvgProduct), "Service", fmt.Sprintf("%.1f", c.AvgService))
		}
		fmt.Fprintf(&b, "  %s\n", tr(lang, "staff.dgx.calls_line", "Kind", conversations.Label(lang, "staff.dgx.call.", c.Kind),
			"Sent", c.Sent, "Answered", c.Answered, "Scores", scores))
	}
	return b.String()
}

// correctiveTextIn lists the corrective actions not closed (QLT-4).
func correctiveTextIn(lang conversations.Lang, actions []cases.Corrective) string {
	var b strings.Builder
	b.WriteString("\n" + tr(lang, "staff.dgx.actions") + "\n")
	if len(actions) == 0 {
		b.WriteString("  " + tr(lang, "staff.dgx.none") + "\n")
	}
	for _, a := range actions {
		state := tr(lang, "staff.dgx.action_open", "Due", a.DueOn)
		if a.Status == cases.ActionChecking {
			state = tr(lang, "staff.dgx.action_checking", "Date", a.CheckAt.Format("2006-01-02"))
		}
		fmt.Fprintf(&b, "  %s\n", tr(lang, "staff.dgx.action", "ID", a.ID, "SKU", a.SKU, "Problem", a.Problem, "Owner", a.Owner, "State", state))
	}
	return b.String()
}

// WeeklyReportIn is the weekly problem report (MGR-3) in lang.
func WeeklyReportIn(ctx context.Context, db *store.DB, cal *config.Calendar, day time.Time, lang conversations.Lang) (string, error) {
	loc := cal.Location()
	y, m, dd := day.In(loc).Date()
	end := time.Date(y, m, dd, 0, 0, 0, 0, loc)
	start := end.AddDate(0, 0, -7)
	problems, err := db.ProblemsByProduct(ctx, start, end)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(tr(lang, "staff.dgx.weekly", "From", start.Format("2006-01-02"), "To", end.AddDate(0, 0, -1).Format("2006-01-02")) + "\n")
	if len(problems) == 0 {
		b.WriteString("  " + tr(lang, "staff.dgx.weekly_none") + "\n")
	}
	for i, p := range problems {
		fmt.Fprintf(&b, "  %d. %s\n", i+1, tr(lang, "staff.dgx.weekly_line", "SKU", p.SKU, "Name", p.Name,
			"Kind", conversations.Label(lang, "kind.", p.Kind), "N", p.Count))
	}
	return b.String(), nil
}

// TextIn is the monthly figures in lang.
func (m Monthly) TextIn(lang conversations.Lang) string {
	var b strings.Builder
	none := "  " + tr(lang, "staff.dgx.none") + "\n"
	b.WriteString(tr(lang, "staff.dgx.monthly", "Month", m.Month) + "\n\n" + tr(lang, "staff.dgx.top") + "\n")
	if len(m.Top) == 0 {
		b.WriteString(none)
	}
	for i, c := range m.Top {
		cause := c.Cause
		if cause == "" {
			cause = tr(lang, "staff.dgx.no_cause")
		}
		fmt.Fprintf(&b, "  %d. %s\n", i+1, tr(lang, "staff.dgx.top_line", "Kind", conversations.Label(lang, "kind.", c.Kind), "Cause", cause, "N", c.Count))
	}
	b.WriteString("\n" + tr(lang, "staff.dgx.areas") + "\n")
	if len(m.Areas) == 0 {
		b.WriteString(none)
	}
	for _, a := range m.Areas {
		area := a.Area
		if area == "" {
			area = tr(lang, "staff.dgx.no_provider")
		}
		fmt.Fprintf(&b, "  %s\n", tr(lang, "staff.dgx.area_line", "Area", area, "Kind", conversations.Label(lang, "staff.dgx.visit.", a.Kind), "N", a.Count))
	}
	b.WriteString("\n" + tr(lang, "staff.dgx.staff") + "\n")
	if len(m.Staff) == 0 {
		b.WriteString(none)
	}
	for _, s := range m.Staff {
		first := tr(lang, "staff.dg.none")
		if s.FirstResponses > 0 {
			first = tr(lang, "staff.dgx.first_response", "Min", fmt.Sprintf("%.0f", s.FirstResponseMin), "N", s.FirstResponses)
		}
		fmt.Fprintf(&b, "  %s\n", tr(lang, "staff.dgx.staff_line", "Name", s.Name, "Handled", s.Handled, "Complaints", s.Complaints,
			"First", first, "Satisfied", ratioIn(lang, Ratio{s.Satisfied, s.CallBacks})))
	}
	b.WriteString("\n" + tr(lang, "staff.dgx.providers") + "\n")
	if len(m.Providers) == 0 {
		b.WriteString(none)
	}
	for _, p := range m.Providers {
		fmt.Fprintf(&b, "  %s\n", tr(lang, "staff.dgx.provider_line", "Name", p.Name, "Region", p.Region, "Stars", fmt.Sprintf("%.1f", p.Stars),
			"Visits", p.Visits, "Satisfied", ratioIn(lang, Ratio{p.Satisfied, p.Surveys}), "Low", p.LowScores))
	}
	b.WriteString(callsTextIn(lang, m.Calls))
	b.WriteString(correctiveTextIn(lang, m.Actions))
	return b.String()
}
