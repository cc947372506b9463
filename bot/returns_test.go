package bot_test

import (
	"context"
	"strings"
	"testing"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// rule: RET-5
// rule: RET-7
// SO-3001 was paid long ago and made to order; it arrived four days ago, so
// the return window is open. The clerk approves the return: the review
// clock stops, and the customer gets the instructions in their language
// (English here) and tells the tracking number in the chat.
func TestReturnOfMadeToOrderGoodsFromRequestToTracking(t *testing.T) {
	desk := testkit.NewDesk(t, testkit.WithRedis())
	cfg := testkit.Config(t)
	desk.Clocks = cfg.ClocksFor
	today := desk.Clock.Now().In(desk.Location)
	desk.Seed().Order(store.Order{No: "SO-3001", PaidOn: today.AddDate(0, -2, 0).Format("2006-01-02"),
		DeliveredOn: today.AddDate(0, 0, -4).Format("2006-01-02"), Status: config.OrderDelivered})
	c := talker{t, desk, "r1"}
	c.press("lang:en")
	c.verify("SO-3001", "1234")
	for _, d := range []string{"menu:return", "ans:changed_mind", "ans:yes", "ans:yes", "ans:yes", "ans:yes"} {
		c.press(d)
	}
	open, err := desk.Store.CasesByPhone(context.Background(), testkit.Phone, true)
	if err != nil || len(open) != 1 || open[0].Kind != config.KindReturnExchange {
		t.Fatalf("the return was not taken: %+v %v (%q)", open, err, c.last())
	}
	no := open[0].Number
	if _, err := desk.Staff(context.Background(), bot.StaffAction{Case: no, Actor: "小李", Kind: bot.ActApproveReturn,
		Value: "Warehouse 3, 88 Shenfu Rd, Shanghai, Zhang San 021-55550000"}); err != nil {
		t.Fatal(err)
	}
	clocks, _ := desk.Store.CaseClocks(context.Background(), open[0].ID)
	review := false
	for _, k := range clocks {
		if k.Name == "return_review" {
			review = true
			if k.StoppedAt.IsZero() {
				t.Errorf("the review clock runs on after the approval: %+v", k)
			}
		}
	}
	if !review {
		t.Errorf("no review clock: %+v", clocks)
	}
	msgs := desk.Messages("web", "r1")
	last := msgs[len(msgs)-1]
	if !strings.Contains(last.Text, "Your return request "+no+" is approved") || !strings.Contains(last.Text, "88 Shenfu Rd") ||
		len(last.Buttons) == 0 || last.Buttons[0][0].Data != "rettrack:"+no {
		t.Fatalf("instructions: %+v", last)
	}
	c.press(last.Buttons[0][0].Data)
	c.text("SF 2026 1124 01")
	got, _ := desk.Store.CaseByNumber(context.Background(), no)
	if got.Details[cases.DetailReturnTracking] != "SF2026112401" || !strings.Contains(c.last(), "SF2026112401") {
		t.Fatalf("tracking: %v / %q", got.Details, c.last())
	}
	thread := desk.StaffPosts(no)
	if p := thread[len(thread)-2]; p.From != "customer" || !strings.Contains(p.Text, "SF2026112401") {
		t.Errorf("the thread: %+v", thread)
	}
}

// rule: RET-5
// rule: RET-6
// With no delivery day recorded, goods the back office says are delivered
// count from their shipment's arrival: three days ago is within the
// window, ten days ago is not, and that is said right after the item.
func TestReturnWindowFromTheShipmentWhenNoDeliveryDay(t *testing.T) {
	desk := testkit.NewDesk(t)
	today := desk.Clock.Now().In(desk.Location)
	day := func(d int) string { return today.AddDate(0, 0, d).Format("2006-01-02") }
	desk.Seed().Order(store.Order{No: "SO-3101", PaidOn: day(-60), Status: config.OrderDelivered}).
		Shipment(store.Shipment{OrderNo: "SO-3101", Carrier: "德邦物流", TrackingNo: "DB3101", ShippedOn: day(-6), ExpectedArrival: day(-3)}).
		Order(store.Order{No: "SO-3102", PaidOn: day(-60), Status: config.OrderInstalled}).
		Shipment(store.Shipment{OrderNo: "SO-3102", Carrier: "德邦物流", TrackingNo: "DB3102", ShippedOn: day(-12), ExpectedArrival: day(-10)})
	c := talker{t, desk, "w1"}
	c.verify("SO-3101", "1234")
	c.press("menu:return")
	c.press("ans:SO-3101")
	if !strings.Contains(c.last(), "退换货的原因是") {
		t.Fatalf("within the window from arrival: %q", c.last())
	}
	c.press("menu:return")
	c.press("ans:SO-3102")
	if last := c.last(); !strings.Contains(last, "已超过 7 天退换期") || strings.Contains(last, "退换货的原因是") {
		t.Fatalf("past the window from arrival: %q", last)
	}
}
