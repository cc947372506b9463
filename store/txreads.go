package store

import (
	"database/sql"
	"errors"
	"fmt"

	"frontdesk/cases"
)

// Reads inside a write transaction. A write transaction touches only the
// transaction: a read through the read pool while it is open would see the
// state before it (and, under group commit, wait on the writer it holds).

// CaseByIDInTx returns the case with this id.
func (tx *Tx) CaseByIDInTx(id int64) (cases.Case, error) {
	return tx.caseWhere("id", id, "no case with id %v")
}

// caseWhere reads the case whose column (number or id, both unique) is
// key; missing says which is not found.
func (tx *Tx) caseWhere(column string, key any, missing string) (cases.Case, error) {
	c, err := scanCase(tx.queryRow("SELECT "+caseColumns+" FROM cases WHERE "+column+" = ?", key))
	if errors.Is(err, sql.ErrNoRows) {
		return cases.Case{}, notFound(missing, key)
	}
	return c, err
}

// VisitInTx returns a visit by its back-office id.
func (tx *Tx) VisitInTx(id string) (Visit, error) {
	var v Visit
	var provider, appt, done sql.NullInt64
	err := tx.queryRow("SELECT id, order_no, provider_id, kind, appointment_at, completed_at FROM visits WHERE id = ?", id).
		Scan(&v.ID, &v.OrderNo, &provider, &v.Kind, &appt, &done)
	if errors.Is(err, sql.ErrNoRows) {
		return Visit{}, fmt.Errorf("store: visit %s: %w", id, ErrNotFound)
	}
	v.ProviderID = provider.Int64
	v.AppointmentAt, v.CompletedAt = fromNullMillis(appt), fromNullMillis(done)
	return v, err
}

// OrderCustomerInTx returns the customer's name and phone on an order.
func (tx *Tx) OrderCustomerInTx(no string) (name, phone string, err error) {
	err = tx.queryRow("SELECT customer_name, phone FROM orders WHERE order_no = ?", no).Scan(&name, &phone)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", fmt.Errorf("store: order %s: %w", no, ErrNotFound)
	}
	return name, phone, err
}

// ChatsByPhoneInTx returns the chats verified with this phone.
func (tx *Tx) ChatsByPhoneInTx(phone string) ([]CustomerChat, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, chatsByPhone, NormalizePhone(phone))
	return collect(rows, err, "chats by phone", scanChat)
}
