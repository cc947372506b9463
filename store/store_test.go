package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
)

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// MustOpen opens a fresh database in a temp folder, closed when the test
// ends. (The tests of other packages use testkit.OpenStore, which this
// package's own tests cannot import.)
func MustOpen(tb testing.TB) *DB {
	tb.Helper()
	return mustOpenAt(tb, filepath.Join(tb.TempDir(), "frontdesk.db"))
}

// mustOpenAt opens the database at path (again, for a restart), closed
// when the test ends.
func mustOpenAt(tb testing.TB, path string) *DB {
	tb.Helper()
	db, err := Open(context.Background(), path)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, shanghai)

func sofaOrder(no, phone string) Order {
	return Order{
		No: no, CustomerName: "王芳", Phone: phone, PaidOn: "2026-11-01", Deadline: "2026-12-10",
		InstallIncluded: true, Status: config.OrderShipped,
		Items: []Item{
			{Name: "布艺沙发", SKU: "SF-300", Quantity: 1, Category: config.Furniture, WarrantyMonths: 36},
			{Name: "玻璃茶几", SKU: "TB-120", Quantity: 1, Category: config.Furniture, Glass: true, WarrantyMonths: 12},
		},
	}
}

func TestMigrateIsIdempotentAndRefusesUnknownSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fd.db")
	db := mustOpenAt(t, path)
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	names, _ := db.Migrations(ctx)
	if len(names) == 0 || names[0] != "0001_init.sql" {
		t.Fatalf("applied = %v", names)
	}
	if _, err := db.write.Exec("INSERT INTO schema_migrations(name, applied_at) VALUES ('9999_future.sql', 0)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := Open(ctx, path); err == nil || !contains(err.Error(), "9999_future.sql") {
		t.Fatalf("opening a newer schema: err = %v", err)
	}
}

