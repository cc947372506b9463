package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Clock is one service-time clock of a case.
type Clock struct {
	ID          int64
	CaseID      int64
	Name        string
	StartedAt   time.Time
	DueAt       time.Time
	FarDueAt    time.Time
	StopOn      []string
	StoppedAt   time.Time
	EscalatedAt time.Time
	ManagersAt  time.Time
}

// StartClock starts a clock on a case; starting it twice changes nothing.
func (tx *Tx) StartClock(c Clock) error {
	_, err := tx.exec(`INSERT INTO sla_clocks (case_id, name, started_at, due_at, far_due_at, stop_on)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(case_id, name) DO NOTHING`,
		c.CaseID, c.Name, millis(c.StartedAt), millis(c.DueAt), millis(c.FarDueAt), strings.Join(c.StopOn, ","))
	if err != nil {
		return fmt.Errorf("store: start clock: %w", err)
	}
	return nil
}

// StopClocks stops the running clocks of a case that the event stops.
func (tx *Tx) StopClocks(caseID int64, event string, at time.Time) error {
	_, err := tx.exec(`UPDATE sla_clocks SET stopped_at = ? WHERE case_id = ? AND stopped_at IS NULL
		AND (',' || stop_on || ',') LIKE ?`, millis(at), caseID, "%,"+event+",%")
	if err != nil {
		return fmt.Errorf("store: stop clocks: %w", err)
	}
	return nil
}

const clockColumns = `id, case_id, name, started_at, due_at, far_due_at, stop_on, stopped_at, escalated_at, managers_at`

func scanClock(row scanner) (Clock, error) {
	var c Clock
	var started, due, far int64
	var stopOn string
	var stopped, escalated, managers sql.NullInt64
	err := row.Scan(&c.ID, &c.CaseID, &c.Name, &started, &due, &far, &stopOn, &stopped, &escalated, &managers)
	c.StartedAt, c.DueAt, c.FarDueAt = fromMillis(started), fromMillis(due), fromMillis(far)
	c.StopOn = strings.Split(stopOn, ",")
	c.StoppedAt, c.EscalatedAt, c.ManagersAt = fromNullMillis(stopped), fromNullMillis(escalated), fromNullMillis(managers)
	return c, err
}

func (db *DB) clocks(ctx context.Context, q string, args ...any) ([]Clock, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+clockColumns+" FROM sla_clocks "+q, args...)
	return collect(rows, err, "clocks", scanClock)
}

// CaseClocks returns a case's clocks, the next due first.
func (db *DB) CaseClocks(ctx context.Context, caseID int64) ([]Clock, error) {
	return db.clocks(ctx, "WHERE case_id = ? ORDER BY stopped_at IS NOT NULL, due_at", caseID)
}

// OverdueClocks returns running clocks past due at now that are not yet
// escalated, or past far due and not yet sent to the managers.
func (db *DB) OverdueClocks(ctx context.Context, now time.Time) ([]Clock, error) {
	rows, err := db.query(ctx, overdueClocksQuery, millis(now), millis(now), millis(now))
	clocks, err := collect(rows, err, "clocks", scanClock)
	// Sorted here: an ORDER BY would have SQLite walk all the running
	// clocks in due order instead of the two short ranges.
	sort.Slice(clocks, func(i, j int) bool {
		if !clocks[i].DueAt.Equal(clocks[j].DueAt) {
			return clocks[i].DueAt.Before(clocks[j].DueAt)
		}
		return clocks[i].ID < clocks[j].ID
	})
	return clocks, err
}

// overdueClocksQuery reads only the clocks the scan acts on, through the
// two partial indexes of 0026 (to escalate, to tell the managers), however
// many clocks are running or were ever started; the second part leaves out
// what the first found.
const overdueClocksQuery = `SELECT ` + clockColumns + ` FROM sla_clocks
		WHERE stopped_at IS NULL AND escalated_at IS NULL AND due_at <= ?
	UNION ALL
	SELECT ` + clockColumns + ` FROM sla_clocks
		WHERE stopped_at IS NULL AND managers_at IS NULL AND far_due_at <= ?
		AND NOT (escalated_at IS NULL AND due_at <= ?)`

// AllClocks returns every clock started in [from, to).
func (db *DB) AllClocks(ctx context.Context, from, to time.Time) ([]Clock, error) {
	return db.clocks(ctx, "WHERE started_at >= ? AND started_at < ? ORDER BY id", millis(from), millis(to))
}

// MarkEscalated records the staff escalation of a clock; false when another
// run did it first.
func (tx *Tx) MarkEscalated(clockID int64, at time.Time) (bool, error) {
	return tx.markOnce("UPDATE sla_clocks SET escalated_at = ? WHERE id = ? AND escalated_at IS NULL AND stopped_at IS NULL", at, clockID)
}

// MarkManagers records the managers' escalation of a clock, once.
func (tx *Tx) MarkManagers(clockID int64, at time.Time) (bool, error) {
	return tx.markOnce("UPDATE sla_clocks SET managers_at = ? WHERE id = ? AND managers_at IS NULL AND stopped_at IS NULL", at, clockID)
}

func (tx *Tx) markOnce(q string, at time.Time, id int64) (bool, error) {
	res, err := tx.exec(q, millis(at), id)
	if err != nil {
		return false, fmt.Errorf("store: mark clock: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// DoOnce records that key was done; false when it had been done already.
func (tx *Tx) DoOnce(key string, at time.Time) (bool, error) {
	res, err := tx.exec("INSERT INTO done_once (key, done_at) VALUES (?, ?) ON CONFLICT DO NOTHING", key, millis(at))
	if err != nil {
		return false, fmt.Errorf("store: once %s: %w", key, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Done reports whether key was done.
func (db *DB) Done(ctx context.Context, key string) (bool, error) {
	var one int
	err := db.queryRow(ctx, "SELECT 1 FROM done_once WHERE key = ?", key).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// AcquireLease takes the named lease for holder until `until`, if it is
// free or expired or already holder's.
func (db *DB) AcquireLease(ctx context.Context, name, holder string, now, until time.Time) (bool, error) {
	res, err := db.execWrite(ctx, `INSERT INTO leases (name, holder, until) VALUES (?, ?, ?)
		ON CONFLICT(name) DO UPDATE SET holder = excluded.holder, until = excluded.until
		WHERE leases.until <= ? OR leases.holder = excluded.holder`, name, holder, millis(until), millis(now))
	if err != nil {
		return false, coded(fmt.Errorf("store: lease %s: %w", name, err))
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ReleaseLease gives the lease back if holder has it.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	_, err := db.execWrite(ctx, "DELETE FROM leases WHERE name = ? AND holder = ?", name, holder)
	return coded(err)
}

// RefreshDeadline sets the case's deadline to its running clock due next
// (none when all stopped), which the staff card shows.
func (tx *Tx) RefreshDeadline(caseID int64) error {
	_, err := tx.exec(`UPDATE cases SET deadline_at = (SELECT MIN(due_at) FROM sla_clocks WHERE case_id = ? AND stopped_at IS NULL)
		WHERE id = ?`, caseID, caseID)
	if err != nil {
		return fmt.Errorf("store: refresh deadline: %w", err)
	}
	return nil
}
