package slack

import (
	"context"
	"strings"
	"testing"
)

// rule: DLV-8
// rule: DLV-9
// In a case thread "new_date: <date> <why>" and "delay_risk: <date> <why>"
// move the order's date; a date in the past changes nothing.
func TestStaffMoveTheDateInTheThread(t *testing.T) {
	h := newHarness(t, Config{})
	c := h.reportDamage()
	ts, _ := h.db.SlackTS(context.Background(), c.ID)
	past := h.clock.Now().AddDate(0, 0, -3).Format("2006-01-02")
	first := h.clock.Now().AddDate(0, 0, 20).Format("2006-01-02")
	later := h.clock.Now().AddDate(0, 0, 30).Format("2006-01-02")
	if code := h.staffSays("EvD1", ts, "1700000000.000300", "new_date: "+past+" 客户同意"); code != 200 {
		t.Fatalf("event: %d", code)
	}
	if o, _ := h.db.Order(context.Background(), "SO-1"); o.Deadline != "" {
		t.Fatalf("a date in the past was taken: %q", o.Deadline)
	}
	h.staffSays("EvD2", ts, "1700000000.000400", "new_date: "+first+" 客户电话同意")
	h.staffSays("EvD3", ts, "1700000000.000500", "delay_risk: "+later+" 面料缺货")
	h.deliver()
	hist, _ := h.db.DeadlineHistory(context.Background(), "SO-1")
	if len(hist) != 2 || hist[0].New != first || hist[1].Old != first || hist[1].New != later || hist[1].Kind != "risk" {
		t.Fatalf("history: %+v", hist)
	}
	if last := h.web.last(); !strings.Contains(last, later) || !strings.Contains(last, first) {
		t.Fatalf("the customer got %q", last)
	}
}