func TestOrderRoundTripAndPhoneLookup(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	if err := db.UpsertOrder(ctx, sofaOrder("SO-1001", "+86 138-0000-1234"), t0); err != nil {
		t.Fatal(err)
	}
	o, err := db.Order(ctx, "SO-1001")
	if err != nil {
		t.Fatal(err)
	}
	if o.Phone != "13800001234" || len(o.Items) != 2 || !o.Items[1].Glass || o.Items[0].WarrantyMonths != 36 {
		t.Fatalf("order read back wrong: %+v", o)
	}
	// An upsert replaces the items rather than adding to them.
	changed := sofaOrder("SO-1001", "13800001234")
	changed.Items = changed.Items[:1]
	changed.Status = config.OrderDelivered
	if err := db.UpsertOrder(ctx, changed, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	o, _ = db.Order(ctx, "SO-1001")
	if len(o.Items) != 1 || o.Status != config.OrderDelivered {
		t.Fatalf("after upsert: %+v", o)
	}
	if err := db.UpsertOrder(ctx, sofaOrder("SO-2001", "13900005678"), t0); err != nil {
		t.Fatal(err)
	}
	mine, err := db.OrdersByPhone(ctx, "138 0000 1234")
	if err != nil || len(mine) != 1 || mine[0].No != "SO-1001" {
		t.Fatalf("orders by phone = %v, %v", mine, err)
	}
	if _, err := db.Order(ctx, "SO-404"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing order: err = %v", err)
	}
}

func TestBadOrdersAreRefusedWhole(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	bad := []Order{
		{},
		{No: "X", CustomerName: "a", Phone: "12"},
		{No: "X", CustomerName: "a", Phone: "13800001234", Deadline: "10/12/2026"},
		{No: "X", CustomerName: "a", Phone: "13800001234", Deadline: "2026-02-30"},
		{No: "X", CustomerName: "a", Phone: "13800001234", Status: "lost"},
		{No: "X", CustomerName: "a", Phone: "13800001234", Items: []Item{{Name: "a", Quantity: 0, Category: config.Furniture}}},
		{No: "X", CustomerName: "a", Phone: "13800001234", Items: []Item{{Name: "a", Quantity: 1, Category: "toys"}}},
	}
	for i, o := range bad {
		if err := db.UpsertOrder(ctx, o, t0); err == nil {
			t.Errorf("order %d accepted: %+v", i, o)
		}
	}
	if _, err := db.Order(ctx, "X"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("a refused order was half-saved: %v", err)
	}
}

func TestShipmentIsRecordedOnce(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	if err := db.UpsertOrder(ctx, sofaOrder("SO-1001", "13800001234"), t0); err != nil {
		t.Fatal(err)
	}
	s := Shipment{OrderNo: "SO-1001", Carrier: "德邦物流", TrackingNo: "DB123", CarrierPhone: "95353", Packages: 3,
		Pieces: 5, VolumeM3: 2.4, FreightFeeCents: 30000, PackagingFeeCents: 5000, ContainsGlass: true,
		ShippedOn: "2026-11-24", ExpectedArrival: "2026-11-28"}
	first, created, err := db.AddShipment(ctx, s, t0)
	if err != nil || !created {
		t.Fatalf("first add: %v created=%v", err, created)
	}
	again, created, err := db.AddShipment(ctx, s, t0.Add(time.Minute))
	if err != nil || created || again.ID != first.ID {
		t.Fatalf("retry: %v created=%v id %d vs %d", err, created, again.ID, first.ID)
	}
	list, _ := db.ShipmentsByOrder(ctx, "SO-1001")
	if len(list) != 1 || list[0].VolumeM3 != 2.4 || !list[0].ContainsGlass {
		t.Fatalf("shipments = %+v", list)
	}
	s.TrackingNo, s.OrderNo = "DB999", "SO-404"
	if _, _, err := db.AddShipment(ctx, s, t0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("shipment for unknown order: %v", err)
	}
}

func TestCaseNumbersCountPerShopDay(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	open := func(at time.Time) string {
		var c cases.Case
		err := db.Update(ctx, func(tx *Tx) (err error) {
			c, err = tx.OpenCase(cases.Case{Kind: config.KindInquiry, Phone: "13800001234"}, at, shanghai)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return c.Number
	}
	got := []string{
		open(t0), open(t0.Add(time.Hour)),
		// 23:30 UTC on the 24th is already the 25th in Shanghai.
		open(time.Date(2026, 11, 24, 23, 30, 0, 0, time.UTC)),
	}
	want := []string{"AS-20261124-0001", "AS-20261124-0002", "AS-20261125-0001"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("case %d number = %s, want %s", i, got[i], want[i])
		}
	}
}

func TestCaseNumbersAreUniqueUnderConcurrency(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	var mu sync.Mutex
	seen := map[string]bool{}
	var wg sync.WaitGroup
	for i := 0; i < 40; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := db.Update(ctx, func(tx *Tx) error {
				c, err := tx.OpenCase(cases.Case{Kind: config.KindComplaint}, t0, shanghai)
				if err == nil {
					mu.Lock()
					seen[c.Number] = true
					mu.Unlock()
				}
				return err
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if len(seen) != 40 || !seen["AS-20261124-0040"] {
		t.Fatalf("got %d distinct numbers", len(seen))
	}
}

func TestFailedTransactionLeavesNothing(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	boom := errors.New("boom")
	err := db.Update(ctx, func(tx *Tx) error {
		c, err := tx.OpenCase(cases.Case{Kind: config.KindInquiry, Phone: "13800001234"}, t0, shanghai)
		if err != nil {
			return err
		}
		if _, err := tx.Enqueue(OutboxMessage{Channel: "web", Recipient: "s1", Payload: []byte(`{}`), CaseID: c.ID}, t0); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	cases, _ := db.CasesByPhone(ctx, "13800001234", false)
	n, _ := db.OutboxBacklog(ctx)
	if len(cases) != 0 || n != 0 {
		t.Fatalf("rolled back transaction left %d cases, %d outbox rows", len(cases), n)
	}
}

// rule: MGR-4
func TestCaseHistoryAndAuditTrail(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	if err := db.UpsertOrder(ctx, sofaOrder("SO-1001", "13800001234"), t0); err != nil {
		t.Fatal(err)
	}
	var c cases.Case
	err := db.Update(ctx, func(tx *Tx) (err error) {
		if c, err = tx.OpenCase(cases.Case{Kind: config.KindTransportDamage, OrderNo: "SO-1001", Phone: "13800001234"}, t0, shanghai); err != nil {
			return err
		}
		pid, err := tx.AddPhoto(Photo{CaseID: c.ID, SHA256: "ab", MIME: "image/jpeg", Size: 10, Step: "closeup", CreatedAt: t0})
		if err != nil {
			return err
		}
		if _, err := tx.AddCaseEvent(CaseEvent{CaseID: c.ID, At: t0, Actor: "customer", Kind: "message_in", Body: "腿断了", PhotoID: pid}); err != nil {
			return err
		}
		return tx.Audit(AuditEntry{At: t0, Actor: "bot", Action: "opened", Subject: c.Number, Detail: "transport_damage"})
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := db.CaseByNumber(ctx, c.Number)
	if err != nil || got.OrderNo != "SO-1001" || got.Status != cases.Open || !got.CreatedAt.Equal(t0) {
		t.Fatalf("case = %+v, %v", got, err)
	}
	events, _ := db.CaseEvents(ctx, c.ID)
	trail, _ := db.AuditTrail(ctx, c.Number)
	if len(events) != 1 || events[0].PhotoID == 0 || len(trail) != 1 || trail[0].Actor != "bot" {
		t.Fatalf("events %+v trail %+v", events, trail)
	}
	if _, err := db.CaseByNumber(ctx, "AS-19990101-0001"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("missing case: %v", err)
	}
}

func TestOutboxDeliversInOrderPerRecipient(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	enqueue := func(recipient string) int64 {
		var id int64
		err := db.Update(ctx, func(tx *Tx) (err error) {
			id, err = tx.Enqueue(OutboxMessage{Channel: "web", Recipient: recipient, Payload: []byte(`{"text":"x"}`)}, t0)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	a1, a2, b1 := enqueue("a"), enqueue("a"), enqueue("b")
	due, _ := db.DueOutbox(ctx, t0, 10)
	if len(due) != 2 || due[0].ID != a1 || due[1].ID != b1 {
		t.Fatalf("due = %+v", due)
	}
	// a1 waits for a retry: a2 must not overtake it.
	if err := db.MarkRetry(ctx, a1, t0.Add(time.Minute), "503"); err != nil {
		t.Fatal(err)
	}
	due, _ = db.DueOutbox(ctx, t0, 10)
	if len(due) != 1 || due[0].ID != b1 {
		t.Fatalf("due while a1 waits = %+v", due)
	}
	next, ok, _ := db.NextOutboxAttempt(ctx)
	if !ok || !next.Equal(t0) {
		t.Fatalf("next attempt = %v %v", next, ok)
	}
	if err := db.MarkSent(ctx, b1, t0); err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSent(ctx, b1, t0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("marking a sent message again: %v", err)
	}
	due, _ = db.DueOutbox(ctx, t0.Add(time.Minute), 10)
	if len(due) != 1 || due[0].ID != a1 || due[0].Attempts != 1 || due[0].LastError != "503" {
		t.Fatalf("due after the wait = %+v", due)
	}
	if err := db.MarkDead(ctx, a1, "gone", t0); err != nil {
		t.Fatal(err)
	}
	due, _ = db.DueOutbox(ctx, t0.Add(time.Minute), 10)
	if len(due) != 1 || due[0].ID != a2 {
		t.Fatalf("after a1 died, a2 is next: %+v", due)
	}
	after, _ := db.OutboxAfter(ctx, "web", "a", 0, 10)
	if len(after) != 1 || after[0].ID != a2 {
		t.Fatalf("a dead message is not shown to the chat: %+v", after)
	}
	backlog, _ := db.OutboxBacklog(ctx)
	if backlog != 1 {
		t.Fatalf("backlog = %d", backlog)
	}
}

func TestInboundDedupe(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	mark := func() error {
		return db.Update(ctx, func(tx *Tx) error { return tx.MarkInbound("telegram", "42", t0) })
	}
	if err := mark(); err != nil {
		t.Fatal(err)
	}
	if err := mark(); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("second mark: %v", err)
	}
	if seen, _ := db.InboundSeen(ctx, "telegram", "42"); !seen {
		t.Fatal("not seen")
	}
	if n, _ := db.PurgeInbound(ctx, t0.Add(time.Hour)); n != 1 {
		t.Fatalf("purged %d", n)
	}
	if err := mark(); err != nil {
		t.Fatalf("after purge: %v", err)
	}
}

func TestDialogStateVersions(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	if err := db.SaveDialog(ctx, "k", []byte("one"), 0, t0, time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveDialog(ctx, "k", []byte("stale"), 0, t0, time.Hour); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale save: %v", err)
	}
	data, v, _ := db.LoadDialog(ctx, "k", t0)
	if string(data) != "one" || v != 1 {
		t.Fatalf("load = %q v%d", data, v)
	}
	if data, v, _ = db.LoadDialog(ctx, "k", t0.Add(2*time.Hour)); data != nil || v != 0 {
		t.Fatalf("expired key loads as %q v%d", data, v)
	}
	if n, _ := db.PurgeDialogs(ctx, t0.Add(2*time.Hour)); n != 1 {
		t.Fatalf("purged %d", n)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
