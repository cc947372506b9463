package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdesk/config"
	"frontdesk/internal/ratelimit"
	"frontdesk/internal/testkit/base"
	"frontdesk/store"
)

// flaky is a Telegram-like channel under test: it keeps its own pace (one
// message a second per chat) and answers 500 while the clock is inside the
// outage window, then recovers. It records every delivery.
type flaky struct {
	clock        *base.Clock
	limit        *ratelimit.Limiter
	paced        func(time.Duration, string) error
	outageFrom   time.Time
	outageUntil  time.Time
	mu           sync.Mutex
	delivered    map[string][]string // recipient → payloads, in delivery order
	failures     int
	deliveredAll int
}

func (f *flaky) Send(_ context.Context, m store.OutboxMessage) error {
	now := f.clock.Now()
	if wait := f.limit.Reserve(m.Recipient, now); wait > 0 {
		return f.paced(wait, "telegram: rate limit")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !now.Before(f.outageFrom) && now.Before(f.outageUntil) {
		f.failures++
		return errors.New("telegram: 500 Internal Server Error")
	}
	if f.delivered == nil {
		f.delivered = map[string][]string{}
	}
	f.delivered[m.Recipient] = append(f.delivered[m.Recipient], string(m.Payload))
	f.deliveredAll++
	return nil
}

func enqueueOn(t *testing.T, db *store.DB, now time.Time, channel, recipient, payload string) int64 {
	t.Helper()
	var id int64
	err := db.Update(context.Background(), func(tx *store.Tx) (err error) {
		id, err = tx.Enqueue(store.OutboxMessage{Channel: channel, Recipient: recipient, Payload: []byte(payload)}, now)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Two seconds of 500s in the middle of a burst kill nothing. Messages come
// in faster than the desk's own pace lets them out (thirty a second
// overall), so each is held back at many passes before its turn: that is
// no attempt, so the real failures that follow find every message with a
// clean count, and the backoff brings them back within a minute. Every
// message is delivered exactly once, in order per chat.
func TestOutageOf500sInABurstKillsNothing(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ctx := context.Background()
	start := clock.Now()
	ch := &flaky{clock: clock, limit: ratelimit.New(ratelimit.Limits{PerKey: ratelimit.Bucket{Every: time.Second, Burst: 1}, Overall: ratelimit.Bucket{Every: time.Second / 30, Burst: 1}}), paced: RetryLater,
		outageFrom: start.Add(2 * time.Second), outageUntil: start.Add(4 * time.Second)}
	s := &Sender{Store: db, Channels: map[string]Channel{"telegram": ch}, Now: clock.Now, Config: config.Default().Outbox,
		Log: base.Log(), Jitter: func() float64 { return 0.5 }}
	const chats, total = 50, 100
	// Two messages come in every 20 ms (a hundred a second), to the chats
	// in turn; the sender passes every 20 ms of the clock, for 3 minutes at
	// most.
	written := 0
	for clock.Now().Before(start.Add(3*time.Minute)) && ch.deliveredAll < total {
		for i := 0; i < 2 && written < total; i++ {
			enqueueOn(t, db, clock.Now(), "telegram", fmt.Sprintf("chat%d", written%chats), fmt.Sprintf("%02d", written/chats))
			written++
		}
		if _, err := s.RunOnce(ctx); err != nil {
			t.Fatal(err)
		}
		clock.Advance(20 * time.Millisecond)
	}
	if ch.failures == 0 {
		t.Fatal("the outage window met no send: the test proves nothing")
	}
	if dead, _ := db.DeadOutbox(ctx, 1000); len(dead) != 0 {
		t.Fatalf("%d messages died in a 2 s outage, the first: %+v", len(dead), dead[0].OutboxMessage)
	}
	for c := 0; c < chats; c++ {
		got := ch.delivered[fmt.Sprintf("chat%d", c)]
		if len(got) != total/chats {
			t.Fatalf("chat%d got %d of %d messages within 3 minutes: %v", c, len(got), total/chats, got)
		}
		for i, p := range got {
			if p != fmt.Sprintf("%02d", i) {
				t.Fatalf("chat%d got %v: out of order or twice", c, got)
			}
		}
	}
	if n, _ := db.OutboxBacklog(ctx); n != 0 {
		t.Fatalf("backlog %d", n)
	}
}

// A message is given up on by time, not by a count: failing every hour
// for nearly a day (more attempts than any count the desk ever used) it
// waits, never more than a minute after a failure; failing after a day
// since it was written it dies, once, through the Died hook.
func TestGivesUpADayAfterTheMessageWasWritten(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ctx := context.Background()
	ch := &failing{err: errors.New("telegram: 502 Bad Gateway")}
	var died []string
	s := newSender(db, clock, ch)
	s.Died = func(ctx context.Context, m store.OutboxMessage, reason string) error {
		died = append(died, reason)
		return db.MarkDead(ctx, m.ID, reason, clock.Now())
	}
	written := clock.Now()
	id := enqueue(t, db, written, "a", "x")
	for _, at := range append([]time.Duration{0, time.Second, 30 * time.Second, time.Minute, 5 * time.Minute},
		hours(1, 23, 24*time.Hour-time.Minute)...) {
		clock.Advance(written.Add(at).Sub(clock.Now()))
		s.RunOnce(ctx)
		m, _ := db.OutboxMessageByID(ctx, id)
		if m.Status != "pending" {
			t.Fatalf("given up %v after it was written, after %d attempts: %+v", at, m.Attempts, m)
		}
		if wait := m.NextAttemptAt.Sub(clock.Now()); wait > time.Minute {
			t.Fatalf("after %d failures the next attempt is %v away", m.Attempts, wait)
		}
	}
	if m, _ := db.OutboxMessageByID(ctx, id); m.Attempts < 25 || len(died) != 0 || ch.calls != m.Attempts {
		t.Fatalf("before the day was over: %+v, %d calls, died %v", m, ch.calls, died)
	}
	clock.Advance(2 * time.Minute)
	s.RunOnce(ctx)
	m, _ := db.OutboxMessageByID(ctx, id)
	if m.Status != "dead" || len(died) != 1 || died[0] != "telegram: 502 Bad Gateway" || !m.DeadAt.Equal(clock.Now()) {
		t.Fatalf("a day later: %+v, died %v", m, died)
	}
}

// hours lists from..to hours, then last.
func hours(from, to int, last time.Duration) []time.Duration {
	var out []time.Duration
	for h := from; h <= to; h++ {
		out = append(out, time.Duration(h)*time.Hour)
	}
	return append(out, last)
}

// failing is a channel that always fails with err.
type failing struct {
	err   error
	mu    sync.Mutex
	calls int
}

func (f *failing) Send(context.Context, store.OutboxMessage) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	return f.err
}

// With the default configuration no wait after a failure exceeds a minute,
// however many failures came before.
func TestBackoffIsCappedAtAMinuteByDefault(t *testing.T) {
	s := &Sender{Config: config.Default().Outbox, Jitter: func() float64 { return 0.999999 }}
	for attempts := 0; attempts < 100; attempts++ {
		if d := s.Backoff(attempts); d > time.Minute {
			t.Fatalf("Backoff(%d) = %v", attempts, d)
		}
	}
	if d := s.Backoff(20); d < 59*time.Second {
		t.Fatalf("Backoff(20) = %v, want just under a minute", d)
	}
	// The zero configuration takes the defaults: no zero wait, no endless one.
	zero := &Sender{Jitter: func() float64 { return 0 }}
	if d := zero.Backoff(0); d != 500*time.Millisecond {
		t.Fatalf("zero config Backoff(0) = %v", d)
	}
	if d := zero.Backoff(50); d != 30*time.Second {
		t.Fatalf("zero config Backoff(50) = %v", d)
	}
}

// The desk's own pacing is no attempt, is logged at debug level only, and
// never kills a message.
func TestOwnPaceIsNoAttemptAndLogsAtDebug(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ctx := context.Background()
	logs := &captured{}
	ch := &flaky{clock: clock, limit: ratelimit.New(ratelimit.Limits{PerKey: ratelimit.Bucket{Every: time.Second, Burst: 1}}), paced: Paced}
	s := newSender(db, clock, ch)
	s.Channels = map[string]Channel{"web": ch}
	s.Log = slog.New(logs)
	a := enqueue(t, db, clock.Now(), "a", "1")
	b := enqueue(t, db, clock.Now(), "a", "2")
	for i := 0; i < 30; i++ { // 30 passes within one second: 29 deferrals of "2"
		s.RunOnce(ctx)
		clock.Advance(30 * time.Millisecond)
	}
	clock.Advance(time.Second)
	s.RunOnce(ctx)
	for _, id := range []int64{a, b} {
		if m, _ := db.OutboxMessageByID(ctx, id); m.Status != "sent" || m.Attempts != 1 {
			t.Fatalf("paced message: %+v", m)
		}
	}
	if n := logs.count(slog.LevelWarn, ""); n != 0 {
		t.Fatalf("%d warnings for the desk's own pace: %v", n, logs.lines())
	}
	if n := logs.count(slog.LevelDebug, "own pace"); n == 0 {
		t.Fatal("the deferrals were not logged at debug level")
	}
}

// captured is a slog handler that keeps every record, at every level.
type captured struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (c *captured) Enabled(context.Context, slog.Level) bool { return true }
func (c *captured) Handle(_ context.Context, r slog.Record) error {
	c.mu.Lock()
	c.recs = append(c.recs, r)
	c.mu.Unlock()
	return nil
}
func (c *captured) WithAttrs([]slog.Attr) slog.Handler { return c }
func (c *captured) WithGroup(string) slog.Handler      { return c }

// count counts the records at level whose message contains part.
func (c *captured) count(level slog.Level, part string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, r := range c.recs {
		if r.Level == level && strings.Contains(r.Message, part) {
			n++
		}
	}
	return n
}

func (c *captured) lines() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, r := range c.recs {
		out = append(out, r.Level.String()+" "+r.Message)
	}
	return out
}

func (c *captured) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.recs)
}

