package config

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// rule: SLA-1
// rule: SLA-2
// rule: SLA-4
// rule: SLA-5
// rule: SLA-8
// rule: SLA-11
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
		{"repair", "repair_dispatch", h(1), h(2), EvDispatched},
		{"repair", "repair_resolve", h(24), h(48), EvResolved},
		{"complaint", "complaint_apology", h(1), h(2), EvReply},
		{"complaint", "complaint_solution", h(24), h(48), EvRemedy},
		{"complaint", "complaint_follow_up", h(72), h(144), EvResolved},
		{"return_exchange", "return_review", time.Date(2026, 11, 25, 10, 0, 0, 0, loc), time.Date(2026, 11, 26, 10, 0, 0, 0, loc), EvRemedy},
		{"low_survey_score", "low_score_follow_up", h(1), h(2), EvReply},
		{"transport_damage", "case_confirm", time.Date(2026, 11, 26, 10, 0, 0, 0, loc), time.Date(2026, 11, 30, 10, 0, 0, 0, loc), EvClaim},
		{"installation_help", "progress_update", h(24), h(48), EvDispatched},
		{"quality_defect", "progress_update", h(24), h(48), EvDispatched},
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
		if !found.Due.Equal(tt.due) || !found.FarDue.Equal(tt.farDue) || !slices.Contains(found.StopOn, tt.stop) {
			t.Errorf("%s %s: due %s far %s stop %v", tt.kind, tt.clock, found.Due, found.FarDue, found.StopOn)
		}
	}
}

