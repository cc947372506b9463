-- The quality loop (002 七(一), 六(一), 四(一); 004 三.4, 三.5).
--
-- spot_draws: one draw a week (the Monday, a shop date), with the seed that
--   redoes it (QLT-1): the population is last week's finished visits and
--   resolved cases, read again from the records.
-- spot_checks: the drawn jobs, each a supervisor's task; its result (fine,
--   or a problem that opened case_number). The customer's contact is read
--   from the order, not copied here, so retention has nothing more to find.
-- corrective_actions: corrective and preventive actions (QLT-4), opened
--   from a serious case or a line of the weekly report; the effect check is
--   due at check_at; open and checking ones stay in the digest.
-- corrective_notes: their progress notes, in order.
-- quality_calls: the quarterly call-back list (QLT-2) and the half-yearly
--   questionnaire to main customers (QLT-3), one row per customer and
--   period; product and service are the customer's scores (1–5), 0 until
--   given; answered_at is set when both are.
CREATE TABLE spot_draws (
    week       TEXT PRIMARY KEY,
    seed       INTEGER NOT NULL,
    percent    INTEGER NOT NULL,
    population INTEGER NOT NULL,
    drawn_at   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE spot_checks (
    id           INTEGER PRIMARY KEY,
    week         TEXT NOT NULL REFERENCES spot_draws(week),
    subject_kind TEXT NOT NULL CHECK (subject_kind IN ('visit','case')),
    subject      TEXT NOT NULL,
    order_no     TEXT NOT NULL DEFAULT '',
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','fine','problem')),
    method       TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    checker      TEXT NOT NULL DEFAULT '',
    case_number  TEXT NOT NULL DEFAULT '',
    done_at      INTEGER,
    UNIQUE (week, subject_kind, subject)
);
CREATE INDEX spot_checks_status ON spot_checks(status, id);

CREATE TABLE corrective_actions (
    id          INTEGER PRIMARY KEY,
    source_kind TEXT NOT NULL CHECK (source_kind IN ('case','report')),
    source      TEXT NOT NULL,
    sku         TEXT NOT NULL DEFAULT '',
    problem     TEXT NOT NULL,
    owner       TEXT NOT NULL,
    department  TEXT NOT NULL CHECK (department IN ('production','logistics','installation','after_sales')),
    due_on      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','checking','closed')),
    opened_by   TEXT NOT NULL,
    opened_at   INTEGER NOT NULL,
    done_at     INTEGER,
    check_at    INTEGER,
    closed_at   INTEGER,
    effect      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX corrective_actions_open ON corrective_actions(status, check_at) WHERE status <> 'closed';

CREATE TABLE corrective_notes (
    id        INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES corrective_actions(id),
    at        INTEGER NOT NULL,
    actor     TEXT NOT NULL,
    body      TEXT NOT NULL
);
CREATE INDEX corrective_notes_action ON corrective_notes(action_id, id);

CREATE TABLE quality_calls (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL CHECK (kind IN ('callback','questionnaire')),
    period        TEXT NOT NULL, -- 2026-Q2, 2026-H1
    phone         TEXT NOT NULL,
    customer_name TEXT NOT NULL DEFAULT '',
    channel       TEXT NOT NULL DEFAULT '',
    chat_id       TEXT NOT NULL DEFAULT '',
    sent_at       INTEGER NOT NULL,
    answered_at   INTEGER,
    product       INTEGER NOT NULL DEFAULT 0 CHECK (product BETWEEN 0 AND 5),
    service       INTEGER NOT NULL DEFAULT 0 CHECK (service BETWEEN 0 AND 5),
    UNIQUE (kind, period, phone)
);
CREATE INDEX quality_calls_chat ON quality_calls(channel, chat_id);
