package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
)

// Grant is money granted to a customer on a case (APR-1, APR-2, WAL-6).
type Grant struct {
	CaseID    int64
	At        time.Time
	Kind      string // compensation or advance
	Yuan      int
	Rolls     int
	DecidedBy string
}

// AddGrant records money granted.
func (tx *Tx) AddGrant(g Grant) error {
	_, err := tx.exec(`INSERT INTO grants (case_id, at, kind, yuan, rolls, decided_by) VALUES (?, ?, ?, ?, ?, ?)`,
		g.CaseID, millis(g.At), g.Kind, g.Yuan, g.Rolls, g.DecidedBy)
	if err != nil {
		return coded(fmt.Errorf("store: grant on case %d: %w", g.CaseID, err))
	}
	return nil
}

// Granted sums what was granted in [from, to): compensation in yuan and in
// rolls, advances in yuan, and how many grants.
type Granted struct {
	Count            int
	CompensationYuan int
	Rolls            int
	AdvanceYuan      int
}

// GrantedBetween sums the grants decided in [from, to).
func (db *DB) GrantedBetween(ctx context.Context, from, to time.Time) (Granted, error) {
	var g Granted
	err := db.queryRow(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN kind = 'compensation' THEN yuan END), 0),
		COALESCE(SUM(rolls), 0),
		COALESCE(SUM(CASE WHEN kind = 'advance' THEN yuan END), 0)
		FROM grants WHERE at >= ? AND at < ?`, millis(from), millis(to)).Scan(&g.Count, &g.CompensationYuan, &g.Rolls, &g.AdvanceYuan)
	if err != nil {
		return g, coded(fmt.Errorf("store: granted: %w", err))
	}
	return g, nil
}

// PendingApprovals returns the open cases whose money remedy waits for
// approval, oldest first (the approvals queue of the staff page).
func (db *DB) PendingApprovals(ctx context.Context) ([]cases.Case, error) {
	rows, err := db.query(ctx, "SELECT "+caseColumns+` FROM cases
		WHERE json_extract(details, '$.approval') = 'pending' AND status != 'resolved' ORDER BY updated_at, id`)
	return collect(rows, err, "pending approvals", scanCase)
}

// OpenMajorComplaints returns the major complaints not yet resolved, oldest
// first (CMP-4).
func (db *DB) OpenMajorComplaints(ctx context.Context) ([]cases.Case, error) {
	rows, err := db.query(ctx, "SELECT "+caseColumns+` FROM cases
		WHERE kind = ? AND severity = 'major' AND status != 'resolved' ORDER BY created_at, id`, string(config.KindComplaint))
	return collect(rows, err, "major complaints", scanCase)
}

// OrderHasWallpaperInTx reports whether the order has wallpaper among the
// lines (all its lines when lines is empty).
func (tx *Tx) OrderHasWallpaperInTx(orderNo string, lines []int) (bool, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT line, category FROM order_items WHERE order_no = ?`, orderNo)
	type item struct {
		line     int
		category string
	}
	items, err := collect(rows, err, "items of "+orderNo, func(row scanner) (item, error) {
		var it item
		return it, row.Scan(&it.line, &it.category)
	})
	if err != nil {
		return false, err
	}
	for _, it := range items {
		if it.category != string(config.Wallpaper) {
			continue
		}
		if len(lines) == 0 {
			return true, nil
		}
		for _, l := range lines {
			if l == it.line {
				return true, nil
			}
		}
	}
	return false, nil
}

// AccountByNameInTx returns the account of a staff member by the name
// colleagues know.
func (tx *Tx) AccountByNameInTx(name string) (Account, error) {
	a, err := scanAccount(tx.queryRow("SELECT "+accountColumns+" FROM staff_accounts WHERE name = ?", name))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, notFound("no staff account named %q", name)
	}
	return a, err
}

// AccountsWithRoleInTx returns the enabled accounts of a role.
func (tx *Tx) AccountsWithRoleInTx(role cases.Role) ([]Account, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, "SELECT "+accountColumns+" FROM staff_accounts WHERE role = ? AND disabled = 0 ORDER BY id", string(role))
	return collect(rows, err, "accounts of "+string(role), scanAccount)
}
