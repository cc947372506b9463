package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
)

// The price list is kept and quoted from; lines are counted by the month
// they were shipped, returned and charged in.
// rule: PRT-5, PRT-7
func TestPartsPriceListLinesAndMonthlyCounts(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	var c cases.Case
	err := db.Update(ctx, func(tx *Tx) (err error) {
		if err := tx.PutPartPrices([]cases.PartPrice{{SKU: "VW-100", Name: "角阀", PriceCents: 4550}, {SKU: "SH-2", Name: "花洒", PriceCents: 12000}}, t0); err != nil {
			return err
		}
		if err := tx.PutPartPrices([]cases.PartPrice{{SKU: "VW-100", Name: "角阀 (新)", PriceCents: 4800}}, t0); err != nil {
			return err
		}
		if c, err = tx.OpenCase(cases.Case{Kind: config.KindRepair, Phone: "13800001234"}, t0, shanghai); err != nil {
			return err
		}
		for _, l := range []PartLine{{CaseID: c.ID, SKU: "VW-100", Name: "角阀", Qty: 2, Warranty: true, UnitCents: 4800, AddedAt: t0, AddedBy: "小王"},
			{CaseID: c.ID, SKU: "SH-2", Name: "花洒", Qty: 1, UnitCents: 12000, FeeCents: 12000, AddedAt: t0, AddedBy: "小王"}} {
			if err := tx.AddPartLine(l); err != nil {
				return err
			}
		}
		return tx.ShipPartLines(c.ID, "2026-11-25", "2026-12-25", t0)
	})
	if err != nil {
		t.Fatal(err)
	}
	prices, err := db.PartPrices(ctx)
	if err != nil || len(prices) != 2 || prices[1] != (cases.PartPrice{SKU: "VW-100", Name: "角阀 (新)", PriceCents: 4800}) {
		t.Fatalf("prices %+v %v", prices, err)
	}
	db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.PartPriceInTx("NOPE"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown SKU: %v", err)
		}
		return nil
	})
	lines, err := db.PartLines(ctx, c.ID)
	if err != nil || len(lines) != 2 || lines[0].DueBack != "2026-12-25" || lines[1].DueBack != "" || lines[1].ShippedOn != "2026-11-25" {
		t.Fatalf("lines %+v %v", lines, err)
	}
	due, err := db.PartsDueBy(ctx, "2026-12-24", 10)
	if err != nil || len(due) != 0 {
		t.Fatalf("due early %v %v", due, err)
	}
	if due, _ = db.PartsDueBy(ctx, "2026-12-25", 10); len(due) != 1 || due[0] != c.Number {
		t.Fatalf("due %v", due)
	}
	next := t0.AddDate(0, 1, 0)
	if err := db.Update(ctx, func(tx *Tx) error { return tx.ChargePartLines(c.ID, next) }); err != nil {
		t.Fatal(err)
	}
	if due, _ = db.PartsDueBy(ctx, "2027-01-25", 10); len(due) != 0 {
		t.Fatalf("charged still due %v", due)
	}
	month := func(at time.Time) PartsCount {
		from := time.Date(at.Year(), at.Month(), 1, 0, 0, 0, 0, shanghai)
		n, err := db.PartsCounted(ctx, from, from.AddDate(0, 1, 0))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := month(t0); n != (PartsCount{Issued: 3, IssuedFree: 2, FeeCents: 12000}) {
		t.Errorf("issue month %+v", n)
	}
	if n := month(next); n != (PartsCount{Charged: 2, ChargedCents: 9600}) {
		t.Errorf("charge month %+v", n)
	}
}
