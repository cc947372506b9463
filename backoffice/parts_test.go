package backoffice

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"frontdesk/cases"
)

// The price list comes by the API, all or nothing, and is read back; bad
// lines name their field and save nothing.
// rule: PRT-5
func TestPartsPriceListByAPI(t *testing.T) {
	h := newHarness(t, token)
	r := h.do("POST", "/api/v1/parts", `{"parts":[{"sku":"vw-100","name":"角阀","price_yuan":45.5},{"sku":"SH-2","name":"花洒","price_yuan":"120"}]}`)
	if r.status != 200 || r.body["saved"] != float64(2) {
		t.Fatalf("post: %d %s", r.status, r.raw)
	}
	for _, bad := range []struct{ body, field string }{
		{`{"parts":[{"sku":"OK-1","name":"x","price_yuan":1},{"sku":"<x>","name":"阀","price_yuan":1}]}`, "parts[1].sku"},
		{`{"parts":[{"sku":"OK-1","name":"","price_yuan":1}]}`, "parts[0].name"},
		{`{"parts":[{"sku":"OK-1","name":"阀","price_yuan":-3}]}`, "parts[0].price_yuan"},
		{`{"parts":[{"sku":"OK-1","name":"阀","price_yuan":1.234}]}`, "parts[0].price_yuan"},
		{`{"parts":[{"sku":"OK-1","name":"阀","price_yuan":1},{"sku":"ok-1","name":"阀","price_yuan":2}]}`, "parts[1].sku"},
		{`{"parts":[]}`, "parts"},
		{`{"parts":[{"sku":"OK-1","name":"阀","price_yuan":1,"colour":"red"}]}`, ""},
	} {
		r := h.do("POST", "/api/v1/parts", bad.body)
		if r.status != 400 || (bad.field != "" && r.field() != bad.field) {
			t.Errorf("%s: %d %s", bad.body, r.status, r.raw)
		}
	}
	r = h.do("GET", "/api/v1/parts", "")
	list, _ := r.body["parts"].([]any)
	if r.status != 200 || len(list) != 2 || !strings.Contains(r.raw, `"price_yuan":"45.50"`) || strings.Contains(r.raw, "OK-1") {
		t.Fatalf("list: %d %s", r.status, r.raw)
	}
	if r := h.do("GET", "/api/v1/parts/counts?month=2026-11", ""); r.status != 200 || r.body["issued"] != float64(0) {
		t.Fatalf("counts: %d %s", r.status, r.raw)
	}
	if r := h.do("GET", "/api/v1/parts/counts?month=11/2026", ""); r.status != 400 || r.field() != "month" {
		t.Fatalf("bad month: %d %s", r.status, r.raw)
	}
}

const partsCSV = "sku,name,price_yuan\nVW-100,角阀,45.50\nSH-2,花洒,120\n"

// The price list comes by CSV too, in UTF-8 or GBK; a bad row names its
// line and column and nothing is saved.
// rule: PRT-5
func TestPartsPriceListByCSV(t *testing.T) {
	h := newHarness(t, token)
	ctx := context.Background()
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(partsCSV))
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ImportParts(ctx, h.db, bytes.NewReader(gbk), now, false)
	if err != nil || rep.Records != 2 {
		t.Fatalf("gbk: %+v %v", rep, err)
	}
	prices, _ := h.db.PartPrices(ctx)
	if len(prices) != 2 || prices[1] != (cases.PartPrice{SKU: "VW-100", Name: "角阀", PriceCents: 4550}) {
		t.Fatalf("prices %+v", prices)
	}
	bad := "sku,name,price_yuan\nNEW-1,新件,10\nVW-100,角阀,-1\nSH 2,花洒,3\nNEW-1,又一个,4\n"
	rep, err = ImportParts(ctx, h.db, strings.NewReader(bad), now, false)
	if !errors.Is(err, ErrRejected) || len(rep.Errors) != 3 || rep.Errors[0].String() != `line 3, column price_yuan: "-1" is not a price in yuan (like 45.50)` ||
		rep.Errors[1].Column != "sku" || rep.Errors[2].Line != 5 {
		t.Fatalf("bad file: %+v %v", rep.Errors, err)
	}
	if prices, _ := h.db.PartPrices(ctx); len(prices) != 2 {
		t.Fatalf("a rejected file saved %+v", prices)
	}
	rep, err = ImportParts(ctx, h.db, strings.NewReader("sku,name\nA,b\n"), now, false)
	if !errors.Is(err, ErrRejected) || len(rep.Errors) == 0 || !strings.Contains(rep.Errors[0].String(), "price_yuan") {
		t.Fatalf("missing column: %+v %v", rep.Errors, err)
	}
}
