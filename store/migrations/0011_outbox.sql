-- The outbox gives up on a message by time, not by a count: a message still
-- failing a day after it was written (or re-queued by staff, requeued_at)
-- is dead, and dead messages are listed for staff (dead_at, newest first)
-- who may send one again.
ALTER TABLE outbox ADD COLUMN requeued_at INTEGER;
ALTER TABLE outbox ADD COLUMN dead_at INTEGER;
CREATE INDEX outbox_dead ON outbox(dead_at) WHERE status = 'dead';
CREATE INDEX outbox_pending_channel ON outbox(channel, recipient, id) WHERE status = 'pending';

-- /readyz proves the store can write by rewriting this one row.
CREATE TABLE write_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at INTEGER NOT NULL
);
