-- The sender delivers what the desk's commit wrote from memory and reads
-- the pending messages by channel (outbox_pending_channel). outbox_pending
-- (status, recipient, id) repeated that index without the channel; every
-- message written and every message marked sent kept both up to date on
-- the desk's one writer.
DROP INDEX IF EXISTS outbox_pending;
