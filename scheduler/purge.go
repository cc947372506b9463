package scheduler

import (
	"context"
	"fmt"
	"time"

	"frontdesk/store"
)

// PurgeJob forgets what the desk no longer needs to remember: inbound
// dedupe marks older than the window in which a channel may still retry,
// and expired dialog states of the embedded store.
type PurgeJob struct {
	Store        *store.DB
	DedupeWindow time.Duration
}

// Name implements Job.
func (PurgeJob) Name() string { return "purge" }

// Run implements Job.
func (p PurgeJob) Run(ctx context.Context, now time.Time) error {
	if _, err := p.Store.PurgeInbound(ctx, now.Add(-p.DedupeWindow)); err != nil {
		return fmt.Errorf("scheduler: purge: %w", err)
	}
	if _, err := p.Store.PurgeDialogs(ctx, now); err != nil {
		return fmt.Errorf("scheduler: purge: %w", err)
	}
	return nil
}
