package cases

import (
	"strings"
	"testing"
	"time"
)

// rule: DLV-8
// rule: DLV-9
// A new date from a case: a real day, today or later in the shop's zone,
// with a reason; a risk only before the promised date. Refusals are coded
// and emit nothing.
func TestMoveDeadlineDecisions(t *testing.T) {
	for _, tc := range []struct {
		name     string
		verb     Verb
		value    string
		deadline string
		orderNo  string
		want     Code // "" when allowed
		risk     bool
	}{
		{"agreed", NewDate, "2026-12-20 客户同意", "2026-12-10", "SO-1", "", false},
		{"agreed today", NewDate, "2026-11-24 今天送", "2026-11-20", "SO-1", "", false},
		{"agreed for an order without a date", NewDate, "2026-12-20 首次约定", "", "SO-1", "", false},
		{"risk before the date", DelayRisk, "2026-12-20 工厂推迟", "2026-12-10", "SO-1", "", true},
		{"risk on the date", DelayRisk, "2026-12-20 工厂推迟", "2026-11-24", "SO-1", "", true},
		{"risk after the date", DelayRisk, "2026-12-20 工厂推迟", "2026-11-23", "SO-1", Conflict, true},
		{"risk without a date", DelayRisk, "2026-12-20 工厂推迟", "", "SO-1", Conflict, true},
		{"yesterday", NewDate, "2026-11-23 x", "2026-12-10", "SO-1", Invalid, false},
		{"malformed", NewDate, "12/20/2026 x", "2026-12-10", "SO-1", Invalid, false},
		{"no such day", NewDate, "2026-02-30 x", "2026-12-10", "SO-1", Invalid, false},
		{"no reason", NewDate, "2026-12-20", "2026-12-10", "SO-1", Invalid, false},
		{"oversized reason", NewDate, "2026-12-20 " + strings.Repeat("长", MaxDateReason+1), "2026-12-10", "SO-1", Invalid, false},
		{"same date", NewDate, "2026-12-10 again", "2026-12-10", "SO-1", Conflict, false},
		{"a case without an order", NewDate, "2026-12-20 x", "", "", Conflict, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newCase()
			c.OrderNo = tc.orderNo
			got, effects, err := Decide(c, Action{Verb: tc.verb, Value: tc.value, Deadline: tc.deadline}, clerk, now, policy())
			if tc.want != "" {
				if ErrorCode(err) != tc.want || len(effects) != 0 {
					t.Fatalf("err %v (%s), effects %+v; want %s", err, ErrorCode(err), effects, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			date, reason, _ := strings.Cut(tc.value, " ")
			var moved []MoveDeadline
			recorded := false
			for _, e := range effects {
				switch e := e.(type) {
				case MoveDeadline:
					moved = append(moved, e)
				case Record:
					recorded = e.Event == string(tc.verb) && strings.Contains(e.Detail, date) && strings.Contains(e.Detail, reason)
				}
			}
			want := MoveDeadline{OrderNo: "SO-1", Date: date, Reason: reason, Risk: tc.risk}
			if len(moved) != 1 || moved[0] != want || !recorded || got.Status != c.Status {
				t.Fatalf("effects %+v, want %+v recorded", effects, want)
			}
		})
	}
}

// rule: DLV-8
// The date is read in the shop's zone: at 01:00 in Shanghai it is already
// the next day there, whatever UTC says.
func TestNewDateIsReadInTheShopsZone(t *testing.T) {
	late := now.Add(15 * time.Hour) // 2026-11-25 01:00 in Shanghai, 2026-11-24 17:00 UTC
	if _, _, err := ParseNewDate("2026-11-24 x", late, shanghai, false); ErrorCode(err) != Invalid {
		t.Fatalf("yesterday in the shop's zone: %v", err)
	}
	if d, r, err := ParseNewDate("  2026-11-25   客户同意  ", late, shanghai, false); err != nil || d != "2026-11-25" || r != "客户同意" {
		t.Fatalf("today: %q %q %v", d, r, err)
	}
}
