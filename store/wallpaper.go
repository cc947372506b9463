package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// WallpaperStock is the rolls of one batch of a wallpaper in stock, as the
// back office told it (WAL-3, WAL-8).
type WallpaperStock struct {
	SKU       string    `json:"sku"`
	BatchNo   string    `json:"batch_no"`
	Rolls     int       `json:"rolls"`
	UpdatedAt time.Time `json:"updated_at"`
}

var (
	stockSKUPattern   = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)
	stockBatchPattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{1,31}$`)
)

// Validate refuses a stock line with a bad SKU, batch number or count,
// naming the field.
func (s *WallpaperStock) Validate() error {
	s.SKU = strings.TrimSpace(s.SKU)
	s.BatchNo = strings.ToUpper(strings.TrimSpace(s.BatchNo))
	switch {
	case !stockSKUPattern.MatchString(s.SKU):
		return invalid("sku %q: 1 to 64 letters, digits, '.', '_' or '-'", s.SKU)
	case !stockBatchPattern.MatchString(s.BatchNo):
		return invalid("batch_no %q: 2 to 32 letters, digits or '-'", s.BatchNo)
	case s.Rolls < 0 || s.Rolls > 1000000:
		return invalid("rolls %d: 0 to 1000000", s.Rolls)
	}
	return nil
}

// SetWallpaperStock records the stock lines, all or none: a bad line
// refuses them all, naming its index.
func (db *DB) SetWallpaperStock(ctx context.Context, lines []WallpaperStock, now time.Time) error {
	for i := range lines {
		if err := lines[i].Validate(); err != nil {
			return fmt.Errorf("stock[%d]: %w", i, err)
		}
	}
	return db.Update(ctx, func(tx *Tx) error {
		for _, s := range lines {
			if _, err := tx.exec(`INSERT INTO wallpaper_stock (sku, batch_no, rolls, updated_at) VALUES (?, ?, ?, ?)
				ON CONFLICT(sku, batch_no) DO UPDATE SET rolls = excluded.rolls, updated_at = excluded.updated_at`,
				s.SKU, s.BatchNo, s.Rolls, millis(now)); err != nil {
				return fmt.Errorf("store: wallpaper stock: %w", err)
			}
		}
		return nil
	})
}

// WallpaperStockOf returns the stock of a batch: of the SKU when given,
// else of the batch number whatever the SKU. ErrNotFound when the back
// office never told it.
func (db *DB) WallpaperStockOf(ctx context.Context, sku, batchNo string) (WallpaperStock, error) {
	return scanWallpaperStock(db.queryRow(ctx, wallpaperStockQuery, strings.ToUpper(batchNo), sku, sku))
}

// WallpaperStockInTx is WallpaperStockOf inside a write transaction.
func (tx *Tx) WallpaperStockInTx(sku, batchNo string) (WallpaperStock, error) {
	return scanWallpaperStock(tx.tx.QueryRowContext(tx.ctx, wallpaperStockQuery, strings.ToUpper(batchNo), sku, sku))
}

// wallpaperStockQuery reads the latest stock of a batch (of the SKU, when
// one is given).
const wallpaperStockQuery = `SELECT sku, batch_no, rolls, updated_at FROM wallpaper_stock WHERE batch_no = ? AND (? = '' OR sku = ?)
	ORDER BY updated_at DESC LIMIT 1`

func scanWallpaperStock(row *sql.Row) (WallpaperStock, error) {
	var s WallpaperStock
	var at int64
	err := row.Scan(&s.SKU, &s.BatchNo, &s.Rolls, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return s, ErrNotFound
	}
	if err != nil {
		return s, fmt.Errorf("store: wallpaper stock: %w", err)
	}
	s.UpdatedAt = fromMillis(at)
	return s, nil
}

// OrderItemSKUInTx returns the SKU and batch number of an order's line.
func (tx *Tx) OrderItemSKUInTx(orderNo string, line int) (sku, batchNo string, err error) {
	err = tx.tx.QueryRowContext(tx.ctx, "SELECT sku, batch_no FROM order_items WHERE order_no = ? AND line = ?", orderNo, line).
		Scan(&sku, &batchNo)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", notFound("order %s has no line %d", orderNo, line)
	}
	if err != nil {
		return "", "", fmt.Errorf("store: order item: %w", err)
	}
	return sku, batchNo, nil
}
