package outbox

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"frontdesk/config"
	"frontdesk/internal/testkit/base"
	"frontdesk/store"
)

// byID is a channel that records every call with the message's id, and
// may hold calls at a gate or pause a little at random.
type byID struct {
	mu     sync.Mutex
	calls  []store.OutboxMessage
	gate   chan struct{} // when set, each call waits for it to close
	jitter bool
}

func (c *byID) Send(ctx context.Context, m store.OutboxMessage) error {
	if c.gate != nil {
		select {
		case <-c.gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if c.jitter {
		time.Sleep(time.Duration(rand.IntN(300)) * time.Microsecond)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls = append(c.calls, m)
	return nil
}

func (c *byID) sent() []store.OutboxMessage {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]store.OutboxMessage(nil), c.calls...)
}

// perRecipient is what a channel that drops a message id it has seen
// already (Telegram's and the web chat's dedupe by id) shows each chat.
func perRecipient(calls []store.OutboxMessage) map[string][]string {
	seen := map[int64]bool{}
	out := map[string][]string{}
	for _, m := range calls {
		if seen[m.ID] {
			continue
		}
		seen[m.ID] = true
		out[m.Recipient] = append(out[m.Recipient], string(m.Payload))
	}
	return out
}

func runSender(t *testing.T, s *Sender) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// A message written while the sender runs reaches its chat through the
// feed, with no store poll to find it (PollEvery an hour, no wake-up) and
// its mark written.
func TestFeedDeliversWhatACommitWroteAtOnce(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ch := &byID{}
	s := newSender(db, clock, ch)
	s.Config.PollEvery = config.Duration(time.Hour)
	stop := runSender(t, s)
	defer stop()
	time.Sleep(50 * time.Millisecond) // the first poll, of an empty store
	id := enqueue(t, db, clock.Now(), "a", "1")
	waitFor(t, "the delivery", func() bool { return len(ch.sent()) == 1 })
	waitFor(t, "the mark", func() bool {
		m, err := db.OutboxMessageByID(context.Background(), id)
		return err == nil && m.Status == "sent"
	})
	if got := ch.sent()[0]; got.ID != id || string(got.Payload) != "1" || got.Recipient != "a" {
		t.Fatalf("delivered %+v", got)
	}
}

// Many chats written at once through the group commit, their sends taking
// a little time each: every chat gets each of its messages once, in order.
func TestFeedKeepsEachChatsOrderUnderConcurrency(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ch := &byID{jitter: true}
	s := newSender(db, clock, ch)
	stop := runSender(t, s)
	defer stop()
	const chats, each = 24, 15
	var wg sync.WaitGroup
	for c := 0; c < chats; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				err := db.UpdateGrouped(context.Background(), func(tx *store.Tx) error {
					_, err := tx.Enqueue(store.OutboxMessage{Channel: "web", Recipient: fmt.Sprint("chat-", c),
						Payload: []byte(fmt.Sprint(i))}, clock.Now())
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}(c)
	}
	wg.Wait()
	waitFor(t, "every message", func() bool { n, _ := db.OutboxBacklog(context.Background()); return n == 0 })
	calls := ch.sent()
	if len(calls) != chats*each {
		t.Fatalf("%d calls for %d messages", len(calls), chats*each)
	}
	for c, got := range perRecipient(calls) {
		for i, p := range got {
			if p != fmt.Sprint(i) {
				t.Fatalf("%s got %v, want 0…%d in order", c, got, each-1)
			}
		}
	}
}

// A chat with a message waiting out a retry when the sender starts gets
// nothing newer before it: the feed leaves the chat to the store.
func TestFeedWaitsBehindAnOlderMessageOfTheChat(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ctx := context.Background()
	older := enqueue(t, db, clock.Now(), "a", "1")
	if err := db.MarkRetry(ctx, older, clock.Now().Add(time.Minute), "down"); err != nil {
		t.Fatal(err)
	}
	ch := &byID{}
	s := newSender(db, clock, ch)
	s.Config.PollEvery = config.Duration(time.Hour)
	stop := runSender(t, s)
	defer stop()
	time.Sleep(50 * time.Millisecond) // the first poll finds "a" slow
	enqueue(t, db, clock.Now(), "a", "2")
	enqueue(t, db, clock.Now(), "b", "1")
	waitFor(t, "the other chat", func() bool { return len(ch.sent()) == 1 })
	time.Sleep(50 * time.Millisecond)
	if got := perRecipient(ch.sent()); len(got["a"]) != 0 {
		t.Fatalf("a got %v before its older message", got["a"])
	}
	clock.Advance(2 * time.Minute)
	s.Wake()
	waitFor(t, "the chat to go on", func() bool { return len(ch.sent()) == 3 })
	if got := perRecipient(ch.sent()); fmt.Sprint(got["a"]) != "[1 2]" {
		t.Fatalf("a got %v", got["a"])
	}
}

// A failed send from the feed is retried with backoff, and the chat's
// next message waits for it.
func TestFeedFailureRetriesAndHoldsTheChat(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ch := &recorder{fails: []error{errors.New("502 Bad Gateway")}}
	s := newSender(db, clock, ch)
	s.Config.PollEvery = config.Duration(time.Hour)
	stop := runSender(t, s)
	defer stop()
	time.Sleep(50 * time.Millisecond)
	first := enqueue(t, db, clock.Now(), "a", "1")
	waitFor(t, "the failed attempt", func() bool {
		m, _ := db.OutboxMessageByID(context.Background(), first)
		return m.Attempts == 1
	})
	enqueue(t, db, clock.Now(), "a", "2")
	time.Sleep(50 * time.Millisecond)
	if got := ch.texts(); len(got) != 0 {
		t.Fatalf("sent %v while a:1 waits for its retry", got)
	}
	clock.Advance(time.Minute)
	s.Wake()
	waitFor(t, "both", func() bool { return len(ch.texts()) == 2 })
	if got := ch.texts(); got[0] != "a:1" || got[1] != "a:2" {
		t.Fatalf("deliveries %v", got)
	}
}

// The batch mark fails (a full disk): the messages were delivered and are
// not delivered again; the chat's next message waits until the marks are
// recorded; then all is marked, each sent once.
func TestFailedBatchMarkSendsNothingTwice(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ctx := context.Background()
	ch := &byID{gate: make(chan struct{})}
	s := newSender(db, clock, ch)
	s.Config.BaseBackoff, s.Config.MaxBackoff = config.Duration(10*time.Millisecond), config.Duration(40*time.Millisecond)
	stop := runSender(t, s)
	defer stop()
	time.Sleep(50 * time.Millisecond)
	enqueue(t, db, clock.Now(), "a", "1")
	enqueue(t, db, clock.Now(), "a", "2")
	enqueue(t, db, clock.Now(), "b", "1")
	time.Sleep(50 * time.Millisecond) // a:1 and b:1 are at the gate
	if err := db.SimulateFullDisk(ctx, true); err != nil {
		t.Fatal(err)
	}
	close(ch.gate)
	waitFor(t, "the sends", func() bool { return len(ch.sent()) == 2 })
	time.Sleep(200 * time.Millisecond) // the marks fail and are tried again
	if got := perRecipient(ch.sent()); len(got["a"]) != 1 {
		t.Fatalf("a:2 went before a:1's mark: %v", got)
	}
	if n, _ := db.OutboxBacklog(ctx); n != 3 {
		t.Fatalf("backlog %d on a full disk", n)
	}
	if err := db.SimulateFullDisk(ctx, false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the backlog to empty", func() bool { n, _ := db.OutboxBacklog(ctx); return n == 0 })
	calls := ch.sent()
	if len(calls) != 3 {
		t.Fatalf("%d calls, want 3: %v", len(calls), calls)
	}
	if got := perRecipient(calls); fmt.Sprint(got["a"]) != "[1 2]" || fmt.Sprint(got["b"]) != "[1]" {
		t.Fatalf("deliveries %v", got)
	}
}

// The process dies between sends and their marks (the marks never land):
// the next start sends again only those messages, under their own ids, so
// a channel that drops an id it has seen shows each chat each message once
// and in order.
func TestCrashBetweenSendAndMarkResendsOnlyTheUnmarked(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ctx := context.Background()
	ch := &byID{}
	s := newSender(db, clock, ch)
	stop := runSender(t, s)
	enqueue(t, db, clock.Now(), "a", "1")
	waitFor(t, "the first mark", func() bool { n, _ := db.OutboxBacklog(ctx); return n == 0 })
	// The disk fills: what is sent now cannot be marked, and the sender
	// stops (a crash keeps no more than that in its memory).
	ch.mu.Lock()
	ch.gate = make(chan struct{})
	ch.mu.Unlock()
	enqueue(t, db, clock.Now(), "a", "2")
	enqueue(t, db, clock.Now(), "b", "1")
	time.Sleep(50 * time.Millisecond)
	if err := db.SimulateFullDisk(ctx, true); err != nil {
		t.Fatal(err)
	}
	close(ch.gate)
	waitFor(t, "the sends", func() bool { return len(ch.sent()) == 3 })
	stop()
	if err := db.SimulateFullDisk(ctx, false); err != nil {
		t.Fatal(err)
	}
	unmarked, _ := db.OutboxBacklog(ctx)
	if unmarked > 2 {
		t.Fatalf("%d pending after the crash", unmarked)
	}
	restarted := newSender(db, clock, ch)
	stop = runSender(t, restarted)
	defer stop()
	waitFor(t, "the backlog to empty", func() bool { n, _ := db.OutboxBacklog(ctx); return n == 0 })
	calls := ch.sent()
	if len(calls) != 3+unmarked {
		t.Fatalf("%d calls, want %d: the restart sent more than the unmarked", len(calls), 3+unmarked)
	}
	if got := perRecipient(calls); fmt.Sprint(got["a"]) != "[1 2]" || fmt.Sprint(got["b"]) != "[1]" {
		t.Fatalf("deduped deliveries %v", got)
	}
}
