package backoffice

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"frontdesk/cases"
	"frontdesk/store"
)

// RowError says what is wrong where: the file's line (the header is line
// 1), the column and why.
type RowError struct {
	Line   int
	Column string
	Reason string
}

func (e RowError) String() string {
	if e.Column == "" {
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("line %d, column %s: %s", e.Line, e.Column, e.Reason)
}

// Report is the outcome of an import.
type Report struct {
	Kind      string
	Rows      int
	Records   int      // orders, shipments, visits or providers in the file
	Created   []string // the keys of new records (tracking numbers, visit ids …)
	DryRun    bool
	Errors    []RowError
	Committed bool
	ImportID  int64    // the recorded import (store.Imports); 0 for a dry run
	Kept      []string // records a rolled-back import could not take back: the desk refers to them meanwhile
}

// ErrRejected is returned when the file has errors: nothing was saved.
var ErrRejected = errors.New("backoffice: the file has errors; nothing was saved")

// MaxImportBytes bounds an import file.
const MaxImportBytes = 64 << 20

// columns of each import, the required ones first.
var columns = map[string]struct{ required, optional []string }{
	"orders": {[]string{"order_no", "customer_name", "phone", "item_name", "quantity", "category"},
		[]string{"paid_on", "promised_delivery", "urgency", "installation_included", "status", "line", "sku", "custom_made",
			"glass", "batch_no", "warranty_months", "delivered_on", "address", "region"}},
	"shipments": {[]string{"order_no", "carrier", "tracking_no", "shipped_on", "expected_arrival"},
		[]string{"carrier_phone", "packages", "pieces", "volume_m3", "freight_fee", "packaging_fee", "contains_glass"}},
	"visits":    {[]string{"visit_id", "order_no", "kind", "completed_at"}, []string{"provider_id", "appointment_at"}},
	"providers": {[]string{"name"}, []string{"region", "regions", "phone", "kind", "prices", "hours"}},
}

// Kinds lists what can be imported.
func Kinds() []string { return []string{"orders", "shipments", "visits", "providers"} }

// Import reads a CSV file (UTF-8 with or without BOM, or GBK as Chinese
// spreadsheets export it) and saves its records all or nothing. With dryRun
// it checks everything, the database's constraints included, and saves
// nothing. It is ImportWith at the store's default pace.
func Import(ctx context.Context, db *store.DB, kind string, r io.Reader, loc *time.Location, now time.Time, dryRun bool) (Report, error) {
	return ImportWith(ctx, db, kind, r, loc, now, Options{DryRun: dryRun})
}

// Options tune an import.
type Options struct {
	DryRun   bool
	FileName string // recorded with the import
	// Pace is how the import shares SQLite's one writer with the desk; the
	// zero value is store.DefaultPace.
	Pace store.Pace
	// Progress, when set, is told after each transaction how far the import
	// got: stage "checking" or "applying" with records done of total, and
	// "applied" once it is complete (before what it held back is
	// released). It runs while the import holds no transaction.
	Progress func(stage string, done, total int)
}

// ImportWith is Import with options. The file is checked whole first, the
// database's constraints included (a shipment of an unknown order), then
// written; both in short transactions at opts.Pace, so that the desk's own
// writes never wait long. All or nothing holds all the same: the import is
// recorded (store.Imports) with what undoes each row, a failure half-way
// (a row the database refuses at last, a cancelled ctx, a full disk) rolls
// it back, and a process that dies half-way has it rolled back at the next
// start. New shipments and visits are held until the import is applied,
// so no notice or survey goes out for one that is rolled back.
func ImportWith(ctx context.Context, db *store.DB, kind string, r io.Reader, loc *time.Location, now time.Time, opts Options) (Report, error) {
	rep := Report{Kind: kind, DryRun: opts.DryRun}
	cols, ok := columns[kind]
	if !ok {
		return rep, fmt.Errorf("backoffice: cannot import %q: want one of %s", kind, strings.Join(Kinds(), ", "))
	}
	t, err := readTable(r, cols.required, cols.optional)
	if err != nil {
		return rep, err
	}
	rep.Rows = len(t.rows)
	var recs []pending
	switch kind {
	case "orders":
		recs = t.orders(loc)
	case "shipments":
		recs = t.each(func(row rowReader) (pending, error) { return row.shipment(loc) })
	case "visits":
		recs = t.each(func(row rowReader) (pending, error) { return row.visit() })
	case "providers":
		recs = t.each(func(row rowReader) (pending, error) { return row.provider() })
	}
	rep.Errors = t.errs
	rep.Records = len(recs)
	if len(rep.Errors) > 0 {
		return rep, ErrRejected
	}
	pace := opts.Pace.OrDefault()
	progress := func(stage string) func(int) {
		return func(done int) {
			if opts.Progress != nil {
				opts.Progress(stage, done, len(recs))
			}
		}
	}

	// One import at a time: the lock is taken before the check, so that a
	// second import does not check its file only to be turned away.
	var run *store.ImportRun
	if !opts.DryRun {
		run, err = db.BeginImport(ctx, store.Import{Kind: kind, FileName: opts.FileName, Rows: rep.Rows, Records: rep.Records}, pace, now)
		if err != nil {
			return rep, fmt.Errorf("backoffice: import %s: %w", kind, err)
		}
		defer run.Close()
		rep.ImportID = run.ID()
	}
	abort := func(reason string, cause error) (Report, error) {
		kept, err := run.Abort(ctx, now, reason)
		rep.Kept = kept
		if err != nil {
			return rep, errors.Join(cause, fmt.Errorf("backoffice: import %s: %w", kind, err))
		}
		return rep, cause
	}

	// Check: every record written in transactions that are rolled back.
	seen := map[string]bool{}
	err = chunks(ctx, pace, len(recs), progress("checking"), db.CheckImport, func(itx *store.ImportTx, i int) error {
		p := recs[i]
		created, err := p.save(itx, now)
		if err != nil {
			if !rowsFault(err) {
				return err // the desk's, not the file's: give up on the whole file
			}
			rep.Errors = append(rep.Errors, RowError{Line: p.line, Reason: cases.ErrorMessage(err)})
			return nil
		}
		if created != "" && !seen[created] {
			seen[created] = true
			rep.Created = append(rep.Created, created)
		}
		return nil
	})
	switch {
	case err != nil && run != nil:
		return abort("stopped while checking: "+err.Error(), fmt.Errorf("backoffice: import %s: %w", kind, err))
	case err != nil:
		return rep, fmt.Errorf("backoffice: import %s: %w", kind, err)
	case len(rep.Errors) > 0 && run != nil:
		return abort(fmt.Sprintf("the file has %d problem(s)", len(rep.Errors)), ErrRejected)
	case len(rep.Errors) > 0:
		return rep, ErrRejected
	case opts.DryRun:
		return rep, nil
	}

	// Apply: the same records for good, each change logged with what
	// undoes it. A row refused now (the database changed since the check)
	// fails its transaction, and the import is rolled back.
	rep.Created = nil
	var refused *RowError
	err = chunks(ctx, pace, len(recs), progress("applying"), run.Stage, func(itx *store.ImportTx, i int) error {
		p := recs[i]
		created, err := p.save(itx, now)
		if err != nil {
			if rowsFault(err) {
				refused = &RowError{Line: p.line, Reason: cases.ErrorMessage(err)}
			}
			return err
		}
		if created != "" {
			rep.Created = append(rep.Created, created)
		}
		return nil
	})
	if err != nil {
		rep.Created = nil
		if refused != nil {
			rep.Errors = append(rep.Errors, *refused)
			return abort(fmt.Sprintf("line %d: %s", refused.Line, refused.Reason), ErrRejected)
		}
		return abort("stopped while applying: "+err.Error(), fmt.Errorf("backoffice: import %s stopped and was rolled back: %w", kind, err))
	}
	if err := run.Apply(ctx, now); err != nil {
		rep.Created = nil
		return abort("could not be marked applied: "+err.Error(), fmt.Errorf("backoffice: import %s: %w", kind, err))
	}
	rep.Committed = true
	progress("applied")(len(recs))
	if err := run.Release(ctx); err != nil {
		return rep, fmt.Errorf("backoffice: import %s: %w", kind, err)
	}
	return rep, nil
}

// chunks runs each(itx, i) for i from 0 to n-1, in transactions that tx
// opens, each taking records until pace says it is full, with pace's rest
// between them; done is told how far it got after each. A failing each
// ends its transaction (tx decides what that means) and the whole run.
func chunks(ctx context.Context, pace store.Pace, n int, done func(int),
	tx func(context.Context, func(*store.ImportTx) error) error, each func(itx *store.ImportTx, i int) error) error {
	var held time.Duration
	for next := 0; next < n; {
		if next > 0 {
			if err := pace.Rest(ctx, held); err != nil {
				return err
			}
		}
		start := next
		var began time.Time
		err := tx(ctx, func(itx *store.ImportTx) error {
			began = time.Now()
			for next < n && (next == start || !pace.Full(began, next-start)) {
				if err := each(itx, next); err != nil {
					return err
				}
				next++
			}
			return nil
		})
		held = time.Since(began) // with the commit
		if err != nil {
			return err
		}
		done(next)
	}
	return nil
}

// rowsFault reports whether a record's error is the file's to fix (a bad
// value, a missing or clashing record), not the desk's (a full disk, a bug).
func rowsFault(err error) bool {
	switch cases.ErrorCode(err) {
	case cases.Invalid, cases.NotFound, cases.Conflict:
		return true
	}
	return false
}

// pending is one record ready to save; save returns its key when it is new.
type pending struct {
	line int
	save func(itx *store.ImportTx, now time.Time) (string, error)
}

type table struct {
	header map[string]int
	rows   [][]string
	lines  []int
	errs   []RowError
}

// readTable decodes the file and checks the header.
func readTable(r io.Reader, required, optional []string) (*table, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxImportBytes+1))
	if err != nil {
		return nil, fmt.Errorf("backoffice: read: %w", err)
	}
	if len(raw) > MaxImportBytes {
		return nil, fmt.Errorf("backoffice: the file is over %d MB; split it", MaxImportBytes>>20)
	}
	raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(raw) {
		if raw, err = simplifiedchinese.GBK.NewDecoder().Bytes(raw); err != nil {
			return nil, fmt.Errorf("backoffice: the file is neither UTF-8 nor GBK: %w", err)
		}
	}
	cr := csv.NewReader(bytes.NewReader(raw))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("backoffice: the file is empty; the first line must name the columns")
	}
	if err != nil {
		return nil, fmt.Errorf("backoffice: line 1: %w", err)
	}
	t := &table{header: map[string]int{}}
	known := map[string]bool{}
	for _, c := range append(append([]string{}, required...), optional...) {
		known[c] = true
	}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if !known[h] {
			t.errs = append(t.errs, RowError{Line: 1, Column: h, Reason: "unknown column; known: " + strings.Join(append(append([]string{}, required...), optional...), ", ")})
			continue
		}
		if _, dup := t.header[h]; dup {
			t.errs = append(t.errs, RowError{Line: 1, Column: h, Reason: "column given twice"})
		}
		t.header[h] = i
	}
	for _, c := range required {
		if _, ok := t.header[c]; !ok {
			t.errs = append(t.errs, RowError{Line: 1, Column: c, Reason: "required column missing"})
		}
	}
	if len(t.errs) > 0 {
		return t, nil
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				t.errs = append(t.errs, RowError{Line: pe.Line, Reason: pe.Err.Error()})
				return t, nil
			}
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != len(header) {
			t.errs = append(t.errs, RowError{Line: line, Reason: fmt.Sprintf("%d cells, the header has %d", len(rec), len(header))})
			continue
		}
		if allEmpty(rec) {
			continue
		}
		t.rows = append(t.rows, rec)
		t.lines = append(t.lines, line)
	}
	if len(t.rows) == 0 && len(t.errs) == 0 {
		t.errs = append(t.errs, RowError{Line: 2, Reason: "no rows under the header"})
	}
	return t, nil
}

