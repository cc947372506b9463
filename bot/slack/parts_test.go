package slack

import (
	"context"
	"strings"
	"testing"

	"frontdesk/cases"
	"frontdesk/store"
)

// rule: PRT-1, PRT-2
// The parts of a repair by thread commands: a line with the warranty said
// (the sofa's is to be checked), the fee quoted with a service fee, and the
// customer gets the question in the chat.
func TestPartsByThreadCommands(t *testing.T) {
	h := newHarness(t, Config{})
	if err := h.db.Update(context.Background(), func(tx *store.Tx) error {
		return tx.PutPartPrices([]cases.PartPrice{{SKU: "LEG-4", Name: "沙发腿", PriceCents: 3500}}, h.desk.Now())
	}); err != nil {
		t.Fatal(err)
	}
	c, ts := h.open("repair")
	for i, cmd := range []string{"repair_step: fault_confirmed", "repair_step: phone_unsolved", "repair_step: visit", "repair_step: chose_repair",
		"parts_add: NOPE-1 1 paid", "parts_add: LEG-4 2 paid", "parts_quote: 20"} {
		h.staffSays("EvP"+string(rune('a'+i)), ts, "1700000001.00010"+string(rune('0'+i)), cmd)
	}
	h.deliver()
	got, _ := h.db.CaseByNumber(context.Background(), c.Number)
	lines := cases.PartsLines(got.Details)
	if len(lines) != 1 || lines[0].SKU != "LEG-4" || lines[0].Qty != 2 || got.Details[cases.DetailPartsStatus] != cases.PartsQuoted {
		t.Fatalf("parts: %v", got.Details)
	}
	asked := false
	for _, m := range h.web.got {
		if strings.Contains(m, "合计 ¥90.00") && strings.Contains(m, c.Number) {
			asked = true
		}
	}
	if !asked {
		t.Fatalf("the customer was not asked: %v", h.web.got)
	}
	if card := h.card(); !strings.Contains(card, "沙发腿 (LEG-4) × 2：¥70.00") || !strings.Contains(card, "已发给顾客，等待确认费用") {
		t.Fatalf("the card: %s", card)
	}
}
