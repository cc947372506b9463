package bot_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/conversations"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// A corrective action is opened from a serious case (not from an ordinary
// one), worked with progress notes, carried out, and its effect checked
// after the configured days: the product's problem recurred, so it is open
// again; carried out again with no recurrence, it closes. The managers hear
// of each check.
// rule: QLT-4
func TestCorrectiveActionFromASeriousCaseToItsEffect(t *testing.T) {
	desk := testkit.NewDesk(t)
	desk.Quality.EffectCheckDays = 30
	desk.Seed().Orders()
	ctx := context.Background()
	c := desk.ReportDamage("w1", "SO-1001", "沙发腿断了")
	clerk := cases.Actor{Name: "小李", Role: cases.Clerk}
	in := cases.Corrective{SourceKind: "case", Source: c.Number, SKU: "SF-300", Problem: "沙发腿运输中断裂", Owner: "王工",
		Department: "logistics", DueOn: desk.Clock.Now().AddDate(0, 0, 14).Format("2006-01-02")}
	if _, err := desk.OpenCorrective(ctx, clerk, in); cases.ErrorCode(err) != cases.Invalid || !strings.Contains(err.Error(), "major") {
		t.Fatalf("from an ordinary case: %v", err)
	}
	if _, err := desk.Staff(ctx, bot.StaffAction{Case: c.Number, Actor: "小李", Kind: bot.ActMajor}); err != nil {
		t.Fatal(err)
	}
	a, err := desk.OpenCorrective(ctx, clerk, in)
	if err != nil || a.ID == 0 || a.Status != cases.ActionOpen {
		t.Fatalf("open: %+v %v", a, err)
	}
	if !strings.Contains(strings.Join(qualityPosts(desk, bot.ChannelRecipient), "\n"), "沙发腿运输中断裂") {
		t.Error("the staff channel was not told")
	}
	if _, err := desk.ActOnCorrective(ctx, a.ID, clerk, cases.ActionNote, "已与物流公司沟通加固包装"); err != nil {
		t.Fatal(err)
	}
	if a, err = desk.ActOnCorrective(ctx, a.ID, clerk, cases.ActionDone, ""); err != nil || a.Status != cases.ActionChecking {
		t.Fatalf("done: %+v %v", a, err)
	}
	// Not due yet: nothing is checked.
	if n, err := desk.CheckCorrectiveEffects(ctx); n != 0 || err != nil {
		t.Fatalf("early check: %d %v", n, err)
	}
	// The problem comes back for the same product.
	desk.Clock.Advance(10 * 24 * time.Hour)
	desk.Seed().Order(store.Order{No: "SO-3001", CustomerName: "张三", Phone: "13700001111"})
	qualityCase(t, desk, "SO-3001")
	desk.Clock.Advance(21 * 24 * time.Hour)
	if n, err := desk.CheckCorrectiveEffects(ctx); n != 1 || err != nil {
		t.Fatalf("check: %d %v", n, err)
	}
	list, _ := desk.Store.Correctives(ctx, false)
	if len(list) != 1 || list[0].Status != cases.ActionOpen || list[0].Effect != "recurred" {
		t.Fatalf("after a recurrence: %+v", list)
	}
	if _, err := desk.ActOnCorrective(ctx, a.ID, clerk, cases.ActionDone, "改用木箱包装"); err != nil {
		t.Fatal(err)
	}
	desk.Clock.Advance(31 * 24 * time.Hour)
	if n, err := desk.CheckCorrectiveEffects(ctx); n != 1 || err != nil {
		t.Fatalf("second check: %d %v", n, err)
	}
	if list, _ := desk.Store.Correctives(ctx, false); len(list) != 0 {
		t.Fatalf("still open after an effective check: %+v", list)
	}
	notes, _ := desk.Store.CorrectiveNotes(ctx, a.ID)
	if len(notes) != 5 {
		t.Fatalf("notes: %+v", notes)
	}
	managers := strings.Join(qualityPosts(desk, bot.ManagersRecipient), "\n")
	if !strings.Contains(managers, "重新打开") || !strings.Contains(managers, "措施关闭") {
		t.Fatalf("managers' posts: %s", managers)
	}
	if _, err := desk.ActOnCorrective(ctx, a.ID, clerk, cases.ActionNote, "x"); cases.ErrorCode(err) != cases.Conflict {
		t.Fatalf("note on a closed action: %v", err)
	}
}

