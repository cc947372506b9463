package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"frontdesk/cases"
	"frontdesk/config"
)

// One import at a time on a database file; a store opened meanwhile (a
// desk starting, `frontdesk migrate`) leaves the live import alone.
func TestOneImportAtATimeAndALiveOneIsLeftAlone(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fd.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	run, err := db.BeginImport(ctx, Import{Kind: "orders", FileName: "a.csv", Rows: 2, Records: 1}, Pace{}, t0)
	if err != nil {
		t.Fatal(err)
	}
	defer run.Close()
	if err := run.Stage(ctx, func(itx *ImportTx) error {
		_, err := itx.UpsertOrder(sofaOrder("SO-1", "13800001234"), t0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.BeginImport(ctx, Import{Kind: "orders"}, Pace{}, t0); cases.ErrorCode(err) != cases.Conflict ||
		!strings.Contains(cases.ErrorMessage(err), "another import") {
		t.Fatalf("a second import: %v", err)
	}
	other, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	other.Close()
	if _, err := db.Order(ctx, "SO-1"); err != nil {
		t.Fatalf("opening the store rolled back a live import: %v", err)
	}
	if list, _ := db.Imports(ctx, 0); len(list) != 1 || list[0].Status != ImportStaged || list[0].FileName != "a.csv" {
		t.Fatalf("imports: %+v", list)
	}
	if _, err := run.Abort(ctx, t0, "test"); err != nil {
		t.Fatal(err)
	}
	run.Close()
	if _, err := db.Order(ctx, "SO-1"); err == nil {
		t.Fatal("the aborted import's order stayed")
	}
	next, err := db.BeginImport(ctx, Import{Kind: "orders"}, Pace{}, t0)
	if err != nil {
		t.Fatalf("an import after the first ended: %v", err)
	}
	next.Close()
}

// A rolled-back import takes back what it wrote, except a record the desk
// refers to meanwhile (a case opened on a new order): that one stays, and
// the import's record says so.
func TestRollbackKeepsWhatTheDeskRefersTo(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	run := importOver(t, db, sofaOrder("SO-OLD", "13800001234"))
	changed := sofaOrder("SO-OLD", "13800001234")
	changed.CustomerName, changed.Status = "王芳芳", config.OrderDelivered
	changed.Items = changed.Items[:1]
	err := run.Stage(ctx, func(itx *ImportTx) error {
		for _, o := range []Order{sofaOrder("SO-NEW", "13900005678"), sofaOrder("SO-FREE", "13900005679"), changed} {
			if _, err := itx.UpsertOrder(o, t0.Add(1)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *Tx) error {
		_, err := tx.OpenCase(cases.Case{Kind: config.KindQualityDefect, OrderNo: "SO-NEW", Phone: "13900005678"}, t0, shanghai)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	kept, err := run.Abort(ctx, t0, "test")
	if err != nil || len(kept) != 1 || kept[0] != "order SO-NEW" {
		t.Fatalf("kept %v, %v", kept, err)
	}
	if _, err := db.Order(ctx, "SO-FREE"); err == nil {
		t.Fatal("a new order nobody refers to stayed")
	}
	if o, err := db.Order(ctx, "SO-OLD"); err != nil || !SameOrder(o, sofaOrder("SO-OLD", "13800001234")) || !o.UpdatedAt.Equal(t0) {
		t.Fatalf("the changed order is not put back: %+v %v", o, err)
	}
	if list, _ := db.Imports(ctx, 1); list[0].Status != ImportRolledBack || !strings.Contains(list[0].Error, "SO-NEW") {
		t.Fatalf("the import's record: %+v", list[0])
	}
}

// An order the import would not change is left alone: no write, nothing
// to undo.
func TestImportSkipsAnUnchangedOrder(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	o := sofaOrder("SO-1", "13800001234")
	run := importOver(t, db, o)
	var changed bool
	if err := run.Stage(ctx, func(itx *ImportTx) (err error) {
		changed, err = itx.UpsertOrder(o, t0.Add(3600e9))
		return err
	}); err != nil || changed {
		t.Fatalf("changed=%v %v", changed, err)
	}
	var n int
	db.read.QueryRow("SELECT COUNT(*) FROM import_changes").Scan(&n)
	if n != 0 {
		t.Fatalf("%d changes logged for an unchanged order", n)
	}
	if got, _ := db.Order(ctx, "SO-1"); !got.UpdatedAt.Equal(t0) {
		t.Fatalf("updated at %v", got.UpdatedAt)
	}
}
