package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"frontdesk/cases"
)

// The spare parts of 003: the price list (PRT-5), the parts lines of repair
// cases, the replaced parts due back (PRT-4) and the monthly counts (PRT-7).

// PartLine is one parts line of a repair case.
type PartLine struct {
	ID        int64
	CaseID    int64
	SKU       string
	Name      string
	Qty       int
	Warranty  bool
	UnitCents int64
	FeeCents  int64
	AddedAt   time.Time
	AddedBy   string
	ShippedOn string
	DueBack   string
	Returned  bool
	Charged   bool
}

// PutPartPrices adds or replaces lines of the parts price list, all or
// none.
func (tx *Tx) PutPartPrices(prices []cases.PartPrice, at time.Time) error {
	for _, p := range prices {
		_, err := tx.exec(`INSERT INTO part_prices (sku, name, price_cents, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT(sku) DO UPDATE SET name = excluded.name, price_cents = excluded.price_cents, updated_at = excluded.updated_at`,
			p.SKU, p.Name, p.PriceCents, millis(at))
		if err != nil {
			return coded(fmt.Errorf("store: part price %s: %w", p.SKU, err))
		}
	}
	return nil
}

// PartPriceInTx returns the price-list line of sku, or ErrNotFound.
func (tx *Tx) PartPriceInTx(sku string) (cases.PartPrice, error) {
	var p cases.PartPrice
	err := tx.queryRow("SELECT sku, name, price_cents FROM part_prices WHERE sku = ?", sku).Scan(&p.SKU, &p.Name, &p.PriceCents)
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("no part %s in the price list", sku)
	}
	if err != nil {
		return p, coded(fmt.Errorf("store: part price: %w", err))
	}
	return p, nil
}

