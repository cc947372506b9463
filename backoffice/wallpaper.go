package backoffice

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"frontdesk/store"
)

// The stock of wallpaper batches (004 四(二), 四(三)): by the API and by CSV
// (`frontdesk import wallpaper-stock FILE.csv`, UTF-8 or GBK), all lines or
// none (WAL-3, WAL-8).

// StockIn is one stock line as the back office sends it.
type StockIn struct {
	SKU     string `json:"sku"`
	BatchNo string `json:"batch_no"`
	Rolls   *int   `json:"rolls"`
}

func stockOut(s store.WallpaperStock) map[string]any {
	return map[string]any{"sku": s.SKU, "batch_no": s.BatchNo, "rolls": s.Rolls, "updated_at": s.UpdatedAt}
}

func (a *API) putWallpaperStock(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Stock []StockIn `json:"stock"`
	}
	if !decode(w, r, &in) {
		return
	}
	if len(in.Stock) == 0 || len(in.Stock) > 10000 {
		writeError(w, http.StatusBadRequest, "invalid", "stock", "give 1 to 10000 lines of {sku, batch_no, rolls}")
		return
	}
	lines := make([]store.WallpaperStock, len(in.Stock))
	for i, s := range in.Stock {
		if s.Rolls == nil {
			writeError(w, http.StatusBadRequest, "invalid", fmt.Sprintf("stock[%d].rolls", i), "missing: the rolls in stock, 0 or more")
			return
		}
		lines[i] = store.WallpaperStock{SKU: s.SKU, BatchNo: s.BatchNo, Rolls: *s.Rolls}
	}
	if !a.ok(w, r, a.Store.SetWallpaperStock(r.Context(), lines, a.Now())) {
		return
	}
	out := make([]map[string]any, len(lines))
	for i, s := range lines {
		s.UpdatedAt = a.Now().UTC()
		out[i] = stockOut(s)
	}
	writeJSON(w, http.StatusOK, map[string]any{"stock": out})
}

func (a *API) getWallpaperStock(w http.ResponseWriter, r *http.Request) {
	batch := r.URL.Query().Get("batch_no")
	if batch == "" {
		writeError(w, http.StatusBadRequest, "invalid", "batch_no", "missing: ?batch_no=")
		return
	}
	s, err := a.Store.WallpaperStockOf(r.Context(), r.URL.Query().Get("sku"), batch)
	if !a.found(w, r, err, http.StatusNotFound, "not_found", "batch_no", "the back office has told no stock of batch "+batch) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"stock": stockOut(s)})
}

// ImportWallpaperStock reads a CSV of sku, batch_no, rolls (UTF-8 with or
// without BOM, or GBK as readTable reads it) and saves every line or, when one is bad, none.
func ImportWallpaperStock(ctx context.Context, db *store.DB, r io.Reader, now time.Time) (Report, error) {
	rep := Report{Kind: "wallpaper-stock"}
	t, err := readTable(r, []string{"batch_no", "rolls"}, []string{"sku"})
	if err != nil {
		return rep, err
	}
	rep.Rows = len(t.rows)
	var lines []store.WallpaperStock
	for i := range t.rows {
		row := rowReader{t: t, i: i, line: t.lines[i]}
		s := store.WallpaperStock{SKU: row.s("sku"), BatchNo: row.s("batch_no"), Rolls: row.int("rolls")}
		if s.SKU == "" {
			row.fail("sku", "missing")
			continue
		}
		if err := s.Validate(); err != nil {
			row.fail("", "%s", err.Error())
			continue
		}
		lines = append(lines, s)
	}
	rep.Errors, rep.Records = t.errs, len(lines)
	if len(rep.Errors) > 0 {
		return rep, ErrRejected
	}
	if err := db.SetWallpaperStock(ctx, lines, now); err != nil {
		return rep, err
	}
	rep.Committed = true
	return rep, nil
}