func allEmpty(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// rowReader reads typed cells of one row and notes what is wrong.
type rowReader struct {
	t    *table
	i    int
	line int
}

func (r rowReader) s(col string) string {
	i, ok := r.t.header[col]
	if !ok {
		return ""
	}
	return strings.TrimSpace(r.t.rows[r.i][i])
}

func (r rowReader) fail(col, format string, args ...any) {
	r.t.errs = append(r.t.errs, RowError{Line: r.line, Column: col, Reason: fmt.Sprintf(format, args...)})
}

func (r rowReader) int(col string) int {
	s := r.s(col)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		r.fail(col, "%q is not a whole number", s)
	}
	return n
}

func (r rowReader) float(col string) float64 {
	s := r.s(col)
	if s == "" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		r.fail(col, "%q is not a number", s)
	}
	return f
}

func (r rowReader) bool(col string) bool {
	switch strings.ToLower(r.s(col)) {
	case "", "0", "false", "no", "n", "否":
		return false
	case "1", "true", "yes", "y", "是":
		return true
	}
	r.fail(col, "%q: want yes or no", r.s(col))
	return false
}

// fieldFail reports a record's validation error in the column it names.
func (r rowReader) fieldFail(err error, rename map[string]string) {
	var fe fieldError
	if !errors.As(err, &fe) {
		r.fail("", "%s", cases.ErrorMessage(err))
		return
	}
	col := fe.field
	if i := strings.LastIndexByte(col, '.'); i >= 0 {
		col = col[i+1:]
	}
	if n, ok := rename[col]; ok {
		col = n
	}
	r.fail(col, "%s", fe.reason)
}

