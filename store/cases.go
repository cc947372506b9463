package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
)

// CaseEvent is one line of a case's history: a message either way, a note,
// a status change.
type CaseEvent struct {
	ID      int64
	CaseID  int64
	At      time.Time
	Actor   string
	Kind    string
	Body    string
	PhotoID int64
	// Key and Args say Body from the staff catalog in the reader's
	// language (cases.Record); "" for a person's words and for rows older
	// than migration 0029, which keep Body.
	Key  string
	Args map[string]any
}

// eventWords is how a history line's key and arguments are kept.
type eventWords struct {
	Key  string         `json:"key"`
	Args map[string]any `json:"args,omitempty"`
}

func (e CaseEvent) wordsJSON() string {
	if e.Key == "" {
		return ""
	}
	b, err := json.Marshal(eventWords{Key: e.Key, Args: e.Args})
	if err != nil { // an argument JSON cannot hold: the line keeps its text
		return ""
	}
	return string(b)
}

func (e *CaseEvent) readWords(s string) {
	var w eventWords
	if s == "" || json.Unmarshal([]byte(s), &w) != nil {
		return
	}
	e.Key, e.Args = w.Key, w.Args
}

// OpenCase inserts a case and gives it the next human-readable number of its
// day: AS-YYYYMMDD-NNNN, the day taken in loc (the shop's time zone).
func (tx *Tx) OpenCase(c cases.Case, now time.Time, loc *time.Location) (cases.Case, error) {
	day := now.In(loc).Format("20060102")
	var seq int
	err := tx.queryRow(`INSERT INTO case_counters(day, last) VALUES (?, 1)
		ON CONFLICT(day) DO UPDATE SET last = last + 1 RETURNING last`, day).Scan(&seq)
	if err != nil {
		return cases.Case{}, fmt.Errorf("store: case number: %w", err)
	}
	c.Number = fmt.Sprintf("AS-%s-%04d", day, seq)
	if c.Status == "" {
		c.Status = cases.Open
	}
	if c.Severity == "" {
		c.Severity = "normal"
	}
	c.CreatedAt, c.UpdatedAt = now.UTC().Truncate(time.Millisecond), now.UTC().Truncate(time.Millisecond)
	var orderNo any
	if c.OrderNo != "" {
		orderNo = c.OrderNo
	}
	details, err := json.Marshal(c.Details)
	if err != nil || c.Details == nil {
		details = []byte("{}")
	}
	res, err := tx.exec(`INSERT INTO cases (number, kind, order_no, customer_name, phone,
		channel, chat_id, status, severity, classification, description, details, deadline_at, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.Number, c.Kind, orderNo, c.CustomerName, NormalizePhone(c.Phone), c.Channel, c.ChatID, c.Status,
		c.Severity, c.Classification, c.Description, string(details), nullMillis(c.DeadlineAt), millis(now), millis(now))
	if err != nil {
		if isForeignKeyViolation(err) {
			return cases.Case{}, missingRef("case: there is no order %s", c.OrderNo)
		}
		return cases.Case{}, fmt.Errorf("store: open case: %w", err)
	}
	c.ID, _ = res.LastInsertId()
	return c, nil
}

// AddCaseEvent appends an event to a case's history.
func (tx *Tx) AddCaseEvent(e CaseEvent) (int64, error) {
	var photo any
	if e.PhotoID != 0 {
		photo = e.PhotoID
	}
	res, err := tx.exec(`INSERT INTO case_events (case_id, at, actor, kind, body, photo_id, words)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, e.CaseID, millis(e.At), e.Actor, e.Kind, e.Body, photo, e.wordsJSON())
	if err != nil {
		return 0, fmt.Errorf("store: case event: %w", err)
	}
	return res.LastInsertId()
}

const caseColumns = `id, number, kind, COALESCE(order_no, ''), customer_name, phone, channel, chat_id, status,
	severity, classification, remedy, assignee, description, details, cause, action, deadline_at, created_at, updated_at, resolved_at, intake`

func scanCase(row scanner) (cases.Case, error) {
	var c cases.Case
	var deadline, resolved sql.NullInt64
	var created, updated int64
	var details string
	err := row.Scan(&c.ID, &c.Number, &c.Kind, &c.OrderNo, &c.CustomerName, &c.Phone, &c.Channel, &c.ChatID,
		&c.Status, &c.Severity, &c.Classification, &c.Remedy, &c.Assignee, &c.Description, &details, &c.Cause, &c.Action,
		&deadline, &created, &updated, &resolved, &c.Intake)
	if err == nil {
		err = json.Unmarshal([]byte(details), &c.Details)
	}
	c.DeadlineAt, c.ResolvedAt = fromNullMillis(deadline), fromNullMillis(resolved)
	c.CreatedAt, c.UpdatedAt = fromMillis(created), fromMillis(updated)
	return c, err
}

