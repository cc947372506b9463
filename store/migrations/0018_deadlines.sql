-- Delivery dates that move (000 §1.3.1, §1.4.2, §1.4.3; 002 三(二)).
--
-- deadline_changes: every change of an order's promised date, old → new,
--   who and why; kind says how it came: agreed (a new date agreed with the
--   customer), risk (staff declared a delay risk before the date), early
--   (the customer agreed to an earlier delivery), back_office (the order
--   system sent another date).
-- orders.delivered_on: the shop date the customer said the goods arrived
--   (the arrival check); "delivery on time" is measured on it.
-- orders.preview_sent_at: the service preview of a new order went out.
-- shipments.early_consent: '' when the shipment is not earlier than agreed;
--   asked, yes or no while and after the customer is asked.
CREATE TABLE deadline_changes (
    id         INTEGER PRIMARY KEY,
    order_no   TEXT NOT NULL REFERENCES orders(order_no) ON DELETE CASCADE,
    old_date   TEXT NOT NULL DEFAULT '',
    new_date   TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('agreed','risk','early','back_office')),
    actor      TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    at         INTEGER NOT NULL
);
CREATE INDEX deadline_changes_order ON deadline_changes(order_no, id);

ALTER TABLE orders ADD COLUMN delivered_on TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN preview_sent_at INTEGER;
ALTER TABLE shipments ADD COLUMN early_consent TEXT NOT NULL DEFAULT ''
    CHECK (early_consent IN ('','asked','yes','no'));
