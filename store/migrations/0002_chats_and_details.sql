-- Which chats a verified customer uses, so proactive messages (shipping
-- notices, arrival checks, surveys) reach them; and the answers a dialog
-- gathered for a case, kept as JSON for staff.

CREATE TABLE customer_chats (
    phone       TEXT NOT NULL,
    channel     TEXT NOT NULL,
    chat_id     TEXT NOT NULL,
    lang        TEXT NOT NULL DEFAULT '',
    verified_at INTEGER NOT NULL,
    PRIMARY KEY (channel, chat_id)
) WITHOUT ROWID;
CREATE INDEX customer_chats_phone ON customer_chats(phone);

ALTER TABLE cases ADD COLUMN details TEXT NOT NULL DEFAULT '{}';

ALTER TABLE surveys ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE surveys ADD COLUMN chat_id TEXT NOT NULL DEFAULT '';
ALTER TABLE surveys ADD COLUMN score REAL;
CREATE UNIQUE INDEX surveys_visit_stage_chat ON surveys(visit_id, stage, channel, chat_id);
