package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// resolutionDesk is a desk with the configured clocks and a call-back a
// day after the resolve, and 王芳's damage case in web chat c1, claimed by
// 小王 with its fault → cause → action recorded.
func resolutionDesk(t *testing.T) (*testkit.Desk, cases.Case) {
	t.Helper()
	desk, _ := setup(t)
	cfg := config.Default()
	if err := cfg.Calendar.Compile(); err != nil {
		t.Fatal(err)
	}
	desk.Clocks, desk.CallBackAfter = cfg.ClocksFor, 24*time.Hour
	c := desk.ReportDamage("c1", "SO-1001", "沙发扶手开裂")
	for _, a := range [][2]string{{bot.ActClaim, ""}, {bot.ActCause, "运输挤压"}, {bot.ActAction, "上门修补扶手"}} {
		staffDoes(t, desk, c.Number, a[0], a[1])
	}
	return desk, c
}

func staffDoes(t *testing.T, desk *testkit.Desk, number, kind, value string) cases.Case {
	t.Helper()
	c, err := desk.Staff(context.Background(), bot.StaffAction{Case: number, Actor: "小王", Kind: kind, Value: value})
	if err != nil {
		t.Fatalf("%s %q: %v", kind, value, err)
	}
	return c
}

func lastMessage(t *testing.T, desk *testkit.Desk, chat string) bot.Message {
	t.Helper()
	msgs := desk.Messages("web", chat)
	if len(msgs) == 0 {
		t.Fatal("no messages")
	}
	return msgs[len(msgs)-1]
}

func buttonData(m bot.Message) []string {
	var out []string
	for _, row := range m.Buttons {
		for _, b := range row {
			out = append(out, b.Data)
		}
	}
	return out
}

// rule: CAS-2
func TestResolveAsksTheCustomerAndYesIsRecorded(t *testing.T) {
	desk, c := resolutionDesk(t)
	staffDoes(t, desk, c.Number, bot.ActResolve, "已为您上门修补扶手。")
	m := lastMessage(t, desk, "c1")
	if !strings.HasPrefix(m.Text, "【售后 小王 · "+c.Number+"】已为您上门修补扶手。") || !strings.Contains(m.Text, "解决了吗") {
		t.Fatalf("the customer got %q", m.Text)
	}
	yes := "resolved:yes:" + c.Number
	if !slices.Contains(buttonData(m), yes) || !slices.Contains(buttonData(m), "resolved:no:"+c.Number) {
		t.Fatalf("buttons %v", buttonData(m))
	}
	desk.Say("web", "c1", conversations.Inbound{Choice: yes})
	got, _ := desk.Store.CaseByNumber(context.Background(), c.Number)
	if got.Status != cases.Resolved || got.Details[cases.DetailConfirmation] != "confirmed" {
		t.Fatalf("case after yes: %s %v", got.Status, got.Details)
	}
	trail, _ := desk.Store.AuditTrail(context.Background(), c.Number)
	if a := trail[len(trail)-1]; a.Action != cases.EvCustomerConfirmed || a.Actor != "customer" {
		t.Fatalf("audit %+v", a)
	}
	// A second press changes nothing and says so.
	desk.Say("web", "c1", conversations.Inbound{Choice: "resolved:no:" + c.Number})
	if got, _ := desk.Store.CaseByNumber(context.Background(), c.Number); got.Status != cases.Resolved {
		t.Fatalf("a second answer reopened it: %s", got.Status)
	}
	if text := lastMessage(t, desk, "c1").Text; !strings.Contains(text, "已经记下了") {
		t.Fatalf("second answer: %q", text)
	}
}

