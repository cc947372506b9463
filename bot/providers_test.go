package bot_test

import (
	"bytes"
	"context"
	"errors"
	"strconv"
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

// visitDesk is a desk with 王芳's order SO-1001 delivered to 上海/浦东新区,
// her web chat c1 verified, and a repair case on it opened from that chat.
type visitDesk struct {
	t    *testing.T
	desk *testkit.Desk
	c    cases.Case
}

func newVisitDesk(t *testing.T) *visitDesk {
	t.Helper()
	desk := testkit.NewDesk(t, testkit.WithRedis())
	desk.Seed().Order(store.Order{No: "SO-1001", Deadline: "2026-12-10", Status: config.OrderDelivered,
		Address: "上海市浦东新区张杨路 500 号 1203 室", Region: "上海/浦东新区"}).Chat(testkit.Phone, "web", "c1")
	var c cases.Case
	err := desk.Store.Update(context.Background(), func(tx *store.Tx) (err error) {
		c, err = tx.OpenCase(cases.Case{Kind: config.KindRepair, OrderNo: "SO-1001", CustomerName: testkit.CustomerName,
			Phone: testkit.Phone, Channel: "web", ChatID: "c1", Description: "抽屉拉不动了", Details: map[string]string{}},
			desk.Clock.Now(), time.UTC)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return &visitDesk{t: t, desk: desk, c: c}
}

func (v *visitDesk) provider(p cases.Provider, stars ...float64) int64 {
	v.t.Helper()
	return v.desk.Seed().Provider(p, stars...)
}

func (v *visitDesk) staff(kind, value string) (cases.Case, error) {
	return v.desk.Staff(context.Background(), bot.StaffAction{Case: v.c.Number, Actor: "小王", Kind: kind, Value: value})
}

func (v *visitDesk) thread() string {
	var b strings.Builder
	for _, p := range v.desk.StaffPosts(v.c.Number) {
		b.WriteString(p.Text + "\n")
	}
	return b.String()
}

// link makes a code for the provider and links web chat chat with it.
func (v *visitDesk) link(providerID int64, chat string) {
	v.t.Helper()
	code, err := v.desk.NewProviderCode(context.Background(), providerID, "小王")
	if err != nil {
		v.t.Fatal(err)
	}
	v.desk.Say("web", chat, conversations.Inbound{Text: "/link " + code})
}

func last(texts []string) string {
	if len(texts) == 0 {
		return ""
	}
	return texts[len(texts)-1]
}

// rule: PRV-1, SRV-7, PRV-4, INS-1
// A dispatch from the case proposes the local provider, refuses one from
// another city without a reason (nothing changes), creates the visit with
// its payment way and, for a provider with no chat, puts the briefing in
// the thread for staff to send by hand.
func TestDispatchCreatesTheVisitAndBriefs(t *testing.T) {
	v := newVisitDesk(t)
	ctx := context.Background()
	local := v.provider(cases.Provider{Name: "张师傅", Regions: []string{"上海/浦东新区"}, Phone: "13700001111"}, 4.5)
	far := v.provider(cases.Provider{Name: "哈尔滨维修队", Regions: []string{"哈尔滨"}, Company: true}, 5)
	proposed, region, err := v.desk.ProposeProviders(ctx, v.c.Number)
	if err != nil || region != "上海/浦东新区" || len(proposed) != 1 || proposed[0].ID != local {
		t.Fatalf("proposed %+v in %q: %v", proposed, region, err)
	}
	if _, err := v.staff(bot.ActDispatch, strconv.FormatInt(far, 10)); !errors.Is(err, bot.ErrBadAction) || cases.ErrorCode(err) != cases.Invalid {
		t.Fatalf("a provider from 哈尔滨 without a reason: %v", err)
	}
	if got, _ := v.desk.Store.CaseByNumber(ctx, v.c.Number); got.Details["provider_id"] != "" {
		t.Fatalf("the refused dispatch changed the case: %+v", got.Details)
	}
	if got, _ := v.desk.Store.VisitsOfProvider(ctx, far); len(got) != 0 {
		t.Fatalf("the refused dispatch made a visit: %+v", got)
	}
	if _, err := v.staff(bot.ActDispatch, strconv.FormatInt(local, 10)); err != nil {
		t.Fatal(err)
	}
	visits, _ := v.desk.Store.VisitsOfProvider(ctx, local)
	// Seeding rated it, but it has no visit record yet: a first-time provider.
	if len(visits) != 1 || visits[0].CaseID != v.c.ID || visits[0].Payment != cases.PayCustomerRefund || visits[0].Kind != "repair" {
		t.Fatalf("visits: %+v", visits)
	}
	th := v.thread()
	for _, want := range []string{"还没有绑定聊天", "鞋套", "先给顾客打电话", "售后服务", testkit.Phone, "张杨路 500 号", "布艺沙发", "抽屉拉不动了",
		"首次合作的师傅：顾客先付，门店再退给顾客", "（维修）"} { // the bot's post in zh-Hans (STF-2)
		if !strings.Contains(th, want) {
			t.Errorf("thread lacks %q:\n%s", want, th)
		}
	}
	clocks, _ := v.desk.Store.CaseClocks(ctx, v.c.ID)
	for _, k := range clocks {
		if k.Name == "repair_dispatch" && k.StoppedAt.IsZero() {
			t.Errorf("the dispatch clock runs on after the dispatch: %+v", k)
		}
	}
	// A second job of the same provider is paid by transfer.
	if _, err := v.staff(bot.ActDispatch, strconv.FormatInt(local, 10)); err != nil {
		t.Fatal(err)
	}
	visits, _ = v.desk.Store.VisitsOfProvider(ctx, local)
	if len(visits) != 2 || visits[0].Payment != cases.PayTransfer {
		t.Fatalf("repeat: %+v", visits)
	}
}

// rule: PRV-2, INS-2, PRV-3, PRV-5, INS-1
// The provider links its chat once with a code, gets the job with the
// briefing, sets the appointment (the customer hears the time and who
// comes), confirms it (the confirmation clock stops), and reports the
// visit done with a photo and the service record; the customer accepts and
// the survey follows.
func TestTheProvidersOwnChat(t *testing.T) {
	v := newVisitDesk(t)
	ctx := context.Background()
	pid := v.provider(cases.Provider{Name: "张师傅", Regions: []string{"上海"}, Phone: "13700001111", Hours: "08:00-19:00"}, 4)
	other := v.provider(cases.Provider{Name: "李师傅", Regions: []string{"上海"}}, 4)

	code, err := v.desk.NewProviderCode(ctx, pid, "小王")
	if err != nil {
		t.Fatal(err)
	}
	v.desk.Say("web", "p1", conversations.Inbound{Text: "/link " + code})
	if !strings.Contains(last(v.desk.Texts("web", "p1")), "绑定成功：张师傅") {
		t.Fatalf("link: %q", v.desk.Texts("web", "p1"))
	}
	// The same code again, from another chat: refused, nothing linked.
	v.desk.Say("web", "p9", conversations.Inbound{Text: "/link " + code})
	if !strings.Contains(last(v.desk.Texts("web", "p9")), "已用过") {
		t.Fatalf("a code used twice: %q", v.desk.Texts("web", "p9"))
	}
	if _, err := v.desk.Store.ProviderChatOf(ctx, "web", "p9"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a used code linked a chat: %v", err)
	}
	// An expired code.
	late, _ := v.desk.NewProviderCode(ctx, other, "小王")
	v.desk.Clock.Advance(bot.ProviderCodeTTL + time.Minute)
	v.desk.Say("web", "p2", conversations.Inbound{Text: "/link " + late})
	if !strings.Contains(last(v.desk.Texts("web", "p2")), "已过期") {
		t.Fatalf("an expired code: %q", v.desk.Texts("web", "p2"))
	}
	v.link(other, "p2")

	if _, err := v.staff(bot.ActDispatch, strconv.FormatInt(pid, 10)); err != nil {
		t.Fatal(err)
	}
	job := last(v.desk.Texts("web", "p1"))
	for _, want := range []string{v.c.Number, "鞋套", "先给顾客打电话", testkit.Phone, "张杨路 500 号", "布艺沙发"} {
		if !strings.Contains(job, want) {
			t.Errorf("the job lacks %q:\n%s", want, job)
		}
	}
	// The other provider sees nothing of it and cannot touch it.
	v.desk.Say("web", "p2", conversations.Inbound{Text: "/jobs"})
	if strings.Contains(last(v.desk.Texts("web", "p2")), v.c.Number) {
		t.Fatal("another provider sees the job")
	}
	v.desk.Say("web", "p2", conversations.Inbound{Text: "/appoint " + v.c.Number + " 2026-12-01 10:00"})
	if !strings.Contains(last(v.desk.Texts("web", "p2")), "没有找到您的这个工单") {
		t.Fatalf("another provider's appointment: %q", last(v.desk.Texts("web", "p2")))
	}
	if got, _ := v.desk.Store.CaseByNumber(ctx, v.c.Number); got.Details["appointment"] != "" {
		t.Fatal("another provider set the appointment")
	}
	// Outside its hours, then in the past: refused.
	v.desk.Say("web", "p1", conversations.Inbound{Text: "/appoint " + v.c.Number + " 2026-12-01 22:00"})
	if !strings.Contains(last(v.desk.Texts("web", "p1")), "不在 张师傅 的工作时间") {
		t.Fatalf("outside the hours: %q", last(v.desk.Texts("web", "p1")))
	}
	v.desk.Say("web", "p1", conversations.Inbound{Text: "/appoint " + v.c.Number + " 2020-01-01 10:00"})
	if !strings.Contains(last(v.desk.Texts("web", "p1")), "已经过去") {
		t.Fatalf("in the past: %q", last(v.desk.Texts("web", "p1")))
	}
	v.desk.Say("web", "p1", conversations.Inbound{Text: "/appoint " + v.c.Number + " 2026-12-01 10:00"})
	told := last(v.desk.Texts("web", "c1"))
	if !strings.Contains(told, "2026-12-01 10:00") || !strings.Contains(told, "张师傅") || !strings.Contains(told, "13700001111") {
		t.Fatalf("the customer is told %q", told)
	}
	ask := v.desk.Messages("web", "p1")
	if b := ask[len(ask)-1].Buttons; len(b) != 1 || b[0][0].Data != "pv:confirm:"+v.c.Number {
		t.Fatalf("the confirm button: %+v", ask[len(ask)-1])
	}
	// The day before, 12 hours before the visit, the provider confirms.
	v.desk.Clock.Set(time.Date(2026, 11, 30, 22, 0, 0, 0, time.UTC))
	v.desk.Say("web", "p1", conversations.Inbound{Choice: "pv:confirm:" + v.c.Number})
	if !strings.Contains(last(v.desk.Texts("web", "p1")), "已确认") {
		t.Fatalf("confirm: %q", last(v.desk.Texts("web", "p1")))
	}
	clocks, _ := v.desk.Store.CaseClocks(ctx, v.c.ID)
	stopped := false
	for _, k := range clocks {
		stopped = stopped || (k.Name == "installer_confirm" && !k.StoppedAt.IsZero())
	}
	if !stopped {
		t.Fatalf("the confirmation clock still runs: %+v", clocks)
	}
	// Done without a photo: refused; with one, recorded.
	v.desk.Clock.Set(time.Date(2026, 12, 1, 3, 0, 0, 0, time.UTC))
	v.desk.Say("web", "p1", conversations.Inbound{Text: "/done " + v.c.Number + " 更换抽屉滑轨 | 抽屉顺滑 | 滑轨一副"})
	if !strings.Contains(last(v.desk.Texts("web", "p1")), "至少一张") {
		t.Fatalf("done without a photo: %q", last(v.desk.Texts("web", "p1")))
	}
	ph, err := v.desk.Photos.Save(bytes.NewReader(testkit.PNG(7)))
	if err != nil {
		t.Fatal(err)
	}
	v.desk.Say("web", "p1", conversations.Inbound{Photo: &ph})
	v.desk.Say("web", "p1", conversations.Inbound{Text: "/done " + v.c.Number + " 更换抽屉滑轨 | 抽屉顺滑 | 滑轨一副"})
	if !strings.Contains(last(v.desk.Texts("web", "p1")), "已记录完工") {
		t.Fatalf("done: %q", last(v.desk.Texts("web", "p1")))
	}
	visits, _ := v.desk.Store.VisitsOfProvider(ctx, pid)
	if len(visits) != 1 || visits[0].ServiceDone != "更换抽屉滑轨" || visits[0].ServiceResult != "抽屉顺滑" ||
		visits[0].ServiceParts != "滑轨一副" || visits[0].CompletedAt.IsZero() || visits[0].ConfirmedAt.IsZero() || visits[0].Acceptance != "asked" {
		t.Fatalf("visit: %+v", visits)
	}
	// The customer accepts; the survey follows at once.
	if !strings.Contains(last(v.desk.Texts("web", "c1")), "验收") {
		t.Fatalf("acceptance question: %q", last(v.desk.Texts("web", "c1")))
	}
	v.desk.Say("web", "c1", conversations.Inbound{Choice: "ans:accepted"})
	if !strings.Contains(strings.Join(v.desk.Texts("web", "c1"), "\n"), "回访") {
		t.Fatalf("no survey after the acceptance: %q", v.desk.Texts("web", "c1"))
	}
	got, _ := v.desk.Store.VisitRecordByID(ctx, visits[0].ID)
	if got.Acceptance != "accepted" || got.AcceptedAt.IsZero() {
		t.Fatalf("acceptance: %+v", got)
	}
	surveys, _ := v.desk.Store.SurveysByVisit(ctx, visits[0].ID)
	if len(surveys) != 1 || surveys[0].Stage != "visit" {
		t.Fatalf("surveys: %+v", surveys)
	}
}

// rule: PRV-5
// A problem at the acceptance reopens a resolved case, with what the
// customer said in the thread; the survey waits.
func TestAProblemAtTheAcceptanceReopensTheCase(t *testing.T) {
	v := newVisitDesk(t)
	ctx := context.Background()
	pid := v.provider(cases.Provider{Name: "张师傅", Regions: []string{"上海"}}, 4)
	for _, a := range [][2]string{{bot.ActDispatch, strconv.FormatInt(pid, 10)}, {bot.ActVisitDone, "换了滑轨 | 好了"},
		{bot.ActCause, "滑轨磨损"}, {bot.ActAction, "更换滑轨"}, {bot.ActResolve, "上门修好了"}} {
		if _, err := v.staff(a[0], a[1]); err != nil {
			t.Fatalf("%s: %v", a[0], err)
		}
	}
	if got, _ := v.desk.Store.CaseByNumber(ctx, v.c.Number); got.Status != cases.Resolved {
		t.Fatalf("status %s", got.Status)
	}
	// The resolve asked the customer to confirm the outcome; the acceptance
	// of the visit is asked again and answered.
	visits, _ := v.desk.Store.VisitsOfProvider(ctx, pid)
	if err := v.desk.StartSurvey(ctx, visits[0].ID, "visit"); err != nil {
		t.Fatal(err)
	}
	if surveys, _ := v.desk.Store.SurveysByVisit(ctx, visits[0].ID); len(surveys) != 0 {
		t.Fatalf("a survey before the acceptance: %+v", surveys)
	}
	if err := v.desk.Store.Update(ctx, func(tx *store.Tx) error { return tx.SetAcceptance(visits[0].ID, "", "", v.desk.Clock.Now()) }); err != nil {
		t.Fatal(err)
	}
	if err := v.desk.StartSurvey(ctx, visits[0].ID, "visit"); err != nil {
		t.Fatal(err)
	}
	v.desk.Say("web", "c1", conversations.Inbound{Choice: "ans:problem"}, conversations.Inbound{Text: "抽屉还是卡"})
	got, _ := v.desk.Store.CaseByNumber(ctx, v.c.Number)
	if got.Status == cases.Resolved {
		t.Fatal("the case stays resolved after a problem at the acceptance")
	}
	if !strings.Contains(v.thread(), "抽屉还是卡") {
		t.Fatalf("thread:\n%s", v.thread())
	}
	rec, _ := v.desk.Store.VisitRecordByID(ctx, visits[0].ID)
	if rec.Acceptance != "problem" || rec.AcceptanceNote != "抽屉还是卡" {
		t.Fatalf("acceptance %+v", rec)
	}
	if surveys, _ := v.desk.Store.SurveysByVisit(ctx, visits[0].ID); len(surveys) != 0 {
		t.Fatalf("a survey after a problem: %+v", surveys)
	}
}

// rule: PRV-7, SRV-4
// One visit rates its provider once: the wallpaper follow-ups and a second
// answer of the visit's survey do not count again.
func TestAVisitRatesItsProviderOnce(t *testing.T) {
	desk, clock := setup(t)
	ctx := context.Background()
	pid := desk.Seed().Provider(cases.Provider{Name: "张师傅", Region: "浦东"}, 4)
	desk.Seed().Visit(store.Visit{ID: "V-1", OrderNo: "SO-1001", ProviderID: pid, Kind: "install", CompletedAt: clock.Now()})
	c := talker{t, desk, "c1"}
	c.verify("SO-1001", "1234")
	answer := func(stage string) {
		t.Helper()
		if err := desk.StartSurvey(ctx, "V-1", stage); err != nil {
			t.Fatal(err)
		}
		for _, b := range []string{"ans:yes", "ans:fair", "ans:5", "ans:5", "ans:5"} {
			c.press(b)
		}
	}
	answer("visit")
	p, _ := desk.Store.ProviderByID(ctx, pid)
	if p.Visits != 2 {
		t.Fatalf("after the visit's survey: %d visits", p.Visits)
	}
	for _, stage := range []string{"week1", "month1", "month3"} {
		answer(stage)
	}
	d := talker{t, desk, "c2"} // the same customer in a second chat
	d.verify("SO-1001", "1234")
	if err := desk.StartSurvey(ctx, "V-1", "visit"); err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"ans:yes", "ans:fair", "ans:5", "ans:5", "ans:5"} {
		d.press(b)
	}
	if p, _ = desk.Store.ProviderByID(ctx, pid); p.Visits != 2 {
		t.Fatalf("one visit counted %d times", p.Visits-1)
	}
}

// rule: PRV-6
// A low score on the provider's only visit passes 3 %: it is flagged, the
// managers hear of it, it is proposed no more and a dispatch to it is
// refused, until staff clear it with a note.
func TestComplaintRateFlagsTheProvider(t *testing.T) {
	v := newVisitDesk(t)
	ctx := context.Background()
	pid := v.provider(cases.Provider{Name: "投诉多师傅", Regions: []string{"上海"}}, 5, 5, 5, 5) // still well rated after one bad visit
	v.desk.Seed().Visit(store.Visit{ID: "V-9", OrderNo: "SO-1001", ProviderID: pid, Kind: "repair", CompletedAt: v.desk.Clock.Now()})
	if err := v.desk.StartSurvey(ctx, "V-9", "visit"); err != nil {
		t.Fatal(err)
	}
	for _, in := range []conversations.Inbound{{Choice: "ans:no"}, {Choice: "ans:unsatisfied"}, {Text: "迟到两小时还弄脏地板"},
		{Choice: "ans:1"}, {Choice: "ans:1"}, {Choice: "ans:1"}} {
		v.desk.Say("web", "c1", in)
	}
	p, _ := v.desk.Store.ProviderRecordByID(ctx, pid)
	if !p.Flagged || !strings.Contains(p.FlagNote, "1 complaints or low scores in 1 visits") {
		t.Fatalf("provider %+v", p)
	}
	managers := v.desk.StaffPosts(bot.ManagersRecipient)
	if len(managers) == 0 || !strings.Contains(managers[len(managers)-1].Text, "投诉多师傅 is flagged") {
		t.Fatalf("managers: %+v", managers)
	}
	if proposed, _, _ := v.desk.ProposeProviders(ctx, v.c.Number); len(proposed) != 0 {
		t.Fatalf("a flagged provider is proposed: %+v", proposed)
	}
	if _, err := v.staff(bot.ActDispatch, strconv.FormatInt(pid, 10)); cases.ErrorCode(err) != cases.Conflict {
		t.Fatalf("dispatch to a flagged provider: %v", err)
	}
	if err := v.desk.ClearProvider(ctx, pid, "李主管", ""); cases.ErrorCode(err) != cases.Invalid {
		t.Fatalf("clear without a note: %v", err)
	}
	if err := v.desk.ClearProvider(ctx, pid, "李主管", "已约谈，承诺改进"); err != nil {
		t.Fatal(err)
	}
	if proposed, _, _ := v.desk.ProposeProviders(ctx, v.c.Number); len(proposed) != 1 {
		t.Fatalf("a cleared provider is not proposed: %+v", proposed)
	}
	if _, err := v.staff(bot.ActDispatch, strconv.FormatInt(pid, 10)); err != nil {
		t.Fatal(err)
	}
}

// rule: PRV-3
// The customer is reminded the day before the visit, once.
func TestTheCustomerIsRemindedTheDayBefore(t *testing.T) {
	v := newVisitDesk(t)
	pid := v.provider(cases.Provider{Name: "张师傅", Regions: []string{"上海"}, Phone: "13700001111"}, 4)
	if _, err := v.staff(bot.ActDispatch, strconv.FormatInt(pid, 10)); err != nil {
		t.Fatal(err)
	}
	at := v.desk.Clock.Now().Add(40 * time.Hour).Truncate(time.Hour)
	if _, err := v.staff(bot.ActAppoint, at.Format("2006-01-02 15:04")); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if n, err := v.desk.RemindAppointments(ctx); err != nil || n != 0 {
		t.Fatalf("two days before: %d %v", n, err)
	}
	v.desk.Clock.Advance(20 * time.Hour)
	if n, err := v.desk.RemindAppointments(ctx); err != nil || n != 1 {
		t.Fatalf("the day before: %d %v", n, err)
	}
	if got := last(v.desk.Texts("web", "c1")); !strings.Contains(got, "明天") || !strings.Contains(got, "13700001111") {
		t.Fatalf("reminder %q", got)
	}
	if n, _ := v.desk.RemindAppointments(ctx); n != 0 {
		t.Fatal("reminded twice")
	}
}
