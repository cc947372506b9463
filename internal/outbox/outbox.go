// Package outbox delivers the desk's outbound messages: each due message of
// the store's outbox to its channel, a worker per channel so that one slow
// platform holds up no other, each call bounded by a timeout. A failed
// attempt is retried with capped exponential backoff and jitter; a channel
// that says "later" (its own pace, a 429's Retry-After) is waited for
// without counting an attempt; a message still failing a while after it
// was written (a day by default) is given up on and shown to staff. All
// its state is in the store, so a restart resumes where it stopped.
package outbox

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"frontdesk/config"
	"frontdesk/internal/metrics"
	"frontdesk/store"
)

// Channel delivers outbox messages of one channel ("web", "telegram" …).
// Send is called for several recipients at once; calls for one recipient
// come one at a time, in order. ctx ends when the call takes too long.
type Channel interface {
	Send(ctx context.Context, m store.OutboxMessage) error
}

// RetryAfter is implemented by a delivery error that says when to try again
// (Telegram's retry_after, Slack's Retry-After on a 429).
type RetryAfter interface {
	RetryAfter() time.Duration
}

// laterError is a delivery the channel hands back with a time to try again.
type laterError struct {
	after time.Duration
	why   string
	paced bool // the channel's own pace, not the platform's answer
}

func (e laterError) Error() string             { return fmt.Sprintf("%s; retry in %v", e.why, e.after) }
func (e laterError) RetryAfter() time.Duration { return e.after }

// RetryLater is what a channel returns for a message the platform refused
// for now and said when to come back (a 429 with Retry-After): it is sent
// again after d, and the refusal is no failed attempt.
func RetryLater(d time.Duration, why string) error { return laterError{after: d, why: why} }

// Paced is what a channel returns for a message it holds back to keep its
// own pace (ratelimit): it is sent again after d. Nothing went wrong, so it
// is no attempt and is logged at debug level only.
func Paced(d time.Duration, why string) error { return laterError{after: d, why: why, paced: true} }

// permanentError marks a delivery that can never succeed (the customer
// blocked the bot, the chat is gone): no retry.
type permanentError struct{ err error }

func (p permanentError) Error() string { return p.err.Error() }
func (p permanentError) Unwrap() error { return p.err }

// Permanent wraps err so the sender gives up on the message at once.
func Permanent(err error) error { return permanentError{err} }

// IsPermanent reports whether err was marked Permanent.
func IsPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// Signal tells a Sender that new messages may be due. It is made before
// both the desk that raises it and the sender that listens, so that neither
// has to be built before the other.
type Signal struct{ ch chan struct{} }

// NewSignal makes a signal.
func NewSignal() *Signal { return &Signal{ch: make(chan struct{}, 1)} }

// Notify wakes the sender. It never blocks: a wake-up already pending
// covers this one.
func (s *Signal) Notify() {
	select {
	case s.ch <- struct{}{}:
	default:
	}
}

// Sender delivers the outbox. A send whose outcome the store cannot record
// (a full disk) is kept in memory and its record retried, never the send:
// a message delivered is not delivered again because its "sent" mark
// failed. Until the record lands, the recipient's next messages wait.
type Sender struct {
	Store    *store.DB
	Channels map[string]Channel
	Now      func() time.Time
	Config   config.Outbox // zero fields take config.Default's
	Metrics  *metrics.Metrics
	Log      *slog.Logger
	Jitter   func() float64 // in [0,1); rand.Float64 when nil
	// Signal wakes the sender; it makes its own when nil.
	Signal *Signal
	// AfterSend, when set, runs after a message was delivered and marked
	// sent (the desk marks a staff reply that reached the customer).
	AfterSend func(ctx context.Context, m store.OutboxMessage) error
	// Died, when set, records that the sender gave up on m: it marks m
	// dead (store.Tx.MarkDead) and tells staff, in one transaction (the
	// desk's MessageDied). When nil the sender only marks m dead.
	Died func(ctx context.Context, m store.OutboxMessage, reason string) error

	signalOnce sync.Once
	signal     *Signal

	mu sync.Mutex
	// busy holds the recipients (channel and recipient) with a send in
	// flight or an outcome not recorded yet, and the message that holds
	// each: their next message waits.
	busy map[string]int64
	// abandoned are the messages whose call was abandoned at its timeout
	// and has not returned yet: their recipient stays busy.
	abandoned map[int64]bool
	// unrecorded are outcomes the store refused to record, by message.
	unrecorded map[int64]*outcome
	storeDown  bool // the last store write failed
	storeFails int  // store failures in a row, for the backoff

	fast   fastState // the messages the store's feed brought (fast.go)
	marker marker
}

