-- Each staff member's own login with a role (STF-1), and the sessions of
-- the /staff page, kept here so that a restart keeps them and a logout or a
-- disabled account ends them at once.
CREATE TABLE staff_accounts (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,        -- lower case, as typed at login
    name          TEXT NOT NULL UNIQUE,        -- what colleagues and the audit trail see
    role          TEXT NOT NULL,               -- cases.Role
    password_hash TEXT NOT NULL,               -- argon2id, PHC string with its own salt
    disabled      INTEGER NOT NULL DEFAULT 0,
    slack_user_id TEXT UNIQUE,                 -- NULL when not linked
    lang          TEXT NOT NULL DEFAULT 'zh-Hans',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

-- A session is known by the SHA-256 of its cookie token only: the database
-- alone cannot be used to log in.
CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    last_seen  INTEGER NOT NULL,
    expires_at INTEGER NOT NULL               -- the absolute end, whatever the activity
) WITHOUT ROWID;
CREATE INDEX staff_sessions_account ON staff_sessions(account_id);