// rule: CAS-2, CAS-4
func TestNotYetReopensAndRunsTheClocksAgain(t *testing.T) {
	desk, c := resolutionDesk(t)
	ctx := context.Background()
	staffDoes(t, desk, c.Number, bot.ActReply, "师傅明天上门")
	staffDoes(t, desk, c.Number, bot.ActResolve, "已修好")
	for _, k := range mustClocks(t, desk, c.ID) {
		if k.StoppedAt.IsZero() {
			t.Fatalf("a clock still runs after the resolve: %+v", k)
		}
	}
	desk.Clock.Advance(3 * time.Hour)
	reopenedAt := desk.Clock.Now()
	desk.Say("web", "c1", conversations.Inbound{Choice: "resolved:no:" + c.Number})
	got, _ := desk.Store.CaseByNumber(ctx, c.Number)
	if got.Status != cases.Claimed || got.Details[cases.DetailConfirmation] != "not_solved" {
		t.Fatalf("case after not yet: %s %v", got.Status, got.Details)
	}
	if text := lastMessage(t, desk, "c1").Text; !strings.Contains(text, "重新打开") {
		t.Fatalf("the customer got %q", text)
	}
	var called bool
	for _, p := range desk.StaffPosts(c.Number) {
		if p.Kind == "thread" && slices.Contains(p.Mentions, "小王") && strings.Contains(p.Text, "尚未解决") {
			called = true
		}
	}
	if !called {
		t.Fatal("the assignee was not called on in the thread")
	}
	cfg := config.Default()
	cfg.Calendar.Compile()
	specs := cfg.ClocksFor(string(got.Kind), reopenedAt)
	clocks := map[string]store.Clock{}
	for _, k := range mustClocks(t, desk, c.ID) {
		clocks[k.Name] = k
	}
	for _, s := range specs {
		k := clocks[s.Name]
		if !k.StoppedAt.IsZero() || !k.StartedAt.Equal(reopenedAt) || !k.DueAt.Equal(s.Due) || !k.EscalatedAt.IsZero() {
			t.Errorf("clock %s after the reopen: %+v, want running from %v due %v", s.Name, k, reopenedAt, s.Due)
		}
	}
	if !got.DeadlineAt.Equal(specs[0].Due) {
		t.Errorf("deadline %v, want the first clock's %v", got.DeadlineAt, specs[0].Due)
	}
}

func mustClocks(t *testing.T, desk *testkit.Desk, id int64) []store.Clock {
	t.Helper()
	list, err := desk.Store.CaseClocks(context.Background(), id)
	if err != nil || len(list) == 0 {
		t.Fatalf("clocks: %v %v", list, err)
	}
	return list
}

// A button naming another customer's case, or a made-up one, changes
// nothing.
// rule: CAS-2
func TestAResolutionButtonFromAnotherChatChangesNothing(t *testing.T) {
	desk, c := resolutionDesk(t)
	staffDoes(t, desk, c.Number, bot.ActResolve, "已修好")
	desk.Say("web", "stranger", conversations.Inbound{Choice: "resolved:no:" + c.Number})
	if got, _ := desk.Store.CaseByNumber(context.Background(), c.Number); got.Status != cases.Resolved || got.Details[cases.DetailConfirmation] != "" {
		t.Fatalf("a stranger's answer counted: %s %v", got.Status, got.Details)
	}
	if text := lastMessage(t, desk, "stranger").Text; !strings.Contains(text, "失效") {
		t.Fatalf("the stranger got %q", text)
	}
}

// A staff reply reaches the customer as from a person, in the customer's
// language.
// rule: CAS-6
func TestStaffReplyInTheCustomersLanguage(t *testing.T) {
	desk, c := resolutionDesk(t)
	desk.Say("web", "c1", conversations.Inbound{Choice: "lang:en"})
	staffDoes(t, desk, c.Number, bot.ActReply, "A technician comes tomorrow.")
	if text := lastMessage(t, desk, "c1").Text; text != "[After-sales 小王 · "+c.Number+"] A technician comes tomorrow." {
		t.Fatalf("the customer got %q", text)
	}
}

