package bot

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/dialogstate"
	"frontdesk/store"
)

// fakeClock is the injected clock of the tests: time moves only when told.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// testRedis connects to the Redis of REDIS_URL (default 127.0.0.1:6379).
// A missing Redis fails the test: the Redis tests are never skipped.
func testRedis(tb testing.TB) *redis.Client {
	tb.Helper()
	url := os.Getenv("REDIS_URL")
	if url == "" {
		url = "redis://127.0.0.1:6379/0"
	}
	opts, err := redis.ParseURL(url)
	if err != nil {
		tb.Fatalf("REDIS_URL: %v", err)
	}
	rdb := redis.NewClient(opts)
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		tb.Fatalf("Redis at %s does not answer (%v): start one, e.g. `redis-server --daemonize yes`", url, err)
	}
	tb.Cleanup(func() { rdb.Close() })
	return rdb
}

// testPrefix gives each test its own Redis keys.
func testPrefix(tb testing.TB) string {
	return fmt.Sprintf("fdtest:%s:%d:", tb.Name(), time.Now().UnixNano())
}

func openStore(tb testing.TB) *store.DB {
	tb.Helper()
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "frontdesk.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func testLimits() conversations.Limits {
	return conversations.Limits{MaxTextBytes: 4096, MaxUploadBytes: 10 << 20, VerifyAttempts: 5, VerifyCooldown: 15 * time.Minute}
}

func testOutboxConfig() config.Outbox {
	return config.Default().Outbox
}

// stateStores are both dialog-state stores over the desk's store db: what
// the desk does must hold with either.
func stateStores(t *testing.T) map[string]func(t *testing.T, db *store.DB, ttl time.Duration) dialogstate.Store {
	return map[string]func(t *testing.T, db *store.DB, ttl time.Duration) dialogstate.Store{
		"redis": func(t *testing.T, _ *store.DB, ttl time.Duration) dialogstate.Store {
			return dialogstate.NewRedis(testRedis(t), testPrefix(t), ttl)
		},
		"embedded": func(t *testing.T, db *store.DB, ttl time.Duration) dialogstate.Store {
			return dialogstate.NewEmbedded(db, ttl, newClock().Now)
		},
	}
}

func newDesk(tb testing.TB, db *store.DB, state dialogstate.Store, clock *fakeClock) *Desk {
	return &Desk{State: state, Store: db, Now: clock.Now, Location: time.UTC, Limits: testLimits(),
		Promises: conversations.DefaultPromises(), Log: quietLog()}
}

func seedOrders(tb testing.TB, db *store.DB, now time.Time) {
	tb.Helper()
	ctx := context.Background()
	orders := []store.Order{
		{No: "SO-1001", CustomerName: "王芳", Phone: "13800001234", Deadline: "2026-12-10", Status: config.OrderShipped,
			Items: []store.Item{{Name: "布艺沙发", Quantity: 1, Category: config.Furniture}}},
		{No: "SO-2001", CustomerName: "李雷", Phone: "13900005678", Status: config.OrderPlaced,
			Items: []store.Item{{Name: "浴室柜", Quantity: 1, Category: config.Bathroom}}},
	}
	for _, o := range orders {
		if err := db.UpsertOrder(ctx, o, now); err != nil {
			tb.Fatal(err)
		}
	}
	_, _, err := db.AddShipment(ctx, store.Shipment{OrderNo: "SO-1001", Carrier: "德邦物流", TrackingNo: "DB123",
		CarrierPhone: "95353", Packages: 2, ShippedOn: "2026-11-24", ExpectedArrival: "2026-11-28"}, now)
	if err != nil {
		tb.Fatal(err)
	}
}
