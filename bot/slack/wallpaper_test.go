package slack

import (
	"context"
	"testing"

	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/store"
)

// In a wallpaper case's thread, "wall_stock: 12" and "wall_trial:
// same_problem" record the steps of the quality complaint, in order, with
// who took them (WAL-3).
// rule: WAL-3
func TestWallpaperStepsInTheThread(t *testing.T) {
	h := newHarness(t, Config{})
	ctx := context.Background()
	if err := h.db.UpsertOrder(ctx, store.Order{No: "SO-W1", CustomerName: "王芳", Phone: "13800001234", PaidOn: "2026-10-01",
		Status: config.OrderInstalled, Items: []store.Item{{Name: "无纺布壁纸", SKU: "WP-1", Quantity: 12, Category: config.Wallpaper,
			BatchNo: "B2611"}}}, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	for _, in := range []conversations.Inbound{{Text: "/status"}, {Text: "SO-W1"}, {Text: "1234"}, {Choice: "menu:complaint"},
		{Choice: "ans:SO-W1"}, {Choice: "ans:regular"}, {Choice: "ans:colour"}, {Choice: "ans:yes"}, {Text: "色差明显"}, {Choice: "ans:none"}} {
		in.Channel, in.ChatID = "web", "w9"
		if err := h.desk.Handle(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	h.deliver()
	open, _ := h.db.CasesByPhone(ctx, "13800001234", true)
	var c = open[0]
	for _, o := range open {
		if o.OrderNo == "SO-W1" {
			c = o
		}
	}
	if c.OrderNo != "SO-W1" || c.Details["wall_class"] != "quality" {
		t.Fatalf("wallpaper case: %+v", open)
	}
	ts, _ := h.db.SlackTS(ctx, c.ID)
	h.staffSays("Ev1", ts, "1700000000.000100", "wall_trial: same_problem") // before the stock check: refused
	h.staffSays("Ev2", ts, "1700000000.000200", "wall_stock: 12")
	h.staffSays("Ev3", ts, "1700000000.000300", "wall_trial: same_problem")
	got, _ := h.db.CaseByNumber(ctx, c.Number)
	if got.Details["wall_stock_rolls"] != "12" || got.Details["wall_stock_by"] != "小李" || got.Details["wall_trial_result"] != "same_problem" {
		t.Fatalf("steps: %v", got.Details)
	}
}
