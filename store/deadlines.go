package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"frontdesk/cases"
	"frontdesk/config"
)

// How a promised date came to change (deadline_changes.kind).
const (
	ChangeAgreed     = "agreed"      // a new date agreed with the customer (DLV-8)
	ChangeRisk       = "risk"        // a delay risk declared before the date (DLV-9)
	ChangeEarly      = "early"       // the customer agreed to an earlier delivery (DLV-12)
	ChangeBackOffice = "back_office" // the order system sent another date
)

// MaxDeadlineReason bounds the reason kept with a changed date.
const MaxDeadlineReason = 500

// DeadlineChange is one change of an order's promised date: old → new, who
// and why (DLV-8).
type DeadlineChange struct {
	ID      int64
	OrderNo string
	Old     string // YYYY-MM-DD, '' when the order had none
	New     string // YYYY-MM-DD
	Kind    string
	Actor   string
	Reason  string
	At      time.Time
}

// Validate reports the first thing wrong with a change, naming the field.
func (c DeadlineChange) Validate() error {
	switch {
	case c.OrderNo == "":
		return invalid("order_no is empty")
	case !validDate(c.New):
		return invalid("deadline %q: want YYYY-MM-DD", c.New)
	case c.Actor == "" || utf8.RuneCountInString(c.Actor) > 100:
		return invalid("by: want who changed the date (1 to 100 characters)")
	case !utf8.ValidString(c.Reason) || utf8.RuneCountInString(c.Reason) > MaxDeadlineReason:
		return invalid("reason: at most %d characters", MaxDeadlineReason)
	}
	switch c.Kind {
	case ChangeAgreed, ChangeRisk, ChangeEarly, ChangeBackOffice:
		return nil
	}
	return invalid("kind %q: want agreed, risk, early or back_office", c.Kind)
}

