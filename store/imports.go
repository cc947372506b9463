package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
)

// Imports. Written in one transaction, a back-office file of 100 000 rows
// holds SQLite's one writer for many seconds, and every customer message
// waits. So an import is written in short transactions with rests between
// them, and recorded as one import (the imports table) with a log of what
// undoes each row it wrote (import_changes): all or nothing to the person
// who runs it, and to the customers, whose shipping notices and surveys
// wait until it is applied. Only a reader looking while it runs may see
// part of it.

// ImportStatus is where an import stands.
type ImportStatus string

// The statuses of an import (see migrations/0012_imports.sql).
const (
	ImportStaged     ImportStatus = "staged"
	ImportApplied    ImportStatus = "applied"
	ImportRolledBack ImportStatus = "rolled_back"
)

// Import is one recorded import of a back-office file.
type Import struct {
	ID         int64
	Kind       string // orders, shipments, visits or providers
	FileName   string
	Rows       int // data rows in the file
	Records    int // records in them
	Status     ImportStatus
	Error      string // why it was rolled back
	StartedAt  time.Time
	FinishedAt time.Time
}

// Pace is how an import shares SQLite's one writer with the desk. A
// transaction takes records until it has held the writer for ChunkTime or
// taken ChunkRows, then the import rests for Pause. In this process the
// desk's waiting writes get the writer as soon as a transaction ends; a
// desk in another process polls for it (SQLite's busy handler sleeps 1 to
// 50 ms between tries in its first quarter second, then 100 ms), and the
// rest is what lets one of its tries land. The import also checkpoints the
// write-ahead log after each transaction (checkpoint), so that no commit of
// the desk's has to.
type Pace struct {
	ChunkTime time.Duration
	ChunkRows int
	Pause     time.Duration
}

// DefaultPace keeps a desk write waiting well under a quarter of a second:
// chunks of about 40 ms, and rests of 25 ms, as long as the busy handler's
// widest gap between tries in its first 130 ms, so that a desk in another
// process gets in at the first rest (measured beside a working desk:
// backoffice's BenchmarkImportOrders100kBesideTheDesk).
var DefaultPace = Pace{ChunkTime: 40 * time.Millisecond, ChunkRows: 1000, Pause: 25 * time.Millisecond}

// OrDefault fills the unset fields from DefaultPace; a negative Pause
// means no rest at all.
func (p Pace) OrDefault() Pace {
	if p.ChunkTime <= 0 {
		p.ChunkTime = DefaultPace.ChunkTime
	}
	if p.ChunkRows <= 0 {
		p.ChunkRows = DefaultPace.ChunkRows
	}
	if p.Pause < 0 {
		p.Pause = 0
	} else if p.Pause == 0 {
		p.Pause = DefaultPace.Pause
	}
	return p
}

// Full reports whether a chunk begun at began that has taken n records
// should end.
func (p Pace) Full(began time.Time, n int) bool {
	return n >= p.ChunkRows || time.Since(began) >= p.ChunkTime
}

// busyPollGap is the widest gap between two tries of a connection that
// waits for the writer (SQLite's busy handler, after its first 228 ms).
const busyPollGap = 100 * time.Millisecond

