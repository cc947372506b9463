package slack

import (
	"context"
	"strings"
	"testing"

	"frontdesk/config"
	"frontdesk/store"
)

// rule: SLA-13
// In the case's Slack thread, "repair_received:" and "repair_returned:"
// are case actions (not replies to the customer): they start and stop the
// mail-in repair's clock.
func TestMailInStepsInSlack(t *testing.T) {
	h := newHarness(t, Config{})
	cfg := config.Default()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	h.desk.ClocksOn = cfg.ClocksOn
	c := h.reportDamage()
	ts, _ := h.db.SlackTS(context.Background(), c.ID)
	before := len(h.web.got)
	clock := func() (store.Clock, bool) {
		list, _ := h.db.CaseClocks(context.Background(), c.ID)
		for _, k := range list {
			if k.Name == "mailin_repair" {
				return k, true
			}
		}
		return store.Clock{}, false
	}
	h.staffSays("EvM1", ts, "1700000000.000300", "repair_received: 包裹已到，坐垫开线")
	if k, ok := clock(); !ok || !k.StoppedAt.IsZero() {
		t.Fatalf("mailin_repair after receipt: %+v %v", k, ok)
	}
	h.staffSays("EvM2", ts, "1700000000.000400", "Repair_Returned: SF1234567")
	if k, _ := clock(); k.StoppedAt.IsZero() {
		t.Fatal("sending it back did not stop the clock")
	}
	h.deliver()
	for _, m := range h.web.got[before:] {
		if strings.Contains(m, "SF1234567") || strings.Contains(m, "包裹已到") {
			t.Fatalf("a case action reached the customer: %q", m)
		}
	}
	got, _ := h.db.CaseByNumber(context.Background(), c.Number)
	if got.Details["repair_received_at"] == "" || got.Details["repair_returned_at"] == "" {
		t.Fatalf("details: %v", got.Details)
	}
}