// rule: CAS-3
func TestCallBackAfterAService(t *testing.T) {
	desk, c := resolutionDesk(t)
	ctx := context.Background()
	staffDoes(t, desk, c.Number, bot.ActRemedy, "onsite_repair")
	resolved := staffDoes(t, desk, c.Number, bot.ActResolve, "已上门修好")
	if !strings.HasPrefix(resolved.Details[cases.DetailCallBack], "due ") {
		t.Fatalf("no call-back on the case: %v", resolved.Details)
	}
	if n, err := desk.SendCallBacks(ctx); err != nil || n != 0 {
		t.Fatalf("sent before due: %d %v", n, err)
	}
	desk.Clock.Advance(24 * time.Hour)
	if n, err := desk.SendCallBacks(ctx); err != nil || n != 1 {
		t.Fatalf("sent when due: %d %v", n, err)
	}
	if n, _ := desk.SendCallBacks(ctx); n != 0 {
		t.Fatalf("sent again: %d", n)
	}
	q := lastMessage(t, desk, "c1")
	if !strings.Contains(q.Text, "回访") || !slices.Contains(buttonData(q), "callback:bad:"+c.Number) {
		t.Fatalf("the customer got %+v", q)
	}
	var task bool
	for _, p := range desk.StaffPosts(c.Number) {
		if strings.Contains(p.Text, "call-back due") && slices.Contains(p.Mentions, "小王") {
			task = true
		}
	}
	if !task {
		t.Fatal("no call-back task in the thread")
	}
	desk.Say("web", "c1", conversations.Inbound{Choice: "callback:bad:" + c.Number})
	b, err := desk.Store.CallBackOf(ctx, c.ID)
	if err != nil || b.Answer != "bad" || b.SentAt.IsZero() {
		t.Fatalf("call-back: %+v %v", b, err)
	}
	var unhappy bool
	for _, p := range desk.StaffPosts(c.Number) {
		unhappy = unhappy || strings.Contains(p.Text, "not satisfied") && slices.Contains(p.Mentions, "小王")
	}
	if !unhappy {
		t.Fatal("the assignee did not hear the customer is not satisfied")
	}
	done := staffDoes(t, desk, c.Number, bot.ActCallBack, "已致电，约周六复查")
	events, _ := desk.Store.CaseEvents(ctx, c.ID)
	if e := events[len(events)-1]; e.Kind != cases.EvCallBackDone || e.Body != "已致电，约周六复查" {
		t.Fatalf("the call is not in the history: %+v", e)
	}
	if b, _ := desk.Store.CallBackOf(ctx, c.ID); b.DoneAt.IsZero() || done.Details[cases.DetailCallBack] != "done" {
		t.Fatalf("call-back after staff called: %+v %v", b, done.Details)
	}
}

// An inquiry needs no call-back.
// rule: CAS-3
func TestNoCallBackWithoutAService(t *testing.T) {
	desk, _ := setup(t)
	c := talker{t, desk, "c2"}
	c.verify("SO-1001", "1234")
	c.press("menu:human")
	h, err := desk.Store.OpenCaseForChat(context.Background(), "web", "c2", config.KindInquiry)
	if err != nil {
		t.Fatal(err)
	}
	staffDoes(t, desk, h.Number, bot.ActResolve, "已答复")
	if _, err := desk.Store.CallBackOf(context.Background(), h.ID); err == nil {
		t.Fatal("an inquiry booked a call-back")
	}
}

// Staff end a handover: the customer is told, gets the menu, and what they
// write next is the bot's again.
// rule: CAS-5
func TestStaffEndTheHandover(t *testing.T) {
	desk, _ := setup(t)
	ctx := context.Background()
	c := talker{t, desk, "c3"}
	c.verify("SO-1001", "1234")
	c.press("menu:human")
	h, err := desk.Store.OpenCaseForChat(ctx, "web", "c3", config.KindInquiry)
	if err != nil {
		t.Fatal(err)
	}
	c.text("在吗？")
	if c.last() != conversations.T(conversations.ZhHans, "handoff.ack") {
		t.Fatalf("not acknowledged: %q", c.last())
	}
	staffDoes(t, desk, h.Number, bot.ActEndHandoff, "")
	m := lastMessage(t, desk, "c3")
	if !strings.Contains(m.Text, "结束") || !slices.Contains(buttonData(m), "menu:damage") {
		t.Fatalf("the customer got %+v", m)
	}
	events, _ := desk.Store.CaseEvents(ctx, h.ID)
	before := len(events)
	c.text("hello")
	if events, _ := desk.Store.CaseEvents(ctx, h.ID); len(events) != before {
		t.Fatal("a message after the handover went to the thread")
	}
	if c.last() == conversations.T(conversations.ZhHans, "handoff.ack") {
		t.Fatal("the bot still acknowledges as in a handover")
	}
	if _, err := desk.Staff(ctx, bot.StaffAction{Case: h.Number, Actor: "小王", Kind: bot.ActEndHandoff}); cases.ErrorCode(err) != cases.Conflict {
		t.Fatalf("ending it twice: %v", err)
	}
}
