package conversations

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"frontdesk/config"
)

func init() {
	maps.Copy(callArgs, map[string][]string{
		"btn.product_repair":        {"Product"},
		"btn.product_ask":           {"Product"},
		"products.item":             {"Product", "Quantity", "Order"},
		"products.bought":           {"Date", "Warranty"},
		"products.case":             {"Case", "Kind", "Status"},
		"products.warranty_until":   {"Date"},
		"products.warranty_expired": {"Date"},
		"products.services":         {"Services"},
		"products.cases":            {"Cases"},
		"products.card":             {"Number", "Link"},
		"q.product_question":        {"Product"},
		"done.product_question":     {"Case", "Reply"},
		"care.reminder":             {"Product", "Order", "Advice"},
		"card.issued":               {"Order"},
		"card.line":                 {"Product", "Number", "Link"},
		"staff.kb.refused":          {"Problem"},
	})
	scripts = append(scripts,
		// rule: ARC-1 — my products, then a repair started from one
		script{name: "my-products-repair", turns: []turn{press(choiceProducts), say("SO-1001"), say("1234"),
			press("prod:repair:SO-1001:1"), say("沙发腿松动"), press("ans:none"), press("ans:phone")}},
		// rule: ARC-4 — a question from a product, answered from the knowledge base of its category
		script{name: "my-products-question", verify: true, turns: []turn{say("我的产品"), press("prod:ask:SO-0901:1"),
			say("实木餐桌怎么打蜡保养？"), press("kb:helped:wood_care")}},
		// rule: ARC-4 — a question the knowledge base cannot answer goes to staff with its product
		script{name: "my-products-question-to-staff", verify: true, turns: []turn{press(choiceProducts),
			press("prod:ask:SO-1002:1"), say("衣柜门能不能换成别的颜色？")}},
		// rule: ARC-4 — texts the bot did not understand get an answer or a next step
		script{name: "kb-answers-free-text", verify: true, turns: []turn{say("你好"), say("沙发什么时候来修？"),
			press("kb:helped:repair_when"), say("床垫需要怎么保养"), press(choiceHuman)}},
		// rule: ARC-2 — the warranty card is reached from the chat
		script{name: "warranty-card-from-chat", verify: true, turns: []turn{say("我的保修卡在哪里？")}},
		// rule: ARC-2 — the cards issued after delivery reach the chat as links
		script{name: "warranty-card-issued", who: wang(), begin: func(d *dialog) error {
			d.say(CardIssued(d.lang(), "SO-0901", []CardNotice{{Product: "实木餐桌", Number: "WC-SO-0901-1",
				Link: CardLink("https://shop.example.com", "k7Qx2mZ9bV4nR8tY1wE5uA")}}), nil)
			return nil
		}, turns: []turn{press(choiceProducts)}},
		// rule: ARC-3 — a care reminder, and "stop these reminders"
		script{name: "care-reminder-stop", who: wang(), begin: func(d *dialog) error {
			d.effects = append(d.effects, CareReminder(d.lang(), "实木餐桌", "SO-0901", "实木家具建议每六个月打一次家具蜡。"))
			return nil
		}, turns: []turn{press(choiceCareStop)}},
	)
}

// testArchive is what the store would tell of 王芳's products.
var testArchive = map[string]Archive{"13800001234": {
	Services: []Service{{OrderNo: "SO-0901", Kind: "install", Done: time.Date(2024, 2, 3, 6, 0, 0, 0, time.UTC)}},
	Cases: []ProductCase{{Number: "AS-20261120-0003", Kind: "repair", Status: "claimed", OrderNo: "SO-1001", Lines: []int{1}},
		{Number: "AS-20240301-0001", Kind: "inquiry", Status: "resolved", OrderNo: "SO-0901"}},
	Cards: []Card{{OrderNo: "SO-0901", Line: 1, Number: "WC-SO-0901-1", Token: "k7Qx2mZ9bV4nR8tY1wE5uA"}},
}}

// Archive serves testArchive (ArchiveLookup).
func (m memLookup) Archive(_ context.Context, phone string) (Archive, error) {
	return testArchive[phone], nil
}

