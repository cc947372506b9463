-- Responses of back-office requests sent with an Idempotency-Key, so a
-- retried request gets the first answer and changes nothing.
CREATE TABLE idempotency_keys (
    key        TEXT PRIMARY KEY,
    request    TEXT NOT NULL, -- method, path and a hash of the body
    status     INTEGER NOT NULL,
    body       BLOB NOT NULL,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
