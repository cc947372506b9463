package slack

import (
	"context"
	"strings"
	"testing"

	"frontdesk/cases"
	"frontdesk/conversations"
)

// open has the customer of SO-1 (a sofa with no warranty term) ask for a
// repair or a return in the web chat, and delivers the card.
func (h *harness) open(kind string) (cases.Case, string) {
	h.t.Helper()
	ins := []conversations.Inbound{{Text: "/status"}, {Text: "SO-1"}, {Text: "1234"}}
	if kind == "repair" {
		ins = append(ins, conversations.Inbound{Choice: "menu:repair"}, conversations.Inbound{Text: "沙发腿断了"},
			conversations.Inbound{Choice: "ans:none"}, conversations.Inbound{Choice: "ans:none"}, conversations.Inbound{Choice: "ans:visit"})
	} else {
		for _, c := range []string{"menu:return", "ans:changed_mind", "ans:yes", "ans:yes", "ans:yes", "ans:yes"} {
			ins = append(ins, conversations.Inbound{Choice: c})
		}
	}
	for _, in := range ins {
		in.Channel, in.ChatID = "web", "w1"
		if err := h.desk.Handle(context.Background(), in); err != nil {
			h.t.Fatal(err)
		}
	}
	h.deliver()
	open, _ := h.db.CasesByPhone(context.Background(), "13800001234", true)
	if len(open) != 1 {
		h.t.Fatalf("cases: %+v", open)
	}
	ts, _ := h.db.SlackTS(context.Background(), open[0].ID)
	return open[0], ts
}

// card is the case card as last posted or updated.
func (h *harness) card() string {
	if u := h.fake.Updates(); len(u) > 0 {
		return u[len(u)-1].Blocks
	}
	return h.fake.Posts()[0].Blocks
}

// rule: REP-6
// rule: REP-5
// The repair card offers a button for each step that may come next; a step
// out of order is refused to the clerk alone with the reason; a thread
// command takes a step too.
func TestRepairCallFlowInSlack(t *testing.T) {
	h := newHarness(t, Config{})
	c, ts := h.open("repair")
	card := h.card()
	for _, want := range []string{`"action_id":"repair_step:fault_confirmed"`, `"action_id":"repair_step:fault_not_found"`, "待核实"} {
		if !strings.Contains(card, want) {
			t.Fatalf("the card lacks %s: %s", want, card)
		}
	}
	if strings.Contains(card, "repair_step:visit") || strings.Contains(card, "已过保修期") {
		t.Fatalf("the card offers a later step or says expired: %s", card)
	}
	h.interact(blockAction(c.Number, actRepairStep+"parts_ordered", c.Number, ""))
	if eph := h.fake.Ephemeral(); len(eph) != 1 || eph[0].User != "U42" || !strings.Contains(eph[0].Text, "parts_ordered cannot follow the start") {
		t.Fatalf("out of order: %+v", eph)
	}
	h.interact(blockAction(c.Number, actRepairStep+"fault_confirmed", c.Number, ""))
	h.staffSays("EvR1", ts, "1700000000.000300", "repair_step: phone_unsolved")
	h.deliver()
	got, _ := h.db.CaseByNumber(context.Background(), c.Number)
	if got.Details[cases.DetailRepairSteps] != "fault_confirmed,phone_unsolved" {
		t.Fatalf("steps: %v", got.Details)
	}
	card = h.card()
	if !strings.Contains(card, `"action_id":"repair_step:visit"`) || !strings.Contains(card, "故障属实 → 电话指导未解决") ||
		strings.Contains(card, `"action_id":"repair_step:fault_confirmed"`) {
		t.Fatalf("the card after two steps: %s", card)
	}
	for _, m := range h.web.got {
		if strings.Contains(m, "phone_unsolved") {
			t.Fatal("a thread command reached the customer")
		}
	}
}

