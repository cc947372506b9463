package staffweb

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/conversations"
	"frontdesk/store"
)

// lastToCustomer is the last message to the web chat w1.
func (h *harness) lastToCustomer() bot.Message {
	h.t.Helper()
	msgs, _ := h.db.OutboxAfter(context.Background(), "web", "w1", 0, 200)
	var m bot.Message
	json.Unmarshal(msgs[len(msgs)-1].Payload, &m)
	return m
}

// rule: PRT-1, PRT-2, PRT-3
// The parts of a repair on the case page: a line per part with the
// warranty decided (the sofa's term is to be checked, so the clerk says
// "paid"), bad lines refused with the reason and nothing saved; the fee
// goes to the customer in the chat, who refuses; the refusal is for a
// supervisor, who waives it; the parts ship and the customer gets the date
// and the tracking number.
func TestPartsOnTheStaffPage(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if err := h.db.Update(ctx, func(tx *store.Tx) error {
		return tx.PutPartPrices([]cases.PartPrice{{SKU: "LEG-4", Name: "沙发腿", PriceCents: 3500}}, h.desk.Now())
	}); err != nil {
		t.Fatal(err)
	}
	c := h.openKind("repair")
	h.login("li", clerkPW)
	for _, s := range []string{"fault_confirmed", "phone_unsolved", "visit", "chose_repair"} {
		h.act(c.Number, "action", "repair_step", "value", s)
	}
	_, page := h.get("/staff/case/" + c.Number)
	if !strings.Contains(page, "配件") || !strings.Contains(page, "尚未添加配件") || !strings.Contains(page, `name="sku"`) {
		t.Fatalf("parts panel: %.3000s", page)
	}
	for _, bad := range []struct {
		sku, qty, warranty string
		status             int
		words              string
	}{
		{"NOPE-1", "1", "paid", http.StatusNotFound, "not in the parts price list"},
		{"LEG-4", "-2", "paid", http.StatusBadRequest, "quantity"},
		{"LEG-4", "1", "", http.StatusConflict, "still to be checked"},
	} {
		status, page := h.actWith(h.client, c.Number, "action", "parts_add", "sku", bad.sku, "qty", bad.qty, "warranty", bad.warranty)
		if status != bad.status || !strings.Contains(page, bad.words) {
			t.Errorf("%+v: %d %.300s", bad, status, page)
		}
	}
	if lines, _ := h.db.PartLines(ctx, c.ID); len(lines) != 0 {
		t.Fatalf("refused lines were kept: %+v", lines)
	}
	h.act(c.Number, "action", "parts_add", "sku", "leg-4", "qty", "4", "warranty", "paid")
	_, page = h.get("/staff/case/" + c.Number)
	if !strings.Contains(page, "沙发腿 (LEG-4) × 4：¥140.00") || !strings.Contains(page, `value="parts_quote"`) {
		t.Fatalf("line: %.3000s", page)
	}
	h.act(c.Number, "action", "parts_quote", "amount", "50")
	ask := h.lastToCustomer()
	if !strings.Contains(ask.Text, "合计 ¥190.00") || len(ask.Buttons) != 1 || ask.Buttons[0][1].Data != "partsfee:refuse:"+c.Number {
		t.Fatalf("fee question: %+v", ask)
	}
	h.say(conversations.Inbound{Choice: ask.Buttons[0][1].Data})
	if m := h.lastToCustomer(); !strings.Contains(m.Text, "转交主管") {
		t.Fatalf("refusal answer: %+v", m)
	}
	_, page = h.get("/staff/case/" + c.Number)
	if !strings.Contains(page, "顾客不同意费用，待主管处理") || strings.Contains(page, `value="parts_waive"`) {
		t.Fatalf("a clerk sees: %.3000s", page)
	}
	sup := h.as("zhou", supPW)
	_, page = h.getWith(sup, "/staff/case/"+c.Number)
	if !strings.Contains(page, `value="parts_waive"`) {
		t.Fatalf("the supervisor has no waive: %.3000s", page)
	}
	if status, _ := h.actWith(h.client, c.Number, "action", "parts_waive", "value", "老客户"); status != http.StatusForbidden {
		t.Fatalf("a clerk waived: %d", status)
	}
	h.actWith(sup, c.Number, "action", "parts_waive", "value", "老客户，免收")
	if status, page := h.actWith(h.client, c.Number, "action", "parts_ship", "ship_date", "2026-11-25", "tracking", "sf#1"); status != http.StatusBadRequest ||
		!strings.Contains(page, "tracking number") {
		t.Fatalf("bad tracking: %d %.300s", status, page)
	}
	h.act(c.Number, "action", "parts_ship", "ship_date", "2026-11-25", "tracking", "SF7001")
	if m := h.lastToCustomer(); !strings.Contains(m.Text, "2026-11-25") || !strings.Contains(m.Text, "SF7001") {
		t.Fatalf("ship notice: %+v", m)
	}
	_, page = h.get("/staff/case/" + c.Number)
	if !strings.Contains(page, "2026-11-25 发货，运单号 SF7001") || strings.Contains(page, `value="parts_returned"`) {
		t.Fatalf("after shipping: %.3000s", page)
	}
}
