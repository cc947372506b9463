package staffweb

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/store"
)

// clockNamed returns the case's clock of that name, or false.
func (h *harness) clockNamed(caseID int64, name string) (store.Clock, bool) {
	h.t.Helper()
	list, err := h.db.CaseClocks(context.Background(), caseID)
	if err != nil {
		h.t.Fatal(err)
	}
	for _, k := range list {
		if k.Name == name {
			return k, true
		}
	}
	return store.Clock{}, false
}

func (h *harness) withClocks() {
	cfg := config.Default()
	if err := cfg.Validate(); err != nil {
		h.t.Fatal(err)
	}
	h.desk.ClocksOn = cfg.ClocksOn
}

// rule: SLA-12
// A return on the staff page: received starts the check clock, checked
// stops it and starts the refund clock, refunded stops that; a refund before
// the check is refused on the page and changes nothing.
func TestReturnStepsOnTheStaffPage(t *testing.T) {
	h := newHarness(t)
	h.withClocks()
	var c cases.Case
	if err := h.db.Update(context.Background(), func(tx *store.Tx) (err error) {
		c, err = tx.OpenCase(cases.Case{Kind: config.KindReturnExchange, OrderNo: "SO-1", Phone: "13800001234", CustomerName: "王芳"},
			h.clock.Now(), time.UTC)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	h.login("li", clerkPW)
	_, page := h.get("/staff/case/" + c.Number)
	if !strings.Contains(page, `value="return_received"`) || strings.Contains(page, `value="repair_received"`) {
		t.Fatal("the return's page lacks the return steps")
	}
	status, page := h.actWith(h.client, c.Number, "action", "return_refunded")
	if status != http.StatusConflict || !strings.Contains(page, "needs return_received first") {
		t.Fatalf("refund before receipt: %d %.300s", status, page)
	}
	if _, ok := h.clockNamed(c.ID, "return_refund"); ok {
		t.Fatal("a refused step started a clock")
	}
	h.act(c.Number, "action", "return_received", "value", "两箱，封箱完好")
	check, ok := h.clockNamed(c.ID, "return_check")
	if !ok || !check.StoppedAt.IsZero() {
		t.Fatalf("return_check after receipt: %+v %v", check, ok)
	}
	h.clock.Advance(2 * time.Hour) // within the staff session
	if page := h.act(c.Number, "action", "return_checked", "value", "合格"); strings.Contains(page, `class="err"`) {
		t.Fatalf("check refused: %.2000s", page)
	}
	check, _ = h.clockNamed(c.ID, "return_check")
	refund, ok := h.clockNamed(c.ID, "return_refund")
	if check.StoppedAt.IsZero() || !ok || !refund.StoppedAt.IsZero() {
		t.Fatalf("after the check: check %+v refund %+v", check, refund)
	}
	h.act(c.Number, "action", "return_refunded", "value", "退款单 R-88")
	if refund, _ = h.clockNamed(c.ID, "return_refund"); refund.StoppedAt.IsZero() {
		t.Fatal("the refund did not stop its clock")
	}
	got, _ := h.db.CaseByNumber(context.Background(), c.Number)
	if got.Details["return_refunded_at"] == "" {
		t.Fatalf("details: %v", got.Details)
	}
}

// rule: SLA-13
// A mail-in repair on the staff page: received starts the 5-working-day
// clock, sent back stops it; a return step on this case is refused.
func TestMailInRepairOnTheStaffPage(t *testing.T) {
	h := newHarness(t)
	h.withClocks()
	c := h.openCase()
	h.login("li", clerkPW)
	_, page := h.get("/staff/case/" + c.Number)
	if !strings.Contains(page, `value="repair_received"`) || strings.Contains(page, `value="return_received"`) {
		t.Fatal("the damage case's page lacks the mail-in steps")
	}
	if status, page := h.actWith(h.client, c.Number, "action", "return_received"); status != http.StatusConflict || !strings.Contains(page, "not a return") {
		t.Fatalf("a return step on a damage case: %d %.300s", status, page)
	}
	h.act(c.Number, "action", "repair_received")
	k, ok := h.clockNamed(c.ID, "mailin_repair")
	if !ok || !k.StoppedAt.IsZero() {
		t.Fatalf("mailin_repair: %+v %v", k, ok)
	}
	h.act(c.Number, "action", "repair_returned", "value", "SF1234567")
	if k, _ = h.clockNamed(c.ID, "mailin_repair"); k.StoppedAt.IsZero() {
		t.Fatal("sending it back did not stop the clock")
	}
}