// Rest waits between two chunks, or returns ctx's error when it ends first.
// After a chunk that held the writer for more than twice ChunkTime (the
// machine was busy), it rests for busyPollGap at least: a desk in another
// process that waited all along polls that seldom by now.
func (p Pace) Rest(ctx context.Context, held time.Duration) error {
	pause := p.Pause
	if held > 2*p.ChunkTime && pause > 0 {
		pause = max(pause, busyPollGap)
	}
	if pause <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(pause)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// heldNotice marks the shipping notice of a shipment whose import is not
// applied yet: not NULL, so that nothing sends it (MarkNoticeSent and
// ShipmentsWithoutNotice want NULL), until the import releases it.
const heldNotice = 0

// ImportRun is an import under way. It holds the import lock (one import
// at a time per database file, and a crashed one is known by its lock being
// free), writes through Stage, and ends with Apply and Release, or Abort.
// Close it in every case.
type ImportRun struct {
	db   *DB
	lock *pidLock
	id   int64
	seq  int64
	pace Pace
}

// BeginImport records a new import as staged and returns its run. It
// finishes first what an import that died left behind (see
// RecoverImports). Another import running on the same file is a Conflict.
func (db *DB) BeginImport(ctx context.Context, in Import, pace Pace, now time.Time) (*ImportRun, error) {
	lock, err := lockImports(db.path)
	if err != nil {
		return nil, err
	}
	pace = pace.OrDefault()
	if err := db.finishImports(ctx, pace, now); err != nil {
		lock.release()
		return nil, err
	}
	var id int64
	err = db.Update(ctx, func(tx *Tx) error {
		return tx.queryRow(`INSERT INTO imports (kind, file_name, rows, records, status, started_at)
			VALUES (?, ?, ?, ?, 'staged', ?) RETURNING id`, in.Kind, in.FileName, in.Rows, in.Records, millis(now)).Scan(&id)
	})
	if err != nil {
		lock.release()
		return nil, fmt.Errorf("store: record the import: %w", err)
	}
	return &ImportRun{db: db, lock: lock, id: id, pace: pace}, nil
}

// ID is the import's id.
func (r *ImportRun) ID() int64 { return r.id }

// Stage runs fn in one write transaction whose writes through the ImportTx
// are logged as this import's, to be undone if it does not complete.
func (r *ImportRun) Stage(ctx context.Context, fn func(*ImportTx) error) error {
	seq := r.seq
	err := r.db.Update(ctx, func(tx *Tx) error { return fn(&ImportTx{tx: tx, run: r}) })
	if err != nil {
		r.seq = seq // nothing of it was kept
		return err
	}
	r.db.checkpoint(ctx)
	return nil
}

// checkpoint copies what the write-ahead log holds into the database file,
// as far as it can without waiting for anyone. An import calls it after
// each of its transactions, from a reading connection: left to itself,
// SQLite checkpoints in whichever commit finds the log over 1000 pages,
// and on the desk's one writing connection that commit (with its fsync)
// would keep the desk's next writes waiting. A failure only leaves the
// work to that commit.
func (db *DB) checkpoint(ctx context.Context) {
	db.read.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)")
}