// On a full disk a message is sent once: its "sent" mark fails, the
// sender keeps it and retries the mark, not the send, and holds the chat's
// next message back until the mark is recorded. Freed, everything goes on.
func TestFullDiskSendsEachMessageOnce(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ctx := context.Background()
	ch := &recorder{}
	s := newSender(db, clock, ch)
	var receipts []int64
	s.AfterSend = func(_ context.Context, m store.OutboxMessage) error {
		receipts = append(receipts, m.ID)
		return nil
	}
	enqueue(t, db, clock.Now(), "a", "1")
	enqueue(t, db, clock.Now(), "a", "2")
	enqueue(t, db, clock.Now(), "b", "1")
	if err := db.SimulateFullDisk(ctx, true); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		if _, err := s.RunOnce(ctx); err == nil {
			t.Fatal("RunOnce reported no error on a full disk")
		}
		clock.Advance(time.Minute)
	}
	if got := ch.texts(); len(got) > 2 {
		t.Fatalf("sent on a full disk: %v", got)
	}
	if len(receipts) != 0 {
		t.Fatalf("AfterSend ran before the mark was recorded: %v", receipts)
	}
	if err := db.SimulateFullDisk(ctx, false); err != nil {
		t.Fatal(err)
	}
	s.RunOnce(ctx)
	s.RunOnce(ctx)
	got := ch.texts()
	if len(got) != 3 || base.Count(got, "a:1") != 1 || base.Count(got, "a:2") != 1 || base.Count(got, "b:1") != 1 || indexOf(got, "a:1") > indexOf(got, "a:2") {
		t.Fatalf("deliveries around a full disk: %v, want a:1, a:2 and b:1 once each, a in order", got)
	}
	if len(receipts) != 3 {
		t.Fatalf("AfterSend ran for %v", receipts)
	}
	if n, _ := db.OutboxBacklog(ctx); n != 0 {
		t.Fatalf("backlog %d", n)
	}
}

