package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"frontdesk/cases"
)

// On a simulated full disk every write fails as SQLite fails it (SQLITE_FULL,
// code Unavailable) and reads go on; freed, the store writes again.
func TestSimulatedFullDiskFailsEveryWrite(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	var id int64
	if err := db.Update(ctx, func(tx *Tx) (err error) {
		id, err = tx.Enqueue(OutboxMessage{Channel: "web", Recipient: "a", Payload: []byte("x")}, t0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.SimulateFullDisk(ctx, true); err != nil {
		t.Fatal(err)
	}
	full := func(what string, err error) {
		t.Helper()
		if cases.ErrorCode(err) != cases.Unavailable || !strings.Contains(err.Error(), "full") {
			t.Errorf("%s on a full disk: %v (code %s)", what, err, cases.ErrorCode(err))
		}
	}
	full("MarkSent", db.MarkSent(ctx, id, t0))
	full("Defer", db.Defer(ctx, id, t0.Add(time.Minute)))
	full("CheckWrite", db.CheckWrite(ctx, t0))
	full("Enqueue", db.Update(ctx, func(tx *Tx) error {
		_, err := tx.Enqueue(OutboxMessage{Channel: "web", Recipient: "a", Payload: []byte("y")}, t0)
		return err
	}))
	full("SetSetting", db.SetSetting(ctx, "k", "v"))
	if m, err := db.OutboxMessageByID(ctx, id); err != nil || m.Status != "pending" {
		t.Fatalf("read on a full disk: %+v, %v", m, err)
	}
	if err := db.SimulateFullDisk(ctx, false); err != nil {
		t.Fatal(err)
	}
	if err := db.CheckWrite(ctx, t0); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSent(ctx, id, t0); err != nil {
		t.Fatal(err)
	}
	if n, _ := db.OutboxBacklog(ctx); n != 0 {
		t.Fatalf("backlog %d after the disk was freed", n)
	}
}

// A dead message is listed with its case, and sent again only once.
func TestDeadLettersListAndRequeue(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	var id int64
	db.Update(ctx, func(tx *Tx) (err error) {
		id, err = tx.Enqueue(OutboxMessage{Channel: "telegram", Recipient: "42", Payload: []byte("x")}, t0)
		return err
	})
	if err := db.Defer(ctx, id, t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if m, _ := db.OutboxMessageByID(ctx, id); m.Attempts != 0 || !m.NextAttemptAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("a deferral counted as an attempt: %+v", m)
	}
	if err := db.MarkDead(ctx, id, "500", t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	dead, err := db.DeadOutbox(ctx, 10)
	if err != nil || len(dead) != 1 || dead[0].ID != id || dead[0].LastError != "500" || !dead[0].DeadAt.Equal(t0.Add(time.Hour)) {
		t.Fatalf("dead letters: %+v, %v", dead, err)
	}
	later := t0.Add(2 * time.Hour)
	var m OutboxMessage
	if err := db.Update(ctx, func(tx *Tx) (err error) { m, err = tx.RequeueDead(id, later); return err }); err != nil {
		t.Fatal(err)
	}
	if m.Status != "pending" || !m.Since().Equal(later) || !m.NextAttemptAt.Equal(later) || !m.DeadAt.IsZero() {
		t.Fatalf("requeued: %+v", m)
	}
	err = db.Update(ctx, func(tx *Tx) error { _, err := tx.RequeueDead(id, later); return err })
	if !errors.Is(err, ErrNotFound) {
		t.Fatalf("requeue of a pending message: %v", err)
	}
	if dead, _ := db.DeadOutbox(ctx, 10); len(dead) != 0 {
		t.Fatalf("still listed: %+v", dead)
	}
}
