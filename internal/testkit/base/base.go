// Package base is the part of the test kit that knows nothing of the desk:
// a fake clock, a real SQLite store in a temporary folder, a real Redis and
// a quiet logger. The tests of the desk's own parts (package bot's
// neighbours internal/dialogstate and internal/outbox, which the desk and
// the kit import) use it directly; every other test reaches the same
// things through frontdesk/internal/testkit.
package base

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"frontdesk/store"
)

// Start is where a test clock starts unless told otherwise: a Tuesday
// morning inside the shop's opening hours.
var Start = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// Clock is the injected clock of the tests: time moves only when told. It
// is safe for concurrent use (the outbox sender, pollers and the test read
// it at once).
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock at Start.
func NewClock() *Clock { return ClockAt(Start) }

// ClockAt returns a clock at t.
func ClockAt(t time.Time) *Clock { return &Clock{t: t} }

// Now is the clock's time; pass the method where a func() time.Time is
// wanted.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// Set puts the clock at t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// StoreFile is the name of the store's file in its folder, as serve names
// it in the data folder.
const StoreFile = "frontdesk.db"

// OpenStore opens a new store in a file of the test's own temporary
// folder, migrated, and closes it when the test ends.
func OpenStore(tb testing.TB) *store.DB {
	tb.Helper()
	return ReopenStore(tb, filepath.Join(tb.TempDir(), StoreFile))
}

// ReopenStore opens the store at path (a file another store, or a
// frontdesk process, wrote before: a restart) and closes it when the test
// ends. Closing it earlier is fine.
func ReopenStore(tb testing.TB, path string) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// Log is a logger that writes nowhere.
func Log() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// Count counts the times x stands in xs.
func Count[T comparable](xs []T, x T) int {
	n := 0
	for _, y := range xs {
		if y == x {
			n++
		}
	}
	return n
}
