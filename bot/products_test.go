package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

var shanghai = func() *time.Location { l, _ := time.LoadLocation("Asia/Shanghai"); return l }()

// productsDesk is a desk at a Tuesday 10:00 in Shanghai, open by the
// default calendar, with the default knowledge base and care rules, and
// 王芳's delivered mattress and wardrobe (bought 2026-05-04, received
// 2026-05-10) with a verified web chat.
func productsDesk(t *testing.T) *testkit.Desk {
	t.Helper()
	cfg := testkit.Config(t)
	d := testkit.NewDesk(t, testkit.WithClock(testkit.ClockAt(time.Date(2026, 11, 24, 10, 0, 0, 0, shanghai))),
		testkit.WithLocation(shanghai))
	d.Calendar = &cfg.Calendar
	d.Products = conversations.ProductsEnv{Knowledge: config.DefaultKnowledge(), BaseURL: "https://shop.example.com"}
	d.CareRules = config.DefaultCareRules()
	d.Seed().Order(store.Order{No: "SO-3001", PaidOn: "2026-05-04", Status: config.OrderDelivered, Items: []store.Item{
		{Name: "乳胶床垫", SKU: "MT-180", Quantity: 1, Category: config.Furniture, WarrantyMonths: 60},
		{Name: "实木衣柜", SKU: "WD-200", Quantity: 1, Category: config.Furniture, WarrantyMonths: 36},
	}}).Order(store.Order{No: "SO-3002", PaidOn: "2026-11-01", Status: config.OrderShipped}).Chat(testkit.Phone, "web", "w1")
	if err := d.Store.Update(context.Background(), func(tx *store.Tx) error {
		_, err := tx.RecordDelivered("SO-3001", "2026-05-10", time.Date(2026, 5, 10, 12, 0, 0, 0, shanghai))
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestWarrantyCardsIssuedOnceWhenReceived: a received order's lines get a
// card each, once, with an unguessable link the customer is sent; an order
// not received yet gets none; my products shows the cards.
// rule: ARC-2, ARC-1
func TestWarrantyCardsIssuedOnceWhenReceived(t *testing.T) {
	d := productsDesk(t)
	ctx := context.Background()
	n, err := d.IssueWarrantyCards(ctx)
	if err != nil || n != 2 {
		t.Fatalf("issued %d, %v; want the two lines of SO-3001", n, err)
	}
	if n, err := d.IssueWarrantyCards(ctx); err != nil || n != 0 {
		t.Fatalf("again: %d %v", n, err)
	}
	cards, err := d.Store.CardsByOrder(ctx, "SO-3001")
	if err != nil || len(cards) != 2 {
		t.Fatalf("cards %+v %v", cards, err)
	}
	if none, _ := d.Store.CardsByOrder(ctx, "SO-3002"); len(none) != 0 {
		t.Errorf("a shipped order got cards: %+v", none)
	}
	if cards[0].Token == cards[1].Token || len(cards[0].Token) != 22 {
		t.Errorf("tokens %q %q", cards[0].Token, cards[1].Token)
	}
	texts := d.Texts("web", "w1")
	if len(texts) != 1 || !strings.Contains(texts[0], "https://shop.example.com/warranty/"+cards[0].Token) ||
		!strings.Contains(texts[0], "WC-SO-3001-2") {
		t.Fatalf("notice: %q", texts)
	}
	d.Say("web", "w1", conversations.Inbound{Text: "我的产品"}, conversations.Inbound{Text: "SO-3001"}, conversations.Inbound{Text: "1234"})
	texts = d.Texts("web", "w1")
	last := texts[len(texts)-1]
	for _, want := range []string{"乳胶床垫", "保修至 2031-05-03", "电子保修卡 WC-SO-3001-1：https://shop.example.com/warranty/" + cards[0].Token} {
		if !strings.Contains(last, want) {
			t.Errorf("my products lack %q:\n%s", want, last)
		}
	}
}

// TestCareReminders: due reminders go out in opening hours, only the
// latest due of a rule, at most one a week per customer, never again for
// the same due day, and never after "stop these reminders".
// rule: ARC-3
func TestCareReminders(t *testing.T) {
	d := productsDesk(t)
	ctx := context.Background()

	d.Clock.Set(time.Date(2026, 11, 24, 20, 0, 0, 0, shanghai)) // closed
	if n, err := d.SendCareReminders(ctx); err != nil || n != 0 {
		t.Fatalf("closed: %d %v", n, err)
	}
	d.Clock.Set(time.Date(2026, 11, 24, 10, 0, 0, 0, shanghai))
	if n, err := d.SendCareReminders(ctx); err != nil || n != 1 {
		t.Fatalf("first run: %d %v", n, err)
	}
	texts := d.Texts("web", "w1")
	// Received 2026-05-10: the mattress was due on 08-10 and 11-10 (only
	// the latest is sent), the wardrobe wax on 11-10 too, but one a week.
	if len(texts) != 1 || !strings.Contains(texts[0], "乳胶床垫") || !strings.Contains(texts[0], "翻面") {
		t.Fatalf("reminder: %q", texts)
	}
	sent, _ := d.Store.CareSentTo(ctx, testkit.Phone)
	if len(sent) != 1 || sent[0].DueOn != "2026-11-10" || sent[0].RuleID != "mattress_turn" {
		t.Fatalf("recorded %+v", sent)
	}
	d.Clock.Advance(3 * 24 * time.Hour) // Friday: not a week yet
	if n, _ := d.SendCareReminders(ctx); n != 0 {
		t.Fatalf("within the week: %d sent", n)
	}
	d.Clock.Advance(4 * 24 * time.Hour) // the next Tuesday: the wardrobe's turn
	if n, _ := d.SendCareReminders(ctx); n != 1 {
		t.Fatalf("a week later: %d sent", n)
	}
	texts = d.Texts("web", "w1")
	if !strings.Contains(texts[len(texts)-1], "实木衣柜") || !strings.Contains(texts[len(texts)-1], "打一次家具蜡") {
		t.Fatalf("second reminder: %q", texts[len(texts)-1])
	}
	d.Clock.Advance(7 * 24 * time.Hour) // nothing more is due until February
	if n, _ := d.SendCareReminders(ctx); n != 0 {
		t.Fatalf("nothing due: %d sent", n)
	}
	// "Stop these reminders": none again, even when due.
	d.Say("web", "w1", conversations.Inbound{Choice: "care:stop"})
	if stopped, _ := d.Store.CareStopped(ctx, testkit.Phone); !stopped {
		t.Fatal("the stop is not recorded")
	}
	d.Clock.Set(time.Date(2027, 2, 16, 10, 0, 0, 0, shanghai)) // the mattress due again on 02-10
	if n, _ := d.SendCareReminders(ctx); n != 0 {
		t.Fatalf("after stop: %d sent", n)
	}
}

// TestCareStopFromAChatNoCustomerVerified changes nothing and fails nothing.
// rule: ARC-3
func TestCareStopFromAChatNoCustomerVerified(t *testing.T) {
	d := productsDesk(t)
	d.Say("web", "stranger", conversations.Inbound{Choice: "care:stop"})
	if stopped, _ := d.Store.CareStopped(context.Background(), testkit.Phone); stopped {
		t.Fatal("a stranger stopped 王芳's reminders")
	}
}

// TestKnowledgeAnsweredAndCounted: the desk answers free text from the
// configured knowledge base and an entry staff added, counts the offers and
// the helped; an entry without an answer in a language, or from a case not
// resolved, is refused and nothing changes.
// rule: ARC-4
func TestKnowledgeAnsweredAndCounted(t *testing.T) {
	d := productsDesk(t)
	ctx := context.Background()
	d.Say("web", "w9", conversations.Inbound{Text: "沙发什么时候来修？"}, conversations.Inbound{Choice: "kb:helped:repair_when"})
	stats, err := d.Store.KBStats(ctx)
	if err != nil || stats["repair_when"] != (store.KBStat{Offered: 1, Helped: 1}) {
		t.Fatalf("stats %+v %v", stats, err)
	}
	entry := config.KBEntry{ID: "invoice", Keywords: []string{"发票", "invoice"},
		Question: map[string]string{"zh-Hans": "怎么开发票？", "zh-Hant": "怎麼開發票？", "en": "How do I get an invoice?"},
		Answer:   map[string]string{"zh-Hans": "请把抬头和税号发给客服，我们会在 3 个工作日内开具电子发票。", "zh-Hant": "請把抬頭和稅號發給客服，我們會在 3 個工作天內開立電子發票。"}}
	if err := d.AddKnowledge(ctx, entry, "admin"); err == nil || !strings.Contains(err.Error(), "answer.en") {
		t.Fatalf("no English answer: %v", err)
	}
	entry.Answer["en"] = "Send the company name and tax number to our staff; the e-invoice comes within 3 working days."
	entry.FromCase = "AS-NOPE"
	if err := d.AddKnowledge(ctx, entry, "admin"); err == nil {
		t.Fatal("from a case that does not exist")
	}
	if added, _ := d.Store.KBEntries(ctx); len(added) != 0 {
		t.Fatalf("refused entries saved: %+v", added)
	}
	entry.FromCase = ""
	if err := d.AddKnowledge(ctx, entry, "admin"); err != nil {
		t.Fatal(err)
	}
	d.Say("web", "w9", conversations.Inbound{Text: "I need an invoice please"})
	texts := d.Texts("web", "w9")
	if last := texts[len(texts)-1]; !strings.Contains(last, "我们会在 3 个工作日内开具电子发票") {
		t.Fatalf("added entry not answered: %q", last)
	}
}
