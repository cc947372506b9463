package config

import (
	"testing"
	"time"
)

// rule: SLA-1
// rule: SLA-2
// rule: SLA-4
// rule: SLA-5
// rule: SRV-5
func TestClocksForEachKind(t *testing.T) {
	cfg := Default()
	cfg.Calendar.WorkingDays = []string{"Mon", "Tue", "Wed", "Thu", "Fri"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	loc := cfg.Calendar.Location()
	opened := time.Date(2026, 11, 24, 10, 0, 0, 0, loc) // a Tuesday
	h := func(n int) time.Time { return opened.Add(time.Duration(n) * time.Hour) }
	tests := []struct {
		kind, clock string
		due, farDue time.Time
		stop        string
	}{
		{"inquiry", "first_response", h(1), h(2), EvReply},
		{"inquiry", "inquiry_answer", h(24), h(48), EvResolved},
		{"repair", "repair_dispatch", h(1), h(2), EvClaim},
		{"repair", "repair_resolve", h(24), h(48), EvResolved},
		{"complaint", "complaint_apology", h(1), h(2), EvReply},
		{"complaint", "complaint_solution", h(24), h(48), EvRemedy},
		{"complaint", "complaint_follow_up", h(72), h(144), EvResolved},
		{"return_exchange", "return_review", time.Date(2026, 11, 25, 10, 0, 0, 0, loc), time.Date(2026, 11, 26, 10, 0, 0, 0, loc), EvRemedy},
		{"low_survey_score", "low_score_follow_up", h(1), h(2), EvReply},
		{"transport_damage", "case_confirm", time.Date(2026, 11, 26, 10, 0, 0, 0, loc), time.Date(2026, 11, 30, 10, 0, 0, 0, loc), EvRemedy},
		{"transport_damage", "service_start", time.Date(2026, 12, 1, 10, 0, 0, 0, loc), time.Date(2026, 12, 8, 10, 0, 0, 0, loc), EvResolved},
	}
	for _, tt := range tests {
		var found *ClockSpec
		for _, s := range cfg.ClocksFor(tt.kind, opened) {
			if s.Name == tt.clock {
				s := s
				found = &s
			}
		}
		if found == nil {
			t.Errorf("%s has no %s clock", tt.kind, tt.clock)
			continue
		}
		if !found.Due.Equal(tt.due) || !found.FarDue.Equal(tt.farDue) || found.StopOn[0] != tt.stop {
			t.Errorf("%s %s: due %s far %s stop %v", tt.kind, tt.clock, found.Due, found.FarDue, found.StopOn)
		}
	}
}
