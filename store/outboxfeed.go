package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// The outbox feed hands the outbound messages a transaction wrote to the
// sender the moment the transaction commits, so that the sender delivers
// them without reading them back. The store stays the source of truth: a
// message the sender never heard of (a restart, a full queue, a listener
// added late) is still pending in the table, and the sender's poll finds it.

// outboxFeed holds the listeners of committed outbox messages.
type outboxFeed struct {
	mu        sync.Mutex
	next      int
	listeners map[int]func([]OutboxMessage)
}

// OnOutboxCommitted calls fn, after each commit that wrote outbound
// messages, with those messages as the table now holds them (pending, due
// when written, in id order). fn runs on the committing goroutine while
// the writer waits: it must only take note and return. The returned func
// stops the calls.
func (db *DB) OnOutboxCommitted(fn func([]OutboxMessage)) (stop func()) {
	f := &db.outboxFeed
	f.mu.Lock()
	if f.listeners == nil {
		f.listeners = map[int]func([]OutboxMessage){}
	}
	id := f.next
	f.next++
	f.listeners[id] = fn
	f.mu.Unlock()
	return func() {
		f.mu.Lock()
		delete(f.listeners, id)
		f.mu.Unlock()
	}
}

// committed tells the listeners of the messages a transaction wrote, once
// it has committed.
func (db *DB) committed(msgs []OutboxMessage) {
	if len(msgs) == 0 {
		return
	}
	feed := &db.outboxFeed
	feed.mu.Lock()
	fns := make([]func([]OutboxMessage), 0, len(feed.listeners))
	for _, fn := range feed.listeners {
		fns = append(fns, fn)
	}
	feed.mu.Unlock()
	for _, fn := range fns {
		fn(msgs)
	}
}

// noteEnqueued keeps what Enqueue wrote, for the feed after the commit.
func (tx *Tx) noteEnqueued(m OutboxMessage, id int64, now time.Time) {
	at := fromMillis(millis(now))
	m.ID, m.Status, m.Attempts, m.NextAttemptAt, m.CreatedAt = id, "pending", 0, at, at
	m.Payload = append([]byte(nil), m.Payload...) // the caller may reuse its buffer
	m.LastError, m.SentAt, m.RequeuedAt, m.DeadAt = "", time.Time{}, time.Time{}, time.Time{}
	tx.enqueued = append(tx.enqueued, m)
}

// maxMarkBatch bounds the ids of one MarkSentBatch statement (SQLite's
// limit of bound variables is far above it).
const maxMarkBatch = 500

// MarkSentBatch records many deliveries in one write transaction, which
// shares its commit with the desk's when the desk is writing (group
// commit): a mark per delivered message would compete with the desk for
// SQLite's one writer. Messages no longer pending (another sender recorded
// them) are left as they are. It returns how many it marked.
func (db *DB) MarkSentBatch(ctx context.Context, ids []int64, at time.Time) (int, error) {
	marked := 0
	err := db.UpdateGrouped(ctx, func(tx *Tx) error {
		marked = 0
		for start := 0; start < len(ids); start += maxMarkBatch {
			n, err := tx.markSent(ids[start:min(start+maxMarkBatch, len(ids))], at)
			if err != nil {
				return err
			}
			marked += n
		}
		return nil
	})
	if err != nil {
		return 0, coded(fmt.Errorf("store: outbox mark sent: %w", err))
	}
	return marked, nil
}

func (tx *Tx) markSent(ids []int64, at time.Time) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	args := make([]any, 0, len(ids)+1)
	args = append(args, millis(at))
	for _, id := range ids {
		args = append(args, id)
	}
	// Unprepared on purpose: the id list's length varies, and a statement
	// per length would fill the cache.
	q := "UPDATE outbox SET status='sent', sent_at=?, attempts=attempts+1, last_error='' WHERE status='pending' AND id IN (?" +
		strings.Repeat(",?", len(ids)-1) + ")"
	res, err := tx.tx.ExecContext(tx.ctx, q, args...)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// PendingOn returns the id and recipient of every pending message of
// channel, in id order: the sender learns from it which recipients have
// messages it did not hear of from the feed.
func (db *DB) PendingOn(ctx context.Context, channel string) ([]OutboxMessage, error) {
	rows, err := db.query(ctx, `SELECT id, recipient FROM outbox INDEXED BY outbox_pending_channel
		WHERE status = 'pending' AND channel = ? ORDER BY recipient, id`, channel)
	return collect(rows, err, "pending outbox", func(r scanner) (OutboxMessage, error) {
		m := OutboxMessage{Channel: channel, Status: "pending"}
		return m, r.Scan(&m.ID, &m.Recipient)
	})
}
