-- Small values the desk keeps between runs, such as the Telegram update
-- offset, so that polling resumes where it stopped.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;