func (t *table) each(read func(row rowReader) (pending, error)) []pending {
	var out []pending
	for i := range t.rows {
		row := rowReader{t: t, i: i, line: t.lines[i]}
		before := len(t.errs)
		p, err := read(row)
		if err != nil {
			row.fieldFail(err, nil)
			continue
		}
		if len(t.errs) == before {
			p.line = row.line
			out = append(out, p)
		}
	}
	return out
}

var itemPath = regexp.MustCompile(`^items\[(\d+)\]`)

// orders groups the rows (one per item) by order number; the order's own
// columns must agree on every row of it.
func (t *table) orders(loc *time.Location) []pending {
	type group struct {
		in    OrderIn
		lines []int
		first rowReader
	}
	var order []string
	groups := map[string]*group{}
	orderCols := []string{"customer_name", "phone", "paid_on", "promised_delivery", "urgency", "installation_included", "status",
		"delivered_on", "address", "region"}
	for i := range t.rows {
		row := rowReader{t: t, i: i, line: t.lines[i]}
		no := row.s("order_no")
		g, seen := groups[no]
		if !seen {
			g = &group{first: row, in: OrderIn{OrderNo: no, CustomerName: row.s("customer_name"), Phone: row.s("phone"),
				PaidOn: row.s("paid_on"), PromisedDelivery: row.s("promised_delivery"), Urgency: row.s("urgency"),
				InstallationIncluded: row.bool("installation_included"), Status: row.s("status"), DeliveredOn: row.s("delivered_on"),
				Address: row.s("address"), Region: row.s("region")}} // providers.go
			groups[no] = g
			order = append(order, no)
		} else {
			for _, c := range orderCols {
				if row.s(c) != g.first.s(c) {
					row.fail(c, "differs from line %d of the same order", g.first.line)
				}
			}
		}
		g.in.Items = append(g.in.Items, ItemIn{Line: row.int("line"), Name: row.s("item_name"), SKU: row.s("sku"),
			Quantity: row.int("quantity"), Category: row.s("category"), CustomMade: row.bool("custom_made"),
			Glass: row.bool("glass"), BatchNo: row.s("batch_no"), WarrantyMonths: row.int("warranty_months")})
		g.lines = append(g.lines, row.line)
	}
	var out []pending
	for _, no := range order {
		g := groups[no]
		o, err := g.in.record(loc)
		if err != nil {
			row := g.first
			var fe fieldError
			if errors.As(err, &fe) {
				if m := itemPath.FindStringSubmatch(fe.field); m != nil {
					if k, _ := strconv.Atoi(m[1]); k < len(g.lines) {
						row.line = g.lines[k]
					}
				}
			}
			row.fieldFail(err, map[string]string{"name": "item_name"})
			continue
		}
		out = append(out, pending{line: g.first.line, save: func(itx *store.ImportTx, now time.Time) (string, error) {
			_, err := itx.UpsertOrder(o, now)
			return o.No, err
		}})
	}
	return out
}