func indexOf(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

// Running on a full disk, the sender backs off instead of spinning and
// logs the failure once and the recovery once; each message is sent once.
func TestFullDiskRunBacksOffAndLogsOnce(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	logs := &captured{}
	ch := &recorder{}
	s := newSender(db, clock, ch)
	s.Log = slog.New(logs)
	s.Config.BaseBackoff, s.Config.MaxBackoff = config.Duration(10*time.Millisecond), config.Duration(40*time.Millisecond)
	enqueue(t, db, clock.Now(), "a", "1")
	enqueue(t, db, clock.Now(), "a", "2")
	if err := db.SimulateFullDisk(ctx, true); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	waitFor(t, "the first send", func() bool { return len(ch.texts()) == 1 })
	time.Sleep(300 * time.Millisecond) // the disk stays full a while
	if err := db.SimulateFullDisk(ctx, false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "both sends", func() bool { return len(ch.texts()) == 2 })
	waitFor(t, "the backlog to empty", func() bool { n, _ := db.OutboxBacklog(ctx); return n == 0 })
	cancel()
	<-done
	if got := ch.texts(); len(got) != 2 || got[0] != "a:1" || got[1] != "a:2" {
		t.Fatalf("deliveries: %v", got)
	}
	if n := logs.count(slog.LevelError, "store fails"); n != 1 {
		t.Errorf("the store failure was logged %d times: %v", n, logs.lines())
	}
	if n := logs.count(slog.LevelInfo, "store works again"); n != 1 {
		t.Errorf("the recovery was logged %d times: %v", n, logs.lines())
	}
	if n := logs.total(); n > 10 {
		t.Errorf("%d log lines for 300 ms of full disk: %v", n, logs.lines())
	}
}

// waitFor polls cond for up to 5 s of real time (the sender's goroutines
// run on their own).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited 5 s for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// hanging is a channel whose first call for the recipient "slow" blocks
// until its context ends (or the test ends); every other call delivers.
type hanging struct {
	recorder
	release  chan struct{}
	mu       sync.Mutex
	hung     bool // the blocked call is still blocked
	slowSeen int
}

func (h *hanging) Send(ctx context.Context, m store.OutboxMessage) error {
	if m.Recipient == "slow" {
		h.mu.Lock()
		h.slowSeen++
		first := h.slowSeen == 1
		if first {
			h.hung = true
		}
		h.mu.Unlock()
		if first {
			select {
			case <-ctx.Done():
			case <-h.release:
			}
			h.mu.Lock()
			h.hung = false
			h.mu.Unlock()
			return fmt.Errorf("telegram: send: Post \"https://api.telegram.org/bot123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/sendMessage\": %w", ctx.Err())
		}
	}
	return h.recorder.Send(ctx, m)
}

func (h *hanging) stillHung() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.hung
}

