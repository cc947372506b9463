package outbox

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"frontdesk/config"
	"frontdesk/internal/testkit/base"
	"frontdesk/store"
)

// recorder is a Channel that records deliveries and fails on command.
type recorder struct {
	mu    sync.Mutex
	sent  []store.OutboxMessage
	fails []error // returned, in order, before any success
}

func (r *recorder) Send(_ context.Context, m store.OutboxMessage) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.fails) > 0 {
		err := r.fails[0]
		r.fails = r.fails[1:]
		return err
	}
	r.sent = append(r.sent, m)
	return nil
}

func (r *recorder) texts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, m := range r.sent {
		out = append(out, m.Recipient+":"+string(m.Payload))
	}
	return out
}

type retryAfterErr struct{ d time.Duration }

func (e retryAfterErr) Error() string             { return fmt.Sprintf("429, retry after %v", e.d) }
func (e retryAfterErr) RetryAfter() time.Duration { return e.d }

func enqueue(t *testing.T, db *store.DB, now time.Time, recipient, payload string) int64 {
	t.Helper()
	var id int64
	err := db.Update(context.Background(), func(tx *store.Tx) (err error) {
		id, err = tx.Enqueue(store.OutboxMessage{Channel: "web", Recipient: recipient, Payload: []byte(payload)}, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func newSender(db *store.DB, clock *base.Clock, ch Channel) *Sender {
	return &Sender{Store: db, Channels: map[string]Channel{"web": ch}, Now: clock.Now, Config: config.Default().Outbox,
		Log: base.Log(), Jitter: func() float64 { return 0.5 }}
}

func TestBackoffGrowsCapsAndJitters(t *testing.T) {
	s := &Sender{Config: config.Outbox{BaseBackoff: config.Duration(time.Second), MaxBackoff: config.Duration(time.Minute)}}
	for _, tt := range []struct {
		attempts int
		jitter   float64
		want     time.Duration
	}{
		{0, 0, 500 * time.Millisecond}, {0, 0.999999, time.Second - time.Microsecond},
		{1, 0, time.Second}, {3, 0, 4 * time.Second}, {10, 0, 30 * time.Second}, {50, 0.5, 45 * time.Second},
	} {
		s.Jitter = func() float64 { return tt.jitter }
		if got := s.Backoff(tt.attempts); got.Round(time.Millisecond) != tt.want.Round(time.Millisecond) {
			t.Errorf("Backoff(%d, jitter %v) = %v, want %v", tt.attempts, tt.jitter, got, tt.want)
		}
	}
}

func TestSenderRetriesWithBackoffThenDelivers(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ch := &recorder{fails: []error{errors.New("503"), errors.New("503")}}
	s := newSender(db, clock, ch)
	id := enqueue(t, db, clock.Now(), "a", "one")
	ctx := context.Background()
	s.RunOnce(ctx)
	m, _ := db.OutboxMessageByID(ctx, id)
	if m.Attempts != 1 || m.Status != "pending" || !m.NextAttemptAt.Equal(clock.Now().Add(750*time.Millisecond)) {
		t.Fatalf("after first failure: %+v", m)
	}
	clock.Advance(750 * time.Millisecond)
	s.RunOnce(ctx)
	m, _ = db.OutboxMessageByID(ctx, id)
	if m.Attempts != 2 || !m.NextAttemptAt.Equal(clock.Now().Add(1500*time.Millisecond)) {
		t.Fatalf("second backoff should double: %+v", m)
	}
	clock.Advance(time.Second)
	if n, _ := s.RunOnce(ctx); n != 0 {
		t.Fatal("delivered before the backoff ran out")
	}
	clock.Advance(500 * time.Millisecond)
	s.RunOnce(ctx)
	if m, _ = db.OutboxMessageByID(ctx, id); m.Status != "sent" || len(ch.texts()) != 1 {
		t.Fatalf("not delivered: %+v", m)
	}
}

func TestSenderHonoursRetryAfter(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ch := &recorder{fails: []error{fmt.Errorf("telegram: %w", retryAfterErr{37 * time.Second})}}
	s := newSender(db, clock, ch)
	id := enqueue(t, db, clock.Now(), "a", "one")
	s.RunOnce(context.Background())
	m, _ := db.OutboxMessageByID(context.Background(), id)
	if !m.NextAttemptAt.Equal(clock.Now().Add(37 * time.Second)) {
		t.Fatalf("next attempt %v, want in 37 s", m.NextAttemptAt.Sub(clock.Now()))
	}
}

func TestSenderGivesUpOnPermanentErrorsAtOnce(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ch := &recorder{fails: []error{Permanent(errors.New("403 blocked by user"))}}
	s := newSender(db, clock, ch)
	ctx := context.Background()
	blocked := enqueue(t, db, clock.Now(), "a", "one")
	s.RunOnce(ctx)
	if m, _ := db.OutboxMessageByID(ctx, blocked); m.Status != "dead" || m.Attempts != 1 || m.LastError != "403 blocked by user" {
		t.Fatalf("permanent error: %+v", m)
	}
}

func TestSenderKeepsOrderPerRecipientAndResumesAfterRestart(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ctx := context.Background()
	enqueue(t, db, clock.Now(), "a", "1")
	enqueue(t, db, clock.Now(), "a", "2")
	enqueue(t, db, clock.Now(), "b", "1")
	// The first sender dies after one failed attempt: nothing is lost.
	first := newSender(db, clock, &recorder{fails: []error{errors.New("down"), errors.New("down")}})
	first.RunOnce(ctx)
	clock.Advance(time.Minute)
	ch := &recorder{}
	second := newSender(db, clock, ch)
	if n, err := second.RunOnce(ctx); err != nil || n != 3 {
		t.Fatalf("resumed %d, %v", n, err)
	}
	got := ch.texts()
	if len(got) != 3 || got[0] != "a:1" || got[1] != "b:1" || got[2] != "a:2" {
		t.Fatalf("delivery order = %v", got)
	}
	if n, _ := db.OutboxBacklog(ctx); n != 0 {
		t.Fatalf("backlog %d", n)
	}
}

func TestSenderRunStopsWithContextAndLosesNothing(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ch := &recorder{}
	s := newSender(db, clock, ch)
	s.Config.PollEvery = config.Duration(time.Hour)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	enqueue(t, db, clock.Now(), "a", "1")
	s.Wake()
	deadline := time.Now().Add(5 * time.Second)
	for len(ch.texts()) == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	// Written after the stop: still pending, for the next start.
	enqueue(t, db, clock.Now(), "a", "2")
	if got := ch.texts(); len(got) != 1 {
		t.Fatalf("woken sender delivered %v", got)
	}
	if n, _ := db.OutboxBacklog(context.Background()); n != 1 {
		t.Fatalf("backlog after stop = %d", n)
	}
}

func TestUnconfiguredChannelKeepsMessages(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	s := newSender(db, clock, &recorder{})
	var id int64
	db.Update(context.Background(), func(tx *store.Tx) (err error) {
		id, err = tx.Enqueue(store.OutboxMessage{Channel: "telegram", Recipient: "42", Payload: []byte("{}")}, clock.Now())
		return err
	})
	s.RunOnce(context.Background())
	if m, _ := db.OutboxMessageByID(context.Background(), id); m.Status != "pending" || m.LastError == "" {
		t.Fatalf("message for an unconfigured channel: %+v", m)
	}
}

// A channel that keeps saying "later" (429) is waited for, not given up on.
func TestRetryAfterNeverKillsAMessage(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	fails := make([]error, 20)
	for i := range fails {
		fails[i] = retryAfterErr{time.Second}
	}
	s := newSender(db, clock, &recorder{fails: fails})
	id := enqueue(t, db, clock.Now(), "a", "x")
	for i := 0; i < 21; i++ {
		s.RunOnce(context.Background())
		clock.Advance(time.Second)
	}
	if m, _ := db.OutboxMessageByID(context.Background(), id); m.Status != "sent" || m.Attempts != 1 {
		t.Fatalf("after a 429 storm: %+v (a 429 is no attempt)", m)
	}
}
