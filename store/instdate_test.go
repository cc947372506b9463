package store

import (
	"context"
	"testing"

	"frontdesk/config"
)

// Issue 16's loose ends in the store: a rolled-back import puts back the
// delivery address and region too, and the retention job forgets the
// customer's acceptance note like the other free texts.

// rule: ID-5
// The customer's words at the acceptance (验收) are purged once old; the
// answer itself (accepted, problem) stays for the figures, and a recent
// note stays.
func TestPurgeForgetsOldAcceptanceNotes(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	old, recent := t0.AddDate(-2, 0, 0), t0.AddDate(0, 0, -1)
	if err := db.UpsertOrder(ctx, sofaOrder("SO-ACC", "13800001234"), old); err != nil {
		t.Fatal(err)
	}
	err := db.Update(ctx, func(tx *Tx) error {
		for _, id := range []string{"V-OLD", "V-NEW"} {
			if _, err := tx.AddVisit(Visit{ID: id, OrderNo: "SO-ACC", Kind: "install"}); err != nil {
				return err
			}
		}
		if err := tx.SetAcceptance("V-OLD", "problem", "柜门关不上，师傅说下次再来", old); err != nil {
			return err
		}
		return tx.SetAcceptance("V-NEW", "problem", "抽屉卡住了", recent)
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.Purge(ctx, Retention{Before: t0.AddDate(-1, 0, 0), Batch: 10})
	if err != nil {
		t.Fatal(err)
	}
	if k := p.Kind("visits"); k.Rows != 1 {
		t.Errorf("visits purged: %+v, want the one old note", k)
	}
	v, err := db.VisitRecordByID(ctx, "V-OLD")
	if err != nil || v.AcceptanceNote != "" || v.Acceptance != "problem" || v.AcceptedAt.IsZero() {
		t.Errorf("old visit after the purge: %+v %v (want the note gone, the answer kept)", v, err)
	}
	if v, err := db.VisitRecordByID(ctx, "V-NEW"); err != nil || v.AcceptanceNote != "抽屉卡住了" {
		t.Errorf("a recent note was purged: %+v %v", v, err)
	}
	// A second run finds nothing more to do.
	if p, err := db.Purge(ctx, Retention{Before: t0.AddDate(-1, 0, 0)}); err != nil || p.Kind("visits").Rows != 0 {
		t.Errorf("second purge: %+v %v", p.Kind("visits"), err)
	}
}

// A rolled-back import leaves every order exactly as it was, the delivery
// address and region included (issue 16: they came after the rollback).
func TestRollbackRestoresAddressAndRegion(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	before := sofaOrder("SO-PLACE", "13800001234")
	before.Address, before.Region = "上海市浦东新区张杨路 100 号", "上海/浦东新区"
	run := importOver(t, db, before)
	moved := before
	moved.Address, moved.Region, moved.Status = "哈尔滨市南岗区西大直街 1 号", "哈尔滨/南岗区", config.OrderDelivered
	cleared := before
	cleared.Address, cleared.Region = "", ""
	for _, o := range []Order{moved, cleared} { // two chunks: moved, then emptied
		err := run.Stage(ctx, func(itx *ImportTx) error {
			_, err := itx.UpsertOrder(o, t0.Add(1))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if now, _ := db.Order(ctx, "SO-PLACE"); now.Address != "" {
		t.Fatalf("the import did not change the address: %+v", now)
	}
	if _, err := run.Abort(ctx, t0, "test: a bad row"); err != nil {
		t.Fatal(err)
	}
	got, err := db.Order(ctx, "SO-PLACE")
	if err != nil || !SameOrder(got, before) || got.Address != before.Address || got.Region != before.Region {
		t.Fatalf("after the rollback: %+v %v, want %+v", got, err, before)
	}
}

// An import that would change only the address is a change, and one that
// changes nothing is skipped (the image compares the place too).
func TestImportSeesAnAddressChange(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	o := sofaOrder("SO-ADDR", "13800001234")
	o.Address, o.Region = "上海市徐汇区漕溪北路 1 号", "上海/徐汇区"
	run := importOver(t, db, o)
	var same, moved bool
	err := run.Stage(ctx, func(itx *ImportTx) (err error) {
		if same, err = itx.UpsertOrder(o, t0.Add(1)); err != nil {
			return err
		}
		o.Address = "上海市徐汇区漕溪北路 2 号"
		moved, err = itx.UpsertOrder(o, t0.Add(1))
		return err
	})
	if err != nil || same || !moved {
		t.Fatalf("unchanged order changed=%v, moved order changed=%v, %v", same, moved, err)
	}
}