// batch is how many due messages one pass reads.
const batch = 100

// perChannel is how many sends one channel has in flight at most, each to
// another recipient.
const perChannel = 8

// Wake tells the sender that new messages may be due. It never blocks.
func (s *Sender) Wake() { s.wakeup().Notify() }

// wakeup is the sender's signal, settled on first use; Run and Wake may
// both be first.
func (s *Sender) wakeup() *Signal {
	s.signalOnce.Do(func() {
		s.signal = s.Signal
		if s.signal == nil {
			s.signal = NewSignal()
		}
	})
	return s.signal
}

// cfg is the configuration with defaults for what is not set.
func (s *Sender) cfg() config.Outbox {
	c, def := s.Config, config.Default().Outbox
	if c.GiveUpAfter <= 0 {
		c.GiveUpAfter = def.GiveUpAfter
	}
	if c.BaseBackoff <= 0 {
		c.BaseBackoff = def.BaseBackoff
	}
	if c.MaxBackoff < c.BaseBackoff {
		c.MaxBackoff = max(def.MaxBackoff, c.BaseBackoff)
	}
	if c.PollEvery <= 0 {
		c.PollEvery = def.PollEvery
	}
	if c.SendTimeout <= 0 {
		c.SendTimeout = def.SendTimeout
	}
	return c
}

func (s *Sender) log() *slog.Logger {
	if s.Log == nil {
		return slog.Default()
	}
	return s.Log
}

// Run delivers until ctx is cancelled: a worker per channel (those
// configured, and any other that has messages waiting, whose messages fail
// until it is configured again). Sends in flight when ctx ends are finished
// and recorded; what is not delivered stays pending in the store.
func (s *Sender) Run(ctx context.Context) error {
	wake := s.wakeup().ch
	// Sends and their records outlive ctx by a call's timeout, so a
	// message being sent at shutdown is finished and marked.
	work := context.WithoutCancel(ctx)
	stopFast := s.startFast()
	defer stopFast()
	quitMarker, markerDone := make(chan struct{}), make(chan struct{})
	go func() { defer close(markerDone); s.runMarker(work, quitMarker) }()
	workers := map[string]*worker{}
	var wg sync.WaitGroup
	ensure := func(name string) {
		if workers[name] != nil {
			return
		}
		w := &worker{s: s, name: name, wake: make(chan struct{}, 1), done: make(chan struct{}, 1)}
		workers[name] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.run(ctx, work)
		}()
	}
	for name := range s.Channels {
		ensure(name)
	}
	poll := true
	for {
		// The store names the channels with messages waiting at start and
		// every PollEvery; in between, the feed names those it brings.
		if poll {
			if names, err := s.Store.PendingChannels(ctx); err == nil {
				for _, name := range names {
					ensure(name)
				}
			}
		}
		for _, name := range s.freshChannels() {
			ensure(name)
		}
		timer := time.NewTimer(s.cfg().PollEvery.D())
		select {
		case <-ctx.Done():
			timer.Stop()
			wg.Wait()
			close(quitMarker)
			<-markerDone
			s.recordPending(work, "")
			return nil
		case <-wake:
			poll = false
			for _, w := range workers {
				poke(w.wake)
			}
		case <-timer.C:
			poll = true
		}
		timer.Stop()
	}
}

func poke(ch chan struct{}) {
	select {
	case ch <- struct{}{}:
	default:
	}
}

// worker delivers one channel's messages: up to perChannel sends at once,
// one per recipient.
type worker struct {
	s      *Sender
	name   string
	wake   chan struct{} // new messages may be due
	done   chan struct{} // a send finished
	mu     sync.Mutex
	active int
	wg     sync.WaitGroup
	// nextPoll is when (by the machine's clock) the store is read again
	// for what the feed did not bring (zero: at the first pass); nextDue
	// when (by the sender's clock) its next pending message falls due.
	nextPoll, nextDue time.Time
}

