// Package store keeps the desk's records in SQLite (modernc.org/sqlite, no
// cgo): orders, shipments, cases with their events and photos, visits,
// providers, surveys, the outbox, the audit trail and inbound dedupe.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"frontdesk/cases"
	"frontdesk/internal/fsmode"
)

//go:embed migrations/*.sql
var migrations embed.FS

// ErrNotFound is returned when a record does not exist (code NotFound).
// Errors that name the record wrap it: test with errors.Is.
var ErrNotFound error = &cases.Error{Code: cases.NotFound, Message: "not found"}

// ErrConflict is returned when an optimistic update lost a race (code
// Conflict): the record changed since it was read.
var ErrConflict error = &cases.Error{Code: cases.Conflict, Message: "the record changed meanwhile (version conflict); read it again"}

// DB is the desk's database. SQLite allows one writer at a time, so writes
// go through a pool of exactly one connection (queued in Go, not spinning on
// SQLITE_BUSY), while reads use their own pool and run concurrently under WAL.
type DB struct {
	write *sql.DB
	read  *sql.DB
	path  string

	// Prepared statements, by query text. modernc.org/sqlite parses a query
	// anew on every call, which was a fifth of the desk's CPU per message.
	writeStmts sync.Map
	readStmts  sync.Map

	groupStart sync.Once
	groupCh    chan groupRequest
	groupQuit  chan struct{}
	groupDone  chan struct{}
	closeOnce  sync.Once
	closeErr   error

	outboxFeed outboxFeed // who hears of committed outbox messages (outboxfeed.go)
}

// prepared returns the statement for q on pool, preparing it once.
func prepared(ctx context.Context, pool *sql.DB, cache *sync.Map, q string) (*sql.Stmt, error) {
	if s, ok := cache.Load(q); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := pool.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	if prev, loaded := cache.LoadOrStore(q, s); loaded {
		s.Close()
		return prev.(*sql.Stmt), nil
	}
	return s, nil
}

// query runs a read through a prepared statement.
func (db *DB) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s, err := prepared(ctx, db.read, &db.readStmts, q)
	if err != nil {
		return nil, err
	}
	return s.QueryContext(ctx, args...)
}

// execWrite runs a statement outside a transaction on the write pool
// through a prepared statement: the scheduler's leases, taken and given
// back every minute by every job, were parsed anew each time.
func (db *DB) execWrite(ctx context.Context, q string, args ...any) (sql.Result, error) {
	s, err := prepared(ctx, db.write, &db.writeStmts, q)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(ctx, args...)
}

// queryRow is query for one row; errors surface at Scan.
func (db *DB) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	s, err := prepared(ctx, db.read, &db.readStmts, q)
	if err != nil {
		return db.read.QueryRowContext(ctx, q, args...) // reports the same error at Scan
	}
	return s.QueryRowContext(ctx, args...)
}

// stmt returns q prepared for this transaction. The write pool's one
// connection is busy with the transaction, so a query met for the first
// time is prepared on the transaction alone, and on the pool after it ends
// (Update does that); from then on the transaction reuses the pool's.
func (tx *Tx) stmt(q string) (*sql.Stmt, error) {
	if s, ok := tx.db.writeStmts.Load(q); ok {
		return tx.tx.StmtContext(tx.ctx, s.(*sql.Stmt)), nil
	}
	tx.unprepared = append(tx.unprepared, q)
	return tx.tx.PrepareContext(tx.ctx, q)
}

// prepareWrites prepares on the write pool the queries a transaction met
// for the first time.
func (db *DB) prepareWrites(ctx context.Context, queries []string) {
	for _, q := range queries {
		// A failure only means the next transaction prepares it again.
		prepared(ctx, db.write, &db.writeStmts, q)
	}
}

func (tx *Tx) exec(q string, args ...any) (sql.Result, error) {
	s, err := tx.stmt(q)
	if err != nil {
		return nil, err
	}
	return s.ExecContext(tx.ctx, args...)
}

func (tx *Tx) queryRow(q string, args ...any) *sql.Row {
	s, err := tx.stmt(q)
	if err != nil {
		return tx.tx.QueryRowContext(tx.ctx, q, args...)
	}
	return s.QueryRowContext(tx.ctx, args...)
}

// Open opens (creating if needed) the database file at path and brings its
// schema up to date.
func Open(ctx context.Context, path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := fsmode.MkdirAll(dir); err != nil {
			return nil, fmt.Errorf("store: create data folder: %w", err)
		}
	}
	if err := private(path); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	// busy_timeout: wait for a lock rather than fail at once; WAL: readers do
	// not block the writer; synchronous(NORMAL) is durable across process
	// crashes in WAL mode (only an OS crash may drop the last commits);
	// _txlock=immediate: a write transaction takes the lock when it begins, so
	// a read-then-write transaction cannot fail half-way with SQLITE_BUSY.
	pragmas := "_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)"
	base := "file:" + (&url.URL{Path: path}).EscapedPath()
	write, err := sql.Open("sqlite", base+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	read, err := sql.Open("sqlite", base+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	read.SetMaxOpenConns(8)
	// Keep them all open: database/sql keeps two idle by default, and each
	// connection opened again reads and parses the whole schema and
	// prepares its statements anew (a fifth of the desk's CPU under load).
	read.SetMaxIdleConns(8)
	db := &DB{write: write, read: read, path: path,
		groupCh: make(chan groupRequest), groupQuit: make(chan struct{}), groupDone: make(chan struct{})}
	if err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// An import whose process died is finished before anyone reads.
	if err := db.RecoverImports(ctx, time.Now()); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// private makes the database file, and its -wal and -shm files when they
// exist, readable by the desk's user only (0600, whatever the umask): they
// hold the customers' records. SQLite makes -wal and -shm with the mode of
// the database file, so the file is made (or tightened) before it opens.
func private(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, fsmode.File)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := fsmode.Private(p); err != nil {
			return err
		}
	}
	return nil
}

