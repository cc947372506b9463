package store

import (
	"context"
	"time"
)

// OrdersAwaitingDelivery returns the orders with a promised date that are
// not delivered or installed yet.
func (db *DB) OrdersAwaitingDelivery(ctx context.Context) ([]Order, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+orderColumns+` FROM orders
		WHERE deadline != '' AND status NOT IN ('delivered', 'installed') AND delivered_on = '' ORDER BY deadline`)
	return collect(rows, err, "orders awaiting delivery", scanOrder)
}

func (db *DB) shipments(ctx context.Context, where string, args ...any) ([]Shipment, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+shipmentColumns+" FROM shipments WHERE "+where+" ORDER BY id", args...)
	return collect(rows, err, "shipments", scanShipment)
}

// ShipmentsArrivingOn returns the shipments expected on a shop date, but
// not of an order whose delivery is recorded, nor one the customer declined
// to receive early (DLV-10, DLV-12).
func (db *DB) ShipmentsArrivingOn(ctx context.Context, date string) ([]Shipment, error) {
	return db.shipments(ctx, `expected_arrival = ? AND early_consent != 'no' AND order_no NOT IN (SELECT order_no FROM orders
		WHERE delivered_on != '' OR status IN ('delivered', 'installed'))`, date)
}

// ShipmentsWithoutNotice returns the shipments whose notice is not sent.
func (db *DB) ShipmentsWithoutNotice(ctx context.Context) ([]Shipment, error) {
	return db.shipments(ctx, "notice_sent_at IS NULL")
}

// LateShipments returns shipments expected after their order's deadline.
func (db *DB) LateShipments(ctx context.Context) ([]Shipment, error) {
	return db.shipments(ctx, `order_no IN (SELECT order_no FROM orders WHERE deadline != '' AND status NOT IN ('delivered','installed') AND delivered_on = '')
		AND expected_arrival > (SELECT deadline FROM orders o WHERE o.order_no = shipments.order_no)`)
}

// VisitsCompletedSince returns visits completed at or after since.
func (db *DB) VisitsCompletedSince(ctx context.Context, since time.Time) ([]Visit, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, order_no, COALESCE(provider_id, 0), kind, COALESCE(appointment_at, 0),
		COALESCE(completed_at, 0) FROM visits WHERE completed_at >= ? ORDER BY completed_at`, millis(since))
	return collect(rows, err, "visits", func(row scanner) (Visit, error) {
		var v Visit
		var appt, done int64
		err := row.Scan(&v.ID, &v.OrderNo, &v.ProviderID, &v.Kind, &appt, &done)
		if appt != 0 {
			v.AppointmentAt = fromMillis(appt)
		}
		v.CompletedAt = fromMillis(done)
		return v, err
	})
}

// UnansweredSurveys returns surveys sent before `before` and not answered.
func (db *DB) UnansweredSurveys(ctx context.Context, before time.Time) ([]Survey, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, visit_id, stage, channel, chat_id, sent_at FROM surveys
		WHERE answered_at IS NULL AND sent_at < ? ORDER BY id`, millis(before))
	return collect(rows, err, "unanswered surveys", func(row scanner) (Survey, error) {
		var s Survey
		var sent int64
		err := row.Scan(&s.ID, &s.VisitID, &s.Stage, &s.Channel, &s.ChatID, &sent)
		s.SentAt = fromMillis(sent)
		return s, err
	})
}

// SurveyStageSent reports whether a visit's survey of a stage went out.
func (db *DB) SurveyStageSent(ctx context.Context, visitID, stage string) (bool, error) {
	var n int
	err := db.read.QueryRowContext(ctx, "SELECT COUNT(*) FROM surveys WHERE visit_id = ? AND stage = ?", visitID, stage).Scan(&n)
	return n > 0, err
}