// Knowledge serves the embedded knowledge base, as the back office would
// add it (KnowledgeLookup).
func (m memLookup) Knowledge(context.Context) ([]config.KBEntry, error) {
	return config.DefaultKnowledge(), nil
}

func replies(effects []Effect) []Reply {
	var out []Reply
	for _, e := range effects {
		if r, ok := e.(Reply); ok {
			out = append(out, r)
		}
	}
	return out
}

// TestMyProducts: a verified customer sees each product bought, with the
// purchase date, the warranty end, the services and cases so far and the
// warranty card, and can start a repair or a question from it; an
// unverified one is asked to verify first.
// rule: ARC-1, ARC-2
func TestMyProducts(t *testing.T) {
	c := newChat(t, ZhHans)
	if r := replies(c.send(Inbound{Channel: "web", ChatID: "c1", Choice: choiceProducts})); len(r) != 1 || !r[0].RequestContact {
		t.Fatalf("unverified: want the verification asked, got %+v", r)
	}
	id := wang()
	c.st = State{Lang: ZhHans, Verified: &id}
	c.env.Products.BaseURL = "https://shop.example.com/"
	c.env.Lookup = transcriptLookup()
	r := replies(c.send(Inbound{Channel: "web", ChatID: "c1", Text: "/products"}))
	if len(r) != 1 {
		t.Fatalf("want one reply, got %+v", r)
	}
	text := r[0].Text
	for _, want := range []string{"布艺沙发", "玻璃茶几", "衣柜", "无纺布壁纸", "实木餐桌",
		"购买日期 2026-11-20，保修至 2029-11-19", // 36 months from 2026-11-20
		"保修已于 2025-01-04 到期",             // 12 months from 2024-01-05, in the past
		"2024-02-03 安装", "AS-20261120-0003 维修（处理中）", "AS-20240301-0001 咨询（已解决）",
		"电子保修卡 WC-SO-0901-1：https://shop.example.com/warranty/k7Qx2mZ9bV4nR8tY1wE5uA"} {
		if !strings.Contains(text, want) {
			t.Errorf("products lack %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "浴室柜") {
		t.Errorf("another customer's product is shown:\n%s", text)
	}
	// The repair case of the sofa is not the coffee table's.
	table := text[strings.Index(text, "玻璃茶几"):strings.Index(text, "衣柜")]
	if strings.Contains(table, "AS-20261120-0003") {
		t.Errorf("the sofa's case is shown on the coffee table:\n%s", table)
	}
	for _, data := range []string{"prod:repair:SO-1001:1", "prod:ask:SO-1001:2", "prod:repair:SO-0901:1"} {
		if !hasButton(r[0], data) {
			t.Errorf("no button %s", data)
		}
	}
	// A repair from the sofa skips the order and item questions.
	c.send(Inbound{Channel: "web", ChatID: "c1", Choice: "prod:repair:SO-1001:1"})
	if c.st.Flow != flowRepair || c.st.Step != "description" || !slices.Equal(c.st.Draft.Lines, []int{1}) {
		t.Fatalf("repair from a product: flow %s step %s draft %+v", c.st.Flow, c.st.Step, c.st.Draft)
	}
}

// TestProductButtonsAreTheCustomersOwn: forged product data (another
// customer's order, a line that does not exist, garbage) starts nothing.
// rule: ARC-1
func TestProductButtonsAreTheCustomersOwn(t *testing.T) {
	for _, data := range []string{"prod:repair:SO-2001:1", "prod:ask:SO-1001:9", "prod:repair:SO-1001", "prod:steal:SO-1001:1", "prod:ask:SO-1001:x"} {
		c := newChat(t, En)
		id := wang()
		c.st.Verified = &id
		effects := c.send(Inbound{Channel: "web", ChatID: "c1", Choice: data})
		if c.st.Flow != "" {
			t.Errorf("%s started flow %s", data, c.st.Flow)
		}
		for _, e := range effects {
			if _, ok := e.(Reply); !ok {
				t.Errorf("%s: effect %T", data, e)
			}
		}
	}
}

// TestMatchKB: keywords and similar wording find the answer; a category
// narrows it; a greeting answers only what nothing else does.
// rule: ARC-4
func TestMatchKB(t *testing.T) {
	kb := config.DefaultKnowledge()
	cases := []struct {
		text, category string
		want           string // the first entry's id, "" for none
	}{
		{"你好", "", "greeting"},
		{"hi", "", "greeting"},
		{"this is not a greeting", "", ""},
		{"你好，床垫怎么保养？", "", "mattress_care"},
		{"沙发什么时候来修？", "", "repair_when"},
		{"師傅什麼時候上門？", "", "repair_when"},
		{"When will the technician come?", "", "repair_when"},
		{"How do I look after my mattress", "", "mattress_care"},
		{"壁纸翘边了怎么办", "", "wallpaper_care"},
		{"壁纸翘边了怎么办", "bathroom", ""},
		{"浴室柜漏水", "bathroom", "bathroom_care"},
		{"保修期怎么算", "furniture", "warranty"},
		{"实木家具要怎么保养", "", "wood_care"}, // wording like the question, keyword 实木
		{"asdfgh", "", ""},
		{"？？？", "", ""},
	}
	for _, c := range cases {
		got := MatchKB(kb, c.text, c.category)
		first := ""
		if len(got) > 0 {
			first = got[0].ID
		}
		if first != c.want {
			t.Errorf("MatchKB(%q, %q) = %s, want %s", c.text, c.category, first, c.want)
		}
	}
}

// TestKBAnswersBeforeHandover: free text the bot did not understand is
// answered from the knowledge base with "this helped" and "talk to a
// person"; the answers offered and the helped one are recorded; a forged
// "helped" changes nothing.
// rule: ARC-4
func TestKBAnswersBeforeHandover(t *testing.T) {
	c := newChat(t, En)
	effects := c.send(Inbound{Channel: "web", ChatID: "c1", Text: "how should I wax solid wood?"})
	r := replies(effects)
	if len(r) != 1 || !strings.Contains(r[0].Text, "wax it every six months") || !hasButton(r[0], "kb:helped:wood_care") || !hasButton(r[0], choiceHuman) {
		t.Fatalf("want the wood care answer with its buttons, got %+v", r)
	}
	if !slices.ContainsFunc(effects, func(e Effect) bool { o, ok := e.(KBOffered); return ok && slices.Equal(o.IDs, []string{"wood_care"}) }) {
		t.Errorf("the offer is not recorded: %+v", effects)
	}
	effects = c.send(Inbound{Channel: "web", ChatID: "c1", Choice: "kb:helped:wood_care"})
	if !slices.Contains(effects, Effect(KBHelped{ID: "wood_care"})) {
		t.Errorf("helped not recorded: %+v", effects)
	}
	for _, forged := range []string{"kb:helped:nope", "kb:helped:greeting", "kb:helped:"} {
		effects = c.send(Inbound{Channel: "web", ChatID: "c1", Choice: forged})
		if len(effects) != 1 || replies(effects)[0].Text != T(En, "stale.button") {
			t.Errorf("%s: %+v", forged, effects)
		}
	}
	// What neither the dialogs nor the knowledge base know still gets the menu.
	r = replies(c.send(Inbound{Channel: "web", ChatID: "c1", Text: "qwerty"}))
	if len(r) != 1 || r[0].Text != T(En, "unknown.text") || !hasButton(r[0], choiceHuman) {
		t.Errorf("unknown text: %+v", r)
	}
}

// TestKnowledgeFromEnv: the configured knowledge base answers without a
// lookup that adds to it, and an entry the lookup adds replaces the
// configured one of the same id.
// rule: ARC-4
func TestKnowledgeFromEnv(t *testing.T) {
	env := testEnv()
	env.Lookup = plainLookup{testLookup}
	env.Products.Knowledge = config.DefaultKnowledge()
	st, effects, err := Step(context.Background(), env, State{Lang: ZhHans}, Inbound{Channel: "web", ChatID: "c", Text: "床垫要翻面吗"})
	if err != nil || st.Flow != "" {
		t.Fatal(err, st.Flow)
	}
	if r := replies(effects); len(r) != 1 || !strings.Contains(r[0].Text, "每三个月翻面") {
		t.Fatalf("configured knowledge: %+v", r)
	}
	env.Products.Knowledge = nil
	_, effects, _ = Step(context.Background(), env, State{Lang: ZhHans}, Inbound{Channel: "web", ChatID: "c", Text: "床垫要翻面吗"})
	if r := replies(effects); len(r) != 1 || r[0].Text != T(ZhHans, "unknown.text") {
		t.Fatalf("no knowledge: %+v", r)
	}
}

// plainLookup hides memLookup's optional interfaces.
type plainLookup struct{ Lookup }

// TestCareStop: "stop these reminders" is recorded, whatever the customer
// was doing.
// rule: ARC-3
func TestCareStop(t *testing.T) {
	r := CareReminder(En, "Mattress", "SO-1", "Turn it.")
	if !hasButton(r, choiceCareStop) || !strings.Contains(r.Text, "Turn it.") || !strings.Contains(r.Text, "Mattress") {
		t.Fatalf("reminder: %+v", r)
	}
	c := newChat(t, En)
	c.st.Flow, c.st.Step = flowRepair, "order"
	effects := c.send(Inbound{Channel: "web", ChatID: "c1", Choice: choiceCareStop})
	if !slices.Contains(effects, Effect(CareStop{})) || c.st.Flow != "" {
		t.Fatalf("stop: %+v, flow %s", effects, c.st.Flow)
	}
}

// TestProductButtonsFitTelegram: a product whose button data would pass
// Telegram's 64 bytes is listed without buttons rather than breaking the
// message.
// rule: ARC-1
func TestProductButtonsFitTelegram(t *testing.T) {
	long := "SO-" + strings.Repeat("9", 60)
	env := testEnv()
	env.Lookup = memLookup{orders: []Order{{No: long, Phone: "13800001234", PaidOn: "2026-01-01",
		Items: []Item{{Line: 1, Name: "长号订单的沙发", Quantity: 1, Category: "furniture", WarrantyMonths: 12}}}}}
	id := wang()
	_, effects, err := Step(context.Background(), env, State{Lang: ZhHans, Verified: &id}, Inbound{Channel: "web", ChatID: "c", Text: "/products"})
	if err != nil {
		t.Fatal(err)
	}
	r := replies(effects)
	if len(r) != 1 || !strings.Contains(r[0].Text, "长号订单的沙发") {
		t.Fatalf("%+v", r)
	}
	for _, row := range r[0].Buttons {
		for _, b := range row {
			if len(b.Data) > 64 {
				t.Errorf("button data of %d bytes", len(b.Data))
			}
		}
	}
}

// TestWarrantyEnd counts from the day of purchase (003 分工 3).
// rule: ARC-1
func TestWarrantyEnd(t *testing.T) {
	for _, c := range []struct {
		paid   string
		months int
		want   string
	}{{"2026-11-20", 36, "2029-11-19"}, {"2024-01-31", 1, "2024-03-01"}, {"", 12, ""}, {"2026-01-01", 0, ""}, {"junk", 12, ""}} {
		if got := WarrantyEnd(c.paid, c.months, time.UTC); got != c.want {
			t.Errorf("WarrantyEnd(%s, %d) = %q, want %q", c.paid, c.months, got, c.want)
		}
	}
}

// TestCareDue: a reminder is due every interval from the product's start,
// only the latest one, none before the first, none for a zero interval.
// rule: ARC-3
func TestCareDue(t *testing.T) {
	for _, c := range []struct {
		start string
		every int
		today string
		want  string
	}{
		{"2026-01-10", 3, "2026-04-09", ""},
		{"2026-01-10", 3, "2026-04-10", "2026-04-10"},
		{"2026-01-10", 3, "2026-06-30", "2026-04-10"},
		{"2026-01-10", 3, "2026-11-24", "2026-10-10"},
		{"2026-01-10", 6, "2026-11-24", "2026-07-10"},
		{"2026-01-10", 0, "2030-01-01", ""},
		{"", 3, "2030-01-01", ""},
	} {
		got, ok := CareDue(c.start, c.every, c.today)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("CareDue(%s, %d, %s) = %q %v, want %q", c.start, c.every, c.today, got, ok, c.want)
		}
	}
}
