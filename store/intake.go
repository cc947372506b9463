package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"frontdesk/cases"
	"frontdesk/config"

	sqlite3 "modernc.org/sqlite/lib"
)

// SetIntake records how the request of a case reached the shop when staff
// opened it (INT-1): phone, store, letter or fax.
func (tx *Tx) SetIntake(caseID int64, channel string) error {
	res, err := tx.exec("UPDATE cases SET intake = ? WHERE id = ?", channel, caseID)
	if err != nil {
		if isCheckViolation(err) {
			return invalid("intake channel %q: want phone, store, letter or fax", channel)
		}
		return fmt.Errorf("store: intake: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("no case with id %d", caseID)
	}
	return nil
}

// isCheckViolation reports a CHECK constraint failure.
func isCheckViolation(err error) bool {
	code, ok := sqliteCode(err)
	return ok && code == sqlite3.SQLITE_CONSTRAINT_CHECK
}

// OrderLink is one of the customer's orders as staff see it beside a case.
type OrderLink struct {
	No       string
	Status   config.OrderStatus
	Deadline string
	Items    string // "布艺沙发 ×1、茶几 ×2"
}

// CaseLinks is what staff see beside a case (INT-3, INT-4): the items it
// is about, the customer's other open cases and the customer's orders, all
// found by the case's phone.
type CaseLinks struct {
	Items     []string
	OtherOpen []cases.Case
	Orders    []OrderLink
}

// ItemsDetail is the detail key under which a case opened by staff keeps
// the items the customer named, one a line.
const ItemsDetail = "items"

// CaseLinks finds what staff see beside a case.
func (db *DB) CaseLinks(ctx context.Context, c cases.Case) (CaseLinks, error) {
	var out CaseLinks
	if s := c.Details[ItemsDetail]; s != "" {
		out.Items = strings.Split(s, "\n")
	}
	if c.Phone == "" && c.OrderNo == "" {
		return out, nil
	}
	var orders []Order
	var err error
	if c.Phone != "" {
		if orders, err = db.OrdersByPhone(ctx, c.Phone); err != nil {
			return out, err
		}
	}
	if c.OrderNo != "" && !slices.ContainsFunc(orders, func(o Order) bool { return o.No == c.OrderNo }) {
		o, err := db.Order(ctx, c.OrderNo)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return out, err
		}
		if err == nil {
			orders = append([]Order{o}, orders...)
		}
	}
	for _, o := range orders {
		var names []string
		for _, it := range o.Items {
			names = append(names, fmt.Sprintf("%s ×%d", it.Name, it.Quantity))
		}
		out.Orders = append(out.Orders, OrderLink{No: o.No, Status: o.Status, Deadline: o.Deadline, Items: strings.Join(names, "、")})
		if o.No == c.OrderNo && out.Items == nil {
			out.Items = chosenItems(o.Items, c.Details["lines"])
		}
	}
	if c.Phone != "" {
		open, err := db.CasesByPhone(ctx, c.Phone, true)
		if err != nil {
			return out, err
		}
		for _, o := range open {
			if o.ID != c.ID {
				out.OtherOpen = append(out.OtherOpen, o)
			}
		}
	}
	return out, nil
}

// chosenItems are the order's items on the lines a dialog chose ("1,3");
// with no lines chosen, none.
func chosenItems(items []Item, lines string) []string {
	var out []string
	for _, l := range strings.Split(lines, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(l))
		if err != nil {
			continue
		}
		for _, it := range items {
			if it.Line == n {
				out = append(out, fmt.Sprintf("%s ×%d", it.Name, it.Quantity))
			}
		}
	}
	return out
}
