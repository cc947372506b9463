// Package testkit is the one way the tests of every package open a real
// store, reach a real Redis, move a clock, build a desk, seed the records
// they share and deliver the outbox. It is imported by tests only.
//
//	desk := testkit.NewDesk(t, testkit.WithRedis())
//	desk.Seed().Orders()
//	out := desk.Outbox(map[string]outbox.Channel{"web": testkit.NewRecorder()})
//	… desk.Handle(ctx, in) …
//	out.Deliver()
//
// What does not need the desk lives in testkit/base, which the tests of
// the desk's own packages (bot's neighbours dialogstate and outbox) import
// directly: this package imports them. The names below are the same.
package testkit

import (
	"bytes"
	"image"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"frontdesk/internal/testkit/base"
	"frontdesk/store"
)

// Buffer is an io.Writer (a log, a program's output) that the test can
// read while other goroutines write to it.
type Buffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *Buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String is what was written so far.
func (l *Buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Count counts the times x stands in xs.
func Count[T comparable](xs []T, x T) int { return base.Count(xs, x) }

// Clock is the fake clock of the tests (see base.Clock).
type Clock = base.Clock

// Start is where a test clock starts unless told otherwise.
var Start = base.Start

// StoreFile is the name of the store's file in its folder.
const StoreFile = base.StoreFile

// RedisInstall is what a machine without Redis needs.
const RedisInstall = base.RedisInstall

// NewClock returns a clock at Start.
func NewClock() *Clock { return base.NewClock() }

// ClockAt returns a clock at t.
func ClockAt(t time.Time) *Clock { return base.ClockAt(t) }

// OpenStore opens a new store in the test's temporary folder, closed when
// the test ends.
func OpenStore(tb testing.TB) *store.DB { tb.Helper(); return base.OpenStore(tb) }

// ReopenStore opens the store at path (a restart), closed when the test
// ends.
func ReopenStore(tb testing.TB, path string) *store.DB {
	tb.Helper()
	return base.ReopenStore(tb, path)
}

// Log is a logger that writes nowhere.
func Log() *slog.Logger { return base.Log() }

// RedisURL is the address of a Redis for the tests (see base.RedisURL).
func RedisURL(tb testing.TB) string { tb.Helper(); return base.RedisURL(tb) }

// Redis returns a client of RedisURL, closed when the test ends.
func Redis(tb testing.TB) *redis.Client { tb.Helper(); return base.Redis(tb) }

// RedisPrefix gives each test its own Redis keys.
func RedisPrefix(tb testing.TB) string { return base.RedisPrefix(tb) }

// PNG is a small picture; pictures of different shades differ.
func PNG(shade byte) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Pix[0] = shade
	img.Pix[3] = 0xff // opaque: a transparent pixel is encoded as black whatever its shade
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// Serve serves what routes registers on a test HTTP server, closed when
// the test ends.
func Serve(tb testing.TB, routes func(mux *http.ServeMux)) *httptest.Server {
	mux := http.NewServeMux()
	routes(mux)
	srv := httptest.NewServer(mux)
	tb.Cleanup(srv.Close)
	return srv
}
