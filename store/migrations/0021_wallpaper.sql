-- Wallpaper (004 四(二), 四(三)): the stock of each batch, as the back
-- office tells it (API or CSV), for the same-batch stock check of a quality
-- complaint (WAL-3) and the batch rule of returns (WAL-8).
CREATE TABLE wallpaper_stock (
    sku        TEXT NOT NULL,
    batch_no   TEXT NOT NULL,
    rolls      INTEGER NOT NULL CHECK (rolls >= 0),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (sku, batch_no)
);
CREATE INDEX wallpaper_stock_batch ON wallpaper_stock (batch_no);
