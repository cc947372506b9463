-- The call-back that follows a resolved case that involved a service
-- (001 §2.3.6, CAS-3): due some time after the resolve, then a task for
-- staff in the case thread and a short question in the customer's chat;
-- the customer's answer and the call staff made are kept. One per case: a
-- case resolved again books its call-back again.
CREATE TABLE callbacks (
    case_id     INTEGER PRIMARY KEY REFERENCES cases(id),
    due_at      INTEGER NOT NULL,
    sent_at     INTEGER,
    answer      TEXT NOT NULL DEFAULT '',
    answered_at INTEGER,
    done_at     INTEGER -- what staff heard is in the case history, where retention finds it
);
CREATE INDEX callbacks_due ON callbacks(due_at) WHERE sent_at IS NULL;
