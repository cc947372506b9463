-- The workbench's counts at a million cases (STF-3, issue 20): the cases
-- being worked (open or claimed) counted per status, kind and assignee,
-- kept up to date by triggers in the same transaction as every change of a
-- case, so the numbers beside the filters read a few hundred rows instead
-- of every open case. Overdue moves with the clock, not with a change, and
-- is counted from cases_status_due (a range of overdue cases only).
CREATE TABLE workbench_counts (
    status   TEXT NOT NULL,
    kind     TEXT NOT NULL,
    assignee TEXT NOT NULL,
    n        INTEGER NOT NULL,
    PRIMARY KEY (status, kind, assignee)
) WITHOUT ROWID;

INSERT INTO workbench_counts (status, kind, assignee, n)
    SELECT status, kind, assignee, COUNT(*) FROM cases WHERE status IN ('open', 'claimed') GROUP BY 1, 2, 3;

CREATE TRIGGER workbench_counts_insert AFTER INSERT ON cases
WHEN new.status IN ('open', 'claimed')
BEGIN
    INSERT INTO workbench_counts (status, kind, assignee, n) VALUES (new.status, new.kind, new.assignee, 1)
        ON CONFLICT (status, kind, assignee) DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER workbench_counts_delete AFTER DELETE ON cases
WHEN old.status IN ('open', 'claimed')
BEGIN
    UPDATE workbench_counts SET n = n - 1 WHERE status = old.status AND kind = old.kind AND assignee = old.assignee;
END;

CREATE TRIGGER workbench_counts_update AFTER UPDATE OF status, kind, assignee ON cases
WHEN (old.status IN ('open', 'claimed') OR new.status IN ('open', 'claimed'))
    AND (old.status IS NOT new.status OR old.kind IS NOT new.kind OR old.assignee IS NOT new.assignee)
BEGIN
    UPDATE workbench_counts SET n = n - 1
        WHERE old.status IN ('open', 'claimed') AND status = old.status AND kind = old.kind AND assignee = old.assignee;
    INSERT INTO workbench_counts (status, kind, assignee, n)
        SELECT new.status, new.kind, new.assignee, 1 WHERE new.status IN ('open', 'claimed')
        ON CONFLICT (status, kind, assignee) DO UPDATE SET n = n + 1;
END;

-- The workbench's "all" list: cases with a clock running by next due.
CREATE INDEX cases_due ON cases(deadline_at) WHERE deadline_at IS NOT NULL;
-- The list by the way a case came in (INT-1), of every status.
CREATE INDEX cases_intake ON cases(intake);
-- A staff member's cases of every status, newest first: the rowid order
-- within one assignee, so the list stops after a page instead of sorting
-- everything they ever handled (cases_assignee is ordered by status first).
CREATE INDEX cases_assignee_newest ON cases(assignee);