// Bad input opens nothing: an unknown department, a missing owner, a case
// that does not exist.
// rule: QLT-4
func TestCorrectiveActionBadInput(t *testing.T) {
	desk := testkit.NewDesk(t)
	ctx := context.Background()
	clerk := cases.Actor{Name: "小李", Role: cases.Clerk}
	due := desk.Clock.Now().AddDate(0, 0, 7).Format("2006-01-02")
	for _, in := range []cases.Corrective{
		{SourceKind: "report", Source: "SF-300 ×4", Problem: "p", Owner: "o", Department: "marketing", DueOn: due},
		{SourceKind: "report", Source: "SF-300 ×4", Problem: "p", Owner: "", Department: "production", DueOn: due},
		{SourceKind: "case", Source: "AS-20990101-0001", Problem: "p", Owner: "o", Department: "production", DueOn: due},
	} {
		if _, err := desk.OpenCorrective(ctx, clerk, in); cases.ErrorCode(err) != cases.Invalid {
			t.Errorf("%+v: %v", in, err)
		}
	}
	if list, _ := desk.Store.Correctives(ctx, true); len(list) != 0 {
		t.Fatalf("saved: %+v", list)
	}
	if _, err := desk.ActOnCorrective(ctx, 42, clerk, cases.ActionNote, "x"); cases.ErrorCode(err) != cases.NotFound {
		t.Fatalf("no such action: %v", err)
	}
}

func qualityPosts(desk *testkit.Desk, recipient string) []string {
	var out []string
	for _, p := range desk.StaffPosts(recipient) {
		out = append(out, p.Text)
	}
	return out
}

