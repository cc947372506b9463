package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"frontdesk/store"
)

// PurgeJob forgets what the desk no longer needs to remember, a batch at a
// time: inbound dedupe marks older than the window in which a channel may
// still retry, expired dialog states of the embedded store, and throttle
// keys (order numbers, phones) whose window and lock have ended. It logs
// what it forgot, by kind, in one line.
type PurgeJob struct {
	Store        *store.DB
	DedupeWindow time.Duration
	// ThrottleWindow is the longest window of any store.Throttle; a day
	// (the verification window) when zero.
	ThrottleWindow time.Duration
	// WebSessionIdle: a web-chat session unused (or ended) for longer is
	// forgotten; kept when zero.
	WebSessionIdle time.Duration
	Log            *slog.Logger // nil: no log line
}

// Name implements Job.
func (PurgeJob) Name() string { return "purge" }

// Run implements Job.
func (p PurgeJob) Run(ctx context.Context, now time.Time) error {
	window := p.ThrottleWindow
	if window <= 0 {
		window = 24 * time.Hour
	}
	e := store.Expiry{Now: now, DedupeBefore: now.Add(-p.DedupeWindow), ThrottleWindow: window}
	if p.WebSessionIdle > 0 {
		e.WebSessionsBefore = now.Add(-p.WebSessionIdle)
	}
	purged, err := p.Store.PurgeExpired(ctx, e)
	if err != nil {
		return fmt.Errorf("scheduler: purge: %w", err)
	}
	if p.Log != nil {
		p.Log.Info("purge: expired records forgotten", purged.LogArgs()...)
	}
	return nil
}
