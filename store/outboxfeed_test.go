package store

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

type heard struct {
	mu   sync.Mutex
	msgs []OutboxMessage
}

func (h *heard) take(msgs []OutboxMessage) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.msgs = append(h.msgs, msgs...)
}

func (h *heard) all() []OutboxMessage {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]OutboxMessage(nil), h.msgs...)
}

// The feed hears what a commit wrote, as the table holds it; nothing of a
// transaction rolled back, nor of a grouped caller whose savepoint was.
func TestOutboxFeedHearsCommittedMessagesOnly(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	h := &heard{}
	stop := db.OnOutboxCommitted(h.take)
	payload := []byte("hello")
	var id int64
	if err := db.Update(ctx, func(tx *Tx) (err error) {
		id, err = tx.Enqueue(OutboxMessage{Channel: "web", Recipient: "a", Payload: payload, CaseID: 0}, t0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	payload[0] = 'X' // the caller's buffer is not the feed's
	boom := errors.New("boom")
	if err := db.Update(ctx, func(tx *Tx) error {
		tx.Enqueue(OutboxMessage{Channel: "web", Recipient: "a", Payload: []byte("rolled back")}, t0)
		return boom
	}); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i, fail := range []bool{false, true, false, true} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db.UpdateGrouped(ctx, func(tx *Tx) error {
				if _, err := tx.Enqueue(OutboxMessage{Channel: "web", Recipient: "g", Payload: []byte{byte('0' + i)}}, t0); err != nil {
					return err
				}
				if fail {
					return boom
				}
				return nil
			})
		}()
	}
	wg.Wait()
	got := h.all()
	if len(got) != 3 {
		t.Fatalf("heard %d messages: %+v", len(got), got)
	}
	stored, err := db.OutboxMessageByID(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	m := got[0]
	if m.ID != id || string(m.Payload) != "hello" || m.Status != "pending" || !m.CreatedAt.Equal(stored.CreatedAt) ||
		!m.NextAttemptAt.Equal(stored.NextAttemptAt) || m.Attempts != 0 || m.Channel != "web" || m.Recipient != "a" {
		t.Fatalf("heard %+v, stored %+v", m, stored)
	}
	for _, m := range got[1:] {
		if m.Payload[0] != '0' && m.Payload[0] != '2' {
			t.Fatalf("heard a rolled-back savepoint's message %q", m.Payload)
		}
	}
	stop()
	enqueueOne(t, db, "a", "after stop")
	if len(h.all()) != 3 {
		t.Fatal("heard after stop")
	}
}

func enqueueOne(t *testing.T, db *DB, recipient, payload string) int64 {
	t.Helper()
	var id int64
	if err := db.Update(context.Background(), func(tx *Tx) (err error) {
		id, err = tx.Enqueue(OutboxMessage{Channel: "web", Recipient: recipient, Payload: []byte(payload)}, t0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

// One batch marks every pending message it names, leaves one no longer
// pending as it is, and takes more ids than one statement holds.
func TestMarkSentBatch(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	var ids []int64
	for i := 0; i < maxMarkBatch+3; i++ {
		ids = append(ids, enqueueOne(t, db, "a", "x"))
	}
	dead := enqueueOne(t, db, "b", "x")
	if err := db.MarkDead(ctx, dead, "gone", t0); err != nil {
		t.Fatal(err)
	}
	at := t0.Add(time.Minute)
	n, err := db.MarkSentBatch(ctx, append(ids, dead, 999999), at)
	if err != nil || n != len(ids) {
		t.Fatalf("marked %d, %v; want %d", n, err, len(ids))
	}
	if backlog, _ := db.OutboxBacklog(ctx); backlog != 0 {
		t.Fatalf("backlog %d", backlog)
	}
	m, _ := db.OutboxMessageByID(ctx, ids[len(ids)-1])
	if m.Status != "sent" || !m.SentAt.Equal(at) || m.Attempts != 1 {
		t.Fatalf("marked %+v", m)
	}
	if m, _ := db.OutboxMessageByID(ctx, dead); m.Status != "dead" {
		t.Fatalf("a dead message became %s", m.Status)
	}
	if n, err := db.MarkSentBatch(ctx, nil, at); n != 0 || err != nil {
		t.Fatalf("empty batch: %d, %v", n, err)
	}
	pending := enqueueOne(t, db, "c", "x")
	if err := db.SimulateFullDisk(ctx, true); err != nil {
		t.Fatal(err)
	}
	if _, err := db.MarkSentBatch(ctx, []int64{pending}, at); err == nil {
		t.Fatal("a batch mark on a full disk reported no error")
	}
	if err := db.SimulateFullDisk(ctx, false); err != nil {
		t.Fatal(err)
	}
	if m, _ := db.OutboxMessageByID(ctx, pending); m.Status != "pending" {
		t.Fatalf("the failed batch left %s", m.Status)
	}
}

// PendingOn names every pending message of a channel, and nothing else.
func TestPendingOn(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	a := enqueueOne(t, db, "a", "x")
	sent := enqueueOne(t, db, "b", "x")
	if err := db.MarkSent(ctx, sent, t0); err != nil {
		t.Fatal(err)
	}
	if err := db.Update(ctx, func(tx *Tx) error {
		_, err := tx.Enqueue(OutboxMessage{Channel: "staff", Recipient: "c", Payload: []byte("x")}, t0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	got, err := db.PendingOn(ctx, "web")
	if err != nil || len(got) != 1 || got[0].ID != a || got[0].Recipient != "a" {
		t.Fatalf("pending on web: %+v, %v", got, err)
	}
}

// The dialog's save is one conditional statement: a new key saves at
// version 0 only, a live one at its version only, an expired one as new.
func TestSaveDialogChecksTheVersionInOneStatement(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	save := func(version int64, now time.Time) error {
		return db.SaveDialog(ctx, "web:1", []byte(`{}`), version, now, time.Hour)
	}
	if err := save(3, t0); !errors.Is(err, ErrConflict) {
		t.Fatalf("a new key at version 3: %v", err)
	}
	if err := save(0, t0); err != nil {
		t.Fatal(err)
	}
	if err := save(0, t0); !errors.Is(err, ErrConflict) {
		t.Fatalf("a live key at version 0: %v", err)
	}
	if err := save(2, t0); !errors.Is(err, ErrConflict) {
		t.Fatalf("a stale version: %v", err)
	}
	if err := save(1, t0); err != nil {
		t.Fatal(err)
	}
	if _, v, _ := db.LoadDialog(ctx, "web:1", t0); v != 2 {
		t.Fatalf("version %d after two saves", v)
	}
	later := t0.Add(2 * time.Hour) // expired
	if err := save(2, later); !errors.Is(err, ErrConflict) {
		t.Fatalf("an expired key at its old version: %v", err)
	}
	if err := save(0, later); err != nil {
		t.Fatal(err)
	}
	if _, v, _ := db.LoadDialog(ctx, "web:1", later); v != 1 {
		t.Fatalf("an expired key saved anew has version %d", v)
	}
}
