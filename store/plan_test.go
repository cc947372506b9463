package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"
)

// seedPlanStore fills a small store with cases of every kind and status,
// their clocks (running, stopped in time, stopped late, escalated), events,
// orders with items, visits and surveys, by plain SQL: enough rows that
// every query has something to read, and SQLite plans it as it would on a
// large store (no ANALYZE here, as there is none on a shop's store).
func seedPlanStore(tb testing.TB, n int) (*DB, time.Time) {
	tb.Helper()
	db := MustOpen(tb)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(1, 2))
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	kinds := []string{"delivery_delay", "transport_damage", "quality_defect", "installation_help", "repair",
		"return_exchange", "complaint", "inquiry", "low_survey_score"}
	names := []string{"first_response", "case_confirm", "complaint_apology", "complaint_solution", "repair_resolve"}
	err := db.Update(ctx, func(tx *Tx) error {
		for o := 0; o < n/4+1; o++ {
			no := fmt.Sprintf("SO-%d", o)
			if _, err := tx.exec(`INSERT INTO orders (order_no, customer_name, phone, deadline, delivered_on, created_at, updated_at)
				VALUES (?, 'x', ?, '2026-11-20', ?, 0, 0)`, no, fmt.Sprintf("1380000%04d", o), []string{"", "2026-11-18", "2026-11-25"}[o%3]); err != nil {
				return err
			}
			if _, err := tx.exec(`INSERT INTO order_items (order_no, line, name, sku, quantity, category) VALUES (?, 1, 'sofa', 'SKU-1', 1, 'furniture')`, no); err != nil {
				return err
			}
			if _, err := tx.exec(`INSERT INTO shipments (order_no, carrier, tracking_no, shipped_on, expected_arrival, created_at)
				VALUES (?, 'c', ?, '2026-11-01', '2026-11-19', 0)`, no, "T"+no); err != nil {
				return err
			}
			if _, err := tx.exec(`INSERT INTO visits (id, order_no, kind, completed_at) VALUES (?, ?, ?, ?)`,
				"V"+no, no, []string{"install", "repair"}[o%2], millis(t0.Add(time.Duration(r.IntN(30*24))*time.Hour))); err != nil {
				return err
			}
			if _, err := tx.exec(`INSERT INTO surveys (visit_id, answered_at, answers) VALUES (?, ?, ?)`,
				"V"+no, millis(t0.Add(time.Duration(r.IntN(30*24))*time.Hour)),
				[]string{`{"satisfaction":"fair","on_time":true}`, `{"satisfaction":"unsatisfied","on_time":false}`, `not json`}[o%3]); err != nil {
				return err
			}
		}
		for i := 0; i < n; i++ {
			created := t0.Add(time.Duration(r.IntN(30*24*60)) * time.Minute)
			status, resolved := []string{"open", "claimed", "resolved", "resolved"}[r.IntN(4)], any(nil)
			if status == "resolved" {
				resolved = millis(created.Add(time.Duration(1+r.IntN(96)) * time.Hour))
			}
			res, err := tx.exec(`INSERT INTO cases (number, kind, order_no, phone, status, assignee, details, created_at, updated_at, resolved_at)
				VALUES (?, ?, ?, ?, ?, ?, '{"lines":"1"}', ?, ?, ?)`, fmt.Sprintf("C%06d", i), kinds[r.IntN(len(kinds))],
				fmt.Sprintf("SO-%d", i/4), fmt.Sprintf("1380000%04d", i/4), status, []string{"", "li", "wang"}[r.IntN(3)],
				millis(created), millis(created), resolved)
			if err != nil {
				return err
			}
			id, _ := res.LastInsertId()
			for c := 0; c < 2; c++ {
				due := created.Add(time.Duration(1+r.IntN(48)) * time.Hour)
				var stopped any
				if status == "resolved" || r.IntN(3) == 0 {
					stopped = millis(created.Add(time.Duration(r.IntN(72)) * time.Hour))
				}
				if _, err := tx.exec(`INSERT INTO sla_clocks (case_id, name, started_at, due_at, far_due_at, stop_on, stopped_at, escalated_at)
					VALUES (?, ?, ?, ?, ?, 'resolved', ?, ?)`, id, names[(i+c)%len(names)], millis(created), millis(due),
					millis(due.Add(24*time.Hour)), stopped, []any{nil, millis(due)}[r.IntN(2)]); err != nil {
					return err
				}
			}
			if _, err := tx.exec(`INSERT INTO case_events (case_id, at, actor, kind) VALUES (?, ?, 'bot', 'opened')`, id, millis(created)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return db, t0
}

// fullScan matches a plan step that reads a whole big table (or a whole
// index of it): by name or by the alias the queries give it.
var fullScan = regexp.MustCompile(`^SCAN (cases|c|sla_clocks|case_events)\b`)

func queryPlan(t *testing.T, db *DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.read.QueryContext(context.Background(), "EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		t.Fatalf("explain %s: %v", q, err)
	}
	defer rows.Close()
	var steps []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		steps = append(steps, detail)
	}
	return steps
}

// TestDigestAndListQueriesReadNoWholeTable checks the plan of every query of
// the daily digest, the weekly report, the SLA scan, "my cases", search and
// the staff list: none may scan cases, sla_clocks or case_events whole,
// which at a million cases costs a tenth of a second and more each.
func TestDigestAndListQueriesReadNoWholeTable(t *testing.T) {
	db, t0 := seedPlanStore(t, 400)
	at := millis(t0.Add(15 * 24 * time.Hour))
	day := millis(t0.Add(14 * 24 * time.Hour))
	allClocks, _ := clocksMetQuery("%")
	complaintClocks, names := clocksMetQuery("complaint%")
	if !strings.Contains(complaintClocks, "name IN") || len(names) != 3 {
		t.Fatalf("complaint clocks are not looked up by name: %s %v", complaintClocks, names)
	}
	// The staff list as store.Cases builds it with each of its filters (the
	// workbench owns that builder; these are its shapes on main).
	list := func(where string) string {
		q := "SELECT " + caseColumns + " FROM cases"
		if where != "" {
			q += " WHERE " + where
		}
		return q + " ORDER BY id DESC LIMIT 50"
	}
	queries := []struct {
		name string
		q    string
		args []any
	}{
		{"new cases by kind", newCasesQuery, []any{day, at}},
		{"open cases", openCasesQuery, []any{at, at, at}},
		{"overdue clocks", overdueQuery, []any{at, at, at}},
		{"clocks met", allClocks, []any{at, day, at, at, at}},
		{"complaint clocks met", complaintClocks, append(append([]any{at}, names...), day, at, at, at)},
		{"survey figures", surveyFiguresQuery, []any{day, at}},
		{"deliveries on time", deliveriesQuery, []any{"2026-11-01", "2026-11-30", "2026-11-01", "2026-11-30"}},
		{"first-visit fix", firstVisitQuery, []any{day, at}},
		{"weekly problems", problemsQuery, []any{day, at}},
		{"SLA scan", overdueClocksQuery, []any{at, at, at}},
		{"staff member's cases", myCasesQuery, []any{"li"}},
		{"customer's cases", "SELECT " + caseColumns + " FROM cases WHERE phone = ? ORDER BY id DESC", []any{"13800000001"}},
		{"customer's open cases", "SELECT " + caseColumns + " FROM cases WHERE phone = ? AND status != 'resolved' ORDER BY id DESC", []any{"13800000001"}},
		{"case by number", "SELECT " + caseColumns + " FROM cases WHERE number = ?", []any{"C000001"}},
		{"case history", "SELECT id, case_id, at, actor, kind, body, COALESCE(photo_id, 0) FROM case_events WHERE case_id = ? ORDER BY id", []any{1}},
		{"list by status", list("status = ?"), []any{"claimed"}},
		{"list by kind", list("kind = ?"), []any{"complaint"}},
		{"list by order", list("order_no = ?"), []any{"SO-1"}},
		{"list by dates", list("created_at >= ? AND created_at < ?"), []any{day, at}},
		{"list by status and kind", list("status = ? AND kind = ?"), []any{"open", "repair"}},
		{"list, next page", list("id < ?"), []any{100}},
	}
	for _, q := range queries {
		plan := queryPlan(t, db, q.q, q.args...)
		for _, step := range plan {
			if fullScan.MatchString(step) {
				t.Errorf("%s reads a whole table: %q in\n  %s", q.name, step, strings.Join(plan, "\n  "))
			}
		}
	}
	// The first page of the unfiltered list walks the rowid backwards and
	// stops after 50 rows: a scan by plan, 50 rows by work.
	if plan := queryPlan(t, db, list("")); len(plan) != 1 || plan[0] != "SCAN cases" {
		t.Errorf("unfiltered list: %q", plan)
	}
}

// TestRewrittenDigestCountsMatchTheirDefinitions compares the indexed
// forms of the digest's counts with the plain definitions they replace, at
// moments across the seeded month.
func TestRewrittenDigestCountsMatchTheirDefinitions(t *testing.T) {
	db, t0 := seedPlanStore(t, 300)
	ctx := context.Background()
	plain := func(q string, args ...any) int {
		t.Helper()
		n, err := db.count(ctx, q, args...)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	for h := 0; h <= 32*24; h += 37 {
		at := t0.Add(time.Duration(h) * time.Hour)
		ms := millis(at)
		open, err := db.OpenCaseCount(ctx, at)
		if want := plain("SELECT COUNT(*) FROM cases WHERE created_at < ? AND (resolved_at IS NULL OR resolved_at >= ?)", ms, ms); err != nil || open != want {
			t.Errorf("open cases at %v: %d, want %d (%v)", at, open, want, err)
		}
		overdue, err := db.OverdueCount(ctx, at)
		if want := plain("SELECT COUNT(*) FROM sla_clocks WHERE due_at < ? AND (stopped_at IS NULL OR stopped_at > ?)", ms, ms); err != nil || overdue != want {
			t.Errorf("overdue at %v: %d, want %d (%v)", at, overdue, want, err)
		}
		for _, like := range []string{"%", "complaint%", "first_%", "zz%"} {
			from, to := at.Add(-72*time.Hour), at.Add(24*time.Hour)
			met, total, err := db.ClocksMetAsOf(ctx, like, from, to, at)
			var wantMet, wantTotal int
			db.read.QueryRowContext(ctx, `SELECT COALESCE(SUM(stopped_at IS NOT NULL AND stopped_at <= ? AND stopped_at <= due_at), 0), COUNT(*)
				FROM sla_clocks WHERE name LIKE ? AND due_at >= ? AND due_at < ? AND ((stopped_at IS NOT NULL AND stopped_at <= ?) OR due_at <= ?)`,
				ms, like, millis(from), millis(to), ms, ms).Scan(&wantMet, &wantTotal)
			if err != nil || met != wantMet || total != wantTotal {
				t.Errorf("clocks %q met at %v: %d/%d, want %d/%d (%v)", like, at, met, total, wantMet, wantTotal, err)
			}
		}
		clocks, err := db.OverdueClocks(ctx, at)
		want := plain(`SELECT COUNT(*) FROM sla_clocks WHERE stopped_at IS NULL AND ((due_at <= ? AND escalated_at IS NULL) OR (far_due_at <= ? AND managers_at IS NULL))`, ms, ms)
		if err != nil || len(clocks) != want {
			t.Errorf("SLA scan at %v: %d clocks, want %d (%v)", at, len(clocks), want, err)
		}
	}
	sat, answered, onTime, installs, err := db.SurveyFigures(ctx, t0, t0.Add(31*24*time.Hour))
	if err != nil || answered != 76 || sat != 26 || installs != 38 || onTime != 13 {
		t.Errorf("survey figures: %d/%d satisfied, %d/%d installs on time (%v)", sat, answered, onTime, installs, err)
	}
}

func TestLikeMatch(t *testing.T) {
	for _, c := range []struct {
		p, s string
		want bool
	}{
		{"%", "", true}, {"complaint%", "complaint_apology", true}, {"complaint%", "first_response", false},
		{"first_%", "first_response", true}, {"first_%", "first", false}, {"%_up", "progress_update", false},
		{"%follow%", "complaint_follow_up", true}, {"COMPLAINT%", "complaint_apology", true}, {"t_%", "t1", true},
	} {
		if got := likeMatch(c.p, c.s); got != c.want {
			t.Errorf("likeMatch(%q, %q) = %v", c.p, c.s, got)
		}
	}
}
