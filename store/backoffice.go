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

// IdempotentResponse is the stored answer to a request with an
// Idempotency-Key.
type IdempotentResponse struct {
	Request string
	Status  int
	Body    []byte
}

// IdempotentResponse returns the stored response of key, or ErrNotFound.
func (db *DB) IdempotentResponse(ctx context.Context, key string) (IdempotentResponse, error) {
	var r IdempotentResponse
	err := db.queryRow(ctx, "SELECT request, status, body FROM idempotency_keys WHERE key = ?", key).Scan(&r.Request, &r.Status, &r.Body)
	if errors.Is(err, sql.ErrNoRows) {
		return r, ErrNotFound
	}
	return r, err
}

// SaveIdempotentResponse keeps the response of key; the first one wins.
func (db *DB) SaveIdempotentResponse(ctx context.Context, key string, r IdempotentResponse, now time.Time) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO idempotency_keys (key, request, status, body, created_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING`, key, r.Request, r.Status, r.Body, millis(now))
	if err != nil {
		return coded(fmt.Errorf("store: idempotency key: %w", err))
	}
	return nil
}

// CaseFilter selects cases for the back office.
type CaseFilter struct {
	Status  string
	Kind    string
	OrderNo string
	Since   time.Time
	Until   time.Time
	Before  int64 // cursor: only cases with a smaller id
	Limit   int
}

// Cases returns cases matching f, newest first.
func (db *DB) Cases(ctx context.Context, f CaseFilter) ([]cases.Case, error) {
	q, args := casesSQL(f)
	rows, err := db.read.QueryContext(ctx, q, args...)
	return collect(rows, err, "cases", scanCase)
}

// casesSQL builds the staff list's query. Without an end date, walking the
// rowid back from the newest case stops after a page. With one, that walk
// would first pass every case newer than the end (half a million for a
// month a year back); the ids of the date range are taken from an index of
// the creation time instead, and only the page's rows are read whole.
func casesSQL(f CaseFilter) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, arg any) { where = append(where, cond); args = append(args, arg) }
	if f.Status != "" {
		add("status = ?", f.Status)
	}
	if f.Kind != "" {
		add("kind = ?", f.Kind)
	}
	if f.OrderNo != "" {
		add("order_no = ?", f.OrderNo)
	}
	if !f.Since.IsZero() {
		add("created_at >= ?", millis(f.Since))
	}
	if !f.Until.IsZero() {
		add("created_at < ?", millis(f.Until))
	}
	if f.Before > 0 {
		add("id < ?", f.Before)
	}
	if f.Limit <= 0 {
		f.Limit = 50
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, f.Limit)
	if f.Until.IsZero() || f.OrderNo != "" {
		return "SELECT " + caseColumns + " FROM cases" + cond + " ORDER BY id DESC LIMIT ?", args
	}
	index := "cases_created"
	if f.Kind != "" {
		index = "cases_kind_created"
	}
	return "SELECT " + caseColumns + " FROM cases WHERE id IN (SELECT id FROM cases INDEXED BY " + index + cond +
		" ORDER BY id DESC LIMIT ?) ORDER BY id DESC", args
}

// Photos returns a case's photos.
func (db *DB) Photos(ctx context.Context, caseID int64) ([]Photo, error) {
	rows, err := db.query(ctx, "SELECT id, COALESCE(case_id, 0), sha256, mime, size, step, created_at FROM photos WHERE case_id = ? ORDER BY id", caseID)
	return collect(rows, err, "photos", func(row scanner) (Photo, error) {
		var p Photo
		var at int64
		err := row.Scan(&p.ID, &p.CaseID, &p.SHA256, &p.MIME, &p.Size, &p.Step, &at)
		p.CreatedAt = fromMillis(at)
		return p, err
	})
}

// Providers lists every provider, best rated first.
func (db *DB) Providers(ctx context.Context) ([]cases.Provider, error) {
	return db.ProviderRecords(ctx) // providers.go: the whole record
}

// UpdateProvider renames a provider or moves it to another region.
func (tx *Tx) UpdateProvider(p cases.Provider) error {
	if p.Name == "" {
		return invalid("provider: name is empty")
	}
	res, err := tx.exec("UPDATE providers SET name = ?, region = ? WHERE id = ?", p.Name, p.Region, p.ID)
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: %w", &cases.Error{Code: cases.Conflict,
				Message: fmt.Sprintf("provider %q in %q exists already", p.Name, p.Region), Err: err})
		}
		return fmt.Errorf("store: update provider: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("no provider %d", p.ID)
	}
	return tx.SaveProviderRecord(p.ID, p) // providers.go
}

// SameOrder reports whether two orders carry the same data, so an upsert
// that would change nothing is skipped.
func SameOrder(a, b Order) bool {
	if a.No != b.No || a.CustomerName != b.CustomerName || NormalizePhone(a.Phone) != NormalizePhone(b.Phone) ||
		a.PaidOn != b.PaidOn || a.Deadline != b.Deadline || a.Urgent != b.Urgent ||
		a.InstallIncluded != b.InstallIncluded || a.Status != b.Status || len(a.Items) != len(b.Items) ||
		(b.DeliveredOn != "" && a.DeliveredOn != b.DeliveredOn) || // b without a delivery day keeps a's (deliveries.go)
		a.Address != b.Address || a.Region != b.Region {
		return false
	}
	for i := range a.Items {
		x, y := a.Items[i], b.Items[i]
		if x.Line == 0 {
			x.Line = i + 1
		}
		if y.Line == 0 {
			y.Line = i + 1
		}
		if x != y {
			return false
		}
	}
	return true
}

// Setting returns a kept value, or "" when there is none.
func (db *DB) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := db.queryRow(ctx, "SELECT value FROM settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetSetting keeps a value.
func (db *DB) SetSetting(ctx context.Context, key, value string) error {
	_, err := db.write.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	if err != nil {
		return coded(fmt.Errorf("store: setting %s: %w", key, err))
	}
	return nil
}

// MarkUnreachable records once, on every open case of the chat, that the
// customer cannot be reached there (they blocked the bot). It returns the
// numbers of the cases newly marked.
func (db *DB) MarkUnreachable(ctx context.Context, channel, chatID string, now time.Time) ([]string, error) {
	var marked []string
	err := db.Update(ctx, func(tx *Tx) error {
		rows, err := tx.tx.QueryContext(ctx, `SELECT id, number FROM cases WHERE channel = ? AND chat_id = ? AND status != 'resolved'
			AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.case_id = cases.id AND e.kind = 'unreachable')`, channel, chatID)
		if err != nil {
			return err
		}
		type c struct {
			id     int64
			number string
		}
		var found []c
		for rows.Next() {
			var x c
			if err := rows.Scan(&x.id, &x.number); err != nil {
				rows.Close()
				return err
			}
			found = append(found, x)
		}
		rows.Close()
		for _, x := range found {
			if _, err := tx.AddCaseEvent(CaseEvent{CaseID: x.id, At: now, Actor: channel, Kind: "unreachable",
				Body: "the customer cannot be reached on " + channel + " (blocked the bot)"}); err != nil {
				return err
			}
			marked = append(marked, x.number)
		}
		return nil
	})
	return marked, err
}

// SetSettingTx keeps a value inside a transaction.
func (tx *Tx) SetSettingTx(key, value string) error {
	_, err := tx.exec("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value)
	if err != nil {
		return coded(fmt.Errorf("store: setting %s: %w", key, err))
	}
	return nil
}