// A call that hangs holds up neither another channel nor another chat of
// its own channel; it is abandoned after the call timeout, counted as a
// failed attempt (with no token in the error kept), and retried.
func TestAHangingCallHoldsUpNoOtherDelivery(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	tg := &hanging{release: make(chan struct{})}
	staff := &recorder{}
	s := newSender(db, clock, nil)
	s.Channels = map[string]Channel{"telegram": tg, "staff": staff}
	s.Config.SendTimeout = config.Duration(400 * time.Millisecond)
	s.Config.PollEvery = config.Duration(time.Hour) // only wake-ups move it
	slow := enqueueOn(t, db, clock.Now(), "telegram", "slow", "1")
	enqueueOn(t, db, clock.Now(), "staff", "AS-1", "card")
	enqueueOn(t, db, clock.Now(), "telegram", "fast", "1")
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	defer func() { cancel(); close(tg.release); <-done }()
	s.Wake()
	waitFor(t, "the other deliveries", func() bool { return len(staff.texts()) == 1 && len(tg.texts()) == 1 })
	if !tg.stillHung() {
		t.Fatal("the other deliveries waited for the hanging call")
	}
	var m store.OutboxMessage
	waitFor(t, "the hanging call to time out", func() bool {
		m, _ = db.OutboxMessageByID(ctx, slow)
		return m.Attempts == 1
	})
	if m.Status != "pending" || !strings.Contains(m.LastError, "no answer within 400ms") || strings.Contains(m.LastError, "AAAAAAAA") {
		t.Fatalf("after the timeout: %+v", m)
	}
	clock.Advance(time.Minute)
	s.Wake()
	waitFor(t, "the retry", func() bool { m, _ = db.OutboxMessageByID(ctx, slow); return m.Status == "sent" })
	if got := tg.texts(); len(got) != 2 || got[1] != "slow:1" {
		t.Fatalf("telegram deliveries: %v", got)
	}
}

