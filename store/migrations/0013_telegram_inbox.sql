-- Inbound updates a channel could not handle yet (Telegram: a getFile that
-- answers 500, the store busy), kept here so that the channel can move on
-- to other chats and retry them itself, in order per chat, across restarts.
-- A row goes when its update is handled, or refused for good.
CREATE TABLE parked_updates (
    channel       TEXT NOT NULL,
    update_id     INTEGER NOT NULL,   -- the channel's id of the update; orders a chat's updates
    chat_id       TEXT NOT NULL,
    payload       BLOB NOT NULL,      -- the update as the channel sent it
    parked_at     INTEGER NOT NULL,
    failing_since INTEGER,            -- its first failure; NULL while it only waits behind another
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       INTEGER NOT NULL,
    last_error    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (channel, update_id)
) WITHOUT ROWID;
CREATE INDEX parked_updates_chat ON parked_updates(channel, chat_id, update_id);
