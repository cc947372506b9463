package store

import (
	"context"
	"testing"

	"frontdesk/cases"
	"frontdesk/config"
)

// rule: ID-5
// A purge keeps the codes of the repair call flow and of a return (what
// the reports read) and forgets what names the customer's parcel.
func TestPurgeKeepsRepairAndReturnCodes(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	old := t0.AddDate(-2, 0, 0)
	var number string
	err := db.Update(ctx, func(tx *Tx) error {
		c, err := tx.OpenCase(cases.Case{Kind: config.KindReturnExchange, CustomerName: "王芳", Phone: "13800001234",
			Details: map[string]string{"repair_steps": "fault_confirmed", "return_status": "approved", "shop_error": "yes",
				"return_tracking": "SF1234567", "contact_phone": "13911112222"}}, old, shanghai)
		if err != nil {
			return err
		}
		number = c.Number
		c.Status, c.ResolvedAt = cases.Resolved, old
		if _, err := tx.AddCaseEvent(CaseEvent{CaseID: c.ID, At: old, Actor: "小李", Kind: "repair_step", Body: "fault_confirmed"}); err != nil {
			return err
		}
		if _, err := tx.AddCaseEvent(CaseEvent{CaseID: c.ID, At: old, Actor: "customer", Kind: "return_tracking", Body: "SF1234567"}); err != nil {
			return err
		}
		return tx.SaveCase(c, old)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Purge(ctx, Retention{Before: t0.AddDate(-1, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	c, _ := db.CaseByNumber(ctx, number)
	if c.Details["repair_steps"] != "fault_confirmed" || c.Details["return_status"] != "approved" || c.Details["shop_error"] != "yes" ||
		c.Details["return_tracking"] != "" || c.Details["contact_phone"] != "" {
		t.Errorf("details after the purge: %v", c.Details)
	}
	events, _ := db.CaseEvents(ctx, c.ID)
	for _, e := range events {
		if (e.Kind == "repair_step") != (e.Body != "") {
			t.Errorf("event after the purge: %+v", e)
		}
	}
}

// rule: RET-5
// The day the goods arrived is kept, validated, and not lost when the
// order is sent again without it.
func TestDeliveredOnIsKept(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	o := Order{No: "SO-1", CustomerName: "王芳", Phone: "13800001234", PaidOn: "2026-10-01", DeliveredOn: "2026-11-20",
		Items: []Item{{Name: "衣柜", Quantity: 1, Category: config.Furniture, CustomMade: true}}}
	if err := db.UpsertOrder(ctx, o, t0); err != nil {
		t.Fatal(err)
	}
	o.DeliveredOn = ""
	if err := db.UpsertOrder(ctx, o, t0); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Order(ctx, "SO-1"); got.DeliveredOn != "2026-11-20" {
		t.Errorf("delivered_on %q", got.DeliveredOn)
	}
	o.DeliveredOn = "2026-11-31"
	if err := db.UpsertOrder(ctx, o, t0); cases.ErrorCode(err) != cases.Invalid {
		t.Errorf("a bad day: %v", err)
	}
	if orders, _ := db.OrdersByPhone(ctx, "13800001234"); len(orders) != 1 || orders[0].DeliveredOn != "2026-11-20" {
		t.Errorf("by phone: %+v", orders)
	}
}

// rule: RET-5
// An import that changes the delivery day and is rolled back puts the day
// back as it was.
func TestImportRollbackRestoresTheDeliveryDay(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	o := sofaOrder("SO-D", "13800001234")
	o.DeliveredOn = "2026-11-20"
	run := importOver(t, db, o)
	o.DeliveredOn = "2026-11-22"
	if err := run.Stage(ctx, func(itx *ImportTx) error {
		changed, err := itx.UpsertOrder(o, t0.Add(1))
		if err == nil && !changed {
			t.Error("a new delivery day is no change")
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Order(ctx, "SO-D"); got.DeliveredOn != "2026-11-22" {
		t.Fatalf("imported: %q", got.DeliveredOn)
	}
	if _, err := run.Abort(ctx, t0, "test"); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.Order(ctx, "SO-D"); got.DeliveredOn != "2026-11-20" {
		t.Fatalf("rolled back: %q", got.DeliveredOn)
	}
}