func (r rowReader) shipment(loc *time.Location) (pending, error) {
	in := ShipmentIn{OrderNo: r.s("order_no"), Carrier: r.s("carrier"), TrackingNo: r.s("tracking_no"),
		CarrierPhone: r.s("carrier_phone"), Packages: r.int("packages"), Pieces: r.int("pieces"), VolumeM3: r.float("volume_m3"),
		FreightFee: r.float("freight_fee"), PackagingFee: r.float("packaging_fee"), ContainsGlass: r.bool("contains_glass"),
		ShippedOn: r.s("shipped_on"), ExpectedArrival: r.s("expected_arrival")}
	s, err := in.record(loc)
	if err != nil {
		return pending{}, err
	}
	return pending{save: func(itx *store.ImportTx, now time.Time) (string, error) {
		created, err := itx.AddShipment(s, now)
		if err != nil || !created {
			return "", err
		}
		return s.TrackingNo, nil
	}}, nil
}

func (r rowReader) visit() (pending, error) {
	in := VisitIn{VisitID: r.s("visit_id"), OrderNo: r.s("order_no"), ProviderID: int64(r.int("provider_id")), Kind: r.s("kind"),
		AppointmentAt: r.s("appointment_at"), CompletedAt: r.s("completed_at")}
	v, err := in.record()
	if err != nil {
		return pending{}, err
	}
	return pending{save: func(itx *store.ImportTx, now time.Time) (string, error) {
		created, err := itx.AddVisit(v)
		if err != nil || !created {
			return "", err
		}
		return v.ID, nil
	}}, nil
}

