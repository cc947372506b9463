package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// wallOrder seeds 王芳's wallpaper order SO-3001: 12 rolls of batch B2611
// (SKU WP-NW12), paid on paid.
func wallOrder(t *testing.T, paid string) (*testkit.Desk, context.Context) {
	t.Helper()
	desk, _ := setup(t)
	desk.Seed().Order(store.Order{No: "SO-3001", PaidOn: paid, Status: config.OrderInstalled, Items: []store.Item{
		{Name: "无纺布壁纸", SKU: "WP-NW12", Quantity: 12, Category: config.Wallpaper, BatchNo: "B2611", WarrantyMonths: 12}}})
	return desk, context.Background()
}

// rule: WAL-7
// A wallpaper follow-up a month after the hanging asks about the wallpaper
// itself; it is kept with the visit's surveys, rates no provider, and a
// problem opens a quality case with the photo.
func TestWallpaperFollowUpRatesNoOne(t *testing.T) {
	desk, ctx := wallOrder(t, "2026-10-01")
	seed := desk.Seed()
	providerID := seed.Provider(cases.Provider{Name: "李师傅贴墙纸", Region: "浦东"}, 4)
	seed.Visit(store.Visit{ID: "V-W", OrderNo: "SO-3001", ProviderID: providerID, Kind: "install", CompletedAt: desk.Clock.Now()})
	c := talker{t, desk, "c1"}
	c.verify("SO-3001", "1234")
	if err := desk.StartSurvey(ctx, "V-W", "month1"); err != nil {
		t.Fatal(err)
	}
	if q := c.last(); !strings.Contains(q, "接缝") || strings.Contains(q, "师傅") {
		t.Fatalf("the follow-up asks: %q", q)
	}
	c.press("ans:problem")
	c.press("ans:bubbles")
	c.photo("bubble-sha")
	c.press("ans:done")
	c.text("卧室墙面起了几个鼓包")
	p, _ := desk.Store.ProviderByID(ctx, providerID)
	if p.Visits != 1 || p.Stars != 4 {
		t.Fatalf("the provider was rated by a follow-up: %+v", p)
	}
	surveys, _ := desk.Store.SurveysByVisit(ctx, "V-W")
	if len(surveys) != 1 || surveys[0].Stage != "month1" || surveys[0].AnsweredAt.IsZero() || !strings.Contains(surveys[0].Answers, "bubbles") {
		t.Fatalf("surveys: %+v", surveys)
	}
	open, _ := desk.Store.CasesByPhone(ctx, "13800001234", true)
	if len(open) != 1 || open[0].Kind != config.KindQualityDefect || open[0].Details["wall_problem"] != "bubbles" ||
		open[0].Details["batch_no"] != "B2611" || open[0].OrderNo != "SO-3001" {
		t.Fatalf("quality case: %+v", open)
	}
}

// rule: WAL-5
// A wallpaper complaint runs its own clocks: the answer in 24 hours and
// the plan the same day; the plan stops both.
func TestWallpaperComplaintClocks(t *testing.T) {
	desk, ctx := wallOrder(t, "2026-10-01")
	c := talker{t, desk, "c1"}
	c.verify("SO-3001", "1234")
	for _, p := range []string{"menu:complaint", "ans:SO-3001", "ans:regular", "ans:colour", "ans:yes"} {
		c.press(p)
	}
	c.text("两卷颜色不一样")
	c.press("ans:none")
	open, _ := desk.Store.CasesByPhone(ctx, "13800001234", true)
	if len(open) != 1 || open[0].Details["wall_class"] != "quality" {
		t.Fatalf("case: %+v", open)
	}
	clocks, _ := desk.Store.CaseClocks(ctx, open[0].ID)
	due := map[string]time.Time{}
	for _, k := range clocks {
		due[k.Name] = k.DueAt
	}
	now := desk.Clock.Now()
	if !due[cases.WallAnswerClock].Equal(now.Add(24*time.Hour)) || due[cases.WallPlanClock].IsZero() ||
		due[cases.WallPlanClock].After(now.Add(24*time.Hour)) {
		t.Fatalf("clocks: %+v", clocks)
	}
	if _, err := desk.Staff(ctx, bot.StaffAction{Case: open[0].Number, Actor: "小王", Kind: bot.ActWallPlan, Value: "明天复查"}); err != nil {
		t.Fatal(err)
	}
	clocks, _ = desk.Store.CaseClocks(ctx, open[0].ID)
	for _, k := range clocks {
		if (k.Name == cases.WallAnswerClock || k.Name == cases.WallPlanClock) && k.StoppedAt.IsZero() {
			t.Errorf("%s still runs after the plan", k.Name)
		}
	}
}

// rule: WAL-8
// The return dialog reads the batch's stock from the back office: fewer
// than 12 rolls with none in stock are refused before any other question;
// with stock they are taken to the approvals.
func TestWallpaperReturnReadsTheStock(t *testing.T) {
	desk, ctx := wallOrder(t, "2026-11-01")
	if err := desk.Store.SetWallpaperStock(ctx, []store.WallpaperStock{{SKU: "WP-NW12", BatchNo: "B2611", Rolls: 0}}, desk.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	c := talker{t, desk, "c1"}
	c.verify("SO-3001", "1234")
	c.press("menu:return")
	c.press("ans:SO-3001")
	c.text("5")
	if !strings.Contains(c.last(), "不足 12 卷") {
		t.Fatalf("no stock: %q", c.last())
	}
	c.text("/cancel")
	if err := desk.Store.SetWallpaperStock(ctx, []store.WallpaperStock{{SKU: "WP-NW12", BatchNo: "B2611", Rolls: 8}}, desk.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	c.press("menu:return")
	c.press("ans:SO-3001")
	c.text("5")
	for _, p := range []string{"ans:changed_mind", "ans:yes", "ans:yes", "ans:yes", "ans:yes"} {
		c.press(p)
	}
	open, _ := desk.Store.CasesByPhone(ctx, "13800001234", true)
	if len(open) != 1 || open[0].Details["wallpaper_return"] != "yes" || open[0].Details["batch_stock"] != "8" || open[0].Details["quantity"] != "5" {
		t.Fatalf("return case: %+v", open)
	}
	if _, err := desk.Staff(ctx, bot.StaffAction{Case: open[0].Number, Actor: "小王", Kind: bot.ActApproveReturn, Value: "上海仓"}); err == nil {
		t.Fatal("a wallpaper return approved without the salesperson and the duty manager")
	}
}
