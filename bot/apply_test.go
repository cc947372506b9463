package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// talker sends a customer's events through the desk, failing on errors.
type talker struct {
	t    *testing.T
	desk *testkit.Desk
	chat string
}

func (c talker) send(in conversations.Inbound) {
	c.t.Helper()
	c.desk.Say("web", c.chat, in)
}

func (c talker) text(s string)  { c.t.Helper(); c.send(conversations.Inbound{Text: s}) }
func (c talker) press(d string) { c.t.Helper(); c.send(conversations.Inbound{Choice: d}) }
func (c talker) photo(sha string) {
	c.t.Helper()
	c.send(conversations.Inbound{Photo: &conversations.Photo{SHA256: sha, MIME: "image/jpeg", Size: 10}})
}

func (c talker) verify(order, digits string) {
	c.t.Helper()
	c.press("menu:status")
	c.text(order)
	c.text(digits)
}

func (c talker) last() string {
	c.t.Helper()
	log := c.desk.Messages("web", c.chat)
	return log[len(log)-1].Text
}

func setup(t *testing.T) (*testkit.Desk, *testkit.Clock) {
	desk := testkit.NewDesk(t, testkit.WithRedis())
	desk.Seed().Orders()
	return desk, desk.Clock
}

// rule: DMG-7
func TestDamageReportBecomesACaseWithPhotos(t *testing.T) {
	desk, _ := setup(t)
	c := talker{t, desk, "c1"}
	c.verify("SO-1001", "1234")
	c.press("menu:damage")
	c.press("ans:1") // the only item is chosen with Done
	c.press("ans:done")
	c.press("ans:home")
	c.photo("aa11")
	c.press("ans:done")
	c.photo("bb22")
	c.press("ans:done")
	c.photo("cc33")
	c.press("ans:done")
	c.press("ans:no")
	c.text("沙发底座开裂")
	reply := c.last()
	cases, _ := desk.Store.CasesByPhone(context.Background(), "13800001234", true)
	if len(cases) != 1 {
		t.Fatalf("cases: %+v", cases)
	}
	got := cases[0]
	if !strings.Contains(reply, got.Number) || strings.Contains(reply, conversations.CasePlaceholder) {
		t.Fatalf("reply does not give the number %s: %q", got.Number, reply)
	}
	if got.Kind != config.KindQualityDefect || got.OrderNo != "SO-1001" || got.Description != "沙发底座开裂" ||
		got.Details["lines"] != "1" || got.Details["same_place"] != "no" || got.Classification == "" || got.Channel != "web" {
		t.Fatalf("case: %+v", got)
	}
	events, _ := desk.Store.CaseEvents(context.Background(), got.ID)
	photos := testkit.CountWhere(events, func(e store.CaseEvent) bool { return e.Kind == "photo" && e.PhotoID != 0 })
	if photos != 3 {
		t.Fatalf("photo events: %d of %+v", photos, events)
	}
	trail, _ := desk.Store.AuditTrail(context.Background(), got.Number)
	if len(trail) != 1 || trail[0].Action != "opened" {
		t.Fatalf("audit: %+v", trail)
	}
}

// rule: HND-1
func TestHandoffForwardsToTheCaseUntilResolved(t *testing.T) {
	desk, clock := setup(t)
	ctx := context.Background()
	c := talker{t, desk, "c1"}
	c.press("menu:human")
	handoff, err := desk.Store.OpenCaseForChat(ctx, "web", "c1", config.KindInquiry)
	if err != nil || !strings.Contains(c.last(), handoff.Number) {
		t.Fatalf("handoff case: %+v %v / %q", handoff, err, c.last())
	}
	before := len(desk.Messages("web", "c1"))
	c.text("请尽快给我回电话")
	c.photo("dd44")
	events, _ := desk.Store.CaseEvents(ctx, handoff.ID)
	if len(events) != 3 || events[1].Body != "请尽快给我回电话" || events[2].Kind != "photo" {
		t.Fatalf("forwarded events: %+v", events)
	}
	// One short acknowledgement for both, no more (CAS-5).
	if n := len(desk.Messages("web", "c1")); n != before+1 {
		t.Fatalf("the bot answered forwarded messages (%d → %d), want one acknowledgement", before, n)
	}
	before++
	// Staff resolve: the next message is the bot's again.
	if err := desk.Store.Update(ctx, func(tx *store.Tx) error { return tx.Resolve(handoff.ID, "staff", clock.Now()) }); err != nil {
		t.Fatal(err)
	}
	c.text("hello")
	if n := len(desk.Messages("web", "c1")); n != before+1 {
		t.Fatal("after resolve the bot stays silent")
	}
}

