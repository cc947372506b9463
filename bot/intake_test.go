package bot_test

import (
	"context"
	"errors"
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

var clerk = cases.Actor{Name: "张敏", Role: cases.Clerk}

// intakeDesk is a desk with the configured clocks, the shared orders, and
// 王芳's web chat c1 verified.
func intakeDesk(t *testing.T) *testkit.Desk {
	desk := testkit.NewDesk(t)
	cfg := testkit.Config(t)
	desk.Clocks = cfg.ClocksFor
	desk.Seed().Orders().Chat(testkit.Phone, "web", "c1")
	return desk
}

// clockPlan is a case's clocks as name and due offset from its opening.
func clockPlan(t *testing.T, db *store.DB, c cases.Case) []string {
	t.Helper()
	clocks, err := db.CaseClocks(context.Background(), c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, k := range clocks {
		out = append(out, k.Name+" "+k.DueAt.Sub(c.CreatedAt).String())
	}
	slices.Sort(out)
	return out
}

// TestOpenIntakeByPhone opens a case for a phone call: the channel is on
// the case, the clocks are those of a chat case of the kind, staff get the
// card and the call in the thread, and the customer, who verified a chat
// with this phone, is told the number there (and staff replies reach it).
// rule: INT-1, INT-2
func TestOpenIntakeByPhone(t *testing.T) {
	desk := intakeDesk(t)
	ctx := context.Background()
	chatCase := desk.ReportDamage("c9", "SO-1001", "桌腿断了")
	if chatCase.Intake != "" {
		t.Errorf("a chat case has intake %q", chatCase.Intake)
	}
	c, err := desk.OpenIntake(ctx, clerk, cases.Intake{Kind: "repair", Channel: "phone", Phone: "+86 138-0000-1234",
		OrderNo: "SO-1001", Items: []string{" 布艺沙发 ×1 ", ""}, Description: "沙发扶手松动，顾客来电"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Intake != "phone" || c.Channel != "web" || (c.ChatID != "c1" && c.ChatID != "c9") || c.CustomerName != testkit.CustomerName ||
		c.Phone != testkit.Phone || c.Details[store.ItemsDetail] != "布艺沙发 ×1" || c.Status != cases.Open {
		t.Fatalf("case: %+v", c)
	}
	// The same clocks as a chat case of the kind.
	visit, err := desk.OpenIntake(ctx, clerk, cases.Intake{Kind: string(chatCase.Kind), Channel: "store", OrderNo: "SO-1001"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := clockPlan(t, desk.Store, visit), clockPlan(t, desk.Store, chatCase); !slices.Equal(got, want) || len(got) < 2 {
		t.Errorf("clocks of the shop-visit case %v, of the chat case %v", got, want)
	}
	// The repair's own clocks (their due times count opening hours, SLA-10).
	if got := clockPlan(t, desk.Store, c); !slices.ContainsFunc(got, func(s string) bool { return strings.HasPrefix(s, "repair_dispatch ") }) {
		t.Errorf("repair clocks: %v", got)
	}
	if c.DeadlineAt.IsZero() {
		t.Error("no deadline")
	}
	posts := desk.StaffPosts(c.Number)
	if len(posts) != 2 || posts[0].Kind != "card" || posts[1].From != clerk.Name || !strings.Contains(posts[1].Text, "电话受理") ||
		!strings.Contains(posts[1].Text, "沙发扶手松动") {
		t.Errorf("staff posts: %+v", posts)
	}
	// Told in each chat verified with the phone: c1, and c9 of the report.
	texts := desk.Texts("web", "c1")
	if len(texts) != 2 || !strings.Contains(texts[0], c.Number) || !strings.Contains(texts[0], "电话") || !strings.Contains(texts[0], "维修") ||
		!strings.Contains(texts[1], visit.Number) || !strings.Contains(texts[1], "门店") {
		t.Fatalf("customer told: %q", texts)
	}
	if c9 := desk.Texts("web", "c9"); !strings.Contains(c9[len(c9)-1], visit.Number) {
		t.Errorf("not told in c9: %q", c9[len(c9)-1])
	}
	trail, _ := desk.Store.AuditTrail(ctx, c.Number)
	if len(trail) != 1 || trail[0].Actor != clerk.Name || trail[0].Action != "opened" || !strings.Contains(trail[0].Detail, "phone") {
		t.Errorf("audit: %+v", trail)
	}
	if _, err := desk.Staff(ctx, bot.StaffAction{Case: c.Number, Actor: clerk.Name, Kind: bot.ActReply, Value: "师傅明天上午来"}); err != nil {
		t.Fatal(err)
	}
	// The reply reaches the chat as from a person, with the case (CAS-6).
	if texts := desk.Texts("web", c.ChatID); !strings.HasSuffix(texts[len(texts)-1], "】师傅明天上午来") || !strings.Contains(texts[len(texts)-1], c.Number) {
		t.Errorf("the reply did not reach the chat: %q", texts)
	}
}

// TestOpenIntakeToldInTheirLanguage tells an English-speaking customer in
// English, and a customer with no chat nothing: staff call them back.
// rule: INT-2
func TestOpenIntakeToldInTheirLanguage(t *testing.T) {
	desk := intakeDesk(t)
	desk.Seed().Chat("13900005678", "web", "en1")
	desk.Say("web", "en1", conversations.Inbound{Text: "/start", LangHint: "en"})
	before := len(desk.Texts("web", "en1"))
	c, err := desk.OpenIntake(context.Background(), clerk, cases.Intake{Kind: "complaint", Channel: "letter", OrderNo: "SO-2001"})
	if err != nil {
		t.Fatal(err)
	}
	texts := desk.Texts("web", "en1")
	if len(texts) != before+1 || texts[before] != conversations.T(conversations.En, "intake.opened",
		conversations.Args{"Channel": "letter", "Kind": conversations.T(conversations.En, "kind.complaint"), "Case": c.Number}) {
		t.Errorf("told: %q", texts[before:])
	}
	lone, err := desk.OpenIntake(context.Background(), clerk, cases.Intake{Kind: "inquiry", Channel: "fax", CustomerName: "赵强",
		Phone: "13700009999"})
	if err != nil {
		t.Fatal(err)
	}
	if lone.Channel != "" || lone.ChatID != "" || lone.Intake != "fax" {
		t.Errorf("a customer without a chat: %+v", lone)
	}
	if _, err := desk.Staff(context.Background(), bot.StaffAction{Case: lone.Number, Actor: clerk.Name, Kind: bot.ActReply, Value: "hi"}); !errors.Is(err, bot.ErrBadAction) {
		t.Errorf("a reply with no chat to reach: %v", err)
	}
}

// TestOpenIntakeRefusesBadInput names the field of each problem and saves
// nothing: no case, no outbox message, no audit line.
// rule: INT-1
func TestOpenIntakeRefusesBadInput(t *testing.T) {
	desk := intakeDesk(t)
	ok := cases.Intake{Kind: "repair", Channel: "phone", CustomerName: "王芳", Phone: testkit.Phone}
	with := func(f func(in *cases.Intake)) cases.Intake { in := ok; f(&in); return in }
	tests := []struct {
		name  string
		in    cases.Intake
		by    cases.Actor
		field string
		code  cases.Code
	}{
		{"unknown kind", with(func(in *cases.Intake) { in.Kind = "refund" }), clerk, "kind", cases.Invalid},
		{"unknown channel", with(func(in *cases.Intake) { in.Channel = "pigeon" }), clerk, "channel", cases.Invalid},
		{"no phone, no order", with(func(in *cases.Intake) { in.Phone = "" }), clerk, "phone", cases.Invalid},
		{"phone of letters", with(func(in *cases.Intake) { in.Phone = "call me" }), clerk, "phone", cases.Invalid},
		{"another customer's order", with(func(in *cases.Intake) { in.OrderNo = "SO-2001" }), clerk, "order_no", cases.Invalid},
		{"no such order", with(func(in *cases.Intake) { in.OrderNo = "SO-9999" }), clerk, "order_no", cases.Invalid},
		{"no name", with(func(in *cases.Intake) { in.CustomerName = " " }), clerk, "customer_name", cases.Invalid},
		{"oversized name", with(func(in *cases.Intake) { in.CustomerName = strings.Repeat("王", 51) }), clerk, "customer_name", cases.Invalid},
		{"hostile name", with(func(in *cases.Intake) { in.CustomerName = "王\u202e芳" }), clerk, "customer_name", cases.Invalid},
		{"markup in a name", with(func(in *cases.Intake) { in.CustomerName = "<!channel>" }), clerk, "customer_name", cases.Invalid},
		{"control in an item", with(func(in *cases.Intake) { in.Items = []string{"ok", "bad\x00"} }), clerk, "items[1]", cases.Invalid},
		{"too many items", with(func(in *cases.Intake) { in.Items = make([]string, 21) }), clerk, "items", cases.Invalid},
		{"oversized description", with(func(in *cases.Intake) { in.Description = strings.Repeat("长", 2001) }), clerk, "description", cases.Invalid},
		{"broken text", with(func(in *cases.Intake) { in.Description = "\xff\xfe" }), clerk, "description", cases.Invalid},
		{"unknown severity", with(func(in *cases.Intake) { in.Severity = "urgent" }), clerk, "severity", cases.Invalid},
		{"no role", ok, cases.Actor{Name: "guest"}, "", cases.Forbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := desk.OpenIntake(context.Background(), tt.by, tt.in)
			var fe *cases.FieldError
			switch {
			case cases.ErrorCode(err) != tt.code:
				t.Errorf("error %v, code %s, want %s", err, cases.ErrorCode(err), tt.code)
			case tt.field != "" && (!errors.As(err, &fe) || fe.Field() != tt.field):
				t.Errorf("error %v names field %v, want %s", err, fe, tt.field)
			}
		})
	}
	all, err := desk.Store.Cases(context.Background(), store.CaseFilter{Limit: 10})
	if err != nil || len(all) != 0 {
		t.Errorf("cases saved: %+v %v", all, err)
	}
	if n, _ := desk.Store.OutboxBacklog(context.Background()); n != 0 {
		t.Errorf("%d messages queued", n)
	}
}

// TestCaseLinksShowTheCustomer finds, beside a case, the items it is
// about, the customer's other open cases and their orders.
// rule: INT-4
// rule: INT-3
func TestCaseLinksShowTheCustomer(t *testing.T) {
	desk := intakeDesk(t)
	ctx := context.Background()
	chatCase := desk.ReportDamage("c1", "SO-1001", "桌腿断了")
	desk.Seed().Order(store.Order{No: "SO-1003", Status: config.OrderPlaced, Items: []store.Item{{Name: "茶几", Quantity: 2, Category: config.Furniture}}})
	c, err := desk.OpenIntake(ctx, clerk, cases.Intake{Kind: "inquiry", Channel: "store", Phone: testkit.Phone, CustomerName: "王芳",
		Items: []string{"茶几 ×2"}})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := desk.OpenIntake(ctx, clerk, cases.Intake{Kind: "inquiry", Channel: "phone", OrderNo: "SO-2001"})
	links, err := desk.Store.CaseLinks(ctx, c)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(links.Items, []string{"茶几 ×2"}) {
		t.Errorf("items %q", links.Items)
	}
	if len(links.OtherOpen) != 1 || links.OtherOpen[0].Number != chatCase.Number {
		t.Errorf("other open cases %+v (李雷's %s must not be among them)", links.OtherOpen, other.Number)
	}
	var orders []string
	for _, o := range links.Orders {
		orders = append(orders, o.No+" "+o.Items)
	}
	slices.Sort(orders)
	if !slices.Equal(orders, []string{"SO-1001 布艺沙发 ×1", "SO-1003 茶几 ×2"}) {
		t.Errorf("orders %q", orders)
	}
	// The chat case's items are the lines the customer chose, by name;
	// once resolved, a case is no longer among the other open ones.
	chatLinks, _ := desk.Store.CaseLinks(ctx, chatCase)
	if !slices.Equal(chatLinks.Items, []string{"布艺沙发 ×1"}) || len(chatLinks.OtherOpen) != 1 || chatLinks.OtherOpen[0].Number != c.Number {
		t.Errorf("chat case links %+v", chatLinks)
	}
	desk.Clock.Advance(time.Minute)
	for _, a := range []bot.StaffAction{{Kind: bot.ActCause, Value: "运输颠簸"}, {Kind: bot.ActAction, Value: "更换桌腿"}, {Kind: bot.ActResolve}} {
		a.Case, a.Actor = chatCase.Number, clerk.Name
		if _, err := desk.Staff(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if links, _ := desk.Store.CaseLinks(ctx, c); len(links.OtherOpen) != 0 {
		t.Errorf("a resolved case still linked as open: %+v", links.OtherOpen)
	}
}
