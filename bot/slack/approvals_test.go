package slack

import (
	"context"
	"strings"
	"testing"

	"frontdesk/bot"
)

// rejectWith is a press of Reject with a reason typed into the box.
func rejectWith(user, channel, messageTS, caseNo, reason string) map[string]any {
	p := blockActionBy(user, caseNo, actReject, caseNo, "")
	p["channel"] = map[string]any{"id": channel}
	p["container"] = map[string]any{"type": "message", "message_ts": messageTS, "channel_id": channel}
	p["message"] = map[string]any{"type": "message", "ts": messageTS, "text": "Approval needed: 小李 proposes …"}
	p["state"] = map[string]any{"values": map[string]any{blockReason: map[string]any{actReason: map[string]any{"type": "plain_text_input", "value": reason}}}}
	return p
}

// An advance on the product dispute by a thread command, capped at half of
// the claim; above the clerk's limit it goes to the managers' channel as a
// post with Approve, Reject and the reason box; a reject needs its reason
// and tells the clerk, by their Slack account, why.
// rule: APR-1, APR-2
func TestAdvanceAndRejectInSlack(t *testing.T) {
	h := newHarness(t, Config{})
	c := h.reportDamage() // a quality defect: a product dispute
	ts, _ := h.db.SlackTS(context.Background(), c.ID)
	h.staffSays("EvA1", ts, "1800000000.000001", "advance: 800/1000")
	h.deliver()
	if eph := h.fake.Ephemeral(); len(eph) != 1 || !strings.Contains(eph[0].Text, "at most 50%") {
		t.Fatalf("an advance above half the claim: %+v", eph)
	}
	h.staffSays("EvA2", ts, "1800000000.000002", "advance: 600/1200")
	h.deliver()
	got, _ := h.db.CaseByNumber(context.Background(), c.Number)
	if got.Remedy != "advance ¥600 on a ¥1200 claim awaiting manager approval" {
		t.Fatalf("remedy %q", got.Remedy)
	}
	var post, postTS string
	for _, p := range h.fake.Posts() {
		if p.Channel == "CMGR" && strings.Contains(p.Blocks, `"action_id":"reject"`) {
			post, postTS = p.Blocks, p.TS
		}
	}
	if !strings.Contains(post, "待审批的先行垫付：¥600（索赔金额 ¥1200）") || !strings.Contains(post, `"block_id":"`+blockReason+`"`) {
		t.Fatalf("the managers' post: %s", post)
	}
	h.interact(rejectWith("U44", "CMGR", postTS, c.Number, ""))
	if eph := h.fake.Ephemeral(); len(eph) != 2 || eph[1].User != "U44" || !strings.Contains(eph[1].Text, "a reject needs a reason") {
		t.Fatalf("a reject without a reason: %+v", eph)
	}
	if got, _ := h.db.CaseByNumber(context.Background(), c.Number); got.Details["approval"] != "pending" {
		t.Fatalf("a refused reject changed the case: %+v", got.Details)
	}
	h.interact(rejectWith("U44", "CMGR", postTS, c.Number, "等厂家鉴定结果"))
	h.deliver()
	got, _ = h.db.CaseByNumber(context.Background(), c.Number)
	if got.Details["approval"] != "rejected" || got.Details["approval_decided_by"] != "吴经理" {
		t.Fatalf("after the reject: %+v", got.Details)
	}
	var told bool
	for _, p := range h.fake.Posts() {
		told = told || (p.ThreadTS == ts && strings.Contains(p.Text, "<@U42> ❌ 吴经理 驳回了先行垫付 ¥600（索赔 ¥1200）：等厂家鉴定结果"))
	}
	if !told {
		t.Fatal("the clerk is not told why")
	}
	// The managers' post shows the decision at once, without its buttons.
	var refreshed bool
	for _, u := range h.fake.Updates() {
		refreshed = refreshed || (u.TS == postTS && strings.Contains(u.Blocks, "已驳回：吴经理") && !strings.Contains(u.Blocks, `"action_id":"reject"`))
	}
	if !refreshed {
		t.Fatalf("the managers' post still offers the buttons: %+v", h.fake.Updates())
	}
	// The customer did not ask for money: they hear nothing of it (APR-3).
	for _, m := range h.web.got {
		if strings.Contains(m, "600") {
			t.Fatalf("the customer heard of the advance: %q", m)
		}
	}
}

// The complaint thread commands (CMP-4, CMP-5) reach the desk as actions.
// rule: CMP-5
func TestComplaintThreadCommands(t *testing.T) {
	h := newHarness(t, Config{})
	for _, tt := range []struct{ text, kind, value string }{
		{"task_force: after_sales=小李, sales=周主管, product=吴经理", bot.ActTaskForce, "after_sales=小李, sales=周主管, product=吴经理"},
		{"Responsible: 送货班组", bot.ActResponsible, "送货班组"},
		{"prevention: 出库前逐件检查", bot.ActPrevention, "出库前逐件检查"},
		{"written_solution: 更换茶几", bot.ActWrittenSolution, "更换茶几"},
		{"gm_callback: 已致电", bot.ActGMCallback, "已致电"},
		{"advance: 300/1000", cmdAdvance, "300/1000"},
	} {
		kind, value := h.slack.replyOrNote(tt.text)
		if kind != tt.kind || value != tt.value {
			t.Errorf("%q: %s %q", tt.text, kind, value)
		}
	}
	if a := moneyCommand(bot.StaffAction{Kind: cmdAdvance, Value: "¥300 / 1000元"}); a.Kind != bot.ActRemedy || a.AmountYuan != 300 || a.ClaimYuan != 1000 {
		t.Errorf("advance command: %+v", a)
	}
}