// Apply marks the import applied: from here on it is complete, and what
// Release has not done yet is done at the next start if this process dies.
func (r *ImportRun) Apply(ctx context.Context, now time.Time) error {
	return r.db.Update(ctx, func(tx *Tx) error {
		res, err := tx.exec("UPDATE imports SET status = 'applied', finished_at = ? WHERE id = ? AND status = 'staged'", millis(now), r.id)
		if err != nil {
			return fmt.Errorf("store: apply import %d: %w", r.id, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("store: apply import %d: %w", r.id, cases.Errorf(cases.Conflict, "import %d is no longer staged", r.id))
		}
		return nil
	})
}

// Release lets go of what an applied import held back (the shipping
// notices and arrival days of its shipments, the completion of its visits,
// so that notices and surveys may go out now) and drops its change log. It
// runs to the end even when ctx ends: the import is applied, and a half
// released one would show.
func (r *ImportRun) Release(ctx context.Context) error {
	if _, err := r.db.drain(context.WithoutCancel(ctx), r.id, false, r.pace); err != nil {
		return fmt.Errorf("store: import %d is applied, but releasing its rows stopped (the next start finishes it): %w", r.id, err)
	}
	return nil
}

// Abort undoes every row the import wrote, newest first, and records it as
// rolled back with reason. It runs to the end even when ctx ends. It
// returns the records it could not delete because the desk refers to them
// meanwhile (a case opened on a new order, a survey on a new visit): those
// stay, named in the import's error.
func (r *ImportRun) Abort(ctx context.Context, now time.Time, reason string) (kept []string, err error) {
	return r.db.rollBack(context.WithoutCancel(ctx), r.id, reason, r.pace, now)
}

// Close lets go of the import lock.
func (r *ImportRun) Close() error {
	if r == nil {
		return nil
	}
	return r.lock.release()
}

// CheckImport runs fn in a write transaction that is always rolled back:
// the database's own checks (a shipment of an unknown order) without
// saving anything. A dry run and the check before an import use it.
func (db *DB) CheckImport(ctx context.Context, fn func(*ImportTx) error) error {
	errCheck := errors.New("only checking")
	err := db.Update(ctx, func(tx *Tx) error {
		if err := fn(&ImportTx{tx: tx}); err != nil {
			return err
		}
		return errCheck
	})
	if errors.Is(err, errCheck) {
		return nil
	}
	return err
}

// RecoverImports finishes the imports whose process died: a staged one is
// rolled back, an applied one is released. It does nothing while the
// import lock is held (the import is alive and finishes itself). Open calls
// it, so the next start never shows half an import.
func (db *DB) RecoverImports(ctx context.Context, now time.Time) error {
	var n int
	if err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM imports WHERE status = 'staged'
		OR id IN (SELECT DISTINCT import_id FROM import_changes)`).Scan(&n); err != nil {
		return coded(fmt.Errorf("store: unfinished imports: %w", err))
	}
	if n == 0 {
		return nil
	}
	lock, err := lockImports(db.path)
	if errors.Is(err, errImportRunning) {
		return nil
	}
	if err != nil {
		return err
	}
	defer lock.release()
	return db.finishImports(ctx, DefaultPace, now)
}

// finishImports rolls back the staged imports and releases the applied
// ones that still have a change log. The caller holds the import lock.
func (db *DB) finishImports(ctx context.Context, pace Pace, now time.Time) error {
	rows, err := db.write.QueryContext(ctx, `SELECT id, status FROM imports WHERE status = 'staged'
		OR id IN (SELECT DISTINCT import_id FROM import_changes) ORDER BY id`)
	if err != nil {
		return coded(fmt.Errorf("store: unfinished imports: %w", err))
	}
	type unfinished struct {
		id     int64
		status ImportStatus
	}
	var todo []unfinished
	for rows.Next() {
		var u unfinished
		if err := rows.Scan(&u.id, &u.status); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, u)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, u := range todo {
		if u.status == ImportStaged {
			if _, err := db.rollBack(ctx, u.id, "interrupted: the importing process stopped before the end; rolled back at the next start", pace, now); err != nil {
				return err
			}
			continue
		}
		if _, err := db.drain(ctx, u.id, false, pace); err != nil {
			return fmt.Errorf("store: finish releasing import %d: %w", u.id, err)
		}
	}
	return nil
}

func (db *DB) rollBack(ctx context.Context, id int64, reason string, pace Pace, now time.Time) ([]string, error) {
	kept, err := db.drain(ctx, id, true, pace)
	if err != nil {
		return kept, fmt.Errorf("store: rolling back import %d stopped (the next start finishes it): %w", id, err)
	}
	if len(kept) > 0 {
		reason += fmt.Sprintf("; kept %d record(s) the desk refers to meanwhile: %s", len(kept), strings.Join(kept, ", "))
	}
	err = db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec("UPDATE imports SET status = 'rolled_back', error = ?, finished_at = ? WHERE id = ?", reason, millis(now), id)
		return err
	})
	if err != nil {
		return kept, fmt.Errorf("store: record the rollback of import %d: %w", id, err)
	}
	return kept, nil
}

// change is one entry of an import's change log.
type change struct {
	seq    int64
	table  string
	key    string
	before sql.NullString
	held   sql.NullString
}

// drain works through an import's change log in chunks at pace: newest
// first undoing each change, or oldest first releasing what it held. Each
// handled entry is deleted in the transaction that handled it, so a drain
// cut short goes on where it stopped.
func (db *DB) drain(ctx context.Context, id int64, undo bool, pace Pace) (kept []string, err error) {
	order := "ASC"
	if undo {
		order = "DESC"
	}
	q := "SELECT seq, tbl, row_key, before, held FROM import_changes WHERE import_id = ? ORDER BY seq " + order + " LIMIT ?"
	// Each chunk reads twice as many entries as the last one handled in
	// its time, so that a slow machine does not read a thousand to handle
	// ten.
	var held time.Duration
	limit := min(64, pace.ChunkRows)
	for first := true; ; first = false {
		if !first {
			if err := pace.Rest(ctx, held); err != nil {
				return kept, err
			}
		}
		var chunkKept []string
		done := false
		var began time.Time
		err := db.Update(ctx, func(tx *Tx) error {
			began, chunkKept = time.Now(), nil
			rows, err := tx.tx.QueryContext(ctx, q, id, limit)
			if err != nil {
				return err
			}
			var log []change
			for rows.Next() {
				var c change
				if err := rows.Scan(&c.seq, &c.table, &c.key, &c.before, &c.held); err != nil {
					rows.Close()
					return err
				}
				log = append(log, c)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
			if len(log) == 0 {
				done = true
				return nil
			}
			n := 0
			for _, c := range log {
				if n > 0 && pace.Full(began, n) {
					break
				}
				if undo {
					inUse, err := tx.undo(c)
					if err != nil {
						return fmt.Errorf("store: undo %s %s of import %d: %w", c.table, c.key, id, err)
					}
					if inUse {
						chunkKept = append(chunkKept, strings.TrimSuffix(c.table, "s")+" "+c.key)
					}
				} else if err := tx.release(c); err != nil {
					return fmt.Errorf("store: release %s %s of import %d: %w", c.table, c.key, id, err)
				}
				n++
			}
			limit = min(max(2*n, 16), pace.ChunkRows)
			lo, hi := log[0].seq, log[n-1].seq
			if lo > hi {
				lo, hi = hi, lo
			}
			_, err = tx.exec("DELETE FROM import_changes WHERE import_id = ? AND seq BETWEEN ? AND ?", id, lo, hi)
			return err
		})
		held = time.Since(began)
		if err != nil {
			return kept, err
		}
		db.checkpoint(ctx)
		kept = append(kept, chunkKept...)
		if done {
			return kept, nil
		}
	}
}

// undo puts back the row of one change. A row the import inserted is
// deleted, unless the desk refers to it meanwhile (inUse: it stays).
func (tx *Tx) undo(c change) (inUse bool, err error) {
	if c.table == "orders" && c.before.Valid {
		var img orderImage
		if err := json.Unmarshal([]byte(c.before.String), &img); err != nil {
			return false, err
		}
		return false, tx.restoreOrder(c.key, img)
	}
	var q string
	switch c.table {
	case "orders":
		q = "DELETE FROM orders WHERE order_no = ?" // its items go with it
	case "shipments":
		q = "DELETE FROM shipments WHERE id = ?"
	case "visits":
		q = "DELETE FROM visits WHERE id = ?"
	case "providers":
		q = "DELETE FROM providers WHERE id = ?"
	default:
		return false, fmt.Errorf("unknown table %q", c.table)
	}
	_, err = tx.exec(q, c.key)
	if isForeignKeyViolation(err) {
		return true, nil
	}
	return false, err
}

// release lets go of the values one change held back.
func (tx *Tx) release(c change) error {
	if !c.held.Valid {
		return nil
	}
	switch c.table {
	case "shipments":
		var h heldShipment
		if err := json.Unmarshal([]byte(c.held.String), &h); err != nil {
			return err
		}
		_, err := tx.exec("UPDATE shipments SET notice_sent_at = NULL, expected_arrival = ? WHERE id = ? AND notice_sent_at = ?",
			h.ExpectedArrival, c.key, heldNotice)
		return err
	case "visits":
		var h heldVisit
		if err := json.Unmarshal([]byte(c.held.String), &h); err != nil {
			return err
		}
		_, err := tx.exec("UPDATE visits SET completed_at = ? WHERE id = ? AND completed_at IS NULL", h.CompletedAt, c.key)
		return err
	}
	return fmt.Errorf("nothing is held of %s", c.table)
}

// ImportTx is one transaction of an import: the writes an import makes,
// each logged with what undoes it. When only checking, nothing is logged.
type ImportTx struct {
	tx  *Tx
	run *ImportRun // nil when only checking
}

func (t *ImportTx) log(table, key string, before, held any) error {
	if t.run == nil {
		return nil
	}
	var b, h any
	if before != nil {
		j, err := json.Marshal(before)
		if err != nil {
			return err
		}
		b = string(j)
	}
	if held != nil {
		j, err := json.Marshal(held)
		if err != nil {
			return err
		}
		h = string(j)
	}
	t.run.seq++
	_, err := t.tx.exec("INSERT INTO import_changes (import_id, seq, tbl, row_key, before, held) VALUES (?, ?, ?, ?, ?, ?)",
		t.run.id, t.run.seq, table, key, b, h)
	if err != nil {
		return fmt.Errorf("store: log the import's change of %s %s: %w", table, key, err)
	}
	return nil
}

// orderImage is an order row with its items as they were before an
// import changed it, to be put back exactly.
type orderImage struct {
	CustomerName    string      `json:"customer_name"`
	Phone           string      `json:"phone"`
	PaidOn          string      `json:"paid_on"`
	Deadline        string      `json:"deadline"`
	Urgent          int         `json:"urgent"`
	InstallIncluded int         `json:"install_included"`
	Status          string      `json:"status"`
	DeliveredOn     string      `json:"delivered_on,omitempty"`
	Address         string      `json:"address,omitempty"` // the place (providers.go): put back too
	Region          string      `json:"region,omitempty"`
	CreatedAt       int64       `json:"created_at"`
	UpdatedAt       int64       `json:"updated_at"`
	Items           []itemImage `json:"items"`
}

type itemImage struct {
	ID             int64  `json:"id"`
	Line           int    `json:"line"`
	Name           string `json:"name"`
	SKU            string `json:"sku"`
	Quantity       int    `json:"quantity"`
	Category       string `json:"category"`
	CustomMade     int    `json:"custom_made"`
	Glass          int    `json:"glass"`
	BatchNo        string `json:"batch_no"`
	WarrantyMonths int    `json:"warranty_months"`
}

func (img orderImage) order(no string) Order {
	o := Order{No: no, CustomerName: img.CustomerName, Phone: img.Phone, PaidOn: img.PaidOn, Deadline: img.Deadline,
		Urgent: img.Urgent != 0, InstallIncluded: img.InstallIncluded != 0, Status: config.OrderStatus(img.Status),
		DeliveredOn: img.DeliveredOn, Address: img.Address, Region: img.Region}
	for _, it := range img.Items {
		o.Items = append(o.Items, Item{Line: it.Line, Name: it.Name, SKU: it.SKU, Quantity: it.Quantity,
			Category: config.Category(it.Category), CustomMade: it.CustomMade != 0, Glass: it.Glass != 0, BatchNo: it.BatchNo,
			WarrantyMonths: it.WarrantyMonths})
	}
	return o
}

// readOrderImage reads the order as it is now; found is false when there is
// none.
func (tx *Tx) readOrderImage(no string) (img orderImage, found bool, err error) {
	err = tx.queryRow(`SELECT customer_name, phone, paid_on, deadline, urgent, install_included, status, created_at, updated_at,
		delivered_on, address, region FROM orders WHERE order_no = ?`, no).Scan(&img.CustomerName, &img.Phone, &img.PaidOn, &img.Deadline,
		&img.Urgent, &img.InstallIncluded, &img.Status, &img.CreatedAt, &img.UpdatedAt, &img.DeliveredOn, &img.Address, &img.Region)
	if errors.Is(err, sql.ErrNoRows) {
		return img, false, nil
	}
	if err != nil {
		return img, false, err
	}
	s, err := tx.stmt(`SELECT id, line, name, sku, quantity, category, custom_made, glass, batch_no, warranty_months
		FROM order_items WHERE order_no = ? ORDER BY line`)
	if err != nil {
		return img, false, err
	}
	rows, err := s.QueryContext(tx.ctx, no)
	if err != nil {
		return img, false, err
	}
	defer rows.Close()
	for rows.Next() {
		var it itemImage
		if err := rows.Scan(&it.ID, &it.Line, &it.Name, &it.SKU, &it.Quantity, &it.Category, &it.CustomMade, &it.Glass,
			&it.BatchNo, &it.WarrantyMonths); err != nil {
			return img, false, err
		}
		img.Items = append(img.Items, it)
	}
	return img, true, rows.Err()
}

// restoreOrder puts an order and its items back as they were.
func (tx *Tx) restoreOrder(no string, img orderImage) error {
	_, err := tx.exec(`INSERT INTO orders
		(order_no, customer_name, phone, paid_on, deadline, urgent, install_included, status, created_at, updated_at, delivered_on,
		address, region)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(order_no) DO UPDATE SET customer_name=excluded.customer_name, phone=excluded.phone,
		paid_on=excluded.paid_on, deadline=excluded.deadline, urgent=excluded.urgent, install_included=excluded.install_included,
		status=excluded.status, created_at=excluded.created_at, updated_at=excluded.updated_at, delivered_on=excluded.delivered_on,
		address=excluded.address, region=excluded.region`,
		no, img.CustomerName, img.Phone, img.PaidOn, img.Deadline, img.Urgent, img.InstallIncluded, img.Status,
		img.CreatedAt, img.UpdatedAt, img.DeliveredOn, img.Address, img.Region)
	if err != nil {
		return err
	}
	if _, err := tx.exec("DELETE FROM order_items WHERE order_no = ?", no); err != nil {
		return err
	}
	for _, it := range img.Items {
		args := []any{it.ID, no, it.Line, it.Name, it.SKU, it.Quantity, it.Category, it.CustomMade, it.Glass, it.BatchNo, it.WarrantyMonths}
		_, err := tx.exec(`INSERT INTO order_items (id, order_no, line, name, sku, quantity, category, custom_made, glass,
			batch_no, warranty_months) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args...)
		if isUniqueViolation(err) {
			// Its id went to another item meanwhile: the item comes back
			// under a new one.
			_, err = tx.exec(`INSERT INTO order_items (order_no, line, name, sku, quantity, category, custom_made, glass,
				batch_no, warranty_months) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, args[1:]...)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// UpsertOrder is Tx.UpsertOrder for an import. An order that would not
// change is left alone (changed is false): nothing to write, nothing to
// undo.
func (t *ImportTx) UpsertOrder(o Order, now time.Time) (changed bool, err error) {
	if err := o.Validate(); err != nil {
		return false, err
	}
	img, found, err := t.tx.readOrderImage(o.No)
	if err != nil {
		return false, coded(fmt.Errorf("store: order %s: %w", o.No, err))
	}
	var before any
	if found {
		if SameOrder(img.order(o.No), o) {
			return false, nil
		}
		before = img
	}
	if err := t.log("orders", o.No, before, nil); err != nil {
		return false, coded(err)
	}
	if err := t.tx.UpsertOrder(o, now); err != nil {
		if isUniqueViolation(err) {
			return false, invalid("order %s: two items have the same line number", o.No)
		}
		return false, coded(err)
	}
	return true, nil
}

type heldShipment struct {
	ExpectedArrival string `json:"expected_arrival"`
}

// AddShipment is Tx.AddShipment for an import. A new shipment is held
// until the import is applied: no shipping notice (ShipmentsWithoutNotice
// does not list it) and no arrival day (no arrival question, no late
// shipment), so a customer hears of nothing an import may still undo.
func (t *ImportTx) AddShipment(s Shipment, now time.Time) (created bool, err error) {
	got, created, err := t.tx.AddShipment(s, now)
	if err != nil || !created {
		return false, coded(err)
	}
	if _, err := t.tx.exec("UPDATE shipments SET notice_sent_at = ?, expected_arrival = '' WHERE id = ?", heldNotice, got.ID); err != nil {
		return false, coded(fmt.Errorf("store: hold shipment %s: %w", s.TrackingNo, err))
	}
	if err := t.log("shipments", strconv.FormatInt(got.ID, 10), nil, heldShipment{ExpectedArrival: got.ExpectedArrival}); err != nil {
		return false, coded(err)
	}
	return true, nil
}

type heldVisit struct {
	CompletedAt int64 `json:"completed_at"`
}

// AddVisit is Tx.AddVisit for an import. A new visit is held as not yet
// completed until the import is applied, so no survey asks about it.
func (t *ImportTx) AddVisit(v Visit) (created bool, err error) {
	created, err = t.tx.AddVisit(v)
	if err != nil || !created {
		return false, coded(err)
	}
	var held any
	if !v.CompletedAt.IsZero() {
		if _, err := t.tx.exec("UPDATE visits SET completed_at = NULL WHERE id = ?", v.ID); err != nil {
			return false, coded(fmt.Errorf("store: hold visit %s: %w", v.ID, err))
		}
		held = heldVisit{CompletedAt: millis(v.CompletedAt)}
	}
	if err := t.log("visits", v.ID, nil, held); err != nil {
		return false, coded(err)
	}
	return true, nil
}

// UpsertProvider is Tx.UpsertProvider for an import: a provider with the
// same name and region is kept as it is (created is false).
func (t *ImportTx) UpsertProvider(p cases.Provider) (id int64, created bool, err error) {
	if p.Name == "" {
		return 0, false, invalid("provider: name is empty")
	}
	err = t.tx.queryRow("SELECT id FROM providers WHERE name = ? AND region = ?", p.Name, p.Region).Scan(&id)
	if err == nil {
		return id, false, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, false, coded(fmt.Errorf("store: provider: %w", err))
	}
	if id, err = t.tx.UpsertProvider(p); err != nil {
		return 0, false, coded(err)
	}
	if err := t.log("providers", strconv.FormatInt(id, 10), nil, nil); err != nil {
		return 0, false, coded(err)
	}
	return id, true, nil
}

// Imports returns the recorded imports, newest first.
func (db *DB) Imports(ctx context.Context, limit int) ([]Import, error) {
	if limit <= 0 {
		limit = 50
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, kind, file_name, rows, records, status, error, started_at, finished_at
		FROM imports ORDER BY id DESC LIMIT ?`, limit)
	return collect(rows, err, "imports", func(row scanner) (Import, error) {
		var im Import
		var started int64
		var finished sql.NullInt64
		err := row.Scan(&im.ID, &im.Kind, &im.FileName, &im.Rows, &im.Records, &im.Status, &im.Error, &started, &finished)
		im.StartedAt, im.FinishedAt = fromMillis(started), fromNullMillis(finished)
		return im, err
	})
}

var errImportRunning = errors.New("another import is running")

// lockImports claims the import lock of the database at path, or says
// which process holds it (a Conflict). The claim ends with release or
// with the process, so a free lock with a staged import means its process
// died.
func lockImports(path string) (*pidLock, error) {
	return claim(path+".import.lock", "import", func(pid string) error {
		return fmt.Errorf("store: %w: %w", errImportRunning, cases.Errorf(cases.Conflict,
			"another import (pid %s) is running on %s: wait until it ends", pid, path))
	})
}
