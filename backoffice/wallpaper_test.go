package backoffice

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
)

// rule: WAL-3, WAL-8
// The back office tells the stock of each wallpaper batch by the API; a bad
// line (odd batch characters, no rolls, a negative count) is refused with
// the field named, and nothing of the request is saved.
func TestWallpaperStockAPI(t *testing.T) {
	h := newHarness(t, token)
	for body, field := range map[string]string{
		`{"stock":[{"sku":"WP-1","batch_no":"B2611","rolls":3},{"sku":"WP-1","batch_no":"B<26>","rolls":4}]}`: "batch_no",
		`{"stock":[{"sku":"WP-1","batch_no":"B2611"}]}`:                                                       "stock[0].rolls",
		`{"stock":[{"sku":"WP-1","batch_no":"B2611","rolls":-1}]}`:                                            "rolls",
		`{"stock":[]}`: "stock",
	} {
		r := h.do("PUT", "/api/v1/wallpaper/stock", body)
		if r.status != 400 || !strings.Contains(r.raw, field) {
			t.Errorf("%s: %d %s", body, r.status, r.raw)
		}
	}
	if r := h.do("GET", "/api/v1/wallpaper/stock?batch_no=B2611", ""); r.status != 404 {
		t.Fatalf("a refused request saved something: %d %s", r.status, r.raw)
	}
	r := h.do("PUT", "/api/v1/wallpaper/stock", `{"stock":[{"sku":"WP-1","batch_no":"b2611","rolls":30}]}`)
	if r.status != 200 {
		t.Fatalf("stock: %d %s", r.status, r.raw)
	}
	r = h.do("GET", "/api/v1/wallpaper/stock?batch_no=B2611", "")
	if st, _ := r.body["stock"].(map[string]any); r.status != 200 || st["rolls"] != float64(30) || st["sku"] != "WP-1" {
		t.Fatalf("read back: %d %s", r.status, r.raw)
	}
}

// rule: WAL-3
// The stock by CSV, as spreadsheets save it (BOM, CRLF); one bad row
// refuses the file.
func TestWallpaperStockCSV(t *testing.T) {
	h := newHarness(t, token)
	gbk := []byte("\ufeffsku,batch_no,rolls\r\nWP-1,B2611,12\r\nWP-2,B2702,0\r\n")
	bad := "sku,batch_no,rolls\nWP-1,B2611,5\nWP-3,B#1,2\n"
	if _, err := ImportWallpaperStock(context.Background(), h.db, strings.NewReader(bad), now); !errors.Is(err, ErrRejected) {
		t.Fatalf("bad row: %v", err)
	}
	if _, err := h.db.WallpaperStockOf(context.Background(), "WP-1", "B2611"); err == nil {
		t.Fatal("a rejected file saved a line")
	}
	rep, err := ImportWallpaperStock(context.Background(), h.db, bytes.NewReader(gbk), now)
	if err != nil || rep.Records != 2 {
		t.Fatalf("csv: %v %+v", err, rep)
	}
	s, err := h.db.WallpaperStockOf(context.Background(), "", "B2702")
	if err != nil || s.Rolls != 0 || s.SKU != "WP-2" {
		t.Fatalf("B2702: %+v %v", s, err)
	}
}