// CaseByNumber returns a case by its number, or ErrNotFound.
func (db *DB) CaseByNumber(ctx context.Context, number string) (cases.Case, error) {
	c, err := scanCase(db.queryRow(ctx, "SELECT "+caseColumns+" FROM cases WHERE number = ?", number))
	if errors.Is(err, sql.ErrNoRows) {
		return cases.Case{}, ErrNotFound
	}
	if err != nil {
		return cases.Case{}, fmt.Errorf("store: case %s: %w", number, err)
	}
	return c, nil
}

// CasesByPhone returns a customer's cases, newest first; openOnly leaves
// out the resolved ones.
func (db *DB) CasesByPhone(ctx context.Context, phone string, openOnly bool) ([]cases.Case, error) {
	q := "SELECT " + caseColumns + " FROM cases WHERE phone = ?"
	if openOnly {
		q += " AND status != 'resolved'"
	}
	rows, err := db.query(ctx, q+" ORDER BY id DESC", NormalizePhone(phone))
	return collect(rows, err, "cases by phone", scanCase)
}

// CaseEvents returns a case's history, oldest first.
func (db *DB) CaseEvents(ctx context.Context, caseID int64) ([]CaseEvent, error) {
	rows, err := db.query(ctx, `SELECT id, case_id, at, actor, kind, body, COALESCE(photo_id, 0), words
		FROM case_events WHERE case_id = ? ORDER BY id`, caseID)
	return collect(rows, err, "case events", func(row scanner) (CaseEvent, error) {
		var e CaseEvent
		var at int64
		var words string
		err := row.Scan(&e.ID, &e.CaseID, &at, &e.Actor, &e.Kind, &e.Body, &e.PhotoID, &words)
		e.At = fromMillis(at)
		e.readWords(words)
		return e, err
	})
}

// Photo is a picture a customer sent, kept content-addressed under the data
// folder; the record says which case and which step it belongs to.
type Photo struct {
	ID        int64
	CaseID    int64
	SHA256    string
	MIME      string
	Size      int64
	Step      string
	CreatedAt time.Time
}

// AddPhoto records a photo.
func (tx *Tx) AddPhoto(p Photo) (int64, error) {
	var caseID any
	if p.CaseID != 0 {
		caseID = p.CaseID
	}
	res, err := tx.exec(`INSERT INTO photos (case_id, sha256, mime, size, step, created_at)
		VALUES (?, ?, ?, ?, ?, ?)`, caseID, p.SHA256, p.MIME, p.Size, p.Step, millis(p.CreatedAt))
	if err != nil {
		return 0, fmt.Errorf("store: photo: %w", err)
	}
	return res.LastInsertId()
}

// AuditEntry is one line of the audit trail: who did what to which record.
type AuditEntry struct {
	ID      int64
	At      time.Time
	Actor   string
	Action  string
	Subject string // a case number, an order number …
	Detail  string
}

// Audit appends to the audit trail.
func (tx *Tx) Audit(a AuditEntry) error {
	_, err := tx.exec("INSERT INTO audit (at, actor, action, subject, detail) VALUES (?, ?, ?, ?, ?)",
		millis(a.At), a.Actor, a.Action, a.Subject, a.Detail)
	if err != nil {
		return fmt.Errorf("store: audit: %w", err)
	}
	return nil
}

// AuditTrail returns the audit lines of a subject, oldest first.
func (db *DB) AuditTrail(ctx context.Context, subject string) ([]AuditEntry, error) {
	rows, err := db.query(ctx, "SELECT id, at, actor, action, subject, detail FROM audit WHERE subject = ? ORDER BY id", subject)
	return collect(rows, err, "audit trail", func(row scanner) (AuditEntry, error) {
		var a AuditEntry
		var at int64
		err := row.Scan(&a.ID, &at, &a.Actor, &a.Action, &a.Subject, &a.Detail)
		a.At = fromMillis(at)
		return a, err
	})
}

// OpenCaseForChat returns the newest unresolved case of a kind opened from
// this chat, or ErrNotFound.
func (db *DB) OpenCaseForChat(ctx context.Context, channel, chatID string, kind config.CaseKind) (cases.Case, error) {
	c, err := scanCase(db.queryRow(ctx, "SELECT "+caseColumns+` FROM cases
		WHERE channel = ? AND chat_id = ? AND kind = ? AND status != 'resolved' ORDER BY id DESC LIMIT 1`,
		channel, chatID, kind))
	if errors.Is(err, sql.ErrNoRows) {
		return cases.Case{}, ErrNotFound
	}
	if err != nil {
		return cases.Case{}, fmt.Errorf("store: open case for chat: %w", err)
	}
	return c, nil
}

// Resolve marks a case resolved.
func (tx *Tx) Resolve(caseID int64, actor string, now time.Time) error {
	res, err := tx.exec("UPDATE cases SET status = 'resolved', resolved_at = ?, updated_at = ? WHERE id = ? AND status != 'resolved'",
		millis(now), millis(now), caseID)
	if err != nil {
		return fmt.Errorf("store: resolve: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("no unresolved case %d", caseID)
	}
	_, err = tx.AddCaseEvent(CaseEvent{CaseID: caseID, At: now, Actor: actor, Kind: "resolved"})
	return err
}
