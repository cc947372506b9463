-- The spare-parts procedure of 003 (材料处理, 材料收费; PRT-1 … PRT-7).
--
-- part_prices: the parts price list (零部件价格表) the back office keeps by
--   the API and CSV; quoted from for parts out of warranty.
-- part_lines: the parts lines of a repair case: part, quantity, warranty
--   (1: free, the replaced part due back), the price-list price and what
--   the customer pays; shipped_on and due_back are shop dates
--   (YYYY-MM-DD); shipped_at, returned_at and charged_at the moments the
--   desk recorded them, which the monthly counts read.
CREATE TABLE part_prices (
    sku         TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
    updated_at  INTEGER NOT NULL
);

CREATE TABLE part_lines (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    sku         TEXT NOT NULL,
    name        TEXT NOT NULL,
    qty         INTEGER NOT NULL CHECK (qty > 0),
    warranty    INTEGER NOT NULL CHECK (warranty IN (0, 1)),
    unit_cents  INTEGER NOT NULL,
    fee_cents   INTEGER NOT NULL,
    added_at    INTEGER NOT NULL,
    added_by    TEXT NOT NULL,
    shipped_on  TEXT NOT NULL DEFAULT '',
    due_back    TEXT NOT NULL DEFAULT '',
    shipped_at  INTEGER,
    returned_at INTEGER,
    charged_at  INTEGER
);
CREATE INDEX part_lines_case ON part_lines(case_id);
CREATE INDEX part_lines_due ON part_lines(due_back) WHERE due_back != '' AND returned_at IS NULL AND charged_at IS NULL;
