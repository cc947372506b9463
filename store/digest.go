package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"frontdesk/config"
)

// Count runs a COUNT-style query that returns one integer.
func (db *DB) count(ctx context.Context, q string, args ...any) (int, error) {
	var n int
	if err := db.read.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: digest: %w", err)
	}
	return n, nil
}

// NewCasesByKind counts the cases opened in [from, to) by kind.
func (db *DB) NewCasesByKind(ctx context.Context, from, to time.Time) (map[string]int, error) {
	rows, err := db.read.QueryContext(ctx, newCasesQuery, millis(from), millis(to))
	if err != nil {
		return nil, fmt.Errorf("store: new cases: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[k] = n
	}
	return out, rows.Err()
}

// newCasesQuery reads the covering range of cases_created_kind (0026).
const newCasesQuery = "SELECT kind, COUNT(*) FROM cases WHERE created_at >= ? AND created_at < ? GROUP BY kind"

// OpenCaseCount counts the unresolved cases opened before `at`.
func (db *DB) OpenCaseCount(ctx context.Context, at time.Time) (int, error) {
	return db.count(ctx, openCasesQuery, millis(at), millis(at), millis(at))
}

// openCasesQuery counts in two index ranges (0026): the cases never
// resolved, and those resolved at or after the moment.
//
// INDEXED BY names the index: both halves are ranges on two columns, and
// without statistics SQLite may take the created_at range of another
// index, which at a million cases is nearly all of them.
const openCasesQuery = `SELECT (SELECT COUNT(*) FROM cases INDEXED BY cases_unresolved WHERE resolved_at IS NULL AND created_at < ?)
	+ (SELECT COUNT(*) FROM cases INDEXED BY cases_resolved_at WHERE resolved_at IS NOT NULL AND resolved_at >= ? AND created_at < ?)`

// OverdueCount counts the clocks running at `at` that were due before it.
func (db *DB) OverdueCount(ctx context.Context, at time.Time) (int, error) {
	return db.count(ctx, overdueQuery, millis(at), millis(at), millis(at))
}

// overdueQuery counts in two index ranges (0026): the running clocks due
// before the moment, and the clocks stopped after it that were due before.
// INDEXED BY: without it SQLite took the due_at range of sla_clocks_due
// for the second half, every clock ever due (190 ms at two million).
const overdueQuery = `SELECT (SELECT COUNT(*) FROM sla_clocks INDEXED BY sla_clocks_running WHERE stopped_at IS NULL AND due_at < ?)
	+ (SELECT COUNT(*) FROM sla_clocks INDEXED BY sla_clocks_stopped WHERE stopped_at IS NOT NULL AND stopped_at > ? AND due_at < ?)`

// ClocksMet counts the clocks (named like `like`) due in [from, to): how
// many stopped in time, of how many. It counts as of `to`; a digest made
// before `to` uses ClocksMetAsOf.
func (db *DB) ClocksMet(ctx context.Context, like string, from, to time.Time) (met, total int, err error) {
	return db.ClocksMetAsOf(ctx, like, from, to, to)
}

// ClocksMetAsOf counts the clocks (named like `like`) due in [from, to)
// that are decided at asOf: stopped by then (met when in time), or past due
// and still running (missed). A clock running and not yet due is neither
// met nor missed (SLA-14).
func (db *DB) ClocksMetAsOf(ctx context.Context, like string, from, to, asOf time.Time) (met, total int, err error) {
	q, args := clocksMetQuery(like)
	args = append([]any{millis(asOf)}, args...)
	args = append(args, millis(from), millis(to), millis(asOf), millis(asOf))
	err = db.read.QueryRowContext(ctx, q, args...).Scan(&met, &total)
	if err != nil {
		return 0, 0, fmt.Errorf("store: clocks met: %w", err)
	}
	return met, total, nil
}

// clocksMetQuery is the query of ClocksMetAsOf for the names like `like`,
// with the arguments that name them. All clocks ("%") read the due_at
// range of sla_clocks_due; a pattern that matches known clock names
// (config.ClockNames) reads each name's due_at range of
// sla_clocks_name_due, so that the complaint clocks of 30 days are not
// found among all the clocks of 30 days; any other pattern falls back to
// LIKE on the due_at range.
func clocksMetQuery(like string) (string, []any) {
	const head = `SELECT COALESCE(SUM(stopped_at IS NOT NULL AND stopped_at <= ? AND stopped_at <= due_at), 0), COUNT(*) FROM sla_clocks `
	const tail = ` due_at >= ? AND due_at < ? AND ((stopped_at IS NOT NULL AND stopped_at <= ?) OR due_at <= ?)`
	if like == "%" {
		return head + "WHERE" + tail, nil
	}
	var names []any
	for _, n := range config.ClockNames {
		if likeMatch(like, n) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return head + "WHERE name LIKE ? AND" + tail, []any{like}
	}
	return head + "WHERE name IN (?" + strings.Repeat(", ?", len(names)-1) + ") AND" + tail, names
}

// likeMatch reports whether s matches the SQL LIKE pattern p (% and _,
// ASCII case folded as SQLite does).
func likeMatch(p, s string) bool {
	p, s = strings.ToLower(p), strings.ToLower(s)
	if p == "" {
		return s == ""
	}
	switch p[0] {
	case '%':
		for i := 0; i <= len(s); i++ {
			if likeMatch(p[1:], s[i:]) {
				return true
			}
		}
		return false
	case '_':
		return s != "" && likeMatch(p[1:], s[1:])
	default:
		return s != "" && s[0] == p[0] && likeMatch(p[1:], s[1:])
	}
}

// SurveyAnswers returns the answers JSON of the surveys answered in [from, to).
func (db *DB) SurveyAnswers(ctx context.Context, from, to time.Time) ([]Survey, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT s.id, COALESCE(s.visit_id, ''), s.stage, s.answers, s.comment, COALESCE(s.score, 0)
		FROM surveys s WHERE s.answered_at >= ? AND s.answered_at < ? ORDER BY s.id`, millis(from), millis(to))
	return collect(rows, err, "survey answers", func(row scanner) (Survey, error) {
		var s Survey
		err := row.Scan(&s.ID, &s.VisitID, &s.Stage, &s.Answers, &s.Comment, &s.Score)
		return s, err
	})
}

// SurveyFigures counts the surveys answered in [from, to): CSAT (basically
// or fairly satisfied, of all) and installation on time (technician on
// time, of the surveys of installation visits), in one indexed range.
func (db *DB) SurveyFigures(ctx context.Context, from, to time.Time) (satisfied, answered, onTime, installs int, err error) {
	err = db.read.QueryRowContext(ctx, surveyFiguresQuery, millis(from), millis(to)).Scan(&satisfied, &answered, &onTime, &installs)
	if err != nil {
		return 0, 0, 0, 0, fmt.Errorf("store: survey figures: %w", err)
	}
	return satisfied, answered, onTime, installs, nil
}

const surveyFiguresQuery = `SELECT COALESCE(SUM(CASE WHEN json_valid(s.answers) THEN json_extract(s.answers, '$.satisfaction') IN ('basic', 'fair') END), 0),
	COUNT(*),
	COALESCE(SUM(CASE WHEN v.kind = 'install' AND json_valid(s.answers) THEN json_type(s.answers, '$.on_time') = 'true' END), 0),
	COALESCE(SUM(v.kind = 'install'), 0)
	FROM surveys s LEFT JOIN visits v ON v.id = s.visit_id
	WHERE s.answered_at >= ? AND s.answered_at < ?`

// DeliveriesOnTime counts the deliveries of [from, to) (shop dates) and
// how many came by their order's promised date. A delivery is measured on
// the day the customer said it arrived (DLV-10); an order nobody reported
// yet is counted, as before, by its shipments' expected arrival.
func (db *DB) DeliveriesOnTime(ctx context.Context, from, to string) (onTime, total int, err error) {
	err = db.read.QueryRowContext(ctx, deliveriesQuery,
		from, to, from, to).Scan(&onTime, &total)
	return onTime, total, err
}

const deliveriesQuery = `SELECT COALESCE(SUM(on_time), 0), COUNT(*) FROM (
		SELECT (deadline = '' OR delivered_on <= deadline) AS on_time FROM orders
			WHERE delivered_on != '' AND delivered_on >= ? AND delivered_on < ?
		UNION ALL
		SELECT (o.deadline = '' OR s.expected_arrival <= o.deadline) FROM shipments s JOIN orders o ON o.order_no = s.order_no
			WHERE o.delivered_on = '' AND s.expected_arrival >= ? AND s.expected_arrival < ?)`

// FirstVisitFixes counts the orders with a repair visit completed in
// [from, to): how many needed only that one visit.
func (db *DB) FirstVisitFixes(ctx context.Context, from, to time.Time) (fixed, total int, err error) {
	err = db.read.QueryRowContext(ctx, firstVisitQuery, millis(from), millis(to)).Scan(&fixed, &total)
	return fixed, total, err
}

const firstVisitQuery = `SELECT COALESCE(SUM(n = 1), 0), COUNT(*) FROM (SELECT order_no, COUNT(*) AS n FROM visits
		WHERE kind = 'repair' AND completed_at >= ? AND completed_at < ? GROUP BY order_no)`

// ProblemCount is how often a product had a problem.
type ProblemCount struct {
	SKU   string
	Name  string
	Kind  string
	Count int
}

// ProblemsByProduct counts the damage, defect and repair cases opened in
// [from, to) by product, most frequent first (002 五(一)).
func (db *DB) ProblemsByProduct(ctx context.Context, from, to time.Time) ([]ProblemCount, error) {
	rows, err := db.read.QueryContext(ctx, problemsQuery, millis(from), millis(to))
	return collect(rows, err, "problems by product", func(row scanner) (ProblemCount, error) {
		var p ProblemCount
		err := row.Scan(&p.SKU, &p.Name, &p.Kind, &p.Count)
		return p, err
	})
}

// problemsQuery reads the kinds' ranges of cases_kind_created (0026).
const problemsQuery = `SELECT i.sku, i.name, c.kind, COUNT(*) AS n FROM cases c
		JOIN order_items i ON i.order_no = c.order_no
		AND (',' || json_extract(c.details, '$.lines') || ',') LIKE ('%,' || i.line || ',%')
		WHERE c.kind IN ('transport_damage', 'quality_defect', 'repair') AND c.created_at >= ? AND c.created_at < ?
		GROUP BY i.sku, i.name, c.kind ORDER BY n DESC, i.sku LIMIT 20`
