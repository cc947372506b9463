package staffweb

import (
	"context"
	"strings"
	"testing"
)

// rule: DLV-8
// On the staff page a case of an order moves the order's date (a new date
// agreed with the customer, kept with who and why); a date in the past is
// refused on the page and changes nothing.
func TestStaffMoveTheDateOnTheStaffPage(t *testing.T) {
	h := newHarness(t)
	c := h.openCase()
	h.login("li", clerkPW)
	if _, page := h.get("/staff/case/" + c.Number); !strings.Contains(page, `value="new_date"`) || !strings.Contains(page, `value="delay_risk"`) {
		t.Fatalf("no way to move the date on the page")
	}
	status, page := h.actWith(h.client, c.Number, "action", "new_date", "value", "2026-11-01 客户同意")
	if status != 400 || !strings.Contains(page, "in the past") {
		t.Fatalf("a date in the past: %d %.300s", status, page)
	}
	if o, _ := h.db.Order(context.Background(), "SO-1"); o.Deadline != "" {
		t.Fatalf("refused, the date is %q", o.Deadline)
	}
	h.act(c.Number, "action", "new_date", "value", "2026-12-20 客户电话同意")
	o, _ := h.db.Order(context.Background(), "SO-1")
	hist, _ := h.db.DeadlineHistory(context.Background(), "SO-1")
	if o.Deadline != "2026-12-20" || len(hist) != 1 || hist[0].Actor != "小李" || hist[0].Reason != "客户电话同意" {
		t.Fatalf("order %+v history %+v", o, hist)
	}
	h.sender.RunOnce(context.Background())
	if web := h.sender.Channels["web"].(*recordingWeb); len(web.got) == 0 || !strings.Contains(web.got[len(web.got)-1], "2026-12-20") {
		t.Fatalf("the customer was not told: %q", web.got)
	}
}