func qualityCase(t *testing.T, desk *testkit.Desk, orderNo string) {
	t.Helper()
	err := desk.Store.Update(context.Background(), func(tx *store.Tx) error {
		_, err := tx.OpenCase(cases.Case{Kind: "quality_defect", OrderNo: orderNo, Phone: "13700001111"}, desk.Clock.Now(), time.UTC)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// The quarterly call-back: 10 % of the customers served in the quarter
// (20 → 2), listed for staff, each with the questionnaire in their chat;
// a rerun sends nothing more. The customer's answers are stored once; a
// low score asks staff to call.
// rule: QLT-2
func TestQuarterlyCallBacks(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	desk := testkit.NewDesk(t, testkit.WithClock(testkit.ClockAt(time.Date(2026, 2, 10, 10, 0, 0, 0, shanghai))), testkit.WithLocation(shanghai))
	ctx := context.Background()
	for i := range 20 {
		no, phone := fmt.Sprintf("SO-%02d", i), fmt.Sprintf("1370000%04d", i)
		desk.Seed().Order(store.Order{No: no, CustomerName: fmt.Sprintf("客户%02d", i), Phone: phone}).
			Visit(store.Visit{ID: "V-" + no, OrderNo: no, Kind: "install", CompletedAt: desk.Clock.Now()}).
			Chat(phone, "web", "chat-"+no)
	}
	// Served in the quarter before: not this one's.
	desk.Seed().Order(store.Order{No: "SO-OLD", CustomerName: "老客户", Phone: "13600000000"}).
		Visit(store.Visit{ID: "V-OLD", OrderNo: "SO-OLD", Kind: "repair", CompletedAt: time.Date(2025, 12, 20, 10, 0, 0, 0, shanghai)})
	desk.Clock.Set(time.Date(2026, 4, 2, 10, 0, 0, 0, shanghai))
	n, err := desk.SendQualityCalls(ctx, bot.CallBackKind)
	if err != nil || n != 2 {
		t.Fatalf("listed %d: %v", n, err)
	}
	if n, err := desk.SendQualityCalls(ctx, bot.CallBackKind); err != nil || n != 0 {
		t.Fatalf("rerun listed %d: %v", n, err)
	}
	calls, _ := desk.Store.QualityCalls(ctx, bot.CallBackKind, "2026-Q1")
	if len(calls) != 2 {
		t.Fatalf("calls %+v", calls)
	}
	list := strings.Join(qualityPosts(desk, bot.ChannelRecipient), "\n")
	if !strings.Contains(list, "季度回访名单（2026-Q1）") || !strings.Contains(list, "20 位客户") || strings.Count(list, "（已发问卷）") != 2 {
		t.Fatalf("staff list: %s", list)
	}
	var chat string
	for _, c := range calls {
		if !strings.Contains(list, c.Phone) || c.ChatID == "" {
			t.Fatalf("call %+v not listed or not in the chat", c)
		}
		msgs := desk.Messages("web", c.ChatID)
		if len(msgs) != 1 || !strings.Contains(msgs[0].Text, "季度客户回访") || len(msgs[0].Buttons) != 1 || len(msgs[0].Buttons[0]) != 5 {
			t.Fatalf("chat %s: %+v", c.ChatID, msgs)
		}
		chat = c.ChatID
	}
	id := calls[len(calls)-1].ID
	press := func(data string) {
		desk.Say("web", chat, conversations.Inbound{Choice: data})
	}
	press(fmt.Sprintf("qn:%d:product:2", id))
	press(fmt.Sprintf("qn:%d:product:5", id)) // answered twice: kept as first given
	press(fmt.Sprintf("qn:%d:service:3", id))
	press(fmt.Sprintf("qn:%d:service:5", id))
	calls, _ = desk.Store.QualityCalls(ctx, bot.CallBackKind, "2026-Q1")
	got := calls[len(calls)-1]
	if got.Product != 2 || got.Service != 3 || got.AnsweredAt.IsZero() {
		t.Fatalf("answers: %+v", got)
	}
	texts := desk.Texts("web", chat)
	if !strings.Contains(strings.Join(texts, "\n"), "已经回答过了") {
		t.Fatalf("a second answer is not refused in words: %v", texts)
	}
	if alert := strings.Join(qualityPosts(desk, bot.ChannelRecipient), "\n"); !strings.Contains(alert, "打了低分：产品 2 分，服务 3 分") {
		t.Fatalf("no low-score alert: %s", alert)
	}
	// Another chat's questionnaire button records nothing.
	other := calls[0]
	desk.Say("web", "chat-stranger", conversations.Inbound{Choice: fmt.Sprintf("qn:%d:product:1", other.ID)})
	if c, _ := desk.Store.QualityCalls(ctx, bot.CallBackKind, "2026-Q1"); c[0].Product != 0 {
		t.Fatalf("a stranger answered: %+v", c[0])
	}
}

// The half-yearly questionnaire goes to the main customers (three orders or
// more), in the chat when they have one and on the staff list.
// rule: QLT-3
func TestHalfYearlyQuestionnaireToMainCustomers(t *testing.T) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	desk := testkit.NewDesk(t, testkit.WithClock(testkit.ClockAt(time.Date(2026, 7, 2, 10, 30, 0, 0, shanghai))), testkit.WithLocation(shanghai))
	ctx := context.Background()
	for i := range 3 {
		desk.Seed().Order(store.Order{No: fmt.Sprintf("SO-M%d", i), CustomerName: "大客户", Phone: "13500000001"})
	}
	for i := range 2 {
		desk.Seed().Order(store.Order{No: fmt.Sprintf("SO-S%d", i), CustomerName: "散客", Phone: "13500000002"})
	}
	desk.Seed().Chat("13500000001", "web", "big").Chat("13500000002", "web", "small")
	if n, err := desk.SendQualityCalls(ctx, bot.QuestionnaireKind); err != nil || n != 1 {
		t.Fatalf("listed %d: %v", n, err)
	}
	if msgs := desk.Messages("web", "big"); len(msgs) != 1 || !strings.Contains(msgs[0].Text, "每半年一次的客户满意度调查") {
		t.Fatalf("main customer: %+v", msgs)
	}
	if msgs := desk.Messages("web", "small"); len(msgs) != 0 {
		t.Fatalf("a customer with two orders got it: %+v", msgs)
	}
	list := strings.Join(qualityPosts(desk, bot.ChannelRecipient), "\n")
	if !strings.Contains(list, "半年度满意度调查（2026-H1）") || !strings.Contains(list, "13500000001") || strings.Contains(list, "13500000002") {
		t.Fatalf("staff list: %s", list)
	}
	calls, _ := desk.Store.QualityCalls(ctx, bot.QuestionnaireKind, "2026-H1")
	desk.Say("web", "big", conversations.Inbound{Choice: fmt.Sprintf("qn:%d:product:5", calls[0].ID)},
		conversations.Inbound{Choice: fmt.Sprintf("qn:%d:service:4", calls[0].ID)})
	sum, _ := desk.Store.QualityCallSummary(ctx, time.Date(2026, 7, 1, 0, 0, 0, 0, shanghai), time.Date(2026, 8, 1, 0, 0, 0, 0, shanghai))
	if len(sum) != 1 || sum[0].Sent != 1 || sum[0].Answered != 1 || sum[0].AvgProduct != 5 || sum[0].AvgService != 4 {
		t.Fatalf("summary %+v", sum)
	}
}
