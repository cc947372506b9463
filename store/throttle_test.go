package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// rule: ID-6
func TestThrottleCountsAcrossCallersAndSurvivesRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fd.db")
	db := mustOpenAt(t, path)
	th := Throttle{Limit: 3, Window: time.Hour, Lock: 15 * time.Minute}
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	fail := func(at time.Time, keys ...string) []string {
		t.Helper()
		var locked []string
		if err := db.Update(ctx, func(tx *Tx) error {
			var err error
			locked, err = tx.Fail(th, at, keys...)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return locked
	}
	fail(t0, "verify:order:SO-1", "verify:phone:13800001234")
	fail(t0.Add(time.Minute), "verify:order:SO-1")
	db.Close()

	// A restart keeps the count: the third failure locks the order.
	db = mustOpenAt(t, path)
	st, err := db.Throttled(ctx, th, t0.Add(2*time.Minute), "verify:order:SO-1", "verify:phone:13800001234")
	if err != nil || st.Failures != 2 || st.Locked(t0.Add(2*time.Minute)) {
		t.Fatalf("after a restart: %+v, %v", st, err)
	}
	if locked := fail(t0.Add(3*time.Minute), "verify:order:SO-1"); len(locked) != 1 {
		t.Fatalf("the third failure locked %v", locked)
	}
	// The phone's key is locked through the order's? No: each key counts
	// its own, and the caller asks for both.
	st, _ = db.Throttled(ctx, th, t0.Add(4*time.Minute), "verify:phone:13800001234", "verify:order:SO-1")
	if !st.Locked(t0.Add(4*time.Minute)) || !st.LockedUntil.Equal(t0.Add(18*time.Minute)) {
		t.Fatalf("locked state %+v", st)
	}
	// Each failure after the limit doubles the lock, and warns nobody again.
	if locked := fail(t0.Add(5*time.Minute), "verify:order:SO-1"); len(locked) != 0 {
		t.Fatalf("a failure during the lock counted as a first lock: %v", locked)
	}
	st, _ = db.Throttled(ctx, th, t0.Add(6*time.Minute), "verify:order:SO-1")
	if !st.LockedUntil.Equal(t0.Add(35 * time.Minute)) {
		t.Fatalf("the second lock ends %v, want 30 minutes after the failure", st.LockedUntil)
	}
	st, _ = db.Throttled(ctx, th, t0.Add(36*time.Minute), "verify:order:SO-1")
	if st.Locked(t0.Add(36 * time.Minute)) {
		t.Fatalf("still locked after the lock ended: %+v", st)
	}
	// A failure outside the window starts the count again.
	st, _ = db.Throttled(ctx, th, t0.Add(2*time.Hour), "verify:phone:13800001234")
	if st.Failures != 0 {
		t.Fatalf("an old failure still counts: %+v", st)
	}
	if err := db.Update(ctx, func(tx *Tx) error {
		n, err := tx.PurgeThrottle(t0.Add(3 * time.Hour))
		if n != 2 {
			t.Errorf("purged %d keys, want 2", n)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
