-- The staff workbench (STF-3, STF-4).
--
-- Indexes for the list: open cases by next due, by kind, by order, by the
-- customer's name (a prefix search), and the customer's messages per case
-- (the unread marker).
-- case_seen: the last case event a staff member has seen on a case's page;
--   a customer message after it marks the case unread for them.
-- canned_replies: the replies admins keep for the clerks, per language,
--   with placeholders such as {case} filled in when used.
CREATE INDEX cases_status_due ON cases(status, deadline_at);
-- counts per filter read this index alone
CREATE INDEX cases_status_kind ON cases(status, kind, assignee, deadline_at);
CREATE INDEX cases_order_no ON cases(order_no);
CREATE INDEX cases_customer_name ON cases(customer_name);
CREATE INDEX case_events_customer ON case_events(case_id, id) WHERE actor = 'customer';

CREATE TABLE case_seen (
    login   TEXT NOT NULL,
    case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    event   INTEGER NOT NULL,
    PRIMARY KEY (login, case_id)
) WITHOUT ROWID;

CREATE TABLE canned_replies (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 60),
    lang       TEXT NOT NULL CHECK (lang IN ('zh-Hans', 'zh-Hant', 'en')),
    body       TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 2000),
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX cases_updated ON cases(updated_at);
