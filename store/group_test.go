package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// Many callers share commits, and one caller's failure undoes only its own
// writes.
func TestGroupedUpdatesAreAllOrNothingEach(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	const callers = 50
	var wg sync.WaitGroup
	errs := make([]error, callers)
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = db.UpdateGrouped(ctx, func(tx *Tx) error {
				if _, err := tx.Enqueue(OutboxMessage{Channel: "web", Recipient: fmt.Sprint(i), Payload: []byte("{}")}, t0); err != nil {
					return err
				}
				if i%5 == 0 {
					return fmt.Errorf("caller %d fails", i)
				}
				return tx.MarkInbound("web", fmt.Sprint(i), t0)
			})
		}(i)
	}
	wg.Wait()
	for i := 0; i < callers; i++ {
		rows, _ := db.OutboxAfter(ctx, "web", fmt.Sprint(i), 0, 10)
		seen, _ := db.InboundSeen(ctx, "web", fmt.Sprint(i))
		if i%5 == 0 {
			if errs[i] == nil || len(rows) != 0 || seen {
				t.Errorf("failed caller %d: err %v, %d rows kept, seen %v", i, errs[i], len(rows), seen)
			}
			continue
		}
		if errs[i] != nil || len(rows) != 1 || !seen {
			t.Errorf("caller %d: err %v, %d rows, seen %v", i, errs[i], len(rows), seen)
		}
	}
}

func TestGroupedDuplicateIsRejectedAlone(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	mark := func() error {
		return db.UpdateGrouped(ctx, func(tx *Tx) error { return tx.MarkInbound("telegram", "7", t0) })
	}
	if err := mark(); err != nil {
		t.Fatal(err)
	}
	if err := mark(); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("second: %v", err)
	}
}

func TestGroupedAfterCloseFails(t *testing.T) {
	db := MustOpen(t)
	db.Close()
	err := db.UpdateGrouped(context.Background(), func(*Tx) error { return nil })
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("after close: %v", err)
	}
}

// BenchmarkCommit compares one transaction per write with grouped commits,
// one small outbox row each, from concurrent writers.
func BenchmarkCommit(b *testing.B) {
	for _, mode := range []string{"single", "grouped"} {
		b.Run(mode, func(b *testing.B) {
			db, ctx := MustOpen(b), context.Background()
			update := db.Update
			if mode == "grouped" {
				update = db.UpdateGrouped
			}
			b.SetParallelism(16)
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					err := update(ctx, func(tx *Tx) error {
						_, err := tx.Enqueue(OutboxMessage{Channel: "web", Recipient: "r", Payload: []byte(`{"text":"hello"}`)}, t0)
						return err
					})
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "tx/s")
		})
	}
}
