package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Throttle is how failures of one kind are counted: Limit failures within
// Window lock the key for Lock.
type Throttle struct {
	Limit  int
	Window time.Duration
	Lock   time.Duration
}

// ThrottleState is what the store knows of a set of keys at a moment.
type ThrottleState struct {
	Failures    int       // the most failures counted on any of the keys in its window
	LockedUntil time.Time // the latest lock of any of the keys; zero when none holds
}

// Locked reports whether the keys are locked at now.
func (s ThrottleState) Locked(now time.Time) bool { return now.Before(s.LockedUntil) }

const throttleRow = "SELECT failures, window_start, locked_until FROM throttle WHERE key = ?"

// Throttled returns the state of keys at now under t.
func (db *DB) Throttled(ctx context.Context, t Throttle, now time.Time, keys ...string) (ThrottleState, error) {
	return throttled(t, now, keys, func(k string) *sql.Row { return db.queryRow(ctx, throttleRow, k) })
}

// ThrottledInTx is Throttled inside a write transaction.
func (tx *Tx) ThrottledInTx(t Throttle, now time.Time, keys ...string) (ThrottleState, error) {
	return throttled(t, now, keys, func(k string) *sql.Row { return tx.queryRow(throttleRow, k) })
}

func throttled(t Throttle, now time.Time, keys []string, row func(string) *sql.Row) (ThrottleState, error) {
	var out ThrottleState
	for _, k := range keys {
		f, start, until, err := scanThrottle(row(k))
		if err != nil {
			return ThrottleState{}, err
		}
		out = merge(out, t, now, f, start, until)
	}
	return out, nil
}

func merge(s ThrottleState, t Throttle, now time.Time, failures int, start, until time.Time) ThrottleState {
	if now.Sub(start) < t.Window && failures > s.Failures {
		s.Failures = failures
	}
	if until.After(s.LockedUntil) && now.Before(until) {
		s.LockedUntil = until
	}
	return s
}

func scanThrottle(row *sql.Row) (int, time.Time, time.Time, error) {
	var failures int
	var start, until int64
	err := row.Scan(&failures, &start, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, time.Time{}, time.Time{}, nil
	}
	if err != nil {
		return 0, time.Time{}, time.Time{}, fmt.Errorf("store: throttle: %w", err)
	}
	return failures, fromMillis(start), fromMillis(until), nil
}

// Fail counts one failure on each key at now. A key that reaches t.Limit in
// its window is locked for t.Lock, and each failure after that in the same
// window doubles the lock (at most a day); lockedNow names the keys this
// failure locked for the first time (so that the owner is warned once).
func (tx *Tx) Fail(t Throttle, now time.Time, keys ...string) (lockedNow []string, err error) {
	for _, k := range keys {
		f, start, until, err := scanThrottle(tx.queryRow(throttleRow, k))
		if err != nil {
			return nil, err
		}
		if now.Sub(start) >= t.Window && !now.Before(until) {
			f, start = 0, now
		}
		f++
		if f >= t.Limit {
			until = now.Add(min(t.Lock<<min(f-t.Limit, 16), 24*time.Hour))
		}
		if f == t.Limit {
			lockedNow = append(lockedNow, k)
		}
		_, err = tx.exec(`INSERT INTO throttle (key, failures, window_start, locked_until) VALUES (?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET failures = excluded.failures, window_start = excluded.window_start,
			locked_until = excluded.locked_until`, k, f, millis(start), millis(until))
		if err != nil {
			return nil, fmt.Errorf("store: throttle %s: %w", k, err)
		}
	}
	return lockedNow, nil
}

// PurgeThrottle forgets keys whose window and lock both ended before
// cutoff.
func (tx *Tx) PurgeThrottle(cutoff time.Time) (int64, error) {
	res, err := tx.exec("DELETE FROM throttle WHERE window_start < ? AND locked_until < ?", millis(cutoff), millis(cutoff))
	if err != nil {
		return 0, fmt.Errorf("store: purge throttle: %w", err)
	}
	return res.RowsAffected()
}

// Forgive forgets the failures counted on keys (a staff member who logged
// in with the right password starts again from none).
func (tx *Tx) Forgive(keys ...string) error {
	for _, k := range keys {
		if _, err := tx.exec("DELETE FROM throttle WHERE key = ?", k); err != nil {
			return fmt.Errorf("store: forgive %s: %w", k, err)
		}
	}
	return nil
}
