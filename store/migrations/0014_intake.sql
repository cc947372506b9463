-- How a request reached the shop when staff opened its case for it (INT-1):
-- by phone, in the shop, by letter or by fax. '' is a case the desk opened
-- from a customer's chat (or by itself); the chat a case answers in stays
-- in channel and chat_id.
ALTER TABLE cases ADD COLUMN intake TEXT NOT NULL DEFAULT ''
    CHECK (intake IN ('', 'phone', 'store', 'letter', 'fax'));
