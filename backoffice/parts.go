package backoffice

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"frontdesk/cases"
	"frontdesk/store"
)

// The parts price list of 003 (零部件价格表, PRT-5) by the API (GET and POST
// /api/v1/parts) and by CSV (`frontdesk import parts FILE.csv`, UTF-8 or
// GBK), and the month's parts counts (GET /api/v1/parts/counts, PRT-7).

// PartIn is a line of the price list as the back office sends it; the
// price is in yuan with at most two decimals, as a number or a string.
type PartIn struct {
	SKU   string      `json:"sku"`
	Name  string      `json:"name"`
	Price json.Number `json:"price_yuan"`
}

// PartsIn is the body of POST /api/v1/parts: every line is saved, or none.
type PartsIn struct {
	Parts []PartIn `json:"parts"`
}

// MaxParts bounds one POST of the price list.
const MaxParts = 5000

var pricePattern = regexp.MustCompile(`^[0-9]{1,7}(\.[0-9]{1,2})?$`)

// ParsePrice reads yuan with at most two decimals ("45.5") as cents.
func ParsePrice(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if !pricePattern.MatchString(s) {
		return 0, fmt.Errorf("%q is not a price in yuan (like 45.50)", s)
	}
	whole, frac, _ := strings.Cut(s, ".")
	for len(frac) < 2 {
		frac += "0"
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f, _ := strconv.ParseInt(frac, 10, 64)
	return w*100 + f, nil
}

// record checks a price-list line; prefix names its place in the body.
func (in PartIn) record(prefix string) (cases.PartPrice, error) {
	sku := strings.ToUpper(strings.TrimSpace(in.SKU))
	if !cases.ValidSKU(sku) {
		return cases.PartPrice{}, fieldError{prefix + "sku", "want 1 to 40 letters, digits, dots, dashes or slashes"}
	}
	name := strings.TrimSpace(in.Name)
	if name == "" || utf8.RuneCountInString(name) > 100 || !utf8.ValidString(name) {
		return cases.PartPrice{}, fieldError{prefix + "name", "want the part's name, 1 to 100 characters"}
	}
	cents, err := ParsePrice(in.Price.String())
	if err != nil {
		return cases.PartPrice{}, fieldError{prefix + "price_yuan", err.Error()}
	}
	return cases.PartPrice{SKU: sku, Name: name, PriceCents: cents}, nil
}

func partOut(p cases.PartPrice) map[string]any {
	return map[string]any{"sku": p.SKU, "name": p.Name, "price_yuan": cases.Yuan(p.PriceCents)}
}

// listParts is GET /api/v1/parts: the price list by SKU.
func (a *API) listParts(w http.ResponseWriter, r *http.Request) {
	list, err := a.Store.PartPrices(r.Context())
	if !a.ok(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"parts": each(list, partOut)})
}

// postParts is POST /api/v1/parts: lines of the price list added or
// replaced, all or none.
func (a *API) postParts(w http.ResponseWriter, r *http.Request) {
	var in PartsIn
	if !decode(w, r, &in) {
		return
	}
	if len(in.Parts) == 0 || len(in.Parts) > MaxParts {
		writeError(w, http.StatusBadRequest, "invalid", "parts", fmt.Sprintf("want 1 to %d parts", MaxParts))
		return
	}
	prices := make([]cases.PartPrice, 0, len(in.Parts))
	seen := map[string]bool{}
	for i, p := range in.Parts {
		rec, err := p.record(fmt.Sprintf("parts[%d].", i))
		if !a.ok(w, r, err) {
			return
		}
		if seen[rec.SKU] {
			a.ok(w, r, fieldError{fmt.Sprintf("parts[%d].sku", i), rec.SKU + " is twice in the list"})
			return
		}
		seen[rec.SKU] = true
		prices = append(prices, rec)
	}
	err := a.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.PutPartPrices(prices, a.Now()) })
	if !a.ok(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"saved": len(prices), "parts": each(prices, partOut)})
}

// partsCounts is GET /api/v1/parts/counts?month=YYYY-MM: the parts
// issued, returned and charged in the month (PRT-7); the last month when
// none is given.
func (a *API) partsCounts(w http.ResponseWriter, r *http.Request) {
	loc := a.Location
	if loc == nil {
		loc = time.UTC
	}
	month := r.URL.Query().Get("month")
	var from time.Time
	if month == "" {
		now := a.Now().In(loc)
		from = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc).AddDate(0, -1, 0)
	} else {
		t, err := time.ParseInLocation("2006-01", month, loc)
		if err != nil {
			writeError(w, http.StatusBadRequest, "invalid", "month", "want YYYY-MM")
			return
		}
		from = t
	}
	n, err := a.Store.PartsCounted(r.Context(), from, from.AddDate(0, 1, 0))
	if !a.ok(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, PartsCountOut(from.Format("2006-01"), n))
}

// PartsCountOut is a month's parts count in its JSON shape.
func PartsCountOut(month string, n store.PartsCount) map[string]any {
	return map[string]any{"month": month, "issued": n.Issued, "issued_in_warranty": n.IssuedFree, "returned": n.Returned,
		"charged": n.Charged, "charged_yuan": cases.Yuan(n.ChargedCents), "fees_yuan": cases.Yuan(n.FeeCents)}
}

// partsColumns are the columns of a price-list CSV.
var partsColumns = struct{ required, optional []string }{[]string{"sku", "name", "price_yuan"}, nil}

// ImportParts reads a price-list CSV (UTF-8 with or without BOM, or GBK)
// and saves its lines all or nothing; with dryRun it checks and saves
// nothing. A row's problem names its line and column.
func ImportParts(ctx context.Context, db *store.DB, r io.Reader, now time.Time, dryRun bool) (Report, error) {
	rep := Report{Kind: "parts", DryRun: dryRun}
	t, err := readTable(r, partsColumns.required, partsColumns.optional)
	if err != nil {
		return rep, err
	}
	rep.Rows = len(t.rows)
	var prices []cases.PartPrice
	seen := map[string]int{}
	for i := range t.rows {
		row := rowReader{t: t, i: i, line: t.lines[i]}
		p, err := PartIn{SKU: row.s("sku"), Name: row.s("name"), Price: json.Number(row.s("price_yuan"))}.record("")
		var fe fieldError
		if errors.As(err, &fe) {
			row.fail(fe.field, "%s", fe.reason)
			continue
		}
		if first, ok := seen[p.SKU]; ok {
			row.fail("sku", "%s is on line %d already", p.SKU, first)
			continue
		}
		seen[p.SKU] = row.line
		prices = append(prices, p)
	}
	rep.Errors = t.errs
	rep.Records = len(prices)
	if len(rep.Errors) > 0 {
		return rep, ErrRejected
	}
	if dryRun {
		return rep, nil
	}
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.PutPartPrices(prices, now) }); err != nil {
		return rep, fmt.Errorf("backoffice: import parts: %w", err)
	}
	rep.Committed = true
	for _, p := range prices {
		rep.Created = append(rep.Created, p.SKU)
	}
	return rep, nil
}
