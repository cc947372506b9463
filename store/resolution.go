package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"frontdesk/cases"
)

// CallBack is the call-back of a resolved case that involved a service
// (CAS-3).
type CallBack struct {
	CaseID     int64
	DueAt      time.Time
	SentAt     time.Time // zero until the scheduler sent it
	Answer     string    // the customer's answer in the chat: good, ok, bad
	AnsweredAt time.Time
	DoneAt     time.Time // when staff recorded the call (what they heard is in the case history)
}

// BookCallBack books (or books again, for a case resolved again) the
// case's call-back, due at due.
func (tx *Tx) BookCallBack(caseID int64, due time.Time) error {
	_, err := tx.exec(`INSERT INTO callbacks (case_id, due_at) VALUES (?, ?)
		ON CONFLICT(case_id) DO UPDATE SET due_at = excluded.due_at, sent_at = NULL, answer = '', answered_at = NULL,
		done_at = NULL`, caseID, millis(due))
	if err != nil {
		return fmt.Errorf("store: book call-back: %w", err)
	}
	return nil
}

// CallBackDone records that staff made the call.
func (tx *Tx) CallBackDone(caseID int64, at time.Time) error {
	_, err := tx.exec("UPDATE callbacks SET done_at = ? WHERE case_id = ?", millis(at), caseID)
	if err != nil {
		return fmt.Errorf("store: call-back done: %w", err)
	}
	return nil
}

// MarkCallBackSent marks a due call-back sent; fresh is false when it was
// sent already (another replica, a rerun) or is no longer booked.
func (tx *Tx) MarkCallBackSent(caseID int64, at time.Time) (fresh bool, err error) {
	res, err := tx.exec("UPDATE callbacks SET sent_at = ? WHERE case_id = ? AND sent_at IS NULL AND due_at <= ?",
		millis(at), caseID, millis(at))
	if err != nil {
		return false, fmt.Errorf("store: call-back sent: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// AnswerCallBack records the customer's answer to the call-back question;
// fresh is false when it was answered already.
func (tx *Tx) AnswerCallBack(caseID int64, answer string, at time.Time) (fresh bool, err error) {
	res, err := tx.exec("UPDATE callbacks SET answer = ?, answered_at = ? WHERE case_id = ? AND sent_at IS NOT NULL AND answer = ''",
		answer, millis(at), caseID)
	if err != nil {
		return false, fmt.Errorf("store: call-back answer: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RestartClock runs a clock of the case again from its spec: a clock the
// case ran before (stopped, escalated) starts over (CAS-4).
func (tx *Tx) RestartClock(c Clock) error {
	_, err := tx.exec(`INSERT INTO sla_clocks (case_id, name, started_at, due_at, far_due_at, stop_on)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(case_id, name) DO UPDATE SET started_at = excluded.started_at,
		due_at = excluded.due_at, far_due_at = excluded.far_due_at, stop_on = excluded.stop_on, stopped_at = NULL,
		escalated_at = NULL, managers_at = NULL`,
		c.CaseID, c.Name, millis(c.StartedAt), millis(c.DueAt), millis(c.FarDueAt), strings.Join(c.StopOn, ","))
	if err != nil {
		return fmt.Errorf("store: restart clock: %w", err)
	}
	return nil
}

// CallBackOf returns the call-back of a case, or ErrNotFound.
func (db *DB) CallBackOf(ctx context.Context, caseID int64) (CallBack, error) {
	return scanCallBack(db.queryRow(ctx, "SELECT "+callBackColumns+" FROM callbacks WHERE case_id = ?", caseID))
}

// CallBackInTx is CallBackOf inside a write transaction.
func (tx *Tx) CallBackInTx(caseID int64) (CallBack, error) {
	return scanCallBack(tx.queryRow("SELECT "+callBackColumns+" FROM callbacks WHERE case_id = ?", caseID))
}

// DueCallBacks returns the numbers of the cases whose call-back is due at
// now and not sent yet, the oldest first.
func (db *DB) DueCallBacks(ctx context.Context, now time.Time, limit int) ([]string, error) {
	rows, err := db.query(ctx, `SELECT c.number FROM callbacks b JOIN cases c ON c.id = b.case_id
		WHERE b.sent_at IS NULL AND b.due_at <= ? ORDER BY b.due_at LIMIT ?`, millis(now), limit)
	if err != nil {
		return nil, fmt.Errorf("store: due call-backs: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var no string
		if err := rows.Scan(&no); err != nil {
			return nil, err
		}
		out = append(out, no)
	}
	return out, rows.Err()
}

// ChatCaseOf returns a case by number if it is the chat's own: opened in
// this chat, or the case of a customer who verified in it. A foreign
// number is ErrNotFound, as a missing one.
func (db *DB) ChatCaseOf(ctx context.Context, channel, chatID, number string) (cases.Case, error) {
	c, err := scanCase(db.queryRow(ctx, "SELECT "+caseColumns+` FROM cases WHERE number = ? AND ((channel = ? AND chat_id = ?)
		OR (phone != '' AND phone IN (SELECT phone FROM customer_chats WHERE channel = ? AND chat_id = ?)))`,
		number, channel, chatID, channel, chatID))
	if errors.Is(err, sql.ErrNoRows) {
		return cases.Case{}, ErrNotFound
	}
	if err != nil {
		return cases.Case{}, fmt.Errorf("store: chat case %s: %w", number, err)
	}
	return c, nil
}

const callBackColumns = "case_id, due_at, sent_at, answer, answered_at, done_at"

func scanCallBack(row scanner) (CallBack, error) {
	var b CallBack
	var due int64
	var sent, answered, done sql.NullInt64
	err := row.Scan(&b.CaseID, &due, &sent, &b.Answer, &answered, &done)
	if errors.Is(err, sql.ErrNoRows) {
		return CallBack{}, ErrNotFound
	}
	if err != nil {
		return CallBack{}, fmt.Errorf("store: call-back: %w", err)
	}
	b.DueAt, b.SentAt, b.AnsweredAt, b.DoneAt = fromMillis(due), fromNullMillis(sent), fromNullMillis(answered), fromNullMillis(done)
	return b, nil
}

// DialogInTx returns the stored dialog state of key, nil when there is
// none (or it expired long ago: the language it held is still the best
// guess).
func (tx *Tx) DialogInTx(key string) ([]byte, error) {
	var data []byte
	err := tx.queryRow("SELECT data FROM dialog_state WHERE key = ?", key).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: dialog in tx: %w", err)
	}
	return data, nil
}