// ChangeDeadline sets the order's promised date to c.New and keeps the
// change in its history; it returns the change with the old date filled in.
// The reminders and the delay watch key on the date, so a new date is
// watched again from the start (DLV-8).
func (tx *Tx) ChangeDeadline(c DeadlineChange) (DeadlineChange, error) {
	if err := c.Validate(); err != nil {
		return c, err
	}
	err := tx.queryRow("SELECT deadline FROM orders WHERE order_no = ?", c.OrderNo).Scan(&c.Old)
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("no order %s", c.OrderNo)
	}
	if err != nil {
		return c, fmt.Errorf("store: deadline of %s: %w", c.OrderNo, err)
	}
	if _, err := tx.exec("UPDATE orders SET deadline = ?, updated_at = ? WHERE order_no = ?", c.New, millis(c.At), c.OrderNo); err != nil {
		return c, fmt.Errorf("store: change deadline of %s: %w", c.OrderNo, err)
	}
	res, err := tx.exec(`INSERT INTO deadline_changes (order_no, old_date, new_date, kind, actor, reason, at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, c.OrderNo, c.Old, c.New, c.Kind, c.Actor, c.Reason, millis(c.At))
	if err != nil {
		return c, fmt.Errorf("store: deadline history of %s: %w", c.OrderNo, err)
	}
	c.ID, _ = res.LastInsertId()
	return c, nil
}

// DeadlineHistory returns the changes of an order's promised date, oldest
// first.
func (db *DB) DeadlineHistory(ctx context.Context, orderNo string) ([]DeadlineChange, error) {
	rows, err := db.query(ctx, `SELECT id, order_no, old_date, new_date, kind, actor, reason, at FROM deadline_changes
		WHERE order_no = ? ORDER BY id`, orderNo)
	return collect(rows, err, "deadline history of "+orderNo, func(row scanner) (DeadlineChange, error) {
		var c DeadlineChange
		var at int64
		err := row.Scan(&c.ID, &c.OrderNo, &c.Old, &c.New, &c.Kind, &c.Actor, &c.Reason, &at)
		c.At = fromMillis(at)
		return c, err
	})
}

// LastDeadlineChange returns the order's latest date change, or ErrNotFound.
func (tx *Tx) LastDeadlineChange(orderNo string) (DeadlineChange, error) {
	var c DeadlineChange
	var at int64
	err := tx.queryRow(`SELECT id, order_no, old_date, new_date, kind, actor, reason, at FROM deadline_changes
		WHERE order_no = ? ORDER BY id DESC LIMIT 1`, orderNo).Scan(&c.ID, &c.OrderNo, &c.Old, &c.New, &c.Kind, &c.Actor, &c.Reason, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("order %s has no date change", orderNo)
	}
	c.At = fromMillis(at)
	return c, err
}

// OrderInTx returns the order (without its items) inside a transaction.
func (tx *Tx) OrderInTx(no string) (Order, error) {
	o, err := scanOrder(tx.queryRow("SELECT "+orderColumns+" FROM orders WHERE order_no = ?", no))
	if errors.Is(err, sql.ErrNoRows) {
		return Order{}, notFound("no order %s", no)
	}
	if err != nil {
		return Order{}, fmt.Errorf("store: order %s: %w", no, err)
	}
	return o, nil
}

// DeliveredOn returns the shop date the customer said the order arrived,
// empty when nobody said so yet.
func (db *DB) DeliveredOn(ctx context.Context, orderNo string) (string, error) {
	var on string
	err := db.queryRow(ctx, "SELECT delivered_on FROM orders WHERE order_no = ?", orderNo).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return on, err
}

// RecordDelivered keeps the day the customer said the goods arrived (the
// first such answer counts) and moves an order not yet delivered to
// delivered (DLV-10). It returns false when a delivery was recorded before.
func (tx *Tx) RecordDelivered(orderNo, day string, now time.Time) (bool, error) {
	if !validDate(day) {
		return false, invalid("delivered_on %q: want YYYY-MM-DD", day)
	}
	res, err := tx.exec(`UPDATE orders SET delivered_on = ?, updated_at = ?,
		status = CASE WHEN status IN ('placed','in_production','shipped') THEN 'delivered' ELSE status END
		WHERE order_no = ? AND delivered_on = ''`, day, millis(now), orderNo)
	if err != nil {
		return false, fmt.Errorf("store: delivered %s: %w", orderNo, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Delivered reports whether an order counts as delivered: a delivery was
// recorded, or the back office says delivered or installed. Nothing
// proactive about its delivery goes out then.
func (o Order) Delivered() bool {
	return o.DeliveredOn != "" || o.Status == config.OrderDelivered || o.Status == config.OrderInstalled
}

// OpenDelayCaseInTx returns the order's unresolved delivery-delay case, or
// ErrNotFound: an order has at most one (DLV-8).
func (tx *Tx) OpenDelayCaseInTx(orderNo string) (cases.Case, error) {
	c, err := scanCase(tx.queryRow("SELECT "+caseColumns+` FROM cases
		WHERE order_no = ? AND kind = 'delivery_delay' AND status != 'resolved' ORDER BY id LIMIT 1`, orderNo))
	if errors.Is(err, sql.ErrNoRows) {
		return cases.Case{}, ErrNotFound
	}
	return c, err
}

// EnqueueAt writes an outbox message that is not sent before notBefore: a
// proactive message written at night waits for the next opening.
func (tx *Tx) EnqueueAt(m OutboxMessage, now, notBefore time.Time) (int64, error) {
	id, err := tx.Enqueue(m, now)
	if err != nil || !notBefore.After(now) {
		return id, err
	}
	if _, err := tx.exec("UPDATE outbox SET next_attempt_at = ? WHERE id = ?", millis(notBefore), id); err != nil {
		return 0, fmt.Errorf("store: enqueue at: %w", err)
	}
	return id, nil
}

// OrdersAwaitingPreview returns the orders created since `since` that are
// not shipped yet and have had no service preview (DLV-11).
func (db *DB) OrdersAwaitingPreview(ctx context.Context, since time.Time) ([]Order, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+orderColumns+` FROM orders
		WHERE preview_sent_at IS NULL AND created_at >= ? AND status IN ('placed','in_production') AND delivered_on = ''
		ORDER BY created_at, order_no`, millis(since))
	return collect(rows, err, "orders awaiting a preview", scanOrder)
}

// MarkPreviewSent records that an order's service preview went out; false
// when it had gone out already.
func (tx *Tx) MarkPreviewSent(orderNo string, at time.Time) (bool, error) {
	res, err := tx.exec("UPDATE orders SET preview_sent_at = ? WHERE order_no = ? AND preview_sent_at IS NULL", millis(at), orderNo)
	if err != nil {
		return false, fmt.Errorf("store: preview sent: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// PreviewSent reports whether the order's service preview went out.
func (db *DB) PreviewSent(ctx context.Context, orderNo string) (bool, error) {
	var at sql.NullInt64
	err := db.queryRow(ctx, "SELECT preview_sent_at FROM orders WHERE order_no = ?", orderNo).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return false, ErrNotFound
	}
	return at.Valid, err
}

// The answers about a shipment earlier than agreed (DLV-12).
const (
	ConsentAsked = "asked"
	ConsentYes   = "yes"
	ConsentNo    = "no"
)

// EarlyConsent returns what the customer said about an early shipment:
// empty (not asked), asked, yes or no.
func (db *DB) EarlyConsent(ctx context.Context, trackingNo string) (string, error) {
	var v string
	err := db.queryRow(ctx, "SELECT early_consent FROM shipments WHERE tracking_no = ?", trackingNo).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return v, err
}

// SetEarlyConsent moves a shipment's consent from one of from to to; false
// when it was elsewhere (asked twice, answered twice).
func (tx *Tx) SetEarlyConsent(trackingNo, to string, from ...string) (bool, error) {
	q := "UPDATE shipments SET early_consent = ? WHERE tracking_no = ? AND early_consent IN ("
	args := []any{to, trackingNo}
	for i, f := range from {
		if i > 0 {
			q += ","
		}
		q += "?"
		args = append(args, f)
	}
	res, err := tx.exec(q+")", args...)
	if err != nil {
		return false, fmt.Errorf("store: early consent of %s: %w", trackingNo, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ShipmentsAwaitingConsent returns the shipments of undelivered orders
// whose customer has not been asked about an early delivery yet, created
// since `since`.
func (db *DB) ShipmentsAwaitingConsent(ctx context.Context, since time.Time) ([]Shipment, error) {
	return db.shipments(ctx, `early_consent = '' AND created_at >= ? AND order_no IN (SELECT order_no FROM orders
		WHERE deadline != '' AND delivered_on = '' AND status NOT IN ('delivered','installed'))
		AND expected_arrival < (SELECT deadline FROM orders o WHERE o.order_no = shipments.order_no)`, millis(since))
}
