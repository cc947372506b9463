package ratelimit

import (
	"fmt"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func TestOneSendPerKeyPerGap(t *testing.T) {
	l := New(time.Second, 0)
	for _, tt := range []struct {
		key  string
		at   time.Duration
		want time.Duration
	}{
		{"a", 0, 0},
		{"a", 300 * time.Millisecond, 700 * time.Millisecond},
		{"b", 300 * time.Millisecond, 0}, // another key has its own gap
		{"a", 999 * time.Millisecond, time.Millisecond},
		{"a", time.Second, 0},
		{"a", 1500 * time.Millisecond, 500 * time.Millisecond}, // the gap runs from the last send taken
	} {
		if got := l.Reserve(tt.key, t0.Add(tt.at)); got != tt.want {
			t.Errorf("Reserve(%s, +%v) = %v, want %v", tt.key, tt.at, got, tt.want)
		}
	}
}

func TestOverallBudgetPerSecond(t *testing.T) {
	l := New(time.Second, 3)
	for i := 0; i < 3; i++ {
		if got := l.Reserve(fmt.Sprint(i), t0.Add(time.Duration(i)*100*time.Millisecond)); got != 0 {
			t.Fatalf("send %d within budget waits %v", i, got)
		}
	}
	// The fourth key in the same second waits until the oldest send is a
	// second old.
	if got := l.Reserve("3", t0.Add(250*time.Millisecond)); got != 750*time.Millisecond {
		t.Fatalf("over budget: wait %v, want 750ms", got)
	}
	// A refused send took nothing: its key is free as soon as the budget is.
	if got := l.Reserve("3", t0.Add(time.Second)); got != 0 {
		t.Fatalf("after the window moved: wait %v", got)
	}
	if got := l.Reserve("4", t0.Add(time.Second)); got != 100*time.Millisecond {
		t.Fatalf("window of the last second: wait %v, want 100ms", got)
	}
}

// The key's own gap is checked first and takes nothing from the budget.
func TestKeyGapTakesNothingFromTheBudget(t *testing.T) {
	l := New(time.Second, 2)
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