func (w *worker) run(ctx, work context.Context) {
	for ctx.Err() == nil {
		wait, _ := w.pass(work)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-w.wake:
		case <-w.done:
		case <-timer.C:
		}
		timer.Stop()
	}
	// At shutdown, deliver what is due now (a reply written just before
	// the stop), for at most a call's timeout.
	w.wg.Wait()
	for deadline := time.Now().Add(w.s.cfg().SendTimeout.D()); time.Now().Before(deadline); {
		w.s.flushMarks(work) // frees the recipients of the last deliveries
		_, started := w.pass(work)
		w.wg.Wait()
		if started == 0 {
			break
		}
	}
	w.s.flushMarks(work)
	// A last try at what the store refused; what still fails is sent
	// again at the next start.
	w.s.recordPending(work, w.name)
}

// pass records what is pending, starts the sends that are due and may
// start, and says how long to wait for more and how many it started.
func (w *worker) pass(ctx context.Context) (time.Duration, int) {
	s := w.s
	if err := s.recordPending(ctx, w.name); err != nil {
		return s.storeWait(), 0
	}
	if !s.fastOn() {
		return w.storePass(ctx, 0, false)
	}
	// The store first, when it is due: at the start it names the slow
	// recipients before any fresh message of theirs may go.
	started := 0
	wanted, since := s.pollWanted(w.name)
	retryDue := !w.nextDue.IsZero() && !s.Now().Before(w.nextDue)
	if timed := !time.Now().Before(w.nextPoll); wanted || retryDue || timed {
		var wait time.Duration
		// Between timed polls, a row the feed has not brought yet is
		// left to it; a timed poll takes every due row (another process
		// may have written it).
		wait, started = w.storePass(ctx, since, !timed)
		w.nextPoll = time.Now().Add(wait) // a failing store's backoff, or when more falls due
	}
	started += w.startFresh(ctx)
	if wanted, since := s.pollWanted(w.name); wanted {
		// The fresh messages of a slow chat were left to the store: read
		// it now rather than at the next wake-up.
		var wait time.Duration
		var n int
		wait, n = w.storePass(ctx, since, true)
		w.nextPoll = time.Now().Add(wait)
		started += n
	}
	wait := w.nextPoll.Sub(time.Now())
	if !w.nextDue.IsZero() {
		wait = min(wait, w.nextDue.Sub(s.Now()))
	}
	return max(min(wait, s.cfg().PollEvery.D()), 0), started
}

// startFresh starts the sends of the fresh messages that may go now.
func (w *worker) startFresh(ctx context.Context) int {
	w.mu.Lock()
	room := perChannel - w.active
	w.mu.Unlock()
	if room <= 0 {
		return 0
	}
	msgs := w.s.takeFresh(w.name, room)
	for _, m := range msgs {
		w.send(func() { w.s.deliverFresh(ctx, m) })
	}
	return len(msgs)
}

// storePass reads the due messages of the channel from the store and
// starts those that may start; with the fast path on, it also learns the
// slow recipients (at the slow clock since). It says how long until the
// store has more due, and how many it started.
func (w *worker) storePass(ctx context.Context, since uint64, skipUnheard bool) (time.Duration, int) {
	s := w.s
	now := s.Now()
	due, err := s.Store.DueOutboxOn(ctx, w.name, now, batch)
	if err != nil {
		s.storeFailed(err)
		return s.storeWait(), 0
	}
	started, left := 0, false
	for _, m := range due {
		w.mu.Lock()
		full := w.active >= perChannel
		w.mu.Unlock()
		if full {
			left = true
			break // a finished send wakes the worker
		}
		if skipUnheard && s.unheard(m.ID) {
			continue
		}
		if s.claim(m) {
			s.dropFresh(m)
			w.start(ctx, m)
			started++
		} else if !s.isKnown(m.ID) {
			left = true
		}
	}
	if left {
		// Due messages wait for their recipient: read the store again
		// when a send finishes (the fast path's own wait without it).
		s.wantPoll(w.name)
	}
	if s.fastOn() {
		if err := s.refreshSlow(ctx, w.name, since); err != nil {
			s.storeFailed(err)
			return s.storeWait(), started
		}
	}
	poll := s.cfg().PollEvery.D()
	next, ok, err := s.Store.NextOutboxAttemptOn(ctx, w.name, now)
	if err != nil || !ok {
		w.nextDue = time.Time{}
		return poll, started
	}
	w.nextDue = next
	return min(max(next.Sub(s.Now()), 0), poll), started
}

