package store

import (
	"context"
	"errors"
	"strings"
	"testing"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"frontdesk/cases"
)

// wantCode fails unless err has code, a message for a person (no "store: "
// prefix, which stays in the log text) and, when driver is set, the SQLite
// error with that code kept as the cause.
func wantCode(t *testing.T, err error, code cases.Code, driver int) {
	t.Helper()
	if got := cases.ErrorCode(err); got != code {
		t.Fatalf("code %q, want %q: %v", got, code, err)
	}
	if msg := cases.ErrorMessage(err); strings.HasPrefix(msg, "store:") || msg == "internal error" {
		t.Errorf("message %q", msg)
	}
	if driver != 0 {
		var se *sqlite.Error
		if !errors.As(err, &se) || se.Code() != driver {
			t.Errorf("the driver's error %d is not the cause: %v", driver, err)
		}
	}
}

func TestSentinelsAreCoded(t *testing.T) {
	for err, code := range map[error]cases.Code{ErrNotFound: cases.NotFound, ErrConflict: cases.Conflict,
		ErrDuplicate: cases.Conflict, ErrClosed: cases.Unavailable} {
		wantCode(t, err, code, 0)
	}
	db := MustOpen(t)
	db.Close()
	err := db.UpdateGrouped(context.Background(), func(*Tx) error { return nil })
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("after Close: %v", err)
	}
	wantCode(t, err, cases.Unavailable, 0)
}

func TestNotFoundIsNotFound(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	_, err := db.Order(ctx, "SO-404")
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("order: %v", err)
	}
	wantCode(t, err, cases.NotFound, 0)
	err = db.Update(ctx, func(tx *Tx) error { _, err := tx.CaseInTx("AS-19990101-0001"); return err })
	if !errors.Is(err, ErrNotFound) || cases.ErrorMessage(err) != "no case AS-19990101-0001" {
		t.Fatalf("case: %v (%q)", err, cases.ErrorMessage(err))
	}
	wantCode(t, err, cases.NotFound, 0)
}

func TestValidationIsInvalid(t *testing.T) {
	db := MustOpen(t)
	o := sofaOrder("SO-1", "13800001234")
	o.Items[0].Category = "toys"
	err := db.UpsertOrder(context.Background(), o, t0)
	wantCode(t, err, cases.Invalid, 0)
	if msg := cases.ErrorMessage(err); !strings.HasPrefix(msg, "order SO-1: items[0].category") {
		t.Errorf("message %q", msg)
	}
	if !strings.HasPrefix(err.Error(), "store: order SO-1: items[0].category") {
		t.Errorf("log text %q", err)
	}
}

func TestUniqueViolationIsConflict(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	var a, b int64
	err := db.Update(ctx, func(tx *Tx) (err error) {
		if a, err = tx.UpsertProvider(cases.Provider{Name: "张师傅", Region: "浦东"}); err != nil {
			return err
		}
		b, err = tx.UpsertProvider(cases.Provider{Name: "李师傅", Region: "浦东"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The store names the clash itself …
	err = db.Update(ctx, func(tx *Tx) error {
		return tx.UpdateProvider(cases.Provider{ID: b, Name: "张师傅", Region: "浦东"})
	})
	wantCode(t, err, cases.Conflict, sqlite3.SQLITE_CONSTRAINT_UNIQUE)
	if !strings.Contains(cases.ErrorMessage(err), "exists already") {
		t.Errorf("message %q", cases.ErrorMessage(err))
	}
	// … and any other duplicate key leaving Update is a conflict too.
	err = db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec("INSERT INTO providers (id, name, region, stars, visits, last_summary) VALUES (?, 'x', '', 0, 0, '')", a)
		return err
	})
	wantCode(t, err, cases.Conflict, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

func TestForeignKeyViolationIsInvalid(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	_, _, err := db.AddShipment(ctx, Shipment{OrderNo: "SO-404", Carrier: "德邦", TrackingNo: "DPK1",
		ShippedOn: "2026-11-24", ExpectedArrival: "2026-11-27"}, t0)
	wantCode(t, err, cases.Invalid, 0)
	if !errors.Is(err, ErrNotFound) || !strings.Contains(cases.ErrorMessage(err), "no order SO-404") {
		t.Fatalf("shipment of an unknown order: %v", err)
	}
	err = db.Update(ctx, func(tx *Tx) error {
		_, err := tx.OpenCase(cases.Case{Kind: "complaint", OrderNo: "SO-404", Channel: "web", ChatID: "c1"}, t0, shanghai)
		return err
	})
	wantCode(t, err, cases.Invalid, 0)
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("case of an unknown order: %v", err)
	}
	// A foreign key the store does not check by name is Invalid as well.
	err = db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec("INSERT INTO order_items (order_no, line, name, sku, quantity, category) VALUES ('SO-404', 1, 'x', '', 1, 'furniture')")
		return err
	})
	wantCode(t, err, cases.Invalid, sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY)
}

func TestDiskFullIsUnavailable(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	// The write pool is one connection, so this limit holds for every
	// write that follows: the file cannot grow by a page.
	if _, err := db.write.ExecContext(ctx, "PRAGMA max_page_count = 1"); err != nil {
		t.Fatal(err)
	}
	big := strings.Repeat("x", 1<<20)
	err := db.SetSetting(ctx, "big", big)
	wantCode(t, err, cases.Unavailable, sqlite3.SQLITE_FULL)
	err = db.Update(ctx, func(tx *Tx) error { return tx.SetSettingTx("big", big) })
	wantCode(t, err, cases.Unavailable, sqlite3.SQLITE_FULL)
	err = db.UpdateGrouped(ctx, func(tx *Tx) error { return tx.SetSettingTx("big", big) })
	wantCode(t, err, cases.Unavailable, sqlite3.SQLITE_FULL)
	if !strings.Contains(cases.ErrorMessage(err), "disk is full") {
		t.Errorf("message %q", cases.ErrorMessage(err))
	}
}

func TestReadOnlyIsUnavailable(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	if _, err := db.write.ExecContext(ctx, "PRAGMA query_only = 1"); err != nil {
		t.Fatal(err)
	}
	err := db.SetSetting(ctx, "k", "v")
	wantCode(t, err, cases.Unavailable, sqlite3.SQLITE_READONLY)
	if _, err := db.write.ExecContext(ctx, "PRAGMA query_only = 0"); err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting(ctx, "k", "v"); err != nil {
		t.Fatalf("writable again: %v", err)
	}
}

func TestOtherErrorsStayInternal(t *testing.T) {
	db := MustOpen(t)
	err := db.Update(context.Background(), func(tx *Tx) error {
		_, err := tx.exec("INSERT INTO no_such_table VALUES (1)")
		return err
	})
	if err == nil || cases.ErrorCode(err) != cases.Internal || cases.ErrorMessage(err) != "internal error" {
		t.Fatalf("a bug in SQL: %v", err)
	}
}
