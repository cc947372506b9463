package store

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestWebSessionLifecycle(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	if _, err := db.WebSession(ctx, "h1"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown session: %v", err)
	}
	if err := db.CreateWebSession(ctx, "h1", t0); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateWebSession(ctx, "h1", t0); err == nil {
		t.Fatal("the same session was issued twice")
	}
	if err := db.TouchWebSession(ctx, "h1", t0.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	s, err := db.WebSession(ctx, "h1")
	if err != nil || s.Ended() || !s.CreatedAt.Equal(t0) || !s.LastSeen.Equal(t0.Add(time.Minute)) {
		t.Fatalf("session = %+v, %v", s, err)
	}
	if err := db.EndWebSession(ctx, "h1", t0.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if err := db.EndWebSession(ctx, "h1", t0.Add(3*time.Minute)); err != nil {
		t.Fatalf("ending twice: %v", err)
	}
	if s, _ := db.WebSession(ctx, "h1"); !s.Ended() || !s.EndedAt.Equal(t0.Add(2*time.Minute)) {
		t.Fatalf("ended session = %+v", s)
	}
	if err := db.EndWebSession(ctx, "nope", t0); !errors.Is(err, ErrNotFound) {
		t.Fatalf("ending an unknown session: %v", err)
	}
	if ok, err := db.CountWebUpload(ctx, "h1", 5, 24*time.Hour, t0); ok || err != nil {
		t.Fatalf("upload on an ended session counted: %v %v", ok, err)
	}
}

func TestWebUploadsAreCountedPerSessionAndDay(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	db.CreateWebSession(ctx, "a", t0)
	db.CreateWebSession(ctx, "b", t0)
	for i := 0; i < 3; i++ {
		if ok, err := db.CountWebUpload(ctx, "a", 3, 24*time.Hour, t0.Add(time.Duration(i)*time.Hour)); !ok || err != nil {
			t.Fatalf("upload %d: %v %v", i+1, ok, err)
		}
	}
	if ok, _ := db.CountWebUpload(ctx, "a", 3, 24*time.Hour, t0.Add(23*time.Hour)); ok {
		t.Fatal("a fourth upload within the day was counted")
	}
	if ok, _ := db.CountWebUpload(ctx, "b", 3, 24*time.Hour, t0.Add(23*time.Hour)); !ok {
		t.Fatal("another session shares the count")
	}
	if ok, _ := db.CountWebUpload(ctx, "a", 3, 24*time.Hour, t0.Add(24*time.Hour)); !ok {
		t.Fatal("a new day starts no new count")
	}
}

func TestKeepSettingKeepsTheFirstValue(t *testing.T) {
	db := MustOpen(t)
	ctx := context.Background()
	if v, err := db.KeepSetting(ctx, "k", "first"); v != "first" || err != nil {
		t.Fatalf("first = %q %v", v, err)
	}
	if v, _ := db.KeepSetting(ctx, "k", "second"); v != "first" {
		t.Fatalf("second call replaced the value: %q", v)
	}
}