func (w *worker) start(ctx context.Context, m store.OutboxMessage) {
	w.send(func() {
		// The pass read m before a send to the same recipient may have
		// finished: read it again, now that the recipient is ours, and
		// leave it if it is no longer due (sent, put off, given up on).
		if fresh, err := w.s.Store.OutboxMessageByID(ctx, m.ID); err == nil && fresh.Status == "pending" &&
			!fresh.NextAttemptAt.After(w.s.Now()) {
			w.s.deliver(ctx, fresh)
		} else {
			w.s.release(m)
		}
		// The store gave only the chat's first pending message: its next
		// one is read at the next pass.
		w.s.wantPoll(w.name)
	})
}

// send runs one send in a goroutine of its own, counted as active while it
// runs; its end wakes the worker (a place is free).
func (w *worker) send(run func()) {
	w.mu.Lock()
	w.active++
	w.mu.Unlock()
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		run()
		w.mu.Lock()
		w.active--
		w.mu.Unlock()
		poke(w.done)
	}()
}

// RunOnce delivers every message due now, one at a time, repeating while
// passes find work, and returns how many delivery attempts it made. It
// stops at the first error of the store (the outcome of a send it could
// not record is kept and recorded first by the next call).
func (s *Sender) RunOnce(ctx context.Context) (int, error) {
	total := 0
	for {
		if err := s.recordPending(ctx, ""); err != nil {
			return total, err
		}
		due, err := s.Store.DueOutbox(ctx, s.Now(), batch)
		if err != nil {
			return total, s.storeFailed(err)
		}
		n := 0
		for _, m := range due {
			if !s.claim(m) {
				continue
			}
			n++
			if err := s.deliver(ctx, m); err != nil {
				return total + n, err
			}
		}
		if n == 0 {
			return total, nil
		}
		total += n
	}
}

// result is what became of one attempt.
type result int

const (
	sent     result = iota
	failed          // try again after a backoff
	deferred        // the channel said when to try again; no attempt
	dead            // given up
)

// outcome is one attempt's result, to record in the store.
type outcome struct {
	m      store.OutboxMessage
	result result
	at     time.Time // when it happened
	next   time.Time // failed, deferred: when to try again
	reason string    // failed, dead: the error, without secrets
	marked bool      // sent: the mark is recorded, AfterSend still to run
	// late brings the result of a call abandoned at its timeout.
	late <-chan error
}

func recipientKey(m store.OutboxMessage) string { return m.Channel + "\x00" + m.Recipient }

// claim marks m's recipient busy, or reports false when it is already.
func (s *Sender) claim(m store.OutboxMessage) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.busy == nil {
		s.busy = map[string]int64{}
	}
	k := recipientKey(m)
	if _, held := s.busy[k]; held {
		return false
	}
	s.busy[k] = m.ID
	return true
}

// deliver makes one attempt at m, whose recipient is claimed, and records
// its outcome; an outcome the store refuses is kept for recordPending and
// the recipient stays busy until it is recorded. A call abandoned at its
// timeout keeps the recipient busy until it returns: a chat never has two
// sends at once, and one that delivered late is recorded as sent, not sent
// again.
func (s *Sender) deliver(ctx context.Context, m store.OutboxMessage) error {
	o := s.attempt(ctx, m)
	if o.late != nil {
		s.mu.Lock()
		s.abandonLocked(m)
		s.mu.Unlock()
		go s.afterAbandoned(ctx, m, o.late)
	}
	return s.settle(ctx, o)
}

// abandonLocked notes that the send of m was abandoned at its timeout and
// still runs: its recipient stays busy until it returns. s.mu is held.
func (s *Sender) abandonLocked(m store.OutboxMessage) {
	if s.abandoned == nil {
		s.abandoned = map[int64]bool{}
	}
	s.abandoned[m.ID] = true
}

