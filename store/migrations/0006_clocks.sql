-- Service-time clocks of each case (DOMAIN, SLA clocks). A clock stops at
-- the first case event named in stop_on; a clock past due is escalated once
-- to staff and, far past due, once to the managers.
CREATE TABLE sla_clocks (
    id           INTEGER PRIMARY KEY,
    case_id      INTEGER NOT NULL REFERENCES cases(id),
    name         TEXT NOT NULL,
    started_at   INTEGER NOT NULL,
    due_at       INTEGER NOT NULL,
    far_due_at   INTEGER NOT NULL,
    stop_on      TEXT NOT NULL, -- comma-separated case event kinds
    stopped_at   INTEGER,
    escalated_at INTEGER,
    managers_at  INTEGER,
    UNIQUE (case_id, name)
);
CREATE INDEX sla_clocks_running ON sla_clocks(due_at) WHERE stopped_at IS NULL;

-- Things the scheduler does once (a reminder, an arrival check, a delay
-- case), by key, so a rerun or a second replica does not repeat them.
CREATE TABLE done_once (
    key     TEXT PRIMARY KEY,
    done_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Job leases for the embedded default (with Redis the lock is in Redis).
CREATE TABLE leases (
    name   TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    until  INTEGER NOT NULL
) WITHOUT ROWID;
