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
)

// say hands the desk what the customer does in web chat w1.
func (h *harness) say(ins ...conversations.Inbound) {
	h.t.Helper()
	for _, in := range ins {
		in.Channel, in.ChatID = "web", "w1"
		if err := h.desk.Handle(context.Background(), in); err != nil {
			h.t.Fatal(err)
		}
	}
}

func choices(data ...string) []conversations.Inbound {
	out := make([]conversations.Inbound, len(data))
	for i, d := range data {
		out[i] = conversations.Inbound{Choice: d}
	}
	return out
}

// openKind has the customer of SO-1 (a sofa with no warranty term) ask for a
// repair or a return in the web chat, and returns the case.
func (h *harness) openKind(kind string) cases.Case {
	h.t.Helper()
	h.say(conversations.Inbound{Text: "/status"}, conversations.Inbound{Text: "SO-1"}, conversations.Inbound{Text: "1234"})
	if kind == "repair" {
		h.say(conversations.Inbound{Choice: "menu:repair"}, conversations.Inbound{Text: "沙发腿断了"})
		h.say(choices("ans:none", "ans:none", "ans:visit")...)
	} else {
		h.say(choices("menu:return", "ans:changed_mind", "ans:yes", "ans:yes", "ans:yes", "ans:yes")...)
	}
	open, _ := h.db.CasesByPhone(context.Background(), "13800001234", true)
	if len(open) != 1 || string(open[0].Kind) != map[string]string{"repair": "repair", "return": "return_exchange"}[kind] {
		h.t.Fatalf("cases: %+v", open)
	}
	return open[0]
}

// rule: REP-6
// rule: REP-5
// The repair call flow on the case page: the warranty to be checked, a
// button for each step that may come next, a step out of order refused
// with the reason and nothing changed.
func TestRepairCallFlowOnTheStaffPage(t *testing.T) {
	h := newHarness(t)
	c := h.openKind("repair")
	h.login("li", clerkPW)
	_, page := h.get("/staff/case/" + c.Number)
	for _, want := range []string{"报修流程", "保修：待核实（未登记保修期）", `value="fault_confirmed"`, "故障属实", "故障不属实"} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(page, "已过保修期") || strings.Contains(page, `value="parts_ordered"`) {
		t.Error("the page says expired, or offers a later step")
	}
	status, page := h.actWith(h.client, c.Number, "action", "repair_step", "value", "parts_ordered")
	if status != http.StatusConflict || !strings.Contains(page, "parts_ordered cannot follow the start") {
		t.Fatalf("out of order: %d %.300s", status, page)
	}
	if got, _ := h.db.CaseByNumber(context.Background(), c.Number); got.Details[cases.DetailRepairStep] != "" {
		t.Fatalf("a refused step was kept: %v", got.Details)
	}
	if status, page = h.actWith(h.client, c.Number, "action", "repair_step", "value", "teleport"); status != http.StatusBadRequest {
		t.Fatalf("unknown step: %d %.300s", status, page)
	}
	for _, s := range []string{"fault_confirmed", "phone_unsolved", "visit", "chose_replace", "no_parts", "fee_agreed"} {
		if status, page = h.actWith(h.client, c.Number, "action", "repair_step", "value", s); status != http.StatusOK {
			t.Fatalf("%s: %d %.300s", s, status, page)
		}
	}
	if !strings.Contains(page, "故障属实 → 电话指导未解决 → 需要上门 → 客户选择更换 → 无需配件 → 费用已与客户确认") ||
		!strings.Contains(page, `value="done"`) || strings.Contains(page, `value="visit"`) {
		t.Fatalf("after the fee: %.2000s", page)
	}
	h.act(c.Number, "action", "repair_step", "value", "done")
	_, page = h.get("/staff/case/" + c.Number)
	if !strings.Contains(page, "报修流程已完成") {
		t.Error("done is not shown")
	}
	events, _ := h.db.CaseEvents(context.Background(), c.ID)
	n := 0
	for _, e := range events {
		if e.Kind == "repair_step" {
			n++
		}
	}
	if n != 7 {
		t.Errorf("%d repair steps in the history, want 7", n)
	}
}

// rule: RET-7
// A clerk approves a return on the case page with the address: the
// customer gets the instructions with a button, tells the tracking number
// in the chat, and the page shows it; staff can correct it.
func TestReturnApprovalAndTrackingOnTheStaffPage(t *testing.T) {
	h := newHarness(t)
	c := h.openKind("return")
	h.login("li", clerkPW)
	_, page := h.get("/staff/case/" + c.Number)
	if !strings.Contains(page, "批准退货并发送退货须知") || !strings.Contains(page, "客户尚未提供退货运单号") {
		t.Fatalf("return panel: %.2000s", page)
	}
	if status, page := h.actWith(h.client, c.Number, "action", "return_approved", "value", " "); status != http.StatusBadRequest ||
		!strings.Contains(page, "请填写退货地址") {
		t.Fatalf("no address: %d %.300s", status, page)
	}
	h.act(c.Number, "action", "return_approved", "value", "上海市闵行区申富路 88 号 售后仓 张三 021-55550000")
	got, _ := h.db.CaseByNumber(context.Background(), c.Number)
	if got.Details[cases.DetailReturnStatus] != "approved" || got.Remedy != "return" {
		t.Fatalf("approved: %+v", got)
	}
	msgs, _ := h.db.OutboxAfter(context.Background(), "web", "w1", 0, 100)
	var last bot.Message
	json.Unmarshal(msgs[len(msgs)-1].Payload, &last)
	if !strings.Contains(last.Text, "申富路 88 号") || !strings.Contains(last.Text, "原包装") || !strings.Contains(last.Text, "邮费") ||
		len(last.Buttons) == 0 || last.Buttons[0][0].Data != "rettrack:"+c.Number {
		t.Fatalf("instructions: %+v", last)
	}
	if status, _ := h.actWith(h.client, c.Number, "action", "return_approved", "value", "again"); status != http.StatusConflict {
		t.Errorf("approved twice: %d", status)
	}
	// The customer presses the button and types the number.
	h.say(conversations.Inbound{Choice: last.Buttons[0][0].Data}, conversations.Inbound{Text: "SF 1234 5678"})
	_, page = h.get("/staff/case/" + c.Number)
	if !strings.Contains(page, "退货运单号：SF12345678") || strings.Count(page, "SF12345678") < 2 { // the panel and the history
		t.Fatalf("tracking on the page: %.3000s", page)
	}
	if status, _ := h.actWith(h.client, c.Number, "action", "return_tracking", "value", "<b>"); status != http.StatusBadRequest {
		t.Errorf("a bad number: %d", status)
	}
	h.act(c.Number, "action", "return_tracking", "value", "YT-20261124")
	if got, _ := h.db.CaseByNumber(context.Background(), c.Number); got.Details[cases.DetailReturnTracking] != "YT-20261124" {
		t.Errorf("corrected: %v", got.Details)
	}
	trail, _ := h.db.AuditTrail(context.Background(), c.Number)
	var actions []string
	for _, a := range trail {
		actions = append(actions, a.Actor+":"+a.Action)
	}
	for _, want := range []string{"小李:return_approved", "customer:return_tracking", "小李:return_tracking"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("audit lacks %s: %v", want, actions)
		}
	}
}
