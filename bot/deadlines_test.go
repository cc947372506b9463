package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// deadlineDesk is a desk whose shop opens Mon–Fri 09:00–18:00 UTC, with the
// two orders of the kit (SO-1001 promised for 2026-12-10) and 王芳 verified
// in the web chat c1; the clock is Tuesday 2026-11-24 10:00.
func deadlineDesk(t *testing.T) (*testkit.Desk, talker) {
	t.Helper()
	desk := testkit.NewDesk(t)
	cal := config.Calendar{Timezone: "UTC", Periods: []config.Period{{Start: "09:00", End: "18:00"}},
		WorkingDays: []string{"Mon", "Tue", "Wed", "Thu", "Fri"}}
	if err := cal.Compile(); err != nil {
		t.Fatal(err)
	}
	desk.Calendar = &cal
	desk.Seed().Orders()
	c := talker{t, desk, "c1"}
	c.verify("SO-1001", "1234")
	return desk, c
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func deadlineOf(t *testing.T, desk *testkit.Desk, no string) string {
	t.Helper()
	o, err := desk.Store.Order(context.Background(), no)
	if err != nil {
		t.Fatal(err)
	}
	return o.Deadline
}

func openDelayCases(t *testing.T, desk *testkit.Desk) (open, all []cases.Case) {
	t.Helper()
	list, err := desk.Store.Cases(context.Background(), store.CaseFilter{Kind: string(config.KindDeliveryDelay), Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.Status != cases.Resolved {
			open = append(open, c)
		}
	}
	return open, list
}

// rule: DLV-8
// A delay case gets a new date agreed with the customer: the order's
// deadline, with its history (old → new, who, why), and the customer is
// told. Missed again while the case is open, it stays the one delay case;
// after it is resolved, a missed new date opens a new one.
func TestANewDateAgreedReplacesTheDeadlineAndIsWatchedAgain(t *testing.T) {
	desk, c := deadlineDesk(t)
	ctx := context.Background()
	desk.Clock.Set(day("2026-12-14 10:00")) // Monday, past 2026-12-10
	first, err := desk.OpenDelayCase(ctx, "SO-1001", "the promised date 2026-12-10 passed without delivery")
	if err != nil || first == "" {
		t.Fatalf("delay case: %q %v", first, err)
	}
	if again, err := desk.OpenDelayCase(ctx, "SO-1001", "again"); err != nil || again != "" {
		t.Fatalf("the same date opened a second case: %q %v", again, err)
	}
	// Bad input changes nothing: a date in the past, not a date, no reason,
	// an oversized reason, the same date, an unknown verb value.
	for _, value := range []string{"2026-12-01 客户同意", "20/12/2026 客户同意", "2026-02-30 x", "2026-12-20", "2026-12-20 " + strings.Repeat("长", 501),
		"2026-12-10 same date"} {
		_, err := desk.Staff(ctx, bot.StaffAction{Case: first, Actor: "小李", Kind: bot.ActNewDate, Value: value})
		if !errors.Is(err, bot.ErrBadAction) {
			t.Fatalf("%.40q: %v", value, err)
		}
	}
	if got := deadlineOf(t, desk, "SO-1001"); got != "2026-12-10" {
		t.Fatalf("refused dates changed the deadline to %s", got)
	}
	told := len(c.desk.Messages("web", "c1"))
	if _, err := desk.Staff(ctx, bot.StaffAction{Case: first, Actor: "小李", Kind: bot.ActNewDate, Value: "2026-12-20 客户电话同意改到20号"}); err != nil {
		t.Fatal(err)
	}
	if got := deadlineOf(t, desk, "SO-1001"); got != "2026-12-20" {
		t.Fatalf("deadline %s, want 2026-12-20", got)
	}
	hist, _ := desk.Store.DeadlineHistory(ctx, "SO-1001")
	if len(hist) != 1 || hist[0].Old != "2026-12-10" || hist[0].New != "2026-12-20" || hist[0].Actor != "小李" ||
		hist[0].Reason != "客户电话同意改到20号" || hist[0].Kind != store.ChangeAgreed {
		t.Fatalf("history: %+v", hist)
	}
	msgs := c.desk.Messages("web", "c1")
	if len(msgs) != told+1 || !strings.Contains(msgs[told].Text, "2026-12-20") || !strings.Contains(msgs[told].Text, "SO-1001") {
		t.Fatalf("the customer was not told the new date: %+v", msgs[told:])
	}
	events, _ := desk.Store.CaseEvents(ctx, mustCase(t, desk, first).ID)
	if last := events[len(events)-1]; last.Kind != "new_date" || !strings.Contains(last.Body, "2026-12-10 → 2026-12-20") {
		t.Fatalf("case history: %+v", last)
	}

	// The new date is missed while the delay case is open: still one.
	desk.Clock.Set(day("2026-12-21 10:00"))
	if no, err := desk.OpenDelayCase(ctx, "SO-1001", "the promised date 2026-12-20 passed without delivery"); err != nil || no != first {
		t.Fatalf("missed again with the case open: %q %v, want %s", no, err, first)
	}
	if open, _ := openDelayCases(t, desk); len(open) != 1 {
		t.Fatalf("open delay cases: %+v", open)
	}
	// Resolved, agreed anew (the back office), missed again: a new case.
	if _, err := desk.Staff(ctx, bot.StaffAction{Case: first, Actor: "小李", Kind: bot.ActResolve, Value: "new date agreed"}); err != nil {
		t.Fatal(err)
	}
	if _, changed, err := desk.MoveDeadline(ctx, "SO-1001", "2026-12-28", "ERP 张三", "客户同意28号送", false); err != nil || !changed {
		t.Fatalf("move: %v %v", changed, err)
	}
	desk.Clock.Set(day("2026-12-29 10:00"))
	second, err := desk.OpenDelayCase(ctx, "SO-1001", "the promised date 2026-12-28 passed without delivery")
	if err != nil || second == "" || second == first {
		t.Fatalf("the new date missed: %q %v", second, err)
	}
	open, all := openDelayCases(t, desk)
	if len(open) != 1 || len(all) != 2 || open[0].Number != second {
		t.Fatalf("delay cases: open %+v all %d", open, len(all))
	}
	// The customer saying "not yet" while that case is open adds to it.
	if err := desk.StartArrivalCheck(ctx, "DB123"); err != nil {
		t.Fatal(err)
	}
	c.press("ans:not_yet")
	if open, _ := openDelayCases(t, desk); len(open) != 1 || !strings.Contains(c.last(), second) {
		t.Fatalf("after \"not yet\": open %+v, told %q", open, c.last())
	}
}

func mustCase(t *testing.T, desk *testkit.Desk, no string) cases.Case {
	t.Helper()
	c, err := desk.Store.CaseByNumber(context.Background(), no)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// rule: DLV-9
// Staff declare a delay risk before the date on a case of the order: the
// customer is told at once, with the new date; at night it waits for the
// opening; after the date it is refused (a new date is agreed instead).
func TestADelayRiskIsToldBeforeTheDate(t *testing.T) {
	desk, c := deadlineDesk(t)
	ctx := context.Background()
	damage := desk.ReportDamage("c1", "SO-1001", "柜门有划痕")
	told := len(desk.Messages("web", "c1"))
	if _, err := desk.Staff(ctx, bot.StaffAction{Case: damage.Number, Actor: "跟单小王", Kind: bot.ActRisk, Value: "2026-12-18 工厂排产推迟一周"}); err != nil {
		t.Fatal(err)
	}
	msgs := desk.Messages("web", "c1")
	if len(msgs) != told+1 {
		t.Fatalf("%d messages after the risk, want one more", len(msgs)-told)
	}
	risk := msgs[told].Text
	for _, want := range []string{"SO-1001", "2026-12-10", "2026-12-18", "很抱歉"} {
		if !strings.Contains(risk, want) {
			t.Errorf("the risk notice lacks %q: %s", want, risk)
		}
	}
	pending, _ := desk.Store.OutboxAfter(ctx, "web", "c1", 0, 100)
	if last := pending[len(pending)-1]; last.NextAttemptAt.After(desk.Clock.Now()) {
		t.Fatalf("by day the notice waits until %v", last.NextAttemptAt)
	}
	hist, _ := desk.Store.DeadlineHistory(ctx, "SO-1001")
	if len(hist) != 1 || hist[0].Kind != store.ChangeRisk || hist[0].Old != "2026-12-10" || hist[0].New != "2026-12-18" || hist[0].Actor != "跟单小王" {
		t.Fatalf("history: %+v", hist)
	}

	// At night (Tuesday 22:00) the customer is told at the next opening.
	desk.Clock.Set(day("2026-11-24 22:00"))
	if _, changed, err := desk.MoveDeadline(ctx, "SO-1001", "2026-12-22", "ERP", "面料缺货", true); err != nil || !changed {
		t.Fatalf("risk by the back office: %v %v", changed, err)
	}
	pending, _ = desk.Store.OutboxAfter(ctx, "web", "c1", 0, 100)
	last := pending[len(pending)-1]
	if !strings.Contains(string(last.Payload), "2026-12-22") || !last.NextAttemptAt.Equal(day("2026-11-25 09:00")) {
		t.Fatalf("at night: %s due %v, want the next opening", last.Payload, last.NextAttemptAt)
	}
	recorder := testkit.NewRecorder()
	desk.Outbox(testkit.Channels{"web": recorder, bot.StaffChannel: testkit.NewRecorder()}).RunOnce(ctx)
	for _, text := range recorder.Texts() {
		if strings.Contains(text, "2026-12-22") {
			t.Fatal("a notice went out at night")
		}
	}

	// After the date a risk is refused, and nothing changes.
	desk.Clock.Set(day("2026-12-23 10:00"))
	if _, err := desk.Staff(ctx, bot.StaffAction{Case: damage.Number, Actor: "跟单小王", Kind: bot.ActRisk, Value: "2026-12-30 又推迟"}); !errors.Is(err, bot.ErrBadAction) ||
		cases.ErrorCode(err) != cases.Conflict {
		t.Fatalf("a risk after the date: %v", err)
	}
	if got := deadlineOf(t, desk, "SO-1001"); got != "2026-12-22" {
		t.Fatalf("deadline %s", got)
	}
	_ = c
}

// rule: DLV-10
// "Arrived, all fine" at the arrival check records the delivery on the
// order; nothing proactive about its delivery follows: no arrival check, no
// delay case, no delay notice.
func TestArrivedRecordsTheDeliveryAndStopsTheDeliveryMessages(t *testing.T) {
	desk, c := deadlineDesk(t)
	ctx := context.Background()
	desk.Clock.Set(day("2026-11-28 10:00"))
	if err := desk.StartArrivalCheck(ctx, "DB123"); err != nil {
		t.Fatal(err)
	}
	c.press("ans:fine")
	o, _ := desk.Store.Order(ctx, "SO-1001")
	if o.DeliveredOn != "2026-11-28" || o.Status != config.OrderDelivered || !o.Delivered() {
		t.Fatalf("order after \"arrived\": %+v", o)
	}
	due, _ := desk.Store.ShipmentsArrivingOn(ctx, "2026-11-28")
	if len(due) != 0 {
		t.Fatalf("an arrival check is still due: %+v", due)
	}
	desk.Clock.Set(day("2026-12-14 10:00"))
	told := len(desk.Messages("web", "c1"))
	if no, err := desk.OpenDelayCase(ctx, "SO-1001", "late"); err != nil || no != "" {
		t.Fatalf("a delay case for a delivered order: %q %v", no, err)
	}
	if _, changed, err := desk.MoveDeadline(ctx, "SO-1001", "2026-12-20", "ERP", "data fix", false); err != nil || !changed {
		t.Fatalf("move: %v", err)
	}
	if n := len(desk.Messages("web", "c1")); n != told {
		t.Fatalf("%d messages about a delivered order", n-told)
	}
	// A second "arrived" keeps the first day.
	desk.Clock.Set(day("2026-12-15 10:00"))
	if err := desk.StartArrivalCheck(ctx, "DB123"); err != nil {
		t.Fatal(err)
	}
	c.press("ans:fine")
	if on, _ := desk.Store.DeliveredOn(ctx, "SO-1001"); on != "2026-11-28" {
		t.Fatalf("delivered on %s", on)
	}
}

// rule: DLV-11
// The service preview goes to a customer with a verified chat, once per
// order, while it is not shipped yet.
func TestServicePreviewGoesOnceToAVerifiedChat(t *testing.T) {
	desk, _ := deadlineDesk(t)
	ctx := context.Background()
	desk.Seed().Order(store.Order{No: "SO-1002", Deadline: "2026-12-30", Status: config.OrderPlaced, InstallIncluded: true})
	desk.Seed().Order(store.Order{No: "SO-2002", CustomerName: "李雷", Phone: "13900005678", Status: config.OrderPlaced})
	if _, err := desk.SendPreview(ctx, "SO-2002"); !errors.Is(err, bot.ErrNoChat) {
		t.Fatalf("without a chat: %v", err)
	}
	if sent, err := desk.SendPreview(ctx, "SO-1001"); err != nil || sent {
		t.Fatalf("a shipped order got a preview: %v %v", sent, err)
	}
	for i, want := range []bool{true, false} {
		if sent, err := desk.SendPreview(ctx, "SO-1002"); err != nil || sent != want {
			t.Fatalf("preview %d: %v %v", i, sent, err)
		}
	}
	var previews []string
	for _, text := range desk.Texts("web", "c1") {
		if strings.Contains(text, "SO-1002") {
			previews = append(previews, text)
		}
	}
	if len(previews) != 1 || !strings.Contains(previews[0], "2026-12-30") || !strings.Contains(previews[0], "清空摆放位置") ||
		!strings.Contains(previews[0], "旧家具") || !strings.Contains(previews[0], "安装") {
		t.Fatalf("previews: %q", previews)
	}
}

// rule: DLV-12
// A shipment more than a week before the promised date asks the customer
// first; their answer reaches staff, and yes makes its day the agreed date.
func TestAnEarlyShipmentAsksTheCustomerFirst(t *testing.T) {
	desk, c := deadlineDesk(t)
	ctx := context.Background()
	desk.Seed().Shipment(store.Shipment{OrderNo: "SO-1001", Carrier: "德邦物流", TrackingNo: "DB-ONTIME", ShippedOn: "2026-12-01", ExpectedArrival: "2026-12-05"})
	if asked, err := desk.AskEarlyConsent(ctx, "DB-ONTIME"); err != nil || asked {
		t.Fatalf("a shipment in the delivery week asked: %v %v", asked, err)
	}
	// DB123 arrives 2026-11-28, twelve days before 2026-12-10.
	for i, want := range []bool{true, false} {
		if asked, err := desk.AskEarlyConsent(ctx, "DB123"); err != nil || asked != want {
			t.Fatalf("ask %d: %v %v", i, asked, err)
		}
	}
	q := desk.Messages("web", "c1")
	ask := q[len(q)-1]
	if !strings.Contains(ask.Text, "2026-11-28") || !strings.Contains(ask.Text, "2026-12-10") || len(ask.Buttons) < 2 ||
		ask.Buttons[0][0].Data != "ans:yes" || ask.Buttons[1][0].Data != "ans:no" {
		t.Fatalf("the question: %+v", ask)
	}
	if got, _ := desk.Store.EarlyConsent(ctx, "DB123"); got != store.ConsentAsked {
		t.Fatalf("consent %q", got)
	}
	if got := deadlineOf(t, desk, "SO-1001"); got != "2026-12-10" {
		t.Fatalf("asked, the date is already %s", got)
	}
	c.press("ans:yes")
	if got, _ := desk.Store.EarlyConsent(ctx, "DB123"); got != store.ConsentYes {
		t.Fatalf("consent %q", got)
	}
	if got := deadlineOf(t, desk, "SO-1001"); got != "2026-11-28" {
		t.Fatalf("agreed early, the date is %s", got)
	}
	posts := desk.StaffPosts(bot.ChannelRecipient)
	if len(posts) == 0 || !strings.Contains(posts[len(posts)-1].Text, "agrees") || !strings.Contains(posts[len(posts)-1].Text, "DB123") {
		t.Fatalf("staff were not told: %+v", posts)
	}
	hist, _ := desk.Store.DeadlineHistory(ctx, "SO-1001")
	if len(hist) != 1 || hist[0].Kind != store.ChangeEarly || hist[0].Old != "2026-12-10" {
		t.Fatalf("history: %+v", hist)
	}
}

// rule: DLV-12
// "No" keeps the promised date, tells staff, and no arrival check follows
// for that shipment.
func TestAnEarlyDeliveryDeclinedKeepsTheDate(t *testing.T) {
	desk, c := deadlineDesk(t)
	ctx := context.Background()
	if asked, err := desk.AskEarlyConsent(ctx, "DB123"); err != nil || !asked {
		t.Fatalf("ask: %v %v", asked, err)
	}
	c.press("ans:no")
	if got := deadlineOf(t, desk, "SO-1001"); got != "2026-12-10" {
		t.Fatalf("declined, the date is %s", got)
	}
	posts := desk.StaffPosts(bot.ChannelRecipient)
	if len(posts) == 0 || !strings.Contains(posts[len(posts)-1].Text, "does not agree") {
		t.Fatalf("staff were not told: %+v", posts)
	}
	if due, _ := desk.Store.ShipmentsArrivingOn(ctx, "2026-11-28"); len(due) != 0 {
		t.Fatalf("an arrival check for a declined shipment: %+v", due)
	}
	// An old button pressed again changes nothing.
	c.press("ans:yes")
	if got, _ := desk.Store.EarlyConsent(ctx, "DB123"); got != store.ConsentNo {
		t.Fatalf("consent %q", got)
	}
}

// A delay found when the shop is closed (a Saturday) opens its case at
// once, but the customer's notice waits for Monday's opening.
func TestADelayNoticeWaitsForTheOpening(t *testing.T) {
	desk, _ := deadlineDesk(t)
	ctx := context.Background()
	desk.Clock.Set(day("2026-12-12 10:00")) // Saturday
	no, err := desk.OpenDelayCase(ctx, "SO-1001", "the promised date 2026-12-10 passed without delivery")
	if err != nil || no == "" {
		t.Fatalf("delay case: %q %v", no, err)
	}
	msgs, _ := desk.Store.OutboxAfter(ctx, "web", "c1", 0, 100)
	last := msgs[len(msgs)-1]
	if !strings.Contains(string(last.Payload), no) || !last.NextAttemptAt.Equal(day("2026-12-14 09:00")) {
		t.Fatalf("the notice %s is due %v, want Monday 09:00", last.Payload, last.NextAttemptAt)
	}
}
