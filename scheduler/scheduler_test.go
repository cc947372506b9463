package scheduler

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"frontdesk/internal/testkit"
	"frontdesk/store"
)

type panicJob struct{}

func (panicJob) Name() string                         { return "boom" }
func (panicJob) Run(context.Context, time.Time) error { panic("job exploded") }

type failingJob struct{}

func (failingJob) Name() string                         { return "fails" }
func (failingJob) Run(context.Context, time.Time) error { return errors.New("disk on fire") }

// A panicking job must not take the desk down: the chain recovers it.
func TestPanickingJobIsRecovered(t *testing.T) {
	var logs bytes.Buffer
	s := New(context.Background(), time.UTC, time.Now, slog.New(slog.NewTextHandler(&logs, nil)))
	if err := s.Add("@every 1m", panicJob{}); err != nil {
		t.Fatal(err)
	}
	entries := s.cron.Entries()
	if len(entries) != 1 {
		t.Fatalf("entries = %d", len(entries))
	}
	entries[0].WrappedJob.Run() // the job as cron runs it, with the chain
	if !strings.Contains(logs.String(), "job exploded") {
		t.Fatalf("panic not logged: %s", logs.String())
	}
}

func TestFailingJobIsLoggedAndBadSpecRefused(t *testing.T) {
	var logs bytes.Buffer
	s := New(context.Background(), time.UTC, time.Now, slog.New(slog.NewTextHandler(&logs, nil)))
	if err := s.Add("every tuesday", failingJob{}); err == nil || !strings.Contains(err.Error(), "fails") {
		t.Fatalf("bad spec: %v", err)
	}
	s.Add("@every 1m", failingJob{})
	s.cron.Entries()[0].WrappedJob.Run()
	if !strings.Contains(logs.String(), "disk on fire") {
		t.Fatalf("failure not logged: %s", logs.String())
	}
	s.Start()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	s.Stop(ctx)
}

func TestPurgeForgetsOldDedupeMarksAndExpiredDialogs(t *testing.T) {
	ctx := context.Background()
	db := testkit.OpenStore(t)
	now := time.Date(2026, 11, 24, 3, 0, 0, 0, time.UTC)
	for i, at := range []time.Time{now.Add(-80 * time.Hour), now.Add(-time.Hour)} {
		id := []string{"old", "new"}[i]
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.MarkInbound("telegram", id, at) }); err != nil {
			t.Fatal(err)
		}
	}
	db.SaveDialog(ctx, "web:gone", []byte("{}"), 0, now.Add(-2*time.Hour), time.Hour)
	db.SaveDialog(ctx, "web:live", []byte("{}"), 0, now, time.Hour)
	if err := (PurgeJob{Store: db, DedupeWindow: 72 * time.Hour}).Run(ctx, now); err != nil {
		t.Fatal(err)
	}
	if seen, _ := db.InboundSeen(ctx, "telegram", "old"); seen {
		t.Error("old dedupe mark kept")
	}
	if seen, _ := db.InboundSeen(ctx, "telegram", "new"); !seen {
		t.Error("recent dedupe mark purged")
	}
	if _, v, _ := db.LoadDialog(ctx, "web:live", now); v != 1 {
		t.Error("live dialog purged")
	}
	// The expired row is gone: saving it anew starts at version 0.
	if err := db.SaveDialog(ctx, "web:gone", []byte("{}"), 0, now, time.Hour); err != nil {
		t.Fatalf("expired dialog not purged cleanly: %v", err)
	}
}
