package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"syscall"
	"time"

	"frontdesk/cases"
)

// DeadLetter is a message the outbox gave up on, with the number of its
// case when it has one.
type DeadLetter struct {
	OutboxMessage
	CaseNumber string
}

// DeadOutbox lists the messages given up on, the latest first.
func (db *DB) DeadOutbox(ctx context.Context, limit int) ([]DeadLetter, error) {
	rows, err := db.query(ctx, "SELECT "+outboxColumns+`,
			COALESCE((SELECT number FROM cases WHERE cases.id = outbox.case_id), '')
		FROM outbox WHERE status = 'dead' ORDER BY dead_at DESC, id DESC LIMIT ?`, limit)
	return collect(rows, err, "dead outbox", scanDeadLetter)
}

func scanDeadLetter(row scanner) (DeadLetter, error) {
	var d DeadLetter
	var payload string
	var next, created int64
	var sent, requeued, dead sql.NullInt64
	m := &d.OutboxMessage
	err := row.Scan(&m.ID, &m.Channel, &m.Recipient, &payload, &m.Status, &m.Attempts, &next, &m.LastError,
		&m.CaseID, &created, &sent, &requeued, &dead, &d.CaseNumber)
	m.Payload = []byte(payload)
	m.NextAttemptAt, m.CreatedAt, m.SentAt = fromMillis(next), fromMillis(created), fromNullMillis(sent)
	m.RequeuedAt, m.DeadAt = fromNullMillis(requeued), fromNullMillis(dead)
	return d, err
}

// OutboxMessageInTx reads one outbox row inside the transaction.
func (tx *Tx) OutboxMessageInTx(id int64) (OutboxMessage, error) {
	m, err := scanOutbox(tx.queryRow("SELECT "+outboxColumns+" FROM outbox WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return OutboxMessage{}, notFound("no outbox message %d", id)
	}
	if err != nil {
		return OutboxMessage{}, coded(fmt.Errorf("store: outbox message %d: %w", id, err))
	}
	return m, nil
}

// RequeueDead sends a dead message again: it is pending from now, due at
// once, and the sender's time to give up on it counts from now. A message
// that is not dead (never was, or was re-queued already) is NotFound and
// nothing changes.
func (tx *Tx) RequeueDead(id int64, now time.Time) (OutboxMessage, error) {
	res, err := tx.exec(`UPDATE outbox SET status = 'pending', next_attempt_at = ?, requeued_at = ?, dead_at = NULL
		WHERE id = ? AND status = 'dead'`, millis(now), millis(now), id)
	if err != nil {
		return OutboxMessage{}, coded(fmt.Errorf("store: requeue outbox message %d: %w", id, err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return OutboxMessage{}, notFound("message %d is not among the undelivered messages (sent again already?)", id)
	}
	return tx.OutboxMessageInTx(id)
}

// MinFreeBytes is the free space below which the store says it cannot
// write: room for a few hundred messages and their log.
const MinFreeBytes = 1 << 20

// CheckWrite proves the store can write now: it rewrites one row in a
// transaction of its own, which fails as any write would on a full disk or
// a read-only file (code Unavailable). A rolled-back write would prove
// less: SQLite writes nothing to the file until a commit.
func (db *DB) CheckWrite(ctx context.Context, now time.Time) error {
	// A row may still fit in pages SQLite holds already while the folder
	// is full; the next message's would not.
	var fs syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(db.path), &fs); err == nil && fs.Bavail*uint64(fs.Bsize) < MinFreeBytes {
		return cases.Errorf(cases.Unavailable, "the data folder has %d bytes free, less than %d: free some space",
			fs.Bavail*uint64(fs.Bsize), MinFreeBytes)
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO write_probe (id, at) VALUES (1, ?)
		ON CONFLICT(id) DO UPDATE SET at = excluded.at`, millis(now))
	if err != nil {
		return coded(fmt.Errorf("store: write check: %w", err))
	}
	return nil
}
