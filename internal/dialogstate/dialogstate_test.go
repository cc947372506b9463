package dialogstate

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"frontdesk/conversations"
	"frontdesk/internal/testkit/base"
	"frontdesk/store"
)

// stateHarness is one Store under the contract, with the store it copies
// and a way to let its time to live pass.
type stateHarness struct {
	store   Store
	db      *store.DB
	now     func() time.Time
	passTTL func()
}

// save commits st as the desk does: in a store transaction with a version
// check, then kept in the fast copy.
func (h stateHarness) save(ctx context.Context, key string, st conversations.State, version int64) error {
	data, err := json.Marshal(st)
	if err != nil {
		return err
	}
	err = h.db.Update(ctx, func(tx *store.Tx) error { return tx.SaveDialog(key, data, version, h.now(), h.store.TTL()) })
	if err != nil {
		return err
	}
	return h.store.Keep(ctx, key, st, version+1)
}

// load reads as the desk does: the copy, or the store when the copy has
// nothing (or must be fresh).
func (h stateHarness) load(ctx context.Context, key string, fresh bool) (conversations.State, int64, error) {
	st, v, err := h.store.Load(ctx, key)
	if err != nil || !h.store.Cached() || (v > 0 && !fresh) {
		return st, v, err
	}
	data, v, err := h.db.LoadDialog(ctx, key, h.now())
	if err != nil || data == nil {
		return conversations.State{}, 0, err
	}
	var stored conversations.State
	return stored, v, json.Unmarshal(data, &stored)
}

func stateStores(t *testing.T) map[string]func(t *testing.T, ttl time.Duration) stateHarness {
	return map[string]func(t *testing.T, ttl time.Duration) stateHarness{
		"redis": func(t *testing.T, ttl time.Duration) stateHarness {
			s := NewRedis(base.Redis(t), base.RedisPrefix(t), ttl)
			clock := base.NewClock()
			// Redis expires keys on its own clock; the contract uses a
			// sub-second TTL there and waits it out (the store's copy
			// expires by the fake clock).
			return stateHarness{store: s, db: base.OpenStore(t), now: clock.Now,
				passTTL: func() { time.Sleep(ttl + 100*time.Millisecond); clock.Advance(ttl + time.Second) }}
		},
		"embedded": func(t *testing.T, ttl time.Duration) stateHarness {
			clock := base.NewClock()
			db := base.OpenStore(t)
			s := NewEmbedded(db, ttl, clock.Now)
			return stateHarness{store: s, db: db, now: clock.Now, passTTL: func() { clock.Advance(ttl + time.Second) }}
		},
	}
}

