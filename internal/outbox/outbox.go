// Package outbox delivers the desk's outbound messages: each due message of
// the store's outbox to its channel, retried with exponential backoff and
// jitter, a channel's Retry-After honoured. All its state is in the store,
// so a restart resumes where it stopped.
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
}

func (e laterError) Error() string             { return fmt.Sprintf("%s; retry in %v", e.why, e.after) }
func (e laterError) RetryAfter() time.Duration { return e.after }

// RetryLater is what a channel returns for a message to send again after d:
// its own rate limit, or the platform's 429 with Retry-After.
func RetryLater(d time.Duration, why string) error { return laterError{after: d, why: why} }

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

// Sender delivers the outbox: each due message to its channel, retried with
// exponential backoff and jitter, a channel's Retry-After honoured. All its
// state is in the store, so a restart resumes where it stopped.
type Sender struct {
	Store    *store.DB
	Channels map[string]Channel
	Now      func() time.Time
	Config   config.Outbox
	Metrics  *metrics.Metrics
	Log      *slog.Logger
	Jitter   func() float64 // in [0,1); rand.Float64 when nil
	// Signal wakes the sender; it makes its own when nil.
	Signal *Signal
	// AfterSend, when set, runs after a message was delivered and marked
	// sent (the desk marks a staff reply that reached the customer).
	AfterSend func(ctx context.Context, m store.OutboxMessage) error

	signalOnce sync.Once
	signal     *Signal
}

// batch is how many due messages one pass reads.
const batch = 100

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

// Run delivers until ctx is cancelled. A delivery in progress when ctx ends
// is finished; what is not delivered stays pending in the store.
func (s *Sender) Run(ctx context.Context) error {
	wake := s.wakeup().ch
	for {
		// Deliveries use a context that outlives ctx by a little, so a
		// message being sent at shutdown is finished and marked.
		if _, err := s.RunOnce(context.WithoutCancel(ctx)); err != nil {
			s.Log.Error("outbox: pass failed", "err", err)
		}
		wait := s.untilNext(ctx)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil
		case <-wake:
		case <-timer.C:
		}
		timer.Stop()
	}
}

// untilNext is how long to sleep: until the earliest pending message falls
// due, but at most the poll interval (another replica may have written).
func (s *Sender) untilNext(ctx context.Context) time.Duration {
	poll := s.Config.PollEvery.D()
	next, ok, err := s.Store.NextOutboxAttempt(ctx)
	if err != nil || !ok {
		return poll
	}
	wait := next.Sub(s.Now())
	if wait < 0 {
		return 0
	}
	return min(wait, poll)
}

// RunOnce delivers every message due now, repeating while passes find work,
// and returns how many delivery attempts it made.
func (s *Sender) RunOnce(ctx context.Context) (int, error) {
	total := 0
	for {
		due, err := s.Store.DueOutbox(ctx, s.Now(), batch)
		if err != nil {
			return total, err
		}
		if len(due) == 0 {
			return total, nil
		}
		for _, m := range due {
			if err := s.deliver(ctx, m); err != nil {
				return total, err
			}
			total++
		}
	}
}

func (s *Sender) deliver(ctx context.Context, m store.OutboxMessage) error {
	ch, ok := s.Channels[m.Channel]
	if !ok {
		// A channel that is not configured now (its token removed) may be
		// again: keep the message rather than lose it.
		return s.retry(ctx, m, fmt.Errorf("channel %q is not configured", m.Channel), 0)
	}
	err := ch.Send(ctx, m)
	switch {
	case err == nil:
		s.Metrics.Outbound(m.Channel, "sent")
		if err := s.Store.MarkSent(ctx, m.ID, s.Now()); err != nil {
			return err
		}
		if s.AfterSend != nil {
			return s.AfterSend(ctx, m)
		}
		return nil
	case IsPermanent(err):
		s.Metrics.Outbound(m.Channel, "dead")
		s.Log.Warn("outbox: giving up on a message", "id", m.ID, "channel", m.Channel, "err", err)
		return s.Store.MarkDead(ctx, m.ID, err.Error())
	}
	var ra RetryAfter
	if errors.As(err, &ra) {
		return s.retry(ctx, m, err, ra.RetryAfter())
	}
	return s.retry(ctx, m, err, 0)
}

func (s *Sender) retry(ctx context.Context, m store.OutboxMessage, cause error, after time.Duration) error {
	// A channel that says when to come back (429, a rate limit) is obeyed
	// however often; only failures without a word count toward giving up.
	if after <= 0 && m.Attempts+1 >= s.Config.MaxAttempts {
		s.Metrics.Outbound(m.Channel, "dead")
		s.Log.Error("outbox: attempts exhausted", "id", m.ID, "channel", m.Channel, "attempts", m.Attempts+1, "err", cause)
		return s.Store.MarkDead(ctx, m.ID, cause.Error())
	}
	s.Metrics.Outbound(m.Channel, "retry")
	if after <= 0 {
		after = s.Backoff(m.Attempts)
	}
	s.Log.Warn("outbox: delivery failed, will retry", "id", m.ID, "channel", m.Channel, "in", after, "err", cause)
	return s.Store.MarkRetry(ctx, m.ID, s.Now().Add(after), cause.Error())
}

// Backoff is the wait after the given number of failed attempts: the base
// doubled each time, capped, then spread over its upper half by jitter so
// that many failed messages do not all come back at once.
func (s *Sender) Backoff(attempts int) time.Duration {
	d := s.Config.BaseBackoff.D()
	for i := 0; i < attempts && d < s.Config.MaxBackoff.D(); i++ {
		d *= 2
	}
	d = min(d, s.Config.MaxBackoff.D())
	j := s.Jitter
	if j == nil {
		j = rand.Float64
	}
	return d/2 + time.Duration(j()*float64(d/2))
}