// settle records o, or keeps it for recordPending when the store refuses;
// once it is recorded the recipient is free (unless its call was abandoned
// and has not returned).
func (s *Sender) settle(ctx context.Context, o *outcome) error {
	if err := s.record(ctx, o); err != nil {
		s.mu.Lock()
		if s.unrecorded == nil {
			s.unrecorded = map[int64]*outcome{}
		}
		s.unrecorded[o.m.ID] = o
		s.mu.Unlock()
		return s.storeFailed(err)
	}
	if o.result == failed || o.result == deferred {
		s.wantPoll(o.m.Channel) // the store now holds a message to try again
	}
	s.release(o.m)
	return nil
}

// afterAbandoned waits for an abandoned call to return: a late delivery is
// recorded as sent (the failure recorded meanwhile kept the message
// pending, and its recipient busy, so it was not sent again); then the
// recipient is free.
func (s *Sender) afterAbandoned(ctx context.Context, m store.OutboxMessage, late <-chan error) {
	err := <-late
	s.mu.Lock()
	delete(s.abandoned, m.ID)
	s.mu.Unlock()
	if err == nil {
		s.log().Warn("outbox: a call abandoned at its timeout delivered after all; recorded as sent", "id", m.ID, "channel", m.Channel)
		s.Metrics.Outbound(m.Channel, "sent")
		s.settle(ctx, &outcome{m: m, result: sent, at: s.Now()})
	} else {
		s.release(m)
	}
	s.Wake()
}

// release frees m's recipient, if m holds it, its call is not still
// running abandoned and no outcome of it waits to be recorded.
func (s *Sender) release(m store.OutboxMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := recipientKey(m)
	if id, held := s.busy[k]; held && id == m.ID && !s.abandoned[m.ID] && s.unrecorded[m.ID] == nil {
		delete(s.busy, k)
	}
}

// attempt sends m once, within the call timeout, and judges the result.
func (s *Sender) attempt(ctx context.Context, m store.OutboxMessage) *outcome {
	c := s.cfg()
	ch, ok := s.Channels[m.Channel]
	var err error
	var late <-chan error
	if !ok {
		// A channel that is not configured now (its token removed) may be
		// again: the message waits, and is given up on in time.
		err = fmt.Errorf("channel %q is not configured", m.Channel)
	} else {
		late, err = s.call(ctx, ch, m, c.SendTimeout.D())
	}
	now := s.Now()
	o := &outcome{m: m, at: now, late: late}
	log := s.log()
	var ra RetryAfter
	var later laterError
	switch {
	case err == nil:
		o.result = sent
		s.Metrics.Outbound(m.Channel, "sent")
	case IsPermanent(err):
		o.result, o.reason = dead, Redact(err.Error())
		s.Metrics.Outbound(m.Channel, "dead")
		log.Warn("outbox: the channel refuses the message for good; giving up", "id", m.ID, "channel", m.Channel, "err", o.reason)
	case errors.As(err, &ra):
		// However often: "later" says nothing about whether the message
		// can be delivered.
		o.result, o.next = deferred, now.Add(max(ra.RetryAfter(), time.Millisecond))
		s.Metrics.Outbound(m.Channel, "deferred")
		if errors.As(err, &later) && later.paced {
			log.Debug("outbox: held back by the desk's own pace", "id", m.ID, "channel", m.Channel, "in", ra.RetryAfter())
		} else {
			log.Info("outbox: the platform asks to come back later", "id", m.ID, "channel", m.Channel, "in", ra.RetryAfter(), "err", Redact(err.Error()))
		}
	case now.Sub(m.Since()) >= c.GiveUpAfter.D():
		o.result, o.reason = dead, Redact(err.Error())
		s.Metrics.Outbound(m.Channel, "dead")
		log.Error("outbox: still failing long after it was written; giving up", "id", m.ID, "channel", m.Channel,
			"written", m.Since(), "give_up_after", c.GiveUpAfter.D(), "attempts", m.Attempts+1, "err", o.reason)
	default:
		o.result, o.reason = failed, Redact(err.Error())
		wait := s.Backoff(m.Attempts)
		o.next = now.Add(wait)
		s.Metrics.Outbound(m.Channel, "retry")
		log.Warn("outbox: delivery failed, will retry", "id", m.ID, "channel", m.Channel, "in", wait, "err", o.reason)
	}
	return o
}

// abandonGrace is how long a call past its timeout gets to return its own
// error before the sender stops waiting for it.
const abandonGrace = 100 * time.Millisecond

