package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestWorkbenchQueriesReadNoWholeTable checks the plan of the workbench's
// list with each filter, its counts and its search: none may scan cases,
// sla_clocks or case_events whole (issue 20: every list under 50 ms at a
// million cases).
//
// rule: STF-3
func TestWorkbenchQueriesReadNoWholeTable(t *testing.T) {
	db, t0 := seedPlanStore(t, 400)
	now := t0.Add(15 * 24 * time.Hour)
	queries := map[string]WorkbenchQuery{
		"being worked":     {},
		"open":             {Status: "open"},
		"claimed":          {Status: "claimed"},
		"resolved":         {Status: "resolved"},
		"all":              {Status: "all"},
		"kind":             {Kind: "repair"},
		"all of a kind":    {Status: "all", Kind: "complaint"},
		"resolved of kind": {Status: "resolved", Kind: "complaint"},
		"channel":          {Channel: "web"},
		"intake":           {Channel: "phone", Status: "all"},
		"assignee":         {Assignee: "li"},
		"all of assignee":  {Status: "all", Assignee: "li"},
		"unassigned":       {Unassigned: true},
		"overdue":          {Overdue: true},
		"overdue, mine":    {Overdue: true, Assignee: "li"},
		"search number":    {Search: "C0001"},
		"search phone":     {Search: "13800000001", Status: "all"},
		"search name":      {Search: "王"},
		"search order":     {Search: "SO-1", Kind: "repair"},
	}
	for name, q := range queries {
		q.Viewer, q.Now = "li", now
		sql, args := workbenchSQL(q)
		if name == "all" {
			// Every case with no clock running, newest first: the rowid
			// walked back, stopping after the page (as the unfiltered list).
			sql = strings.Replace(sql, "deadline_at IS NULL ORDER BY id DESC", "deadline_at IS NULL AND id < 1e18 ORDER BY id DESC", 1)
		}
		assertNoFullScan(t, db, "workbench "+name, sql, args...)
		if _, err := db.Workbench(context.Background(), q); err != nil {
			t.Errorf("workbench %s: %v", name, err)
		}
	}
	assertNoFullScan(t, db, "workbench counts", workbenchCountsQuery, "li")
	assertNoFullScan(t, db, "workbench overdue count", workbenchOverdueQuery, millis(now), millis(now))
	byDates, args := casesSQL(CaseFilter{Since: now.AddDate(0, -1, 0), Until: now.AddDate(0, 0, -7)})
	assertNoFullScan(t, db, "list between two dates", byDates, args...)
}

