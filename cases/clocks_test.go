package cases

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"frontdesk/config"
)

// clockPolicy is the test policy with the clocks of a Mon–Fri shop.
func clockPolicy(t *testing.T) Policy {
	t.Helper()
	cfg := config.Default()
	cfg.Calendar.WorkingDays = []string{"Mon", "Tue", "Wed", "Thu", "Fri"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	p := policy()
	p.ClocksOn = cfg.ClocksOn
	return p
}

// clockRow is one decision and the clocks it must start (by name; nil:
// none) or the refusal it must meet.
type clockRow struct {
	name    string
	kind    config.CaseKind
	before  func(*Case)
	action  Action
	starts  []string
	wantErr Code
	check   func(t *testing.T, c Case, e []Effect)
}

func received(c *Case) { c.Details["return_received_at"] = "2026-11-23 10:00" }
func checked(c *Case) {
	received(c)
	c.Details["return_checked_at"] = "2026-11-23 15:00"
}

// rule: SLA-9
// rule: SLA-12
// rule: SLA-13
// The decisions that start clocks, and the refusals of the returns and
// mail-in steps out of order, on the wrong case, or twice.
func TestDecideStartsClocks(t *testing.T) {
	shop := now.Location()
	rows := []clockRow{
		// SLA-9: confirmation starts the service clock
		{name: "a claim confirms a damage case", kind: config.KindTransportDamage, action: Action{Verb: Claim}, starts: []string{"service_start"},
			check: func(t *testing.T, c Case, e []Effect) {
				sc := want[StartClock](t, e)
				if !sc.Due.Equal(time.Date(2026, 11, 27, 10, 0, 0, 0, shop)) || !sc.StartedAt.Equal(now) {
					t.Errorf("service_start %+v, want due three working days on", sc)
				}
			}},
		{name: "an assignment confirms an installation", kind: config.KindInstallationHelp, action: Action{Verb: Assign, Value: "小李"}, starts: []string{"service_start"}},
		{name: "a claim after the dispatch starts nothing", kind: config.KindTransportDamage, action: Action{Verb: Claim},
			before: func(c *Case) { c.Details["provider_id"] = "3" }},
		{name: "a claim after the appointment starts nothing", kind: config.KindInstallationHelp, action: Action{Verb: Claim},
			before: func(c *Case) { c.Details["appointment"] = "2026-11-26 09:00" }},
		{name: "a claim after a remedy starts nothing", kind: config.KindQualityDefect, action: Action{Verb: Claim},
			before: func(c *Case) { c.Remedy = "touch_up_paint" }},
		{name: "a repair claim starts nothing", kind: config.KindRepair, action: Action{Verb: Claim}},
		{name: "a remedy starts nothing", kind: config.KindTransportDamage, action: Action{Verb: Remedy, Value: "onsite_repair"}},
		// SLA-12: returns
		{name: "returned goods received", kind: config.KindReturnExchange, action: Action{Verb: ReturnReceived, Value: "2 boxes, sealed"},
			starts: []string{"return_check"}, check: func(t *testing.T, c Case, e []Effect) {
				wantRecord(t, e, "return_received", "2 boxes, sealed")
				if c.Details["return_received_at"] != "2026-11-24 10:00" {
					t.Errorf("received at %q", c.Details["return_received_at"])
				}
			}},
		{name: "returned goods checked", kind: config.KindReturnExchange, before: received, action: Action{Verb: ReturnChecked, Value: "合格"},
			starts: []string{"return_refund"}},
		{name: "refunded", kind: config.KindReturnExchange, before: checked, action: Action{Verb: ReturnRefunded}, check: func(t *testing.T, c Case, e []Effect) {
			wantRecord(t, e, "return_refunded", "")
		}},
		{name: "exchanged", kind: config.KindReturnExchange, before: checked, action: Action{Verb: ReturnExchanged, Value: "new sofa shipped"}},
		{name: "checked before it arrived", kind: config.KindReturnExchange, action: Action{Verb: ReturnChecked}, wantErr: Conflict},
		{name: "refunded before the check", kind: config.KindReturnExchange, before: received, action: Action{Verb: ReturnRefunded}, wantErr: Conflict},
		{name: "received twice", kind: config.KindReturnExchange, before: received, action: Action{Verb: ReturnReceived}, wantErr: Conflict},
		{name: "exchanged after the refund", kind: config.KindReturnExchange,
			before: func(c *Case) { checked(c); c.Details["return_refunded_at"] = "2026-11-24 09:00" }, action: Action{Verb: ReturnExchanged}, wantErr: Conflict},
		{name: "a return step on a damage case", kind: config.KindTransportDamage, action: Action{Verb: ReturnReceived}, wantErr: Conflict},
		{name: "a return step on a resolved case", kind: config.KindReturnExchange, before: func(c *Case) { c.Status = Resolved },
			action: Action{Verb: ReturnReceived}, wantErr: Conflict},
		{name: "a note too long", kind: config.KindReturnExchange, action: Action{Verb: ReturnReceived, Value: strings.Repeat("箱", 700)}, wantErr: Invalid},
		{name: "a note not text", kind: config.KindReturnExchange, action: Action{Verb: ReturnReceived, Value: "\xff\xfe"}, wantErr: Invalid},
		// SLA-13: mail-in repairs
		{name: "a mail-in repair received", kind: config.KindRepair, action: Action{Verb: RepairReceived}, starts: []string{"mailin_repair"},
			check: func(t *testing.T, c Case, e []Effect) {
				sc := want[StartClock](t, e)
				if !sc.Due.Equal(time.Date(2026, 12, 1, 10, 0, 0, 0, shop)) {
					t.Errorf("mailin_repair due %s, want five working days on", sc.Due)
				}
			}},
		{name: "a defective item received for repair", kind: config.KindQualityDefect, action: Action{Verb: RepairReceived}, starts: []string{"mailin_repair"}},
		{name: "a mail-in repair returned", kind: config.KindRepair, before: func(c *Case) { c.Details["repair_received_at"] = "2026-11-20 10:00" },
			action: Action{Verb: RepairReturned, Value: "SF123456"}},
		{name: "returned before it was received", kind: config.KindRepair, action: Action{Verb: RepairReturned}, wantErr: Conflict},
		{name: "a mail-in repair of an inquiry", kind: config.KindInquiry, action: Action{Verb: RepairReceived}, wantErr: Conflict},
	}
	p := clockPolicy(t)
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			c := newCase()
			c.Kind = tt.kind
			if tt.before != nil {
				tt.before(&c)
			}
			got, effects, ok := decideRow(t, c, tt.action, clerk, p, tt.wantErr)
			if !ok {
				return
			}
			var started []string
			for _, e := range effects {
				if sc, ok := e.(StartClock); ok {
					started = append(started, sc.Name)
				}
			}
			if !reflect.DeepEqual(started, tt.starts) {
				t.Fatalf("started %v, want %v", started, tt.starts)
			}
			if tt.check != nil {
				tt.check(t, got, effects)
			}
		})
	}
}

// Without ClocksOn in the policy a decision starts no clock (the desk
// without a calendar).
func TestNoClocksWithoutPolicy(t *testing.T) {
	_, effects, err := Decide(newCase(), Action{Verb: Claim}, clerk, now, policy())
	if err != nil {
		t.Fatal(err)
	}
	wantNo[StartClock](t, effects)
}

// rule: SLA-7
// Staff read how late a clock is as a person says it.
func TestDurationText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		20 * time.Second: "under a minute", 45 * time.Minute: "45 min", time.Hour: "1 h", 90 * time.Minute: "1 h 30 min",
		26 * time.Hour: "1 d 2 h", 48 * time.Hour: "2 d", -30 * time.Minute: "30 min", 59*time.Minute + 50*time.Second: "1 h",
	} {
		if got := durationText(d); got != want {
			t.Errorf("durationText(%v) = %q, want %q", d, got, want)
		}
	}
}