// call runs one Send within timeout. A channel that does not give up when
// its context ends (a client with no context, as Telegram's library) is
// abandoned: call returns a timeout error at once, and late brings the
// call's own result when it comes.
func (s *Sender) call(ctx context.Context, ch Channel, m store.OutboxMessage, timeout time.Duration) (late <-chan error, err error) {
	call, cancel := context.WithTimeout(ctx, timeout)
	res := make(chan error, 1)
	go func() {
		defer cancel()
		res <- ch.Send(call, m)
	}()
	timedOut := func(err error) error {
		if err != nil && errors.Is(call.Err(), context.DeadlineExceeded) && ctx.Err() == nil {
			return fmt.Errorf("%s: no answer within %v: %w", m.Channel, timeout, err)
		}
		return err
	}
	select {
	case err := <-res:
		return nil, timedOut(err)
	case <-call.Done():
	}
	select {
	case err := <-res:
		return nil, timedOut(err)
	case <-time.After(abandonGrace):
		return res, fmt.Errorf("%s: no answer within %v; the call was abandoned", m.Channel, timeout)
	}
}

// record writes an outcome to the store. A message that is no longer
// pending (another sender recorded it) needs nothing more.
func (s *Sender) record(ctx context.Context, o *outcome) error {
	var err error
	switch o.result {
	case sent:
		if !o.marked {
			if err = s.Store.MarkSent(ctx, o.m.ID, o.at); errors.Is(err, store.ErrNotFound) {
				return nil
			}
			if err != nil {
				break
			}
			o.marked = true
		}
		if s.AfterSend != nil {
			err = s.AfterSend(ctx, o.m)
		}
	case failed:
		err = s.Store.MarkRetry(ctx, o.m.ID, o.next, o.reason)
	case deferred:
		err = s.Store.Defer(ctx, o.m.ID, o.next)
	case dead:
		if s.Died != nil {
			err = s.Died(ctx, o.m, o.reason)
		} else {
			err = s.Store.MarkDead(ctx, o.m.ID, o.reason, o.at)
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		err = nil
	}
	if err == nil {
		s.storeOK()
	}
	return err
}

// recordPending records the outcomes the store refused before, those of
// one channel ("": all), and stops at the first it refuses again.
func (s *Sender) recordPending(ctx context.Context, channel string) error {
	s.mu.Lock()
	var todo []*outcome
	for _, o := range s.unrecorded {
		if channel == "" || o.m.Channel == channel {
			todo = append(todo, o)
		}
	}
	s.mu.Unlock()
	for _, o := range todo {
		if err := s.record(ctx, o); err != nil {
			return s.storeFailed(err)
		}
		s.mu.Lock()
		if s.unrecorded[o.m.ID] == o {
			delete(s.unrecorded, o.m.ID)
		}
		s.mu.Unlock()
		s.release(o.m)
	}
	return nil
}

// storeFailed notes a store error and returns it. It logs only when the
// store goes from working to failing, not at every try.
func (s *Sender) storeFailed(err error) error {
	s.mu.Lock()
	first := !s.storeDown
	s.storeDown = true
	s.storeFails++
	s.mu.Unlock()
	if first {
		s.log().Error("outbox: the store fails; delivery waits and tries again with backoff", "err", err)
	}
	return err
}

// storeOK notes a store write that worked, and logs the recovery once.
func (s *Sender) storeOK() {
	s.mu.Lock()
	was := s.storeDown
	s.storeDown, s.storeFails = false, 0
	s.mu.Unlock()
	if was {
		s.log().Info("outbox: the store works again; delivery goes on")
	}
}

// storeWait is how long to wait before trying a failing store again.
func (s *Sender) storeWait() time.Duration {
	s.mu.Lock()
	n := s.storeFails
	s.mu.Unlock()
	return s.Backoff(max(n-1, 0))
}

// Backoff is the wait after the given number of failed attempts: the base
// doubled each time, capped at MaxBackoff, then spread over its upper half
// by jitter so that many failed messages do not all come back at once.
func (s *Sender) Backoff(attempts int) time.Duration {
	c := s.cfg()
	d := c.BaseBackoff.D()
	for i := 0; i < attempts && d < c.MaxBackoff.D(); i++ {
		d *= 2
	}
	d = min(d, c.MaxBackoff.D())
	j := s.Jitter
	if j == nil {
		j = rand.Float64
	}
	return d/2 + time.Duration(j()*float64(d/2))
}