// rule: SRV-1
// rule: SRV-4
// rule: SRV-5
func TestSurveyRatesTheProviderAndOpensALowScoreCase(t *testing.T) {
	desk, clock := setup(t)
	ctx := context.Background()
	seed := desk.Seed()
	providerID := seed.Provider(cases.Provider{Name: "张师傅安装队", Region: "浦东"}, 5) // one earlier five-star visit
	seed.Visit(store.Visit{ID: "V-1", OrderNo: "SO-1001", ProviderID: providerID, Kind: "install", CompletedAt: clock.Now()})
	if err := desk.StartSurvey(ctx, "V-1", "visit"); !errors.Is(err, bot.ErrNoChat) {
		t.Fatalf("survey without a bound chat: %v", err)
	}
	c := talker{t, desk, "c1"}
	c.verify("SO-1001", "1234")
	if err := desk.StartSurvey(ctx, "V-1", "visit"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(c.last(), "师傅") {
		t.Fatalf("survey question: %q", c.last())
	}
	c.press("ans:yes")
	c.press("ans:unsatisfied")
	c.text("安装后柜门关不严")
	c.press("ans:skip")
	c.press("ans:skip")
	c.press("ans:skip")
	surveys, _ := desk.Store.SurveysByVisit(ctx, "V-1")
	if len(surveys) != 1 || surveys[0].AnsweredAt.IsZero() || surveys[0].Comment != "安装后柜门关不严" || surveys[0].Score != 1 {
		t.Fatalf("surveys: %+v", surveys)
	}
	p, _ := desk.Store.ProviderByID(ctx, providerID)
	if p.Visits != 2 || p.Stars != 3 || !strings.Contains(p.LastSummary, "unsatisfied") {
		t.Fatalf("provider after (5 + 1) / 2: %+v", p)
	}
	cases, _ := desk.Store.CasesByPhone(ctx, "13800001234", true)
	if len(cases) != 1 || cases[0].Kind != config.KindLowSurveyScore || cases[0].Details["visit_id"] != "V-1" {
		t.Fatalf("low score case: %+v", cases)
	}
}

// rule: DLV-1
// rule: DLV-3
func TestShippingNoticeGoesOutOnce(t *testing.T) {
	desk, _ := setup(t)
	ctx := context.Background()
	if _, err := desk.NotifyShipment(ctx, "DB123"); !errors.Is(err, bot.ErrNoChat) {
		t.Fatalf("no chat bound: %v", err)
	}
	c := talker{t, desk, "c1"}
	c.verify("SO-1001", "1234")
	for i, want := range []bool{true, false} {
		sent, err := desk.NotifyShipment(ctx, "DB123")
		if err != nil || sent != want {
			t.Fatalf("notice %d: sent %v, %v", i, sent, err)
		}
	}
	log := desk.Messages("web", "c1")
	notices := 0
	for _, m := range log {
		if strings.Contains(m.Text, "DB123") && strings.Contains(m.Text, "95353") {
			notices++
			if strings.Contains(m.Text, "内有玻璃") {
				t.Error("glass rule for a shipment without glass")
			}
		}
	}
	if notices != 1 {
		t.Fatalf("%d notices", notices)
	}
}

// rule: DLV-6
func TestArrivalPastDeadlineOpensAnEscalatedDelayCase(t *testing.T) {
	desk, clock := setup(t)
	ctx := context.Background()
	clock.Advance(20 * 24 * 60 * 60 * 1e9) // 2026-12-14, past the 2026-12-10 deadline
	c := talker{t, desk, "c1"}
	c.verify("SO-1001", "1234")
	if err := desk.StartArrivalCheck(ctx, "DB123"); err != nil {
		t.Fatal(err)
	}
	c.press("ans:not_yet")
	cases, _ := desk.Store.CasesByPhone(ctx, "13800001234", true)
	if len(cases) != 1 || cases[0].Kind != config.KindDeliveryDelay {
		t.Fatalf("cases: %+v", cases)
	}
	trail, _ := desk.Store.AuditTrail(ctx, cases[0].Number)
	if len(trail) != 2 || trail[1].Action != "escalated" {
		t.Fatalf("audit: %+v", trail)
	}
	if !strings.Contains(c.last(), cases[0].Number) {
		t.Fatalf("customer not told: %q", c.last())
	}
}