// TestStateStoreContract runs the same checks against Redis and the
// embedded store.
func TestStateStoreContract(t *testing.T) {
	for name, open := range stateStores(t) {
		t.Run(name, func(t *testing.T) {
			t.Run("missing key is version 0", func(t *testing.T) {
				h := open(t, time.Hour)
				st, v, err := h.store.Load(context.Background(), "web:nobody")
				if err != nil || v != 0 || st.Flow != "" {
					t.Fatalf("Load = %+v v%d %v", st, v, err)
				}
			})
			t.Run("round trip and versions", func(t *testing.T) { contractRoundTrip(t, open(t, time.Hour)) })
			t.Run("stale save conflicts", func(t *testing.T) { contractConflict(t, open(t, time.Hour)) })
			t.Run("an older version never replaces a newer", func(t *testing.T) { contractNewerWins(t, open(t, time.Hour)) })
			t.Run("expires after ttl", func(t *testing.T) { contractTTL(t, open(t, 300*time.Millisecond)) })
			t.Run("concurrent updates are not lost", func(t *testing.T) { contractConcurrent(t, open(t, time.Hour)) })
			t.Run("ping", func(t *testing.T) {
				if err := open(t, time.Hour).store.Ping(context.Background()); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}

func contractRoundTrip(t *testing.T, h stateHarness) {
	s := h.store
	ctx := context.Background()
	locked := time.Date(2026, 11, 24, 10, 15, 0, 0, time.UTC)
	want := conversations.State{Lang: conversations.ZhHant, Flow: "verify", Step: "phone4", OrderNo: "SO-1",
		Verified: &conversations.Identity{Phone: "13800001234", Name: "王芳"}, Failures: 2, LockedUntil: locked}
	if err := h.save(ctx, "web:a", want, 0); err != nil {
		t.Fatal(err)
	}
	got, v, err := s.Load(ctx, "web:a")
	if err != nil || v != 1 {
		t.Fatalf("Load v%d %v", v, err)
	}
	if got.Lang != want.Lang || got.Step != want.Step || got.Verified == nil || got.Verified.Name != "王芳" ||
		!got.LockedUntil.Equal(locked) || got.Failures != 2 {
		t.Fatalf("round trip: %+v", got)
	}
	if err := h.save(ctx, "web:a", got, v); err != nil {
		t.Fatal(err)
	}
	if _, v, _ := s.Load(ctx, "web:a"); v != 2 {
		t.Fatalf("version after second save = %d", v)
	}
	if _, v, _ := s.Load(ctx, "web:b"); v != 0 {
		t.Fatalf("another key shares the version: %d", v)
	}
}

func contractConflict(t *testing.T, h stateHarness) {
	s := h.store
	ctx := context.Background()
	if err := h.save(ctx, "web:a", conversations.State{Flow: "one"}, 0); err != nil {
		t.Fatal(err)
	}
	if err := h.save(ctx, "web:a", conversations.State{Flow: "two"}, 0); !errors.Is(err, ErrConflict) {
		t.Fatalf("stale save: %v", err)
	}
	if err := h.save(ctx, "web:a", conversations.State{Flow: "two"}, 7); !errors.Is(err, ErrConflict) {
		t.Fatalf("future version: %v", err)
	}
	if st, _, _ := s.Load(ctx, "web:a"); st.Flow != "one" {
		t.Fatalf("a conflicting save changed the state: %+v", st)
	}
}

func contractTTL(t *testing.T, h stateHarness) {
	ctx := context.Background()
	if err := h.save(ctx, "web:a", conversations.State{Flow: "x"}, 0); err != nil {
		t.Fatal(err)
	}
	h.passTTL()
	st, v, err := h.store.Load(ctx, "web:a")
	if err != nil || v != 0 || st.Flow != "" {
		t.Fatalf("after the ttl: %+v v%d %v", st, v, err)
	}
	if err := h.save(ctx, "web:a", conversations.State{Flow: "y"}, 0); err != nil {
		t.Fatalf("saving over an expired key: %v", err)
	}
}

// contractConcurrent has many goroutines increment one counter in one
// customer's state with load–modify–save and retry on conflict: every
// increment must survive.
func contractConcurrent(t *testing.T, h stateHarness) {
	const workers, each = 16, 25
	ctx := context.Background()
	var wg sync.WaitGroup
	var conflicts sync.Map
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				for {
					fresh := false
					if _, seen := conflicts.Load(w); seen {
						fresh = true
					}
					st, v, err := h.load(ctx, "web:busy", fresh)
					if err != nil {
						t.Error(err)
						return
					}
					st.Failures++
					err = h.save(ctx, "web:busy", st, v)
					if err == nil {
						break
					}
					if !errors.Is(err, ErrConflict) {
						t.Error(err)
						return
					}
					conflicts.Store(w, true)
				}
			}
		}(w)
	}
	wg.Wait()
	st, v, _ := h.store.Load(ctx, "web:busy")
	if st.Failures != workers*each || v != workers*each {
		t.Fatalf("counter = %d, version = %d, want %d", st.Failures, v, workers*each)
	}
	n := 0
	conflicts.Range(func(_, _ any) bool { n++; return true })
	t.Logf("%d of %d workers met a conflict", n, workers)
}

// contractNewerWins: two replicas keeping one conversation out of order
// leave the newer version in the copy.
func contractNewerWins(t *testing.T, h stateHarness) {
	ctx := context.Background()
	if err := h.save(ctx, "web:a", conversations.State{Flow: "one"}, 0); err != nil {
		t.Fatal(err)
	}
	if err := h.save(ctx, "web:a", conversations.State{Flow: "two"}, 1); err != nil {
		t.Fatal(err)
	}
	if err := h.store.Keep(ctx, "web:a", conversations.State{Flow: "one"}, 1); err != nil {
		t.Fatal(err)
	}
	if st, v, _ := h.store.Load(ctx, "web:a"); st.Flow != "two" || v != 2 {
		t.Fatalf("an older keep replaced the newer: %+v v%d", st, v)
	}
}