// Close closes both pools and their prepared statements.
// Closing twice is harmless.
func (db *DB) Close() error {
	db.closeOnce.Do(func() {
		db.stopGroup()
		for _, cache := range []*sync.Map{&db.readStmts, &db.writeStmts} {
			cache.Range(func(_, s any) bool { s.(*sql.Stmt).Close(); return true })
		}
		db.closeErr = errors.Join(db.read.Close(), db.write.Close())
	})
	return db.closeErr
}

// Path is the database file.
func (db *DB) Path() string { return db.path }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	var one int
	if err := db.read.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return coded(fmt.Errorf("store: ping: %w", err))
	}
	return nil
}

// Migrate applies every embedded migration that has not been applied yet,
// each in its own transaction, and refuses a database that has migrations
// this build does not know (it was written by a newer desk).
func (db *DB) Migrate(ctx context.Context) error {
	if _, err := db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrations table: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(names)
	known := map[string]bool{}
	for _, n := range names {
		known[filepath.Base(n)] = true
	}
	applied, err := db.appliedMigrations(ctx)
	if err != nil {
		return err
	}
	for name := range applied {
		if !known[name] {
			return fmt.Errorf("store: the database has migration %s that this build does not know; run a newer frontdesk", name)
		}
	}
	for _, n := range names {
		name := filepath.Base(n)
		if applied[name] {
			continue
		}
		body, err := migrations.ReadFile(n)
		if err != nil {
			return err
		}
		if err := db.applyMigration(ctx, name, string(body)); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) appliedMigrations(ctx context.Context) (map[string]bool, error) {
	rows, err := db.write.QueryContext(ctx, "SELECT name FROM schema_migrations")
	if err != nil {
		return nil, fmt.Errorf("store: read migrations: %w", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out[n] = true
	}
	return out, rows.Err()
}

func (db *DB) applyMigration(ctx context.Context, name, body string) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: migration %s: %w", name, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, body); err != nil {
		return fmt.Errorf("store: migration %s: %w", name, err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)",
		name, time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("store: record migration %s: %w", name, err)
	}
	return tx.Commit()
}

// Migrations lists the applied migrations in order; `frontdesk migrate`
// prints them.
func (db *DB) Migrations(ctx context.Context) ([]string, error) {
	applied, err := db.appliedMigrations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(applied))
	for n := range applied {
		out = append(out, n)
	}
	sort.Strings(out)
	return out, nil
}

// Tx is one write transaction. Everything a single inbound message causes
// (case opened, events, outbound messages) is written through one Tx.
type Tx struct {
	tx         *sql.Tx
	ctx        context.Context
	db         *DB
	unprepared []string
	enqueued   []OutboxMessage // written by Enqueue, for the outbox feed (outboxfeed.go)
}

// Update runs fn in a write transaction, committing when fn returns nil and
// rolling back otherwise. A driver error, from fn or the commit, comes
// out with its code (see coded): a full disk is Unavailable.
func (db *DB) Update(ctx context.Context, fn func(*Tx) error) error {
	sqlTx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return coded(fmt.Errorf("store: begin: %w", err))
	}
	tx := &Tx{tx: sqlTx, ctx: ctx, db: db}
	defer func() { db.prepareWrites(ctx, tx.unprepared) }()
	if err := fn(tx); err != nil {
		sqlTx.Rollback()
		return coded(err)
	}
	if err := sqlTx.Commit(); err != nil {
		return coded(fmt.Errorf("store: commit: %w", err))
	}
	db.committed(tx.enqueued)
	return nil
}

func millis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func nullMillis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func fromNullMillis(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMillis(v.Int64)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Context is the context the transaction runs under.
func (tx *Tx) Context() context.Context { return tx.ctx }

// scanner is a row to scan: *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// collect reads every row of a query with scan and closes the rows; what
// names the query in errors.
func collect[T any](rows *sql.Rows, err error, what string, scan func(scanner) (T, error)) ([]T, error) {
	if err != nil {
		return nil, coded(fmt.Errorf("store: %s: %w", what, err))
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, coded(fmt.Errorf("store: %s: %w", what, err))
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, coded(fmt.Errorf("store: %s: %w", what, err))
	}
	return out, nil
}

// change runs one statement in a write transaction of its own; what names
// it in errors.
func (db *DB) change(ctx context.Context, what, q string, args ...any) error {
	err := db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(q, args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}
