package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"frontdesk/cases"
)

// ProviderChat is a chat a provider linked with a one-time code (PRV-2).
type ProviderChat struct {
	Channel    string
	ChatID     string
	ProviderID int64
	Lang       string
	LinkedAt   time.Time
}

// ErrBadCode is a one-time code that is unknown, used or expired; it is
// coded Invalid.
var ErrBadCode = errors.New("store: provider code is unknown, used or expired")

// AddProviderCode keeps a one-time code that links a chat to the provider
// until expires.
func (tx *Tx) AddProviderCode(providerID int64, code string, expires time.Time) error {
	_, err := tx.exec("INSERT INTO provider_codes (code, provider_id, expires_at) VALUES (?, ?, ?)", code, providerID, millis(expires))
	if err != nil {
		if isForeignKeyViolation(err) {
			return notFound("no provider %d", providerID)
		}
		return coded(fmt.Errorf("store: provider code: %w", err))
	}
	return nil
}

// UseProviderCode links the chat to the code's provider and spends the
// code: a code used before, expired or unknown is ErrBadCode and changes
// nothing.
func (tx *Tx) UseProviderCode(code string, c ProviderChat, now time.Time) (int64, error) {
	var id, expires int64
	var used sql.NullInt64
	err := tx.queryRow("SELECT provider_id, expires_at, used_at FROM provider_codes WHERE code = ?", code).Scan(&id, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && (used.Valid || expires <= millis(now))) {
		return 0, fmt.Errorf("%w", &cases.Error{Code: cases.Invalid, Message: "the code is unknown, used already or expired", Err: ErrBadCode})
	}
	if err != nil {
		return 0, fmt.Errorf("store: provider code: %w", err)
	}
	if _, err := tx.exec("UPDATE provider_codes SET used_at = ? WHERE code = ?", millis(now), code); err != nil {
		return 0, fmt.Errorf("store: spend provider code: %w", err)
	}
	_, err = tx.exec(`INSERT INTO provider_chats (channel, chat_id, provider_id, lang, linked_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(channel, chat_id) DO UPDATE SET provider_id = excluded.provider_id, lang = excluded.lang, linked_at = excluded.linked_at`,
		c.Channel, c.ChatID, id, c.Lang, millis(now))
	if err != nil {
		return 0, fmt.Errorf("store: link provider chat: %w", err)
	}
	return id, nil
}

func scanProviderChat(row scanner) (ProviderChat, error) {
	var c ProviderChat
	var at int64
	err := row.Scan(&c.Channel, &c.ChatID, &c.ProviderID, &c.Lang, &at)
	c.LinkedAt = fromMillis(at)
	return c, err
}

// ProviderChatOf returns the provider link of a chat; ErrNotFound for a
// chat that is no provider's.
func (db *DB) ProviderChatOf(ctx context.Context, channel, chatID string) (ProviderChat, error) {
	return orNotFound(scanProviderChat(db.queryRow(ctx,
		"SELECT channel, chat_id, provider_id, lang, linked_at FROM provider_chats WHERE channel = ? AND chat_id = ?", channel, chatID)))
}

// ProviderChatsOf lists the chats a provider linked.
func (tx *Tx) ProviderChatsOf(providerID int64) ([]ProviderChat, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT channel, chat_id, provider_id, lang, linked_at FROM provider_chats
		WHERE provider_id = ? ORDER BY linked_at`, providerID)
	return collect(rows, err, "provider chats", scanProviderChat)
}

// ProviderCaseNumbers lists the cases a provider was dispatched to, newest
// first: only these may its chat see (PRV-2).
func (db *DB) ProviderCaseNumbers(ctx context.Context, providerID int64) ([]string, error) {
	rows, err := db.query(ctx, `SELECT number FROM cases WHERE json_extract(details, '$.provider_id') = ?
		ORDER BY id DESC LIMIT 50`, strconv.FormatInt(providerID, 10))
	return collect(rows, err, "provider cases", func(row scanner) (string, error) {
		var n string
		return n, row.Scan(&n)
	})
}

// CountPhotos counts a case's photos of one step.
func (tx *Tx) CountPhotos(caseID int64, step string) (int, error) {
	var n int
	err := tx.queryRow("SELECT COUNT(*) FROM photos WHERE case_id = ? AND step = ?", caseID, step).Scan(&n)
	return n, wrapExec("count photos", err)
}

// CaseItemNames are the names of the items a case is about (its lines),
// or of its order's items when it names none.
func (tx *Tx) OrderItemNames(orderNo string) ([]string, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, "SELECT name, quantity FROM order_items WHERE order_no = ? ORDER BY line", orderNo)
	return collect(rows, err, "order items", func(row scanner) (string, error) {
		var name string
		var q int
		err := row.Scan(&name, &q)
		if q > 1 {
			name += " ×" + strconv.Itoa(q)
		}
		return name, err
	})
}
