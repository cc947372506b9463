package outbox

import (
	"context"
	"errors"
	"testing"
	"time"

	"frontdesk/config"
	"frontdesk/internal/testkit/base"
	"frontdesk/store"
)

// AfterSend runs once a message is delivered and marked, and only then.
func TestAfterSendRunsAfterADeliveryOnly(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ch := &recorder{fails: []error{errors.New("503")}}
	s := newSender(db, clock, ch)
	var after []int64
	s.AfterSend = func(ctx context.Context, m store.OutboxMessage) error {
		got, err := db.OutboxMessageByID(ctx, m.ID)
		if err != nil || got.Status != "sent" {
			t.Errorf("AfterSend before the message was marked sent: %+v, %v", got, err)
		}
		after = append(after, m.ID)
		return nil
	}
	id := enqueue(t, db, clock.Now(), "a", "one")
	ctx := context.Background()
	s.RunOnce(ctx)
	if len(after) != 0 {
		t.Fatalf("AfterSend ran after a failed delivery: %v", after)
	}
	clock.Advance(time.Minute)
	s.RunOnce(ctx)
	if len(after) != 1 || after[0] != id {
		t.Fatalf("AfterSend ran for %v, want [%d]", after, id)
	}
}

// A signal made before the sender wakes it, as Wake does.
func TestSignalWakesTheSender(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ch := &recorder{}
	signal := NewSignal()
	s := newSender(db, clock, ch)
	s.Signal = signal
	s.Config.PollEvery = config.Duration(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	defer func() { cancel(); <-done }()
	// The first pass may run before or after the message is written.
	enqueue(t, db, clock.Now(), "a", "1")
	signal.Notify()
	signal.Notify() // never blocks
	deadline := time.Now().Add(5 * time.Second)
	for len(ch.texts()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if len(ch.texts()) != 1 {
		t.Fatalf("the signalled sender delivered %v", ch.texts())
	}
}
