-- Providers and visits (000 §4, 002 三(一), 四(二); issue 16).
--
-- providers.regions: the districts and cities it serves, "city" or
--   "city/district", comma separated (PRV-1); phone; company (1) or an
--   individual (0); prices: the agreed price per job kind, JSON {"install": 120};
--   hours: the hours it works, "HH:MM-HH:MM" ('' any time);
--   flagged_at / flag_note: flagged by its complaint rate (PRV-6), no
--   proposals until staff clear it; cleared_at / clear_note: the last clearing,
--   complaints before it no longer count.
-- orders.address / orders.region: where the goods are (the region a provider
--   must serve).
-- visits: the case that dispatched it, the payment way (PRV-4:
--   customer_refund for a first-time provider, transfer for a repeat one),
--   the service record (PRV-5), the customer's acceptance, when the provider
--   confirmed, when the customer was reminded, and when it rated its provider
--   (PRV-7: once).
-- provider_chats / provider_codes: a provider's own chat, linked once with a
--   one-time code staff give it (PRV-2).
ALTER TABLE providers ADD COLUMN regions TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN company INTEGER NOT NULL DEFAULT 0;
ALTER TABLE providers ADD COLUMN prices TEXT NOT NULL DEFAULT '{}';
ALTER TABLE providers ADD COLUMN hours TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN flagged_at INTEGER;
ALTER TABLE providers ADD COLUMN flag_note TEXT NOT NULL DEFAULT '';
ALTER TABLE providers ADD COLUMN cleared_at INTEGER;
ALTER TABLE providers ADD COLUMN clear_note TEXT NOT NULL DEFAULT '';

ALTER TABLE orders ADD COLUMN address TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN region TEXT NOT NULL DEFAULT '';

ALTER TABLE visits ADD COLUMN case_id INTEGER REFERENCES cases(id);
ALTER TABLE visits ADD COLUMN payment TEXT NOT NULL DEFAULT ''
    CHECK (payment IN ('','customer_refund','transfer'));
ALTER TABLE visits ADD COLUMN service_done TEXT NOT NULL DEFAULT '';
ALTER TABLE visits ADD COLUMN service_result TEXT NOT NULL DEFAULT '';
ALTER TABLE visits ADD COLUMN service_parts TEXT NOT NULL DEFAULT '';
ALTER TABLE visits ADD COLUMN acceptance TEXT NOT NULL DEFAULT ''
    CHECK (acceptance IN ('','asked','accepted','problem'));
ALTER TABLE visits ADD COLUMN acceptance_note TEXT NOT NULL DEFAULT '';
ALTER TABLE visits ADD COLUMN accepted_at INTEGER;
ALTER TABLE visits ADD COLUMN confirmed_at INTEGER;
ALTER TABLE visits ADD COLUMN reminded_at INTEGER;
ALTER TABLE visits ADD COLUMN rated_at INTEGER;
CREATE INDEX visits_case ON visits(case_id);
CREATE INDEX visits_provider ON visits(provider_id, completed_at);

CREATE TABLE provider_chats (
    channel     TEXT NOT NULL,
    chat_id     TEXT NOT NULL,
    provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    lang        TEXT NOT NULL DEFAULT 'zh-Hans',
    linked_at   INTEGER NOT NULL,
    PRIMARY KEY (channel, chat_id)
);

CREATE TABLE provider_codes (
    code        TEXT PRIMARY KEY,
    provider_id INTEGER NOT NULL REFERENCES providers(id) ON DELETE CASCADE,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
