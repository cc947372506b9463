-- Failed attempts counted across every chat, session and channel (a
-- verification per order and per phone, a staff login per account and per
-- client address), kept in the store so that a restart, a Redis restart or
-- a new session gives no fresh tries.
CREATE TABLE throttle (
    key          TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    window_start INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
