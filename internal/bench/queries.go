package bench

import (
	"context"
	"fmt"
	"sort"
	"syscall"
	"time"

	"frontdesk/config"
	"frontdesk/scheduler"
	"frontdesk/store"
)

// Timing is one query timed over repeated runs.
type Timing struct {
	Name   string
	Group  string // digest, sla, list, search, mine
	Rows   int    // what the last run returned
	Median time.Duration
	Max    time.Duration
	// CPU is the median CPU time the process spent on a run (user and
	// system): on a loaded machine the wall time also holds the waits for
	// a core; this is what the query costs.
	CPU    time.Duration
	Runs   int
	Target time.Duration
}

// Met reports whether the median is under the target.
func (t Timing) Met() bool { return t.Median < t.Target }

// TimeQueries runs each query the managers and staff wait for runs times
// (after one run to warm the caches) and returns their timings.
func TimeQueries(ctx context.Context, db *store.DB, cal *config.Calendar, s Seeded, now time.Time, runs int) ([]Timing, error) {
	if runs < 1 {
		runs = 1
	}
	phone, orderNo, number := s.Phones[len(s.Phones)/2], s.OrderNos[len(s.OrderNos)/2], s.Numbers[len(s.Numbers)/2]
	staff := s.Staff[0]
	week := now.AddDate(0, 0, -7)
	type query struct {
		name, group string
		target      time.Duration
		run         func() (int, error)
	}
	list := func(f store.CaseFilter) func() (int, error) {
		return func() (int, error) {
			l, err := db.Cases(ctx, f)
			return len(l), err
		}
	}
	workbench := func(q store.WorkbenchQuery) func() (int, error) {
		return func() (int, error) {
			q.Viewer, q.Now = staff, now
			l, err := db.Workbench(ctx, q)
			return len(l), err
		}
	}
	queries := []query{
		{"daily digest", "digest", 50 * time.Millisecond, func() (int, error) {
			d, err := scheduler.BuildDigestAt(ctx, db, cal, now, now)
			return d.Open, err
		}},
		{"weekly report", "digest", 50 * time.Millisecond, func() (int, error) {
			r, err := scheduler.WeeklyReport(ctx, db, cal, now)
			return len(r), err
		}},
		{"SLA scan", "sla", 10 * time.Millisecond, func() (int, error) {
			c, err := db.OverdueClocks(ctx, now)
			return len(c), err
		}},
		{"list: newest", "list", 50 * time.Millisecond, list(store.CaseFilter{Limit: 50})},
		{"list: open", "list", 50 * time.Millisecond, list(store.CaseFilter{Status: "open", Limit: 200})},
		{"list: claimed", "list", 50 * time.Millisecond, list(store.CaseFilter{Status: "claimed", Limit: 200})},
		{"list: resolved", "list", 50 * time.Millisecond, list(store.CaseFilter{Status: "resolved", Limit: 50})},
		{"list: complaints", "list", 50 * time.Millisecond, list(store.CaseFilter{Kind: "complaint", Limit: 50})},
		{"list: open repairs", "list", 50 * time.Millisecond, list(store.CaseFilter{Status: "open", Kind: "repair", Limit: 50})},
		{"list: last 7 days", "list", 50 * time.Millisecond, list(store.CaseFilter{Since: week, Limit: 50})},
		{"list: a month a year ago", "list", 50 * time.Millisecond, list(store.CaseFilter{Since: now.AddDate(-1, 0, 0), Until: now.AddDate(-1, 1, 0), Limit: 50})},
		{"list: page 100", "list", 50 * time.Millisecond, list(store.CaseFilter{Before: int64(s.Cases - 5000), Limit: 50})},
		{"workbench: being worked", "list", 50 * time.Millisecond, workbench(store.WorkbenchQuery{})},
		{"workbench: all", "list", 50 * time.Millisecond, workbench(store.WorkbenchQuery{Status: "all"})},
		{"workbench: resolved complaints", "list", 50 * time.Millisecond, workbench(store.WorkbenchQuery{Status: "resolved", Kind: "complaint"})},
		{"workbench: overdue", "list", 50 * time.Millisecond, workbench(store.WorkbenchQuery{Overdue: true})},
		{"workbench: unassigned", "list", 50 * time.Millisecond, workbench(store.WorkbenchQuery{Unassigned: true})},
		{"workbench: mine", "list", 50 * time.Millisecond, workbench(store.WorkbenchQuery{Assignee: staff})},
		{"workbench: mine, all", "list", 50 * time.Millisecond, workbench(store.WorkbenchQuery{Status: "all", Assignee: staff})},
		{"workbench: counts", "list", 50 * time.Millisecond, func() (int, error) {
			c, err := db.WorkbenchCounts(ctx, staff, now)
			return c.Active, err
		}},
		{"workbench: search phone", "search", 50 * time.Millisecond, workbench(store.WorkbenchQuery{Search: phone, Status: "all"})},
		{"workbench: search number", "search", 50 * time.Millisecond, workbench(store.WorkbenchQuery{Search: number, Status: "all"})},
		{"search: phone", "search", 50 * time.Millisecond, func() (int, error) {
			l, err := db.CasesByPhone(ctx, phone, false)
			return len(l), err
		}},
		{"search: order", "search", 50 * time.Millisecond, list(store.CaseFilter{OrderNo: orderNo, Limit: 50})},
		{"search: case number", "search", 50 * time.Millisecond, func() (int, error) {
			_, err := db.CaseByNumber(ctx, number)
			return 1, err
		}},
		{"my cases: customer", "mine", 5 * time.Millisecond, func() (int, error) {
			l, err := db.CasesByPhone(ctx, phone, true)
			return len(l), err
		}},
		{"my cases: staff", "mine", 5 * time.Millisecond, func() (int, error) {
			l, err := db.CasesAssignedTo(ctx, staff)
			return len(l), err
		}},
	}
	var out []Timing
	for _, q := range queries {
		if _, err := q.run(); err != nil {
			return nil, fmt.Errorf("bench: %s: %w", q.name, err)
		}
		took, cpu := make([]time.Duration, 0, runs), make([]time.Duration, 0, runs)
		t := Timing{Name: q.name, Group: q.group, Runs: runs, Target: q.target}
		for i := 0; i < runs; i++ {
			t0, c0 := time.Now(), cpuTime()
			n, err := q.run()
			took, cpu = append(took, time.Since(t0)), append(cpu, cpuTime()-c0)
			if err != nil {
				return nil, fmt.Errorf("bench: %s: %w", q.name, err)
			}
			t.Rows = n
		}
		sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
		t.Median, t.Max = took[len(took)/2], took[len(took)-1]
		sort.Slice(cpu, func(i, j int) bool { return cpu[i] < cpu[j] })
		t.CPU = cpu[len(cpu)/2]
		out = append(out, t)
	}
	return out, nil
}

// slowest is the largest median of a group, by wall time, or by CPU time.
func slowest(ts []Timing, group string, byCPU bool) time.Duration {
	var m time.Duration
	for _, t := range ts {
		d := t.Median
		if byCPU {
			d = t.CPU
		}
		if t.Group == group && d > m {
			m = d
		}
	}
	return m
}

// cpuTime is the CPU time (user and system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
