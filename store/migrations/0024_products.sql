-- The customer's products (ARC-2 … ARC-4): electronic warranty cards, the
-- care reminders sent and the customers who stopped them, the knowledge
-- base entries added by staff and how often answers were offered and helped.

CREATE TABLE warranty_cards (
    number    TEXT PRIMARY KEY,
    token     TEXT NOT NULL UNIQUE,   -- the unguessable part of the card's link
    order_no  TEXT NOT NULL REFERENCES orders(order_no) ON DELETE CASCADE,
    line      INTEGER NOT NULL,
    issued_at INTEGER NOT NULL,
    UNIQUE (order_no, line)
);

CREATE TABLE care_reminders (
    phone    TEXT NOT NULL,
    order_no TEXT NOT NULL REFERENCES orders(order_no) ON DELETE CASCADE,
    line     INTEGER NOT NULL,
    rule_id  TEXT NOT NULL,
    due_on   TEXT NOT NULL,           -- the day the reminder was due, YYYY-MM-DD
    sent_at  INTEGER NOT NULL,
    PRIMARY KEY (order_no, line, rule_id, due_on)
);
CREATE INDEX care_reminders_phone ON care_reminders(phone, sent_at);

CREATE TABLE care_opt_outs (
    phone TEXT PRIMARY KEY,
    at    INTEGER NOT NULL
);

CREATE TABLE kb_entries (
    id         TEXT PRIMARY KEY,
    body       TEXT NOT NULL,         -- config.KBEntry as JSON
    from_case  TEXT NOT NULL DEFAULT '',
    added_by   TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL
);

CREATE TABLE kb_stats (
    id      TEXT PRIMARY KEY,
    offered INTEGER NOT NULL DEFAULT 0,
    helped  INTEGER NOT NULL DEFAULT 0
);