func TestRedactKeepsNoSecrets(t *testing.T) {
	for in, want := range map[string]string{
		`telegram: send: Post "https://api.telegram.org/bot123456:AAH_abcdefghijklmnopqrstuvwxyz012345/sendMessage": EOF`: `telegram: send: Post "https://api.telegram.org": EOF`,
		"slack: invalid_auth xoxb-1234-5678-abcdefgh": "slack: invalid_auth [redacted]",
		"401 Authorization: Bearer s3cr3t":            "401 Authorization: [redacted]",
		"bad token=abc&x=1":                           "bad [redacted]&x=1",
		"telegram: 500 Internal Server Error":         "telegram: 500 Internal Server Error",
	} {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Redact(strings.Repeat("错", 200)); len(got) > maxReason+len("…") || !strings.HasSuffix(got, "…") {
		t.Errorf("long error cut to %d bytes: %q", len(got), got)
	}
}

// deaf is a channel whose calls for "slow" ignore their context, as a
// client without one does (Telegram's library): the first blocks until
// the test lets it go, then reports the delivery it made.
type deaf struct {
	recorder
	letGo chan struct{}
	mu    sync.Mutex
	calls map[string]int
}

func (d *deaf) Send(ctx context.Context, m store.OutboxMessage) error {
	d.mu.Lock()
	if d.calls == nil {
		d.calls = map[string]int{}
	}
	d.calls[m.Recipient+":"+string(m.Payload)]++
	first := m.Recipient == "slow" && d.calls[m.Recipient+":"+string(m.Payload)] == 1
	d.mu.Unlock()
	if first {
		<-d.letGo
	}
	return d.recorder.Send(ctx, m)
}

func (d *deaf) callsOf(key string) int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.calls[key]
}

// A call that does not end with its context is abandoned at the timeout,
// so other chats go on; its chat waits for it (never two sends at once,
// never out of order), and when it turns out to have delivered after all
// it is recorded as sent, not sent again.
func TestACallDeafToItsTimeoutIsAbandonedAndNeverRepeated(t *testing.T) {
	clock, db := base.NewClock(), base.OpenStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	tg := &deaf{letGo: make(chan struct{})}
	s := newSender(db, clock, nil)
	s.Channels = map[string]Channel{"telegram": tg}
	s.Config.SendTimeout = config.Duration(200 * time.Millisecond)
	s.Config.PollEvery = config.Duration(time.Hour)
	first := enqueueOn(t, db, clock.Now(), "telegram", "slow", "1")
	enqueueOn(t, db, clock.Now(), "telegram", "slow", "2")
	enqueueOn(t, db, clock.Now(), "telegram", "fast", "1")
	done := make(chan error)
	go func() { done <- s.Run(ctx) }()
	released := false
	defer func() {
		cancel()
		if !released {
			close(tg.letGo)
		}
		<-done
	}()
	s.Wake()
	waitFor(t, "the other chat", func() bool { return len(tg.texts()) == 1 })
	var m store.OutboxMessage
	waitFor(t, "the deaf call to be abandoned", func() bool {
		m, _ = db.OutboxMessageByID(ctx, first)
		return m.Attempts == 1
	})
	if m.Status != "pending" || !strings.Contains(m.LastError, "abandoned") {
		t.Fatalf("after the timeout: %+v", m)
	}
	// Its retry falls due, but the chat waits for the call still running.
	clock.Advance(time.Minute)
	s.Wake()
	time.Sleep(100 * time.Millisecond)
	if n := tg.callsOf("slow:1"); n != 1 {
		t.Fatalf("slow:1 was sent %d times while its first call ran", n)
	}
	close(tg.letGo)
	released = true
	waitFor(t, "the chat to go on", func() bool { return len(tg.texts()) == 3 })
	if m, _ = db.OutboxMessageByID(ctx, first); m.Status != "sent" || tg.callsOf("slow:1") != 1 {
		t.Fatalf("the late delivery: %+v, %d calls", m, tg.callsOf("slow:1"))
	}
	if got := tg.texts(); got[1] != "slow:1" || got[2] != "slow:2" {
		t.Fatalf("deliveries: %v", got)
	}
}
