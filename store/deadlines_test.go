package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// rule: DLV-10
// "Delivery on time" is measured on the day the customer said it arrived;
// an order nobody reported yet counts by its shipments' expected day, and a
// reported one only once.
func TestDeliveryOnTimeIsMeasuredOnTheRecordedDelivery(t *testing.T) {
	db := testkit.OpenStore(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	seed := testkit.Seed(t, db, now)
	for _, o := range []store.Order{
		{No: "A", Deadline: "2026-12-10", Status: config.OrderShipped}, // expected on time, arrived late
		{No: "B", Deadline: "2026-12-10", Status: config.OrderShipped}, // expected late, arrived on time
		{No: "C", Deadline: "2026-12-10", Status: config.OrderShipped}, // not reported: expected on time
	} {
		seed.Order(o)
	}
	for _, s := range []store.Shipment{
		{OrderNo: "A", Carrier: "x", TrackingNo: "TA", ShippedOn: "2026-12-01", ExpectedArrival: "2026-12-05"},
		{OrderNo: "B", Carrier: "x", TrackingNo: "TB", ShippedOn: "2026-12-01", ExpectedArrival: "2026-12-15"},
		{OrderNo: "C", Carrier: "x", TrackingNo: "TC", ShippedOn: "2026-12-01", ExpectedArrival: "2026-12-06"},
	} {
		seed.Shipment(s)
	}
	before, total, err := db.DeliveriesOnTime(ctx, "2026-12-01", "2026-12-31")
	if err != nil || before != 2 || total != 3 {
		t.Fatalf("by the expected days: %d of %d, %v; want 2 of 3", before, total, err)
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		for no, on := range map[string]string{"A": "2026-12-12", "B": "2026-12-09"} {
			if fresh, err := tx.RecordDelivered(no, on, now); err != nil || !fresh {
				return errors.Join(err, errors.New("not fresh"))
			}
		}
		if fresh, err := tx.RecordDelivered("A", "2026-12-20", now); err != nil || fresh {
			return errors.New("a second delivery was recorded")
		}
		_, err := tx.RecordDelivered("C", "12/20/2026", now)
		if cases.ErrorCode(err) != cases.Invalid {
			return errors.New("a malformed day was taken")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	onTime, total, err := db.DeliveriesOnTime(ctx, "2026-12-01", "2026-12-31")
	if err != nil || onTime != 2 || total != 3 {
		t.Fatalf("measured on the deliveries: %d of %d, %v; want 2 of 3 (B and C)", onTime, total, err)
	}
	if late, n, _ := db.DeliveriesOnTime(ctx, "2026-12-11", "2026-12-13"); late != 0 || n != 1 {
		t.Fatalf("the window of A's late delivery: %d of %d, want 0 of 1", late, n)
	}
	if in, n, _ := db.DeliveriesOnTime(ctx, "2026-12-08", "2026-12-10"); in != 1 || n != 1 {
		t.Fatalf("the window of B's delivery in time: %d of %d, want 1 of 1", in, n)
	}
	if _, n, _ := db.DeliveriesOnTime(ctx, "2026-12-15", "2026-12-16"); n != 0 {
		t.Fatalf("B's expected day still counts after its delivery was recorded: %d", n)
	}
	a, _ := db.Order(ctx, "A")
	if a.DeliveredOn != "2026-12-12" || a.Status != config.OrderDelivered {
		t.Fatalf("A: %+v", a)
	}
}

// rule: DLV-8
// A date change keeps old → new, who and why; bad input changes nothing.
func TestDeadlineChangesKeepTheirHistory(t *testing.T) {
	db := testkit.OpenStore(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	testkit.Seed(t, db, now).Order(store.Order{No: "A", Deadline: "2026-12-10"})
	change := func(c store.DeadlineChange) error {
		return db.Update(ctx, func(tx *store.Tx) error { _, err := tx.ChangeDeadline(c); return err })
	}
	for _, bad := range []store.DeadlineChange{
		{OrderNo: "A", New: "2026-13-01", Kind: store.ChangeAgreed, Actor: "x"},
		{OrderNo: "A", New: "2026-12-20", Kind: "whim", Actor: "x"},
		{OrderNo: "A", New: "2026-12-20", Kind: store.ChangeAgreed, Actor: ""},
		{OrderNo: "A", New: "2026-12-20", Kind: store.ChangeAgreed, Actor: "x", Reason: strings.Repeat("x", 501)},
	} {
		if err := change(bad); cases.ErrorCode(err) != cases.Invalid {
			t.Errorf("%+v: %v", bad, err)
		}
	}
	if err := change(store.DeadlineChange{OrderNo: "NOPE", New: "2026-12-20", Kind: store.ChangeAgreed, Actor: "x"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown order: %v", err)
	}
	for _, d := range []string{"2026-12-20", "2026-12-28"} {
		if err := change(store.DeadlineChange{OrderNo: "A", New: d, Kind: store.ChangeAgreed, Actor: "小李", Reason: "客户同意", At: now}); err != nil {
			t.Fatal(err)
		}
	}
	hist, err := db.DeadlineHistory(ctx, "A")
	if err != nil || len(hist) != 2 || hist[0].Old != "2026-12-10" || hist[0].New != "2026-12-20" || hist[1].Old != "2026-12-20" ||
		hist[1].New != "2026-12-28" || hist[1].Actor != "小李" || hist[1].Reason != "客户同意" || !hist[1].At.Equal(now) {
		t.Fatalf("history: %+v %v", hist, err)
	}
	if o, _ := db.Order(ctx, "A"); o.Deadline != "2026-12-28" {
		t.Fatalf("deadline %s", o.Deadline)
	}
}
