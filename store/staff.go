package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"frontdesk/cases"
)

// CaseInTx reads a case inside a write transaction, so a change is made on
// what is there now.
func (tx *Tx) CaseInTx(number string) (cases.Case, error) {
	return tx.caseWhere("number", number, "no case %s")
}

// SaveCase writes the fields staff change: kind, status, severity,
// classification, remedy, assignee, cause, action, resolved_at.
func (tx *Tx) SaveCase(c cases.Case, now time.Time) error {
	_, err := tx.exec(`UPDATE cases SET kind = ?, status = ?, severity = ?, classification = ?, remedy = ?, assignee = ?,
		cause = ?, action = ?, resolved_at = ?, updated_at = ? WHERE id = ?`,
		c.Kind, c.Status, c.Severity, c.Classification, c.Remedy, c.Assignee, c.Cause, c.Action,
		nullMillis(c.ResolvedAt), millis(now), c.ID)
	if err != nil {
		return fmt.Errorf("store: save case %s: %w", c.Number, err)
	}
	return nil
}

// SetSlackTS records the case's parent message in the staff channel.
func (db *DB) SetSlackTS(ctx context.Context, caseID int64, ts string) error {
	_, err := db.write.ExecContext(ctx, "UPDATE cases SET slack_ts = ? WHERE id = ?", ts, caseID)
	if err != nil {
		return coded(fmt.Errorf("store: slack ts: %w", err))
	}
	return nil
}

// SlackTS returns the case's parent message, "" when not posted yet.
func (db *DB) SlackTS(ctx context.Context, caseID int64) (string, error) {
	var ts string
	err := db.queryRow(ctx, "SELECT slack_ts FROM cases WHERE id = ?", caseID).Scan(&ts)
	return orNotFound(ts, err)
}

// CaseBySlackTS finds the case whose parent message is ts.
func (db *DB) CaseBySlackTS(ctx context.Context, ts string) (cases.Case, error) {
	return orNotFound(scanCase(db.queryRow(ctx, "SELECT "+caseColumns+" FROM cases WHERE slack_ts = ? AND slack_ts != ''", ts)))
}

// CasesAssignedTo returns the unresolved cases of one staff member.
func (db *DB) CasesAssignedTo(ctx context.Context, assignee string) ([]cases.Case, error) {
	rows, err := db.query(ctx, myCasesQuery, assignee)
	return collect(rows, err, "cases of "+assignee, scanCase)
}

// PhotoByID returns one photo record.
func (db *DB) PhotoByID(ctx context.Context, id int64) (Photo, error) {
	var p Photo
	var at int64
	err := db.queryRow(ctx, "SELECT id, COALESCE(case_id, 0), sha256, mime, size, step, created_at FROM photos WHERE id = ?", id).
		Scan(&p.ID, &p.CaseID, &p.SHA256, &p.MIME, &p.Size, &p.Step, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return Photo{}, ErrNotFound
	}
	p.CreatedAt = fromMillis(at)
	return p, err
}

// CaseByID returns a case by its id.
func (db *DB) CaseByID(ctx context.Context, id int64) (cases.Case, error) {
	return orNotFound(scanCase(db.queryRow(ctx, "SELECT "+caseColumns+" FROM cases WHERE id = ?", id)))
}

// SaveCaseDetails replaces a case's details.
func (tx *Tx) SaveCaseDetails(caseID int64, details map[string]string) error {
	b, err := json.Marshal(details)
	if err != nil {
		return err
	}
	_, err = tx.exec("UPDATE cases SET details = ? WHERE id = ?", string(b), caseID)
	return err
}

// myCasesQuery reads a staff member's open and claimed cases as two ranges
// of cases_assignee, never the years of cases they resolved (0026).
// INDEXED BY: two short ranges of (assignee, status), not every case the
// staff member ever had (cases_assignee_newest would give the order).
const myCasesQuery = "SELECT " + caseColumns + " FROM cases INDEXED BY cases_assignee WHERE assignee = ? AND status IN ('open', 'claimed') ORDER BY id"
