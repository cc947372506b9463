package slack

import (
	"context"
	"strings"
	"testing"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
)

// In Slack, "resolve: …" in the thread resolves with the outcome the
// customer reads, after fault → cause → action; "callback: …" records the
// call-back; the card shows the customer's answer.
// rule: CAS-1, CAS-2, CAS-3
func TestResolveWithAnOutcomeInSlack(t *testing.T) {
	h := newHarness(t, Config{})
	c := h.reportDamage()
	ts, _ := h.db.SlackTS(context.Background(), c.ID)
	h.interact(blockAction(c.Number, actClaim, c.Number, ""))
	h.staffSays("Ev1", ts, "1700000000.000100", "resolve: 已修好")
	if got, _ := h.db.CaseByNumber(context.Background(), c.Number); got.Status == cases.Resolved {
		t.Fatal("resolved without cause and action")
	}
	h.staffSays("Ev2", ts, "1700000000.000200", "cause: 运输挤压")
	h.staffSays("Ev3", ts, "1700000000.000300", "action: 更换配件")
	h.interact(blockAction(c.Number, actRemedy, "", c.Number+"|replacement_parts"))
	h.staffSays("Ev4", ts, "1700000000.000400", "resolve: 配件已寄到，已为您装好。")
	h.deliver()
	if got := h.web.last(); !strings.Contains(got, "】配件已寄到，已为您装好。") || !strings.Contains(got, "解决了吗") {
		t.Fatalf("the customer got %q", got)
	}
	if err := h.desk.Handle(context.Background(), conversations.Inbound{Channel: "web", ChatID: "w1", Choice: "resolved:yes:" + c.Number}); err != nil {
		t.Fatal(err)
	}
	h.deliver()
	card := h.fake.Updates()[len(h.fake.Updates())-1].Blocks
	if !strings.Contains(card, "顾客已确认解决") || !strings.Contains(card, "回访： 20") {
		t.Fatalf("the card does not show the loop: %s", card)
	}
	h.staffSays("Ev5", ts, "1700000000.000500", "callback: 已电话回访，客户满意")
	if got, _ := h.db.CaseByNumber(context.Background(), c.Number); got.Details[cases.DetailCallBack] != "done" {
		t.Fatalf("call-back not recorded: %v", got.Details)
	}
}

// "End handover" on a handover's card hands the chat back to the bot.
// rule: CAS-5
func TestEndHandoverInSlack(t *testing.T) {
	h := newHarness(t, Config{})
	for _, in := range []conversations.Inbound{{Text: "/start"}, {Choice: "menu:human"}, {Text: "在吗"}} {
		in.Channel, in.ChatID = "web", "w2"
		if err := h.desk.Handle(context.Background(), in); err != nil {
			t.Fatal(err)
		}
	}
	h.deliver()
	c, err := h.db.OpenCaseForChat(context.Background(), "web", "w2", config.KindInquiry)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.fake.Posts()[0].Blocks+lastCard(h), actEndHandoff) {
		t.Fatal("the card offers no End handover")
	}
	h.interact(blockAction(c.Number, actEndHandoff, c.Number, ""))
	h.deliver()
	if got := h.web.last(); !strings.Contains(got, "结束本次人工对话") {
		t.Fatalf("the customer got %q", got)
	}
	if strings.Contains(lastCard(h), actEndHandoff) {
		t.Fatal("the card still offers End handover")
	}
}

func lastCard(h *harness) string {
	u := h.fake.Updates()
	if len(u) == 0 {
		return ""
	}
	return u[len(u)-1].Blocks
}