// PartPrices returns the price list by SKU.
func (db *DB) PartPrices(ctx context.Context) ([]cases.PartPrice, error) {
	rows, err := db.query(ctx, "SELECT sku, name, price_cents FROM part_prices ORDER BY sku")
	if err != nil {
		return nil, coded(fmt.Errorf("store: part prices: %w", err))
	}
	defer rows.Close()
	var out []cases.PartPrice
	for rows.Next() {
		var p cases.PartPrice
		if err := rows.Scan(&p.SKU, &p.Name, &p.PriceCents); err != nil {
			return nil, coded(fmt.Errorf("store: part prices: %w", err))
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// AddPartLine keeps a parts line of a case.
func (tx *Tx) AddPartLine(l PartLine) error {
	_, err := tx.exec(`INSERT INTO part_lines (case_id, sku, name, qty, warranty, unit_cents, fee_cents, added_at, added_by)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, l.CaseID, l.SKU, l.Name, l.Qty, l.Warranty, l.UnitCents, l.FeeCents, millis(l.AddedAt), l.AddedBy)
	if err != nil {
		return coded(fmt.Errorf("store: parts line of case %d: %w", l.CaseID, err))
	}
	return nil
}

// ShipPartLines marks the case's lines shipped on a shop date; the lines
// in warranty are due back by dueBack.
func (tx *Tx) ShipPartLines(caseID int64, on, dueBack string, at time.Time) error {
	_, err := tx.exec(`UPDATE part_lines SET shipped_on = ?, shipped_at = ?, due_back = CASE WHEN warranty = 1 THEN ? ELSE '' END
		WHERE case_id = ? AND shipped_at IS NULL`, on, millis(at), dueBack, caseID)
	if err != nil {
		return coded(fmt.Errorf("store: ship parts of case %d: %w", caseID, err))
	}
	return nil
}

// ReturnPartLines marks the replaced parts of the case returned.
func (tx *Tx) ReturnPartLines(caseID int64, at time.Time) error {
	_, err := tx.exec(`UPDATE part_lines SET returned_at = ? WHERE case_id = ? AND due_back != '' AND returned_at IS NULL`, millis(at), caseID)
	if err != nil {
		return coded(fmt.Errorf("store: parts returned on case %d: %w", caseID, err))
	}
	return nil
}

// ChargePartLines marks the replaced parts of the case charged.
func (tx *Tx) ChargePartLines(caseID int64, at time.Time) error {
	_, err := tx.exec(`UPDATE part_lines SET charged_at = ? WHERE case_id = ? AND due_back != '' AND charged_at IS NULL`, millis(at), caseID)
	if err != nil {
		return coded(fmt.Errorf("store: parts charged on case %d: %w", caseID, err))
	}
	return nil
}

// PartLines returns the parts lines of a case in the order added.
func (db *DB) PartLines(ctx context.Context, caseID int64) ([]PartLine, error) {
	rows, err := db.query(ctx, `SELECT id, case_id, sku, name, qty, warranty, unit_cents, fee_cents, added_at, added_by, shipped_on, due_back,
		returned_at IS NOT NULL, charged_at IS NOT NULL FROM part_lines WHERE case_id = ? ORDER BY id`, caseID)
	if err != nil {
		return nil, coded(fmt.Errorf("store: parts lines: %w", err))
	}
	defer rows.Close()
	var out []PartLine
	for rows.Next() {
		var l PartLine
		var added int64
		if err := rows.Scan(&l.ID, &l.CaseID, &l.SKU, &l.Name, &l.Qty, &l.Warranty, &l.UnitCents, &l.FeeCents, &added, &l.AddedBy,
			&l.ShippedOn, &l.DueBack, &l.Returned, &l.Charged); err != nil {
			return nil, coded(fmt.Errorf("store: parts lines: %w", err))
		}
		l.AddedAt = time.UnixMilli(added)
		out = append(out, l)
	}
	return out, rows.Err()
}

// PartsDueBy returns the numbers of the cases with replaced parts due back
// on or before the shop date day and neither returned nor charged.
func (db *DB) PartsDueBy(ctx context.Context, day string, limit int) ([]string, error) {
	rows, err := db.query(ctx, `SELECT DISTINCT c.number FROM part_lines l JOIN cases c ON c.id = l.case_id
		WHERE l.due_back != '' AND l.returned_at IS NULL AND l.charged_at IS NULL AND l.due_back <= ?
		ORDER BY c.number LIMIT ?`, day, limit)
	if err != nil {
		return nil, coded(fmt.Errorf("store: parts due: %w", err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var no string
		if err := rows.Scan(&no); err != nil {
			return nil, coded(fmt.Errorf("store: parts due: %w", err))
		}
		out = append(out, no)
	}
	return out, rows.Err()
}

// PartsCount is a month's count of parts (PRT-7): pieces issued (shipped),
// of which free in warranty; replaced pieces returned; pieces charged for
// not being returned, and their price-list value.
type PartsCount struct {
	Issued       int
	IssuedFree   int
	Returned     int
	Charged      int
	ChargedCents int64
	FeeCents     int64 // what customers paid for the parts issued out of warranty
}

// PartsCounted counts the parts issued, returned and charged in [from, to).
func (db *DB) PartsCounted(ctx context.Context, from, to time.Time) (PartsCount, error) {
	var n PartsCount
	f, t := millis(from), millis(to)
	err := db.queryRow(ctx, `SELECT
		COALESCE(SUM(CASE WHEN shipped_at >= ? AND shipped_at < ? THEN qty END), 0),
		COALESCE(SUM(CASE WHEN shipped_at >= ? AND shipped_at < ? AND warranty = 1 THEN qty END), 0),
		COALESCE(SUM(CASE WHEN returned_at >= ? AND returned_at < ? THEN qty END), 0),
		COALESCE(SUM(CASE WHEN charged_at >= ? AND charged_at < ? THEN qty END), 0),
		COALESCE(SUM(CASE WHEN charged_at >= ? AND charged_at < ? THEN qty * unit_cents END), 0),
		COALESCE(SUM(CASE WHEN shipped_at >= ? AND shipped_at < ? THEN fee_cents END), 0)
		FROM part_lines`, f, t, f, t, f, t, f, t, f, t, f, t).Scan(&n.Issued, &n.IssuedFree, &n.Returned, &n.Charged, &n.ChargedCents, &n.FeeCents)
	if err != nil {
		return n, coded(fmt.Errorf("store: parts counted: %w", err))
	}
	return n, nil
}