// TestStaffListByDatesReadsOnlyTheRange: the staff list between two dates
// reads the range of cases_created, not every case newer than its end.
func TestStaffListByDatesReadsOnlyTheRange(t *testing.T) {
	db, t0 := seedPlanStore(t, 300)
	ctx := context.Background()
	for _, f := range []CaseFilter{
		{Since: t0.Add(24 * time.Hour), Until: t0.Add(5 * 24 * time.Hour)},
		{Kind: "repair", Since: t0, Until: t0.Add(10 * 24 * time.Hour)},
		{Status: "resolved", Until: t0.Add(3 * 24 * time.Hour), Limit: 5},
		{Since: t0.Add(24 * time.Hour), Until: t0.Add(20 * 24 * time.Hour), Before: 200, Limit: 7},
	} {
		if q, _ := casesSQL(f); !strings.Contains(q, "INDEXED BY") {
			t.Errorf("%+v: %s", f, q)
		}
		got, err := db.Cases(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		// The plain definition: every case, filtered and sorted here.
		all, err := db.Cases(ctx, CaseFilter{Limit: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		var want []int64
		for _, c := range all {
			ms := millis(c.CreatedAt)
			if (f.Status == "" || string(c.Status) == f.Status) && (f.Kind == "" || string(c.Kind) == f.Kind) &&
				(f.Since.IsZero() || ms >= millis(f.Since)) && ms < millis(f.Until) && (f.Before == 0 || c.ID < f.Before) {
				want = append(want, c.ID)
			}
		}
		limit := f.Limit
		if limit == 0 {
			limit = 50
		}
		want = want[:min(limit, len(want))]
		if len(got) != len(want) || len(got) == 0 {
			t.Fatalf("%+v: %d cases, want %d", f, len(got), len(want))
		}
		for i := range got {
			if got[i].ID != want[i] {
				t.Errorf("%+v: case %d is %d, want %d", f, i, got[i].ID, want[i])
			}
		}
	}
}

func assertNoFullScan(t *testing.T, db *DB, name, q string, args ...any) {
	t.Helper()
	plan := queryPlan(t, db, q, args...)
	for _, step := range plan {
		if fullScan.MatchString(step) {
			t.Errorf("%s reads a whole table: %q in\n  %s", name, step, strings.Join(plan, "\n  "))
		}
	}
}

// TestWorkbenchCountsFollowEveryChange: the counts beside the filters,
// kept by triggers, equal the plain count over the cases after cases are
// opened, claimed, reassigned, reclassified, resolved, reopened and deleted.
//
// rule: STF-3
func TestWorkbenchCountsFollowEveryChange(t *testing.T) {
	db, t0 := seedPlanStore(t, 200)
	ctx := context.Background()
	now := t0.Add(10 * 24 * time.Hour)
	plain := func(me string) WorkbenchCounts {
		c := WorkbenchCounts{Kinds: map[string]int{}}
		rows, err := db.read.QueryContext(ctx, `SELECT status, kind, assignee, COALESCE(deadline_at < ?, 0) FROM cases NOT INDEXED
			WHERE status IN ('open', 'claimed')`, millis(now))
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var status, kind, assignee string
			var overdue bool
			if err := rows.Scan(&status, &kind, &assignee, &overdue); err != nil {
				t.Fatal(err)
			}
			c.Active++
			if status == "open" {
				c.Open++
			} else {
				c.Claimed++
			}
			c.Kinds[kind]++
			if me != "" && assignee == me {
				c.Mine++
			}
			if assignee == "" {
				c.Unassigned++
			}
			if overdue {
				c.Overdue++
			}
		}
		return c
	}
	check := func(step string) {
		t.Helper()
		for _, me := range []string{"", "li", "wang", "zhao"} {
			got, err := db.WorkbenchCounts(ctx, me, now)
			if err != nil {
				t.Fatal(err)
			}
			if want := plain(me); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("after %s, for %q: %+v, want %+v", step, me, got, want)
			}
		}
	}
	check("seeding")
	for _, change := range []struct{ step, sql string }{
		{"claiming", "UPDATE cases SET status = 'claimed', assignee = 'zhao' WHERE id % 7 = 0 AND status = 'open'"},
		{"reassigning", "UPDATE cases SET assignee = 'wang' WHERE id % 5 = 0 AND status != 'resolved'"},
		{"unassigning", "UPDATE cases SET assignee = '' WHERE id % 11 = 0"},
		{"reclassifying", "UPDATE cases SET kind = 'complaint' WHERE id % 3 = 0"},
		{"resolving", "UPDATE cases SET status = 'resolved', resolved_at = updated_at WHERE id % 4 = 0"},
		{"reopening", "UPDATE cases SET status = 'open', resolved_at = NULL WHERE id % 8 = 0"},
		{"a due moving", "UPDATE cases SET deadline_at = created_at + 3600000 WHERE id % 6 = 0"},
		{"deleting", "DELETE FROM sla_clocks WHERE case_id % 9 = 0; DELETE FROM case_events WHERE case_id % 9 = 0; DELETE FROM cases WHERE id % 9 = 0"},
	} {
		if _, err := db.write.ExecContext(ctx, change.sql); err != nil {
			t.Fatalf("%s: %v", change.step, err)
		}
		check(change.step)
	}
	opened := time.Now()
	err := db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(`INSERT INTO cases (number, kind, status, assignee, details, created_at, updated_at)
			VALUES ('C900001', 'repair', 'open', '', '{}', ?, ?)`, millis(opened), millis(opened))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	check("opening")
}
