-- Web-chat sessions the desk issued (the session id itself is never kept:
-- only its SHA-256), so that an unknown, forged or ended session is refused
-- and "end chat" forgets a session for good. The uploads of a session are
-- counted here in a window of a day.
CREATE TABLE web_sessions (
    id_hash       TEXT PRIMARY KEY,
    created_at    INTEGER NOT NULL,
    last_seen     INTEGER NOT NULL,
    ended_at      INTEGER,
    uploads       INTEGER NOT NULL DEFAULT 0,
    uploads_since INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
