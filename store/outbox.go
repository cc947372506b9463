package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"frontdesk/cases"
)

// OutboxMessage is one outbound message waiting for, or past, delivery.
type OutboxMessage struct {
	ID            int64
	Channel       string // "web", "telegram", "slack" …
	Recipient     string // the chat, session or channel on that channel
	Payload       []byte // the channel-neutral message, JSON
	Status        string // pending, sent, dead
	Attempts      int    // sends tried; a deferral (a rate limit's "later") is none
	NextAttemptAt time.Time
	LastError     string
	CaseID        int64
	CreatedAt     time.Time
	SentAt        time.Time
	RequeuedAt    time.Time // when staff last sent a dead message again; zero if never
	DeadAt        time.Time // when it was given up on; zero unless dead
}

// Since is when the message's current run of tries began: written, or
// re-queued by staff. The sender gives up on it a while after that.
func (m OutboxMessage) Since() time.Time {
	if m.RequeuedAt.After(m.CreatedAt) {
		return m.RequeuedAt
	}
	return m.CreatedAt
}

// Enqueue writes an outbound message in the caller's transaction; it is
// delivered only if that transaction commits.
func (tx *Tx) Enqueue(m OutboxMessage, now time.Time) (int64, error) {
	if m.Channel == "" || m.Recipient == "" {
		return 0, invalid("outbox: channel and recipient are required")
	}
	var caseID any
	if m.CaseID != 0 {
		caseID = m.CaseID
	}
	res, err := tx.exec(`INSERT INTO outbox (channel, recipient, payload, next_attempt_at, case_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, m.Channel, m.Recipient, string(m.Payload), millis(now), caseID, millis(now))
	if err != nil {
		return 0, fmt.Errorf("store: enqueue: %w", err)
	}
	id, err := res.LastInsertId()
	if err == nil {
		tx.noteEnqueued(m, id, now)
	}
	return id, err
}

const outboxColumns = `id, channel, recipient, payload, status, attempts, next_attempt_at, last_error,
	COALESCE(case_id, 0), created_at, sent_at, requeued_at, dead_at`

func scanOutbox(row scanner) (OutboxMessage, error) {
	var m OutboxMessage
	var payload string
	var next, created int64
	var sent, requeued, dead sql.NullInt64
	err := row.Scan(&m.ID, &m.Channel, &m.Recipient, &payload, &m.Status, &m.Attempts, &next, &m.LastError,
		&m.CaseID, &created, &sent, &requeued, &dead)
	m.Payload = []byte(payload)
	m.NextAttemptAt, m.CreatedAt, m.SentAt = fromMillis(next), fromMillis(created), fromNullMillis(sent)
	m.RequeuedAt, m.DeadAt = fromNullMillis(requeued), fromNullMillis(dead)
	return m, err
}

// DueOutbox returns up to limit messages ready to send at now: for each
// recipient only its oldest pending message, so a chat receives its messages
// in order even when an earlier one is waiting out a retry.
func (db *DB) DueOutbox(ctx context.Context, now time.Time, limit int) ([]OutboxMessage, error) {
	rows, err := db.query(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id IN (
			SELECT MIN(id) FROM outbox WHERE status = 'pending' GROUP BY channel, recipient)
		AND next_attempt_at <= ? ORDER BY id LIMIT ?`, millis(now), limit)
	return collect(rows, err, "due outbox", scanOutbox)
}

// DueOutboxOn is DueOutbox for one channel.
func (db *DB) DueOutboxOn(ctx context.Context, channel string, now time.Time, limit int) ([]OutboxMessage, error) {
	rows, err := db.query(ctx, `SELECT `+outboxColumns+` FROM outbox WHERE id IN (
			SELECT MIN(id) FROM outbox WHERE status = 'pending' AND channel = ? GROUP BY recipient)
		AND next_attempt_at <= ? ORDER BY id LIMIT ?`, channel, millis(now), limit)
	return collect(rows, err, "due outbox", scanOutbox)
}

// NextOutboxAttempt returns when the earliest pending message falls due, or
// false when nothing is pending.
func (db *DB) NextOutboxAttempt(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullInt64
	err := db.queryRow(ctx, "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending'").Scan(&next)
	if err != nil {
		return time.Time{}, false, coded(fmt.Errorf("store: next outbox attempt: %w", err))
	}
	return fromNullMillis(next), next.Valid, nil
}

// NextOutboxAttemptOn returns when the earliest pending message of channel
// that is not due at now falls due, or false when there is none. (The
// sender already knows of those due now.)
func (db *DB) NextOutboxAttemptOn(ctx context.Context, channel string, now time.Time) (time.Time, bool, error) {
	var next sql.NullInt64
	err := db.queryRow(ctx, `SELECT MIN(next_attempt_at) FROM outbox
		WHERE status = 'pending' AND channel = ? AND next_attempt_at > ?`, channel, millis(now)).Scan(&next)
	if err != nil {
		return time.Time{}, false, coded(fmt.Errorf("store: next outbox attempt: %w", err))
	}
	return fromNullMillis(next), next.Valid, nil
}

