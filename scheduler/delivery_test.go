package scheduler

import (
	"context"
	"strings"
	"testing"

	"frontdesk/bot"
	"frontdesk/config"
	"frontdesk/store"
)

// rule: DLV-8
// A new promised date re-arms the reminders: the two-week reminder comes
// again for the new date, the old date passing opens nothing, and the new
// date passing opens the delay case.
func TestANewDateIsWatchedAgain(t *testing.T) {
	w := newWorld(t)
	w.bindChat()
	ctx := context.Background()
	job := DeadlineJob{Jobs: w.jobs}
	w.clock.Set(at("2026-11-23 09:00"))
	w.order("SO-N", "2026-12-07", false, config.OrderInProduction) // 14 days ahead
	if err := job.Run(ctx, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	reminders := func() int {
		return w.countPosts(bot.ChannelRecipient, func(s string) bool { return strings.Contains(s, "SO-N") && strings.Contains(s, "check production") })
	}
	if reminders() != 1 {
		t.Fatalf("%d reminders for the first date", reminders())
	}
	if _, changed, err := w.desk.MoveDeadline(ctx, "SO-N", "2026-12-21", "跟单小王", "客户同意延后两周", false); err != nil || !changed {
		t.Fatalf("move: %v %v", changed, err)
	}
	w.clock.Set(at("2026-12-07 09:00")) // the old date, and 14 days before the new one
	if err := job.Run(ctx, w.clock.Now()); err != nil {
		t.Fatal(err)
	}
	posts := w.staffPosts(bot.ChannelRecipient)
	if reminders() != 2 || !strings.Contains(posts[len(posts)-1].Text, "2026-12-21") {
		t.Fatalf("reminders after the new date: %+v", posts)
	}
	w.clock.Set(at("2026-12-08 09:00"))
	job.Run(ctx, w.clock.Now())
	if list, _ := w.db.Cases(ctx, store.CaseFilter{Kind: "delivery_delay"}); len(list) != 0 {
		t.Fatalf("the old date opened a delay case: %+v", list)
	}
	w.clock.Set(at("2026-12-22 09:00"))
	job.Run(ctx, w.clock.Now())
	job.Run(ctx, w.clock.Now())
	list, _ := w.db.Cases(ctx, store.CaseFilter{Kind: "delivery_delay"})
	if len(list) != 1 || list[0].Details["deadline"] != "2026-12-21" {
		t.Fatalf("the new date passed: %+v", list)
	}
}

// rule: DLV-11
// rule: DLV-12
// What could not go out when an order or a shipment was recorded goes out
// in opening hours, once: the service preview and the question about an
// early delivery; at night, nothing.
func TestDeliveryJobWritesInOpeningHoursOnly(t *testing.T) {
	w := newWorld(t)
	w.desk.Calendar = &w.cfg.Calendar
	ctx := context.Background()
	w.clock.Set(at("2026-11-23 07:00")) // Monday, before opening
	w.order("SO-P", "2026-12-20", false, config.OrderPlaced)
	w.order("SO-E", "2026-12-20", false, config.OrderShipped)
	w.desk.Seed().Shipment(store.Shipment{OrderNo: "SO-E", Carrier: "德邦", TrackingNo: "EARLY1", ShippedOn: "2026-11-23",
		ExpectedArrival: "2026-11-27"})
	job := DeliveryJob{Jobs: w.jobs}
	if err := job.Run(ctx, w.clock.Now()); err != nil { // no chat yet, and closed
		t.Fatal(err)
	}
	w.bindChat()
	w.clock.Set(at("2026-11-23 08:30"))
	job.Run(ctx, w.clock.Now())
	if n := len(w.customerMessages()); n != 0 {
		t.Fatalf("%d messages before opening", n)
	}
	w.clock.Set(at("2026-11-23 09:15"))
	for i := 0; i < 2; i++ {
		if err := job.Run(ctx, w.clock.Now()); err != nil {
			t.Fatal(err)
		}
	}
	var previews, questions int
	for _, m := range w.customerMessages() {
		if strings.Contains(m, "SO-P") && strings.Contains(m, "清空摆放位置") {
			previews++
		}
		if strings.Contains(m, "SO-E") && strings.Contains(m, "2026-11-27") && strings.Contains(m, "提前") {
			questions++
		}
	}
	if previews != 1 || questions != 1 {
		t.Fatalf("%d previews and %d questions, want one each: %q", previews, questions, w.customerMessages())
	}
	if got, _ := w.db.EarlyConsent(ctx, "EARLY1"); got != store.ConsentAsked {
		t.Fatalf("consent %q", got)
	}
}
