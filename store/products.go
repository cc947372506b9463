package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"frontdesk/config"
)

// The customer's products (ARC-2 … ARC-4): warranty cards, care reminders
// and the knowledge base staff add to.

// WarrantyCard is the electronic warranty card of one order line (ARC-2).
type WarrantyCard struct {
	Number   string
	Token    string
	OrderNo  string
	Line     int
	IssuedAt time.Time
}

// newCardToken is 128 random bits, URL-safe: a card's link cannot be
// guessed, nor found by changing a character of another.
func newCardToken() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("store: card token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// IssueCard issues the warranty card of an order line, once: a line that
// has one returns it and created=false.
func (tx *Tx) IssueCard(orderNo string, line int, now time.Time) (_ WarrantyCard, created bool, err error) {
	token, err := newCardToken()
	if err != nil {
		return WarrantyCard{}, false, err
	}
	number := fmt.Sprintf("WC-%s-%d", orderNo, line)
	res, err := tx.exec(`INSERT INTO warranty_cards (number, token, order_no, line, issued_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, number, token, orderNo, line, millis(now))
	if err != nil {
		if isForeignKeyViolation(err) {
			return WarrantyCard{}, false, missingRef("warranty card: there is no order %s", orderNo)
		}
		return WarrantyCard{}, false, fmt.Errorf("store: issue card %s: %w", number, err)
	}
	n, _ := res.RowsAffected()
	c, err := scanCard(tx.queryRow("SELECT "+cardColumns+" FROM warranty_cards WHERE order_no = ? AND line = ?", orderNo, line))
	return c, n == 1, err
}

const cardColumns = "number, token, order_no, line, issued_at"

func scanCard(row scanner) (WarrantyCard, error) {
	var c WarrantyCard
	var at int64
	err := row.Scan(&c.Number, &c.Token, &c.OrderNo, &c.Line, &at)
	c.IssuedAt = fromMillis(at)
	return c, err
}

// CardByToken returns the card of a link's token, or ErrNotFound.
func (db *DB) CardByToken(ctx context.Context, token string) (WarrantyCard, error) {
	c, err := scanCard(db.queryRow(ctx, "SELECT "+cardColumns+" FROM warranty_cards WHERE token = ?", token))
	if errors.Is(err, sql.ErrNoRows) {
		return WarrantyCard{}, notFound("no warranty card has this link")
	}
	return c, err
}

// CardsByPhone returns the cards of the orders placed with this phone.
func (db *DB) CardsByPhone(ctx context.Context, phone string) ([]WarrantyCard, error) {
	rows, err := db.query(ctx, `SELECT w.number, w.token, w.order_no, w.line, w.issued_at FROM warranty_cards w
		JOIN orders o ON o.order_no = w.order_no WHERE o.phone = ? ORDER BY w.order_no, w.line`, NormalizePhone(phone))
	return collect(rows, err, "cards by phone", scanCard)
}

// CardsByOrder returns an order's cards by line.
func (db *DB) CardsByOrder(ctx context.Context, orderNo string) ([]WarrantyCard, error) {
	rows, err := db.query(ctx, "SELECT "+cardColumns+" FROM warranty_cards WHERE order_no = ? ORDER BY line", orderNo)
	return collect(rows, err, "cards of "+orderNo, scanCard)
}

// ReceivedOrders returns the orders the customer has received (delivered
// or installed, or said so in the chat), with their items, oldest first.
func (db *DB) ReceivedOrders(ctx context.Context) ([]Order, error) {
	rows, err := db.query(ctx, "SELECT "+orderColumns+` FROM orders
		WHERE status IN ('delivered', 'installed') OR delivered_on != '' ORDER BY created_at, order_no`)
	return db.ordersWithItems(ctx, "received orders", rows, err)
}

// OrdersWithoutCards returns the received orders with a line that has no
// warranty card yet.
func (db *DB) OrdersWithoutCards(ctx context.Context) ([]Order, error) {
	rows, err := db.query(ctx, "SELECT "+orderColumns+` FROM orders o
		WHERE (status IN ('delivered', 'installed') OR delivered_on != '')
		AND EXISTS (SELECT 1 FROM order_items i WHERE i.order_no = o.order_no
			AND NOT EXISTS (SELECT 1 FROM warranty_cards w WHERE w.order_no = i.order_no AND w.line = i.line))
		ORDER BY created_at, order_no`)
	return db.ordersWithItems(ctx, "orders without cards", rows, err)
}

// VisitsByPhone returns the finished visits of the orders placed with this
// phone, oldest first.
func (db *DB) VisitsByPhone(ctx context.Context, phone string) ([]Visit, error) {
	rows, err := db.query(ctx, `SELECT v.id, v.order_no, COALESCE(v.provider_id, 0), v.kind, v.appointment_at, v.completed_at
		FROM visits v JOIN orders o ON o.order_no = v.order_no
		WHERE o.phone = ? AND v.completed_at IS NOT NULL ORDER BY v.completed_at`, NormalizePhone(phone))
	return collect(rows, err, "visits by phone", func(row scanner) (Visit, error) {
		var v Visit
		var appt, done sql.NullInt64
		err := row.Scan(&v.ID, &v.OrderNo, &v.ProviderID, &v.Kind, &appt, &done)
		v.AppointmentAt, v.CompletedAt = fromNullMillis(appt), fromNullMillis(done)
		return v, err
	})
}

// CareSent is one care reminder sent (ARC-3).
type CareSent struct {
	Phone   string
	OrderNo string
	Line    int
	RuleID  string
	DueOn   string
	SentAt  time.Time
}

// RecordCare records a care reminder; the same reminder again (same item,
// rule and due day) returns false, so it is sent once.
func (tx *Tx) RecordCare(c CareSent) (bool, error) {
	res, err := tx.exec(`INSERT INTO care_reminders (phone, order_no, line, rule_id, due_on, sent_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		NormalizePhone(c.Phone), c.OrderNo, c.Line, c.RuleID, c.DueOn, millis(c.SentAt))
	if err != nil {
		return false, fmt.Errorf("store: care reminder: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// LastCare returns when the customer last got a care reminder (zero:
// never).
func (db *DB) LastCare(ctx context.Context, phone string) (time.Time, error) {
	var at sql.NullInt64
	err := db.queryRow(ctx, "SELECT MAX(sent_at) FROM care_reminders WHERE phone = ?", NormalizePhone(phone)).Scan(&at)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: last care reminder: %w", err)
	}
	return fromNullMillis(at), nil
}

// CareDueSent reports whether the reminder of an item, rule and due day
// went out.
func (db *DB) CareDueSent(ctx context.Context, orderNo string, line int, ruleID, dueOn string) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT COUNT(*) FROM care_reminders WHERE order_no = ? AND line = ? AND rule_id = ? AND due_on = ?`,
		orderNo, line, ruleID, dueOn).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: care reminder sent: %w", err)
	}
	return n > 0, nil
}

// CareSentTo lists the reminders a customer got, oldest first.
func (db *DB) CareSentTo(ctx context.Context, phone string) ([]CareSent, error) {
	rows, err := db.query(ctx, `SELECT phone, order_no, line, rule_id, due_on, sent_at FROM care_reminders
		WHERE phone = ? ORDER BY sent_at, order_no, line`, NormalizePhone(phone))
	return collect(rows, err, "care reminders", func(row scanner) (CareSent, error) {
		var c CareSent
		var at int64
		err := row.Scan(&c.Phone, &c.OrderNo, &c.Line, &c.RuleID, &c.DueOn, &at)
		c.SentAt = fromMillis(at)
		return c, err
	})
}

// StopCare records that the customer wants no more care reminders.
func (tx *Tx) StopCare(phone string, now time.Time) error {
	if NormalizePhone(phone) == "" {
		return invalid("care opt-out: no phone")
	}
	_, err := tx.exec("INSERT INTO care_opt_outs (phone, at) VALUES (?, ?) ON CONFLICT DO NOTHING", NormalizePhone(phone), millis(now))
	if err != nil {
		return fmt.Errorf("store: care opt-out: %w", err)
	}
	return nil
}

// CareStopped reports whether the customer stopped the care reminders.
func (db *DB) CareStopped(ctx context.Context, phone string) (bool, error) {
	var n int
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM care_opt_outs WHERE phone = ?", NormalizePhone(phone)).Scan(&n); err != nil {
		return false, fmt.Errorf("store: care opt-out: %w", err)
	}
	return n > 0, nil
}

// PhoneOfChat returns the phone the chat was verified for, or ErrNotFound.
func (tx *Tx) PhoneOfChat(channel, chatID string) (string, error) {
	var phone string
	err := tx.queryRow("SELECT phone FROM customer_chats WHERE channel = ? AND chat_id = ?", channel, chatID).Scan(&phone)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("chat %s:%s is no customer's", channel, chatID)
	}
	return phone, err
}

// KBEntry is a knowledge-base entry staff added, with its figures.
type KBEntry struct {
	config.KBEntry
	AddedBy   string
	UpdatedAt time.Time
}

// PutKBEntry adds an entry to the knowledge base, or replaces the one of
// its id; the entry must be valid (every language answered).
func (tx *Tx) PutKBEntry(e config.KBEntry, by string, now time.Time) error {
	if err := e.Validate(); err != nil {
		return invalid("%s", err.Error())
	}
	body, err := json.Marshal(e)
	if err != nil {
		return err
	}
	_, err = tx.exec(`INSERT INTO kb_entries (id, body, from_case, added_by, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(id) DO UPDATE SET body = excluded.body, from_case = excluded.from_case, added_by = excluded.added_by,
		updated_at = excluded.updated_at`, e.ID, string(body), e.FromCase, by, millis(now))
	if err != nil {
		return fmt.Errorf("store: knowledge entry %s: %w", e.ID, err)
	}
	return nil
}

// KBEntries returns the entries staff added, by id.
func (db *DB) KBEntries(ctx context.Context) ([]KBEntry, error) {
	rows, err := db.query(ctx, "SELECT body, added_by, updated_at FROM kb_entries ORDER BY id")
	return collect(rows, err, "knowledge entries", func(row scanner) (KBEntry, error) {
		var e KBEntry
		var body string
		var at int64
		if err := row.Scan(&body, &e.AddedBy, &at); err != nil {
			return e, err
		}
		e.UpdatedAt = fromMillis(at)
		return e, json.Unmarshal([]byte(body), &e.KBEntry)
	})
}

// CountKB counts answers offered, or said to have helped.
func (tx *Tx) CountKB(ids []string, helped bool) error {
	col := "offered"
	if helped {
		col = "helped"
	}
	for _, id := range ids {
		_, err := tx.exec(`INSERT INTO kb_stats (id, `+col+`) VALUES (?, 1) ON CONFLICT(id) DO UPDATE SET `+col+` = `+col+` + 1`, id)
		if err != nil {
			return fmt.Errorf("store: knowledge figures: %w", err)
		}
	}
	return nil
}

// KBStat is how often an entry was offered and said to have helped.
type KBStat struct {
	Offered, Helped int
}

// KBStats returns the figures of every entry that was offered.
func (db *DB) KBStats(ctx context.Context) (map[string]KBStat, error) {
	rows, err := db.query(ctx, "SELECT id, offered, helped FROM kb_stats")
	type row struct {
		id string
		s  KBStat
	}
	list, err := collect(rows, err, "knowledge figures", func(r scanner) (row, error) {
		var x row
		err := r.Scan(&x.id, &x.s.Offered, &x.s.Helped)
		return x, err
	})
	out := make(map[string]KBStat, len(list))
	for _, x := range list {
		out[x.id] = x.s
	}
	return out, err
}
