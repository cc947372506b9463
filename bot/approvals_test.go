package bot_test

import (
	"bytes"
	"context"
	"errors"
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

func addStaff(t *testing.T, d *testkit.Desk, login, name string, role cases.Role, slack string) {
	t.Helper()
	if _, err := d.AddAccount(context.Background(), "test", bot.NewAccount{Login: login, Name: name, Role: role,
		Password: "a long enough password", SlackUserID: slack}); err != nil {
		t.Fatal(err)
	}
}

func mustStaff(t *testing.T, d *testkit.Desk, a bot.StaffAction) cases.Case {
	t.Helper()
	c, err := d.Staff(context.Background(), a)
	if err != nil {
		t.Fatalf("%+v: %v", a, err)
	}
	return c
}

// A wallpaper compensation above the clerk's three rolls: the managers get
// the request with its case, both managers approve, the clerk is called by
// their Slack account in the thread, the customer hears the result in their
// language and only that, and the grant is kept for the digest.
// rule: APR-1, WAL-6
func TestWallpaperCompensationApprovedAtTheDesk(t *testing.T) {
	d := testkit.NewDesk(t)
	d.Seed().Order(store.Order{No: "SO-3001", Status: config.OrderDelivered,
		Items: []store.Item{{Name: "无纺布壁纸", SKU: "WP-1", Quantity: 12, Category: config.Wallpaper, BatchNo: "B2611"}}})
	addStaff(t, d, "wang", "小王", cases.Clerk, "U7")
	addStaff(t, d, "zhou", "周主管", cases.Supervisor, "")
	addStaff(t, d, "wu", "吴经理", cases.DutyManager, "")
	d.Say("web", "w1", conversations.Inbound{Text: "/language"}, conversations.Inbound{Choice: "lang:en"})
	ph, err := d.Photos.Save(bytes.NewReader(testkit.PNG(1)))
	if err != nil {
		t.Fatal(err)
	}
	d.Say("web", "w1", conversations.Inbound{Text: "/status"}, conversations.Inbound{Text: "SO-3001"}, conversations.Inbound{Text: "1234"})
	// Wallpaper's own questions (WAL-1): what is wrong, is it hung; the
	// batch is the order's (WAL-2).
	for _, step := range []string{"menu:damage", "ans:1", "ans:done", "ans:seams", "ans:yes"} {
		d.Say("web", "w1", conversations.Inbound{Choice: step})
	}
	for i := 0; i < 2; i++ {
		d.Say("web", "w1", conversations.Inbound{Photo: &ph}, conversations.Inbound{Choice: "ans:done"})
	}
	d.Say("web", "w1", conversations.Inbound{Text: "seams open on the wall, I want compensation"})
	ctx := context.Background()
	open, _ := d.Store.CasesByPhone(ctx, testkit.Phone, true)
	if len(open) != 1 {
		t.Fatalf("cases %+v; the customer was told %q", open, d.Texts("web", "w1"))
	}
	c := open[0]
	if c.Details["compensation_requested"] != "yes" {
		t.Fatalf("the ask is not recorded: %+v", c.Details)
	}
	// Yuan on wallpaper is refused, and changes nothing.
	_, err = d.Staff(ctx, bot.StaffAction{Case: c.Number, Actor: "小王", Kind: bot.ActRemedy, Value: "compensation", AmountYuan: 300})
	if !errors.Is(err, bot.ErrBadAction) || !strings.Contains(cases.ErrorMessage(err), "rolls") {
		t.Fatalf("yuan on wallpaper: %v", err)
	}
	mustStaff(t, d, bot.StaffAction{Case: c.Number, Actor: "小王", Kind: bot.ActRemedy, Value: "compensation", Rolls: 5})
	asks := testkit.CountWhere(d.StaffPosts(bot.ManagersRecipient), func(p bot.StaffPost) bool {
		return p.Kind == "approval" && p.Case == c.Number && strings.Contains(p.Text, "赔偿 5 卷")
	})
	if asks != 1 {
		t.Fatalf("managers' approval posts: %+v", d.StaffPosts(bot.ManagersRecipient))
	}
	mustStaff(t, d, bot.StaffAction{Case: c.Number, Actor: "周主管", Role: cases.Supervisor, Kind: bot.ActApprove})
	if texts := d.Texts("web", "w1"); strings.Contains(strings.Join(texts, "\n"), "rolls") {
		t.Fatalf("the customer heard of a half-made decision: %q", texts)
	}
	got := mustStaff(t, d, bot.StaffAction{Case: c.Number, Actor: "吴经理", Role: cases.DutyManager, Kind: bot.ActApprove})
	if state, by, at := cases.Decided(got); state != "approved" || by != "周主管 and 吴经理" || !at.Equal(d.Clock.Now().Truncate(time.Second)) {
		t.Fatalf("decided %s by %s at %v", state, by, at)
	}
	var told bool
	for _, p := range d.StaffPosts(c.Number) {
		if p.Kind == "thread" && strings.HasPrefix(p.Text, "<@U7> ✅ 赔偿 5 卷 已由 周主管、吴经理 批准") && len(p.Mentions) == 1 && p.Mentions[0] == "<@U7>" {
			told = true
		}
	}
	if !told {
		t.Fatalf("the clerk is not called: %+v", d.StaffPosts(c.Number))
	}
	texts := d.Texts("web", "w1")
	last := texts[len(texts)-1]
	if last != conversations.T(conversations.En, "approval.customer.rolls", conversations.Args{"Case": c.Number, "Rolls": "5"}) {
		t.Fatalf("the customer got %q", last)
	}
	for _, w := range []string{"周主管", "吴经理", "approved by", "limit"} {
		if strings.Contains(last, w) {
			t.Errorf("the customer hears the deliberation (%q): %q", w, last)
		}
	}
	g, err := d.Store.GrantedBetween(ctx, d.Clock.Now().Add(-time.Hour), d.Clock.Now().Add(time.Hour))
	if err != nil || g.Rolls != 5 || g.Count != 1 {
		t.Fatalf("granted %+v %v", g, err)
	}
}

// A major complaint: the customer opens it as major in the chat; the
// general manager is called in the managers' channel by their Slack
// account, the two clocks run, the task force must be staff, and the
// complaint is resolved only with who was responsible and the prevention.
// rule: CMP-4, CMP-5
func TestMajorComplaintAtTheDesk(t *testing.T) {
	d := testkit.NewDesk(t)
	d.Seed().Orders()
	addStaff(t, d, "wang", "小王", cases.Clerk, "")
	addStaff(t, d, "li", "小李", cases.Clerk, "")
	addStaff(t, d, "lao", "老张", cases.Supervisor, "")
	addStaff(t, d, "chen", "陈总", cases.GeneralManager, "U99")
	d.Say("web", "w2", conversations.Inbound{Text: "/status"}, conversations.Inbound{Text: "SO-1001"}, conversations.Inbound{Text: "1234"},
		conversations.Inbound{Choice: "menu:complaint"}, conversations.Inbound{Choice: "ans:SO-1001"}, conversations.Inbound{Choice: "ans:major"},
		conversations.Inbound{Text: "茶几玻璃自爆，差点伤到孩子"}, conversations.Inbound{Choice: "ans:none"}) // REP-7: no photos
	ctx := context.Background()
	open, _ := d.Store.CasesByPhone(ctx, testkit.Phone, true)
	if len(open) != 1 || open[0].Kind != config.KindComplaint || open[0].Severity != cases.Major {
		t.Fatalf("cases: %+v", open)
	}
	c := open[0]
	var gm bool
	for _, p := range d.StaffPosts(bot.ManagersRecipient) {
		if strings.HasPrefix(p.Text, "<@U99> 🚨 重大投诉 "+c.Number) && len(p.Mentions) == 1 {
			gm = true
		}
	}
	if !gm {
		t.Fatalf("the general manager is not called: %+v", d.StaffPosts(bot.ManagersRecipient))
	}
	clocks, err := d.Store.CaseClocks(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, k := range clocks {
		names[k.Name] = true
	}
	if !names["complaint_written_solution"] || !names["complaint_gm_callback"] {
		t.Fatalf("clocks: %+v", clocks)
	}
	_, err = d.Staff(ctx, bot.StaffAction{Case: c.Number, Actor: "小王", Kind: bot.ActTaskForce, Value: "after_sales=小王, sales=无名氏, product=老张"})
	if !errors.Is(err, bot.ErrBadAction) || !strings.Contains(cases.ErrorMessage(err), "无名氏") {
		t.Fatalf("a stranger in the task force: %v", err)
	}
	got := mustStaff(t, d, bot.StaffAction{Case: c.Number, Actor: "小王", Kind: bot.ActTaskForce, Value: "after_sales=小王, sales=小李, product=老张"})
	if tf := cases.TaskForceOf(got); tf["sales"] != "小李" {
		t.Fatalf("task force %v", tf)
	}
	mustStaff(t, d, bot.StaffAction{Case: c.Number, Actor: "小王", Kind: bot.ActWrittenSolution, Value: "更换茶几并上门致歉"})
	mustStaff(t, d, bot.StaffAction{Case: c.Number, Actor: "陈总", Role: cases.GeneralManager, Kind: bot.ActGMCallback, Value: "已致电道歉"})
	clocks, _ = d.Store.CaseClocks(ctx, c.ID)
	for _, k := range clocks {
		if (k.Name == "complaint_written_solution" || k.Name == "complaint_gm_callback") && k.StoppedAt.IsZero() {
			t.Errorf("clock %s still runs", k.Name)
		}
	}
	_, err = d.Staff(ctx, bot.StaffAction{Case: c.Number, Actor: "小王", Kind: bot.ActResolve})
	if !errors.Is(err, bot.ErrBadAction) || !strings.Contains(cases.ErrorMessage(err), "responsible, prevention") {
		t.Fatalf("resolved without responsible and prevention: %v", err)
	}
	mustStaff(t, d, bot.StaffAction{Case: c.Number, Actor: "小王", Kind: bot.ActResponsible, Value: "送货班组"})
	mustStaff(t, d, bot.StaffAction{Case: c.Number, Actor: "小王", Kind: bot.ActPrevention, Value: "玻璃件出库前逐件检查"})
	if got := mustStaff(t, d, bot.StaffAction{Case: c.Number, Actor: "小王", Kind: bot.ActResolve}); got.Status != cases.Resolved {
		t.Fatalf("status %s", got.Status)
	}
}
