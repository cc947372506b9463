-- Money granted to customers (APR-1, APR-2, WAL-6): a compensation in yuan
-- or in rolls of wallpaper, or an advance on a product dispute, recorded when
-- it is decided (by the clerk within the limit, or by the last approver),
-- so that the daily digest counts what was granted that day.
CREATE TABLE grants (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES cases(id),
    at         INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('compensation', 'advance')),
    yuan       INTEGER NOT NULL DEFAULT 0 CHECK (yuan >= 0),
    rolls      INTEGER NOT NULL DEFAULT 0 CHECK (rolls >= 0),
    decided_by TEXT NOT NULL
);
CREATE INDEX grants_at ON grants(at);
