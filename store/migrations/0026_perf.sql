-- Performance at scale (issue 20): the indexes the digest, the weekly
-- report, the SLA scan, a customer's cases and the staff list need so that
-- none of them reads the whole of cases, sla_clocks or case_events at a
-- million cases. store/plan_test.go checks the plans.

-- New cases by kind of a day (digest, chart): a covering range.
CREATE INDEX IF NOT EXISTS cases_created_kind ON cases(created_at, kind);
-- Damage, defect and repair cases of a week (weekly report) and the staff
-- list filtered by kind and dates.
CREATE INDEX IF NOT EXISTS cases_kind_created ON cases(kind, created_at);
-- Open cases at a moment: those never resolved, and those resolved after it.
CREATE INDEX IF NOT EXISTS cases_unresolved ON cases(created_at) WHERE resolved_at IS NULL;
CREATE INDEX IF NOT EXISTS cases_resolved_at ON cases(resolved_at, created_at) WHERE resolved_at IS NOT NULL;
-- The staff list by status and by order, newest first (the rowid ends
-- every index, so these also give ORDER BY id DESC).
CREATE INDEX IF NOT EXISTS cases_status ON cases(status);
CREATE INDEX IF NOT EXISTS cases_order ON cases(order_no);

-- Clocks due in a range, met or not (digest, chart), all names or one.
CREATE INDEX IF NOT EXISTS sla_clocks_due ON sla_clocks(due_at, stopped_at);
CREATE INDEX IF NOT EXISTS sla_clocks_name_due ON sla_clocks(name, due_at, stopped_at);
-- Overdue at a moment: running and due before it (sla_clocks_running), or
-- stopped after it.
CREATE INDEX IF NOT EXISTS sla_clocks_stopped ON sla_clocks(stopped_at, due_at) WHERE stopped_at IS NOT NULL;
-- The SLA scan: running clocks still to escalate to staff, or to managers.
CREATE INDEX IF NOT EXISTS sla_clocks_to_escalate ON sla_clocks(due_at) WHERE stopped_at IS NULL AND escalated_at IS NULL;
CREATE INDEX IF NOT EXISTS sla_clocks_to_managers ON sla_clocks(far_due_at) WHERE stopped_at IS NULL AND managers_at IS NULL;

-- Surveys answered in a range (digest targets, today's answers).
CREATE INDEX IF NOT EXISTS surveys_answered ON surveys(answered_at) WHERE answered_at IS NOT NULL;
-- Repair visits completed in a range (first-visit fix).
CREATE INDEX IF NOT EXISTS visits_completed ON visits(kind, completed_at);
-- Deliveries of a range (delivery on time).
CREATE INDEX IF NOT EXISTS orders_delivered ON orders(delivered_on) WHERE delivered_on != '';
CREATE INDEX IF NOT EXISTS shipments_arrival ON shipments(expected_arrival);
CREATE INDEX IF NOT EXISTS cases_kind ON cases(kind);

-- The figures of a shop day that is over (the digest's 14-day chart): new
-- cases by kind and clocks due that day met, computed once when first
-- asked after the day ended. A past day's figures no longer change: its
-- cases are opened, its clocks were all due by its end, and a clock
-- stopped later was late. Keyed by the day's start in the shop's zone.
CREATE TABLE daily_figures (
    day_start INTEGER PRIMARY KEY,
    day_end   INTEGER NOT NULL,
    figures   TEXT NOT NULL, -- JSON: {"new": {kind: n}, "met": m, "total": t}
    closed_at INTEGER NOT NULL
);
