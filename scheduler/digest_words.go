package scheduler

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"frontdesk/conversations"
)

// The digest's lines that the store keeps as English text, said from
// their parts in the channel's language (STF-2): a provider's last visit
// (bot/apply.go writes "2026-11-23 repair: unsatisfied, on time false,
// 2.0 stars"; older records "2026-11-23 repair: unsatisfied, late") and a
// provider's flag ("3 complaints or low scores in 5 visits since
// 2026-11-01 (over 20 %)").

var (
	lastVisitLine = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}) ([a-z_]+): ([a-z_]+)` +
		`(?:, (?:on time (true|false)|(late|on time)))?(?:, (\d+(?:\.\d+)?) stars)?$`)
	flagNoteLine = regexp.MustCompile(`^(\d+) complaints or low scores in (\d+) visits(?: since (\d{4}-\d{2}-\d{2}) \(over (\d+) %\))?$`)
	codeWord     = regexp.MustCompile(`^[a-z]+(?:_[a-z]+)*$`)
)

// lastVisitIn is a provider's last visit in lang: the date, the visit's
// kind and the customer's verdict by name, on time or late, the stars. A
// summary of another shape (written by hand) is shown as written, and a
// bare code (a seed's "seeded") not at all.
func lastVisitIn(lang conversations.Lang, summary string) string {
	m := lastVisitLine.FindStringSubmatch(summary)
	if m == nil {
		if codeWord.MatchString(summary) {
			return ""
		}
		return summary
	}
	verdict := []string{conversations.Label(lang, "sat.", m[3])}
	switch {
	case m[4] == "true" || m[5] == "on time":
		verdict = append(verdict, tr(lang, "staff.dg.last.on_time"))
	case m[4] == "false" || m[5] == "late":
		verdict = append(verdict, tr(lang, "staff.dg.last.late"))
	}
	if m[6] != "" {
		stars, _ := strconv.ParseFloat(m[6], 64)
		verdict = append(verdict, tr(lang, "staff.dg.last.stars", "Stars", fmt.Sprintf("%.1f", stars)))
	}
	return tr(lang, "staff.dg.last", "Date", m[1], "Visit", conversations.Label(lang, "staff.dgx.visit.", m[2]),
		"Verdict", joinIn(lang, verdict))
}

// flagNoteIn is why a provider was flagged (PRV-6), in lang; a note of
// another shape is shown as written.
func flagNoteIn(lang conversations.Lang, note string) string {
	m := flagNoteLine.FindStringSubmatch(note)
	if m == nil {
		return note
	}
	if m[3] == "" {
		return tr(lang, "staff.dg.flag_note_short", "Complaints", m[1], "Visits", m[2])
	}
	return tr(lang, "staff.dg.flag_note", "Complaints", m[1], "Visits", m[2], "Since", m[3], "Limit", m[4])
}

// joinIn lists parts the way lang does: "，" in Chinese, ", " in English.
func joinIn(lang conversations.Lang, parts []string) string {
	if lang == conversations.En {
		return strings.Join(parts, ", ")
	}
	return strings.Join(parts, "，")
}
