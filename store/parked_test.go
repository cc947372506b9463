package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

// Parked updates come back oldest first per chat, a second park of one
// update changes nothing, and a deferred one keeps its first failure.
func TestParkedUpdates(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	park := func(id int64, chat string, next time.Time) {
		t.Helper()
		added, err := db.ParkUpdate(ctx, ParkedUpdate{Channel: "telegram", UpdateID: id, ChatID: chat, Payload: []byte(`{}`),
			ParkedAt: t0, NextAt: next})
		if err != nil || !added {
			t.Fatalf("park %d: %v, %v", id, added, err)
		}
	}
	park(12, "A", t0.Add(time.Minute))
	park(11, "A", t0.Add(time.Second))
	park(13, "B", t0)
	if added, err := db.ParkUpdate(ctx, ParkedUpdate{Channel: "telegram", UpdateID: 11, ChatID: "A", Payload: []byte(`{"x":1}`),
		ParkedAt: t0.Add(time.Hour), NextAt: t0.Add(time.Hour)}); err != nil || added {
		t.Fatalf("parked twice: %v, %v", added, err)
	}
	heads, err := db.ParkedHeads(ctx, "telegram")
	if err != nil || len(heads) != 2 || heads[0].UpdateID != 13 || heads[1].UpdateID != 11 || string(heads[1].Payload) != `{}` {
		t.Fatalf("heads = %+v, %v", heads, err)
	}
	if heads, _ := db.ParkedHeads(ctx, "web"); len(heads) != 0 {
		t.Fatalf("another channel's heads: %+v", heads)
	}
	if has, err := db.HasParked(ctx, "telegram", "A"); err != nil || !has {
		t.Fatalf("A has parked: %v, %v", has, err)
	}
	if has, _ := db.HasParked(ctx, "telegram", "C"); has {
		t.Fatal("C has nothing parked")
	}
	p := heads[1]
	p.FailingSince, p.Attempts, p.NextAt, p.LastError = t0, 2, t0.Add(4*time.Second), "getFile: 500"
	if err := db.DeferParked(ctx, p); err != nil {
		t.Fatal(err)
	}
	got, err := db.NextParked(ctx, "telegram", "A")
	if err != nil || got.UpdateID != 11 || got.Attempts != 2 || !got.FailingSince.Equal(t0) || !got.NextAt.Equal(t0.Add(4*time.Second)) ||
		got.LastError != "getFile: 500" {
		t.Fatalf("next parked = %+v, %v", got, err)
	}
	if err := db.UnparkUpdate(ctx, "telegram", 11); err != nil {
		t.Fatal(err)
	}
	if got, _ := db.NextParked(ctx, "telegram", "A"); got.UpdateID != 12 || !got.FailingSince.IsZero() {
		t.Fatalf("after unpark: %+v", got)
	}
	db.UnparkUpdate(ctx, "telegram", 12)
	if _, err := db.NextParked(ctx, "telegram", "A"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("empty chat: %v", err)
	}
}