func (r rowReader) provider() (pending, error) {
	in, err := providerRow(r) // providers.go
	if err != nil {
		return pending{}, err
	}
	p, err := in.record()
	if err != nil {
		return pending{}, err
	}
	return pending{save: func(itx *store.ImportTx, now time.Time) (string, error) {
		_, _, err := itx.UpsertProvider(p)
		return "", err
	}}, nil
}

// ExportCases writes the cases created since `since` (all when zero) as CSV
// that spreadsheets open correctly: UTF-8 with a BOM, one header row, and
// cells that would start a formula defused.
func ExportCases(ctx context.Context, db *store.DB, w io.Writer, since time.Time, loc *time.Location) (int, error) {
	if _, err := w.Write([]byte("\xef\xbb\xbf")); err != nil {
		return 0, err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write(append([]string{"number", "kind", "status", "severity", "order_no", "customer_name", "phone", "classification",
		"remedy", "assignee", "description", "cause", "action", "created_at", "resolved_at"}, intakeHeader()...))
	n := 0
	f := store.CaseFilter{Since: since, Limit: 500}
	for {
		page, err := db.Cases(ctx, f)
		if err != nil {
			return n, err
		}
		for _, c := range page {
			resolved := ""
			if !c.ResolvedAt.IsZero() {
				resolved = c.ResolvedAt.In(loc).Format("2006-01-02 15:04")
			}
			more, err := intakeCells(ctx, db, c)
			if err != nil {
				return n, err
			}
			cw.Write(defuse(append([]string{c.Number, string(c.Kind), string(c.Status), c.Severity, c.OrderNo, c.CustomerName,
				c.Phone, c.Classification, c.Remedy, c.Assignee, c.Description, c.Cause, c.Action,
				c.CreatedAt.In(loc).Format("2006-01-02 15:04"), resolved}, more...)))
			n++
		}
		if len(page) < f.Limit {
			break
		}
		f.Before = page[len(page)-1].ID
	}
	cw.Flush()
	return n, cw.Error()
}

// defuse stops a spreadsheet from running a cell a customer wrote as a
// formula ("=HYPERLINK(…)").
func defuse(cells []string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}
