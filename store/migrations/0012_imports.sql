-- A CSV import is written in many short transactions, so that the desk's
-- own writes never wait long for SQLite's one writer, and is recorded here
-- as one import: all or nothing to the person who runs it.
--
-- staged:      under way; its rows are in the tables, new shipments and
--              visits held back (no notice, no survey, no arrival question),
--              and every row it inserted or changed is in import_changes.
-- applied:     complete; the held values are released (notices and surveys
--              may go out) and the change log is dropped.
-- rolled_back: undone, row by row from import_changes; error says why.
-- A staged import whose process died is rolled back at the next start, an
-- applied one whose release was cut short is completed then.
CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('orders','shipments','visits','providers')),
    file_name   TEXT NOT NULL DEFAULT '',
    rows        INTEGER NOT NULL DEFAULT 0, -- data rows in the file
    records     INTEGER NOT NULL DEFAULT 0, -- orders, shipments, visits or providers in them
    status      TEXT NOT NULL CHECK (status IN ('staged','applied','rolled_back')),
    error       TEXT NOT NULL DEFAULT '',
    started_at  INTEGER NOT NULL,
    finished_at INTEGER
);
CREATE INDEX imports_staged ON imports(status) WHERE status = 'staged';

-- What undoes (or completes) one row of an import: before is the row as it
-- was (JSON), NULL when the import inserted it; held are the values kept
-- back until the import is applied (JSON), NULL when none.
CREATE TABLE import_changes (
    import_id INTEGER NOT NULL REFERENCES imports(id),
    seq       INTEGER NOT NULL,
    tbl       TEXT NOT NULL CHECK (tbl IN ('orders','shipments','visits','providers')),
    row_key   TEXT NOT NULL,
    before    TEXT,
    held      TEXT,
    PRIMARY KEY (import_id, seq)
) WITHOUT ROWID;
