package ratelimit

import (
	"fmt"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

// A chat gets a short burst at once, then one message a second.
func TestBurstThenSteadyPerKey(t *testing.T) {
	l := New(Limits{PerKey: Bucket{Every: time.Second, Burst: 3}})
	for _, tt := range []struct {
		key  string
		at   time.Duration
		want time.Duration
	}{
		{"a", 0, 0},
		{"a", 0, 0},
		{"a", 10 * time.Millisecond, 0}, // three at once: a survey's three messages
		{"a", 20 * time.Millisecond, 980 * time.Millisecond},
		{"b", 20 * time.Millisecond, 0}, // another key has its own bucket
		{"a", time.Second, 0},           // a token a second comes back
		{"a", 1100 * time.Millisecond, 900 * time.Millisecond},
		{"a", 5 * time.Second, 0}, // after a quiet spell the burst is back
		{"a", 5 * time.Second, 0},
		{"a", 5 * time.Second, 0},
		{"a", 5 * time.Second, time.Second},
	} {
		if got := l.Reserve(tt.key, t0.Add(tt.at)); got != tt.want {
			t.Errorf("Reserve(%s, +%v) = %v, want %v", tt.key, tt.at, got, tt.want)
		}
	}
}

func TestOverallBudget(t *testing.T) {
	l := New(Limits{PerKey: Bucket{Every: time.Second, Burst: 3}, Overall: Bucket{Every: 100 * time.Millisecond, Burst: 2}})
	for i := 0; i < 2; i++ {
		if got := l.Reserve(fmt.Sprint(i), t0); got != 0 {
			t.Fatalf("send %d within budget waits %v", i, got)
		}
	}
	if got := l.Reserve("x", t0); got != 100*time.Millisecond {
		t.Fatalf("over budget: wait %v, want 100ms", got)
	}
	// The refused send took nothing from its key: x still has its whole
	// burst once the budget is back.
	for i := 0; i < 3; i++ {
		at := t0.Add(time.Duration(i+1) * 100 * time.Millisecond)
		if got := l.Reserve("x", at); got != 0 {
			t.Fatalf("x send %d at +%v: wait %v", i, at.Sub(t0), got)
		}
	}
}

// A key's empty bucket is checked first and takes nothing from the budget.
func TestKeyBucketTakesNothingFromTheBudget(t *testing.T) {
	l := New(Limits{PerKey: Bucket{Every: time.Second, Burst: 1}, Overall: Bucket{Every: time.Second, Burst: 2}})
	l.Reserve("a", t0)
	for i := 0; i < 5; i++ {
		if got := l.Reserve("a", t0.Add(10*time.Millisecond)); got != 990*time.Millisecond {
			t.Fatalf("same key: wait %v", got)
		}
	}
	if got := l.Reserve("b", t0.Add(10*time.Millisecond)); got != 0 {
		t.Fatalf("budget spent by refused sends: wait %v", got)
	}
}

// Group chats have the harder bucket.
func TestGroupBucket(t *testing.T) {
	l := New(Telegram)
	if got := l.Reserve("-100", t0); got != 0 {
		t.Fatalf("first group send waits %v", got)
	}
	if got := l.Reserve("-100", t0); got != 3200*time.Millisecond {
		t.Fatalf("second group send waits %v, want 3.2s", got)
	}
	if got := l.Reserve("42", t0); got != 0 {
		t.Fatalf("a private chat beside a group waits %v", got)
	}
}

// Whatever the order of sends, the buckets of Telegram's limits never let
// a window hold more than Telegram allows: 30 in any second overall, 20 in
// any minute per group, and per chat a burst of 3 plus one a second.
func TestTelegramBucketsKeepTelegramsWindows(t *testing.T) {
	l := New(Telegram)
	var sent []struct {
		key string
		at  time.Time
	}
	now := t0
	keys := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "-5"}
	for step := 0; step < 6000; step++ {
		key := keys[(step*7)%len(keys)]
		if l.Reserve(key, now) == 0 {
			sent = append(sent, struct {
				key string
				at  time.Time
			}{key, now})
		}
		now = now.Add(time.Duration(1+step%7) * time.Millisecond)
	}
	count := func(key string, from, to time.Time) int {
		n := 0
		for _, s := range sent {
			if (key == "" || s.key == key) && !s.at.Before(from) && s.at.Before(to) {
				n++
			}
		}
		return n
	}
	for _, s := range sent {
		if n := count("", s.at, s.at.Add(time.Second)); n > 30 {
			t.Fatalf("%d sends overall in the second from %v", n, s.at.Sub(t0))
		}
		if s.key == "-5" {
			if n := count("-5", s.at, s.at.Add(time.Minute)); n > 20 {
				t.Fatalf("%d group sends in the minute from %v", n, s.at.Sub(t0))
			}
			continue
		}
		if n := count(s.key, s.at, s.at.Add(10*time.Second)); n > 3+10 {
			t.Fatalf("chat %s: %d sends in 10 s from %v", s.key, n, s.at.Sub(t0))
		}
	}
	if len(sent) < 200 {
		t.Fatalf("only %d sends in %v: the buckets are too tight", len(sent), now.Sub(t0))
	}
}

// The limiter forgets chats whose bucket is full again.
func TestIdleKeysAreSwept(t *testing.T) {
	l := New(Limits{PerKey: Bucket{Every: time.Second, Burst: 3}})
	for i := 0; i < 3*sweepEvery; i++ {
		l.Reserve(fmt.Sprint(i), t0.Add(time.Duration(i)*10*time.Millisecond))
	}
	if n := l.Keys(); n > sweepEvery+400 {
		t.Fatalf("%d keys held after %d one-off chats", n, 3*sweepEvery)
	}
}