// rule: RET-7
// A clerk approves a return on its card with the address in the box: the
// customer gets the instructions; the tracking number told in the thread
// is kept and shown on the card.
func TestReturnApprovalInSlack(t *testing.T) {
	h := newHarness(t, Config{})
	c, ts := h.open("return")
	if card := h.card(); !strings.Contains(card, `"action_id":"return_approve"`) || !strings.Contains(card, blockReturnAddress) {
		t.Fatalf("the card offers no approval: %s", card)
	}
	press := func(address string) {
		p := blockAction(c.Number, actApproveReturn, c.Number, "")
		p["state"] = map[string]any{"values": map[string]any{blockReturnAddress: map[string]any{actReturnAddress: map[string]any{
			"type": "plain_text_input", "value": address}}}}
		h.interact(p)
	}
	press("")
	if eph := h.fake.Ephemeral(); len(eph) != 1 || !strings.Contains(eph[0].Text, "请填写退货地址") { // in the clerk's language (STF-2)
		t.Fatalf("no address: %+v", eph)
	}
	press("上海市闵行区申富路 88 号 售后仓 张三 021-55550000")
	h.staffSays("EvT1", ts, "1700000000.000400", "return_tracking: sf1234567")
	h.deliver()
	if last := h.web.last(); !strings.Contains(last, "申富路 88 号") || !strings.Contains(last, c.Number) {
		t.Fatalf("the customer got %q", last)
	}
	got, _ := h.db.CaseByNumber(context.Background(), c.Number)
	if got.Details[cases.DetailReturnStatus] != "approved" || got.Details[cases.DetailReturnTracking] != "SF1234567" {
		t.Fatalf("case: %+v", got.Details)
	}
	if card := h.card(); !strings.Contains(card, "SF1234567") || strings.Contains(card, `"action_id":"return_approve"`) {
		t.Fatalf("the card after approval: %s", card)
	}
}

// rule: REP-7
// The photos of a repair report go to the case's thread, like a damage
// report's, and nowhere else.
func TestRepairPhotosGoToTheThread(t *testing.T) {
	h := newHarness(t, Config{})
	// Two different photos: the same one twice counts once (issue 19).
	ph, err := h.photos.Save(strings.NewReader("\x89PNG\r\n\x1a\n" + strings.Repeat("\x02", 64)))
	if err != nil {
		t.Fatal(err)
	}
	ph2, err := h.photos.Save(strings.NewReader("\x89PNG\r\n\x1a\n" + strings.Repeat("\x03", 64)))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []conversations.Inbound{{Text: "/status"}, {Text: "SO-1"}, {Text: "1234"}, {Choice: "menu:repair"},
		{Text: "沙发腿断了"}, {Photo: &ph}, {Photo: &ph2}, {Choice: "ans:done"}, {Choice: "ans:none"}, {Choice: "ans:visit"}} {
		in.Channel, in.ChatID = "web", "w1"
		if err := h.desk.Handle(context.Background(), in); err != nil {
			t.Fatal(err)
		}
	}
	h.deliver()
	open, _ := h.db.CasesByPhone(context.Background(), "13800001234", true)
	if len(open) != 1 || open[0].Description != "沙发腿断了" {
		t.Fatalf("cases: %+v", open)
	}
	ts, _ := h.db.SlackTS(context.Background(), open[0].ID)
	uploads := h.fake.Uploads()
	if len(uploads) != 2 {
		t.Fatalf("uploads: %+v", uploads)
	}
	for _, u := range uploads {
		if u.Channel != "CSTAFF" || u.ThreadTS != ts {
			t.Fatalf("a photo went outside the case thread: %+v", u)
		}
	}
	described := false
	for _, p := range h.fake.Posts() {
		if p.ThreadTS == ts && strings.Contains(p.Text, "沙发腿断了") {
			described = true
		}
	}
	if !described {
		t.Error("the customer's description is not in the thread")
	}
}