// clockOf returns the clock named name of specs, failing the test without it.
func clockOf(t *testing.T, specs []ClockSpec, name string) ClockSpec {
	t.Helper()
	for _, s := range specs {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no clock %s in %+v", name, specs)
	return ClockSpec{}
}

func testConfig(t *testing.T) Config {
	t.Helper()
	cfg := Default()
	cfg.Calendar.WorkingDays = []string{"Mon", "Tue", "Wed", "Thu", "Fri"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return cfg
}

// rule: SLA-8
// rule: SLA-9
// rule: SLA-11
// rule: SLA-12
// rule: SLA-13
// Which events stop each clock, exactly: a claim confirms a case but does
// not dispatch a repair; service starts with a dispatch, an appointment or
// a remedy; the progress update is a dispatch or a message to the
// customer; the returns and mail-in clocks stop on their own events.
func TestClockStopEvents(t *testing.T) {
	cfg := testConfig(t)
	opened := time.Date(2026, 11, 24, 10, 0, 0, 0, cfg.Calendar.Location())
	tests := []struct {
		kind, event, clock string // event "" is the intake (ClocksFor)
		stop               []string
	}{
		{"repair", "", "repair_dispatch", []string{EvDispatched, EvResolved}},
		{"transport_damage", "", "case_confirm", []string{EvClaim, EvAssigned, EvRemedy, EvResolved}},
		{"transport_damage", "", "progress_update", []string{EvDispatched, EvReply, EvResolved}},
		{"installation_help", "", "progress_update", []string{EvDispatched, EvReply, EvResolved}},
		{"transport_damage", EvClaim, "service_start", []string{EvDispatched, EvAppointment, EvRemedy, EvResolved}},
		{"installation_help", EvAssigned, "service_start", []string{EvDispatched, EvAppointment, EvRemedy, EvResolved}},
		{"return_exchange", EvReturnReceived, "return_check", []string{EvReturnChecked, EvResolved}},
		{"return_exchange", EvReturnChecked, "return_refund", []string{EvReturnRefunded, EvReturnExchanged, EvResolved}},
		{"repair", EvRepairReceived, "mailin_repair", []string{EvRepairReturned, EvResolved}},
	}
	for _, tt := range tests {
		specs := cfg.ClocksFor(tt.kind, opened)
		if tt.event != "" {
			specs = cfg.ClocksOn(tt.kind, tt.event, opened)
		}
		got := clockOf(t, specs, tt.clock)
		if !slices.Equal(got.StopOn, tt.stop) {
			t.Errorf("%s %s stops on %v, want %v", tt.kind, tt.clock, got.StopOn, tt.stop)
		}
	}
	// A new case runs no service_start yet: it counts from the confirmation.
	for _, s := range cfg.ClocksFor("transport_damage", opened) {
		if s.Name == "service_start" {
			t.Errorf("service_start started at intake: %+v", s)
		}
	}
	// Kinds without those clocks get none.
	for _, tt := range []struct{ kind, event string }{{"repair", EvClaim}, {"complaint", EvClaim}, {"inquiry", EvAssigned},
		{"transport_damage", EvRemedy}, {"transport_damage", EvReply}} {
		if got := cfg.ClocksOn(tt.kind, tt.event, opened); len(got) != 0 {
			t.Errorf("%s on %s starts %+v", tt.kind, tt.event, got)
		}
	}
	for _, kind := range []string{"delivery_delay", "repair", "complaint", "return_exchange"} {
		for _, s := range cfg.ClocksFor(kind, opened) {
			if s.Name == "progress_update" {
				t.Errorf("%s has a progress_update clock", kind)
			}
		}
	}
}

// rule: SLA-9
// rule: SLA-12
// rule: SLA-13
// The targets of the event-started clocks, in working days of a Mon–Fri
// calendar: a Friday afternoon start skips the weekend.
func TestClocksOnTargets(t *testing.T) {
	cfg := testConfig(t)
	loc := cfg.Calendar.Location()
	d := func(day, hour, min int) time.Time { return time.Date(2026, 11, day, hour, min, 0, 0, loc) }
	fri := d(27, 15, 0)
	tests := []struct {
		kind, event, clock string
		from, due, farDue  time.Time
	}{
		{"transport_damage", EvClaim, "service_start", fri, time.Date(2026, 12, 2, 15, 0, 0, 0, loc), time.Date(2026, 12, 7, 15, 0, 0, 0, loc)},
		{"return_exchange", EvReturnReceived, "return_check", fri, time.Date(2026, 12, 2, 15, 0, 0, 0, loc), time.Date(2026, 12, 7, 15, 0, 0, 0, loc)},
		{"return_exchange", EvReturnChecked, "return_refund", d(24, 10, 0), d(27, 10, 0), time.Date(2026, 12, 2, 10, 0, 0, 0, loc)},
		{"repair", EvRepairReceived, "mailin_repair", d(23, 9, 0), d(30, 9, 0), time.Date(2026, 12, 7, 9, 0, 0, 0, loc)},
		// received on a Saturday evening: counted from Monday's opening
		{"repair", EvRepairReceived, "mailin_repair", d(28, 20, 0), time.Date(2026, 12, 7, 9, 0, 0, 0, loc), time.Date(2026, 12, 14, 9, 0, 0, 0, loc)},
	}
	for _, tt := range tests {
		got := clockOf(t, cfg.ClocksOn(tt.kind, tt.event, tt.from), tt.clock)
		if !got.Due.Equal(tt.due) || !got.FarDue.Equal(tt.farDue) {
			t.Errorf("%s from %s: due %s far %s, want %s and %s", tt.clock, tt.from, got.Due, got.FarDue, tt.due, tt.farDue)
		}
	}
}

// rule: SLA-10
// The clocks named in sla.business_hours count opening hours: a request at
// 02:00 on Sunday is promised, and due, an hour after Monday's opening; at
// 17:30 an hour's target runs over into the next opening. Clocks not named
// count wall time, and a file may turn a default off.
func TestBusinessHoursClocks(t *testing.T) {
	cfg := testConfig(t)
	loc := cfg.Calendar.Location()
	d := func(day, hour, min int) time.Time { return time.Date(2026, 11, day, hour, min, 0, 0, loc) }
	sunday := d(29, 2, 0)
	tests := []struct {
		name, kind, clock string
		opened            time.Time
		due, farDue       time.Time
	}{
		{"first response on Sunday night", "inquiry", "first_response", sunday, d(30, 10, 0), d(30, 11, 0)},
		{"complaint apology on Sunday night", "complaint", "complaint_apology", sunday, d(30, 10, 0), d(30, 11, 0)},
		{"repair dispatch on Sunday night", "repair", "repair_dispatch", sunday, d(30, 10, 0), d(30, 11, 0)},
		{"low score on Sunday night", "low_survey_score", "low_score_follow_up", sunday, d(30, 10, 0), d(30, 11, 0)},
		{"first response before closing", "inquiry", "first_response", d(24, 17, 30), d(25, 9, 30), d(25, 10, 30)},
		{"first response over lunch", "inquiry", "first_response", d(24, 11, 30), d(24, 14, 0), d(24, 15, 0)},
		{"first response in hours", "inquiry", "first_response", d(24, 10, 0), d(24, 11, 0), d(24, 12, 0)},
		{"inquiry answer counts wall time", "inquiry", "inquiry_answer", sunday, d(30, 2, 0), time.Date(2026, 12, 1, 2, 0, 0, 0, loc)},
		{"repair resolve counts wall time", "repair", "repair_resolve", sunday, d(30, 2, 0), time.Date(2026, 12, 1, 2, 0, 0, 0, loc)},
	}
	for _, tt := range tests {
		got := clockOf(t, cfg.ClocksFor(tt.kind, tt.opened), tt.clock)
		if !got.Due.Equal(tt.due) || !got.FarDue.Equal(tt.farDue) {
			t.Errorf("%s: due %s far %s, want %s and %s", tt.name, got.Due, got.FarDue, tt.due, tt.farDue)
		}
	}
	opens, due := cfg.Promise("first_response", sunday, time.Hour)
	if !opens.Equal(d(30, 9, 0)) || !due.Equal(d(30, 10, 0)) {
		t.Errorf("promise on Sunday night: opens %s, due %s", opens, due)
	}
	opens, due = cfg.Promise("inquiry_answer", sunday, 24*time.Hour)
	if !opens.Equal(sunday) || !due.Equal(d(30, 2, 0)) {
		t.Errorf("a wall-time promise: opens %s, due %s", opens, due)
	}

	// A file turns a default off, and another on.
	path := t.TempDir() + "/c.json"
	if err := os.WriteFile(path, []byte(`{"sla": {"business_hours": {"first_response": false, "inquiry_answer": true}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	loaded, err := Load(func(k string) string { return map[string]string{"FRONTDESK_CONFIG": path}[k] })
	if err != nil {
		t.Fatal(err)
	}
	if got := clockOf(t, loaded.ClocksFor("inquiry", sunday), "first_response"); !got.Due.Equal(sunday.Add(time.Hour)) {
		t.Errorf("first_response turned off: due %s", got.Due)
	}
	if !loaded.SLA.BusinessHours["complaint_apology"] {
		t.Error("a file naming two clocks dropped the other defaults")
	}
}

// SLA targets are checked at start-up, naming the field.
func TestSLAValidation(t *testing.T) {
	tests := []struct {
		name, want string
		change     func(*SLA)
	}{
		{"zero progress update", "sla.progress_update", func(s *SLA) { s.ProgressUpdate = 0 }},
		{"negative first response", "sla.first_response", func(s *SLA) { s.FirstResponse = -1 }},
		{"no return check days", "sla.return_check_working_days", func(s *SLA) { s.ReturnCheckDays = 0 }},
		{"no refund days", "sla.return_refund_working_days", func(s *SLA) { s.ReturnRefundDays = 0 }},
		{"no mail-in days", "sla.mailin_repair_working_days", func(s *SLA) { s.MailInRepairDays = -2 }},
		{"unknown business-hours clock", `sla.business_hours: no clock "first_reponse"`, func(s *SLA) { s.BusinessHours = map[string]bool{"first_reponse": true} }},
	}
	for _, tt := range tests {
		cfg := Default()
		tt.change(&cfg.SLA)
		err := cfg.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: %v, want an error naming %s", tt.name, err, tt.want)
		}
	}
}