// PendingChannels names the channels that have messages waiting.
func (db *DB) PendingChannels(ctx context.Context) ([]string, error) {
	rows, err := db.query(ctx, "SELECT DISTINCT channel FROM outbox WHERE status = 'pending' ORDER BY channel")
	return collect(rows, err, "pending channels", func(r scanner) (string, error) {
		var s string
		return s, r.Scan(&s)
	})
}

// MarkSent records a delivery.
func (db *DB) MarkSent(ctx context.Context, id int64, at time.Time) error {
	return db.setOutbox(ctx, "UPDATE outbox SET status='sent', sent_at=?, attempts=attempts+1, last_error='' WHERE id=? AND status='pending'",
		millis(at), id)
}

// MarkRetry records a failed attempt and when to try again.
func (db *DB) MarkRetry(ctx context.Context, id int64, next time.Time, reason string) error {
	return db.setOutbox(ctx, "UPDATE outbox SET attempts=attempts+1, next_attempt_at=?, last_error=? WHERE id=? AND status='pending'",
		millis(next), truncate(reason, 500), id)
}

// Defer puts a message off until next without counting an attempt: the
// channel said "later" (its own pace, or the platform's Retry-After), which
// says nothing about whether the message can be delivered.
func (db *DB) Defer(ctx context.Context, id int64, next time.Time) error {
	return db.setOutbox(ctx, "UPDATE outbox SET next_attempt_at=? WHERE id=? AND status='pending'", millis(next), id)
}

// MarkDead gives up on a message; it stays in the table for staff to see
// (DeadOutbox) and to send again (RequeueDead).
func (db *DB) MarkDead(ctx context.Context, id int64, reason string, at time.Time) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.MarkDead(id, reason, at) })
}

// MarkDead is DB.MarkDead in the caller's transaction, so that what staff
// are told about it commits with it.
func (tx *Tx) MarkDead(id int64, reason string, at time.Time) error {
	res, err := tx.exec("UPDATE outbox SET status='dead', attempts=attempts+1, last_error=?, dead_at=? WHERE id=? AND status='pending'",
		truncate(reason, 500), millis(at), id)
	if err != nil {
		return coded(fmt.Errorf("store: outbox update: %w", err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("no pending outbox message %d", id)
	}
	return nil
}

func (db *DB) setOutbox(ctx context.Context, q string, args ...any) error {
	res, err := db.write.ExecContext(ctx, q, args...)
	if err != nil {
		return coded(fmt.Errorf("store: outbox update: %w", err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("no pending outbox message %v", args[len(args)-1])
	}
	return nil
}

// OutboxMessageByID returns one outbox row.
func (db *DB) OutboxMessageByID(ctx context.Context, id int64) (OutboxMessage, error) {
	return orNotFound(scanOutbox(db.queryRow(ctx, "SELECT "+outboxColumns+" FROM outbox WHERE id = ?", id)))
}

// OutboxAfter returns a recipient's messages with an id above afterID, in
// order. The web chat reads its conversation this way.
func (db *DB) OutboxAfter(ctx context.Context, channel, recipient string, afterID int64, limit int) ([]OutboxMessage, error) {
	rows, err := db.query(ctx, "SELECT "+outboxColumns+` FROM outbox
		WHERE channel = ? AND recipient = ? AND id > ? AND status != 'dead' ORDER BY id LIMIT ?`,
		channel, recipient, afterID, limit)
	return collect(rows, err, "outbox after", scanOutbox)
}

// OutboxBacklog counts the messages not yet delivered.
func (db *DB) OutboxBacklog(ctx context.Context) (int, error) {
	var n int
	err := db.queryRow(ctx, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'").Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: outbox backlog: %w", err)
	}
	return n, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}

// ErrDuplicate is returned when an inbound update was already processed
// (code Conflict).
var ErrDuplicate error = &cases.Error{Code: cases.Conflict, Message: "this inbound update was processed already"}

// MarkInbound records that the update (channel, external id) is being
// processed in this transaction; a second call for the same update returns
// ErrDuplicate, so the transaction that would apply it twice rolls back.
func (tx *Tx) MarkInbound(channel, externalID string, now time.Time) error {
	res, err := tx.exec(`INSERT INTO inbound_seen (channel, external_id, seen_at)
		VALUES (?, ?, ?) ON CONFLICT DO NOTHING`, channel, externalID, millis(now))
	if err != nil {
		return fmt.Errorf("store: mark inbound: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrDuplicate
	}
	return nil
}

// InboundSeen reports whether an update was already processed.
func (db *DB) InboundSeen(ctx context.Context, channel, externalID string) (bool, error) {
	var one int
	err := db.queryRow(ctx, "SELECT 1 FROM inbound_seen WHERE channel = ? AND external_id = ?",
		channel, externalID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
