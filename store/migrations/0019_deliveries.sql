-- The day an order's goods were delivered, when the back office (or the
-- desk) knows it: the 7-day return window runs from it for goods that
-- arrive after payment (RET-5). Empty while unknown.
ALTER TABLE orders ADD COLUMN delivered_on TEXT NOT NULL DEFAULT '';
