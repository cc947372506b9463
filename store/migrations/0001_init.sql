-- The records of DOMAIN.md. Times are Unix milliseconds (UTC); calendar
-- dates (deadlines, arrival days) are 'YYYY-MM-DD' in the shop's zone.

CREATE TABLE orders (
    order_no         TEXT PRIMARY KEY,
    customer_name    TEXT NOT NULL,
    phone            TEXT NOT NULL,
    paid_on          TEXT NOT NULL DEFAULT '',
    deadline         TEXT NOT NULL DEFAULT '',
    urgent           INTEGER NOT NULL DEFAULT 0,
    install_included INTEGER NOT NULL DEFAULT 0,
    status           TEXT NOT NULL DEFAULT 'placed'
                     CHECK (status IN ('placed','in_production','shipped','delivered','installed')),
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX orders_phone ON orders(phone);

CREATE TABLE order_items (
    id              INTEGER PRIMARY KEY,
    order_no        TEXT NOT NULL REFERENCES orders(order_no) ON DELETE CASCADE,
    line            INTEGER NOT NULL,
    name            TEXT NOT NULL,
    sku             TEXT NOT NULL DEFAULT '',
    quantity        INTEGER NOT NULL CHECK (quantity > 0),
    category        TEXT NOT NULL CHECK (category IN ('furniture','bathroom','wallpaper','building_material')),
    custom_made     INTEGER NOT NULL DEFAULT 0,
    glass           INTEGER NOT NULL DEFAULT 0,
    batch_no        TEXT NOT NULL DEFAULT '',
    warranty_months INTEGER NOT NULL DEFAULT 0,
    UNIQUE (order_no, line)
);

CREATE TABLE shipments (
    id                  INTEGER PRIMARY KEY,
    order_no            TEXT NOT NULL REFERENCES orders(order_no),
    carrier             TEXT NOT NULL,
    tracking_no         TEXT NOT NULL UNIQUE,
    carrier_phone       TEXT NOT NULL DEFAULT '',
    packages            INTEGER NOT NULL DEFAULT 0,
    pieces              INTEGER NOT NULL DEFAULT 0,
    volume_m3           REAL NOT NULL DEFAULT 0,
    freight_fee_cents   INTEGER NOT NULL DEFAULT 0,
    packaging_fee_cents INTEGER NOT NULL DEFAULT 0,
    contains_glass      INTEGER NOT NULL DEFAULT 0,
    shipped_on          TEXT NOT NULL,
    expected_arrival    TEXT NOT NULL,
    notice_sent_at      INTEGER,
    created_at          INTEGER NOT NULL
);
CREATE INDEX shipments_order ON shipments(order_no);

CREATE TABLE case_counters (
    day  TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE cases (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN ('delivery_delay','transport_damage','quality_defect',
                       'installation_help','repair','return_exchange','complaint','inquiry','low_survey_score')),
    order_no       TEXT REFERENCES orders(order_no),
    customer_name  TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    channel        TEXT NOT NULL DEFAULT '',
    chat_id        TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','claimed','resolved')),
    severity       TEXT NOT NULL DEFAULT 'normal' CHECK (severity IN ('normal','major')),
    classification TEXT NOT NULL DEFAULT '',
    remedy         TEXT NOT NULL DEFAULT '',
    assignee       TEXT NOT NULL DEFAULT '',
    description    TEXT NOT NULL DEFAULT '', -- fault description (003 质量反馈)
    cause          TEXT NOT NULL DEFAULT '',
    action         TEXT NOT NULL DEFAULT '',
    deadline_at    INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    resolved_at    INTEGER
);
CREATE INDEX cases_phone ON cases(phone, status);
CREATE INDEX cases_created ON cases(created_at);

CREATE TABLE photos (
    id         INTEGER PRIMARY KEY,
    case_id    INTEGER REFERENCES cases(id),
    sha256     TEXT NOT NULL,
    mime       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    step       TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX photos_case ON photos(case_id);

CREATE TABLE case_events (
    id       INTEGER PRIMARY KEY,
    case_id  INTEGER NOT NULL REFERENCES cases(id),
    at       INTEGER NOT NULL,
    actor    TEXT NOT NULL,
    kind     TEXT NOT NULL, -- message_in, message_out, note, status, classified, remedy, claimed …
    body     TEXT NOT NULL DEFAULT '',
    photo_id INTEGER REFERENCES photos(id)
);
CREATE INDEX case_events_case ON case_events(case_id, id);

CREATE TABLE providers (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    region       TEXT NOT NULL DEFAULT '',
    stars        REAL NOT NULL DEFAULT 0 CHECK (stars >= 0 AND stars <= 5),
    visits       INTEGER NOT NULL DEFAULT 0,
    last_summary TEXT NOT NULL DEFAULT '',
    UNIQUE (name, region)
);

CREATE TABLE visits (
    id             TEXT PRIMARY KEY,
    order_no       TEXT NOT NULL REFERENCES orders(order_no),
    provider_id    INTEGER REFERENCES providers(id),
    kind           TEXT NOT NULL CHECK (kind IN ('install','repair')),
    appointment_at INTEGER,
    completed_at   INTEGER
);

CREATE TABLE surveys (
    id          INTEGER PRIMARY KEY,
    visit_id    TEXT REFERENCES visits(id),
    case_id     INTEGER REFERENCES cases(id),
    stage       TEXT NOT NULL DEFAULT 'visit',
    sent_at     INTEGER,
    answered_at INTEGER,
    answers     TEXT NOT NULL DEFAULT '{}',
    comment     TEXT NOT NULL DEFAULT ''
);

-- Every outbound message is written here in the transaction that caused it,
-- then delivered by the outbox sender; nothing is sent from anywhere else.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    channel         TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    payload         TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','dead')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    case_id         INTEGER REFERENCES cases(id),
    created_at      INTEGER NOT NULL,
    sent_at         INTEGER
);
CREATE INDEX outbox_pending ON outbox(status, recipient, id) WHERE status = 'pending';
CREATE INDEX outbox_recipient ON outbox(channel, recipient, id);

CREATE TABLE audit (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    actor   TEXT NOT NULL,
    action  TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_subject ON audit(subject, id);

CREATE TABLE inbound_seen (
    channel     TEXT NOT NULL,
    external_id TEXT NOT NULL,
    seen_at     INTEGER NOT NULL,
    PRIMARY KEY (channel, external_id)
) WITHOUT ROWID;

-- Dialog state for the embedded store (used when no REDIS_URL is set), so a
-- restart keeps every conversation where it was.
CREATE TABLE dialog_state (
    key        TEXT PRIMARY KEY,
    version    INTEGER NOT NULL,
    data       BLOB NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
