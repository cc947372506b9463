package scheduler

import (
	"context"
	"time"
)

// PartsDesk runs the spare-parts jobs of 003 (the desk).
type PartsDesk interface {
	// RunPartsDue reminds of replaced parts due back and charges those
	// not returned by their date (PRT-4).
	RunPartsDue(ctx context.Context, remindBefore time.Duration) (reminded, charged int, err error)
	// PostPartsCounts posts last month's parts counts to the managers
	// once (PRT-7); posted is false when they were posted already.
	PostPartsCounts(ctx context.Context) (posted bool, err error)
}

// PartsDueJob reminds of and charges replaced parts (PRT-4), once a day.
type PartsDueJob struct {
	Desk         PartsDesk
	RemindBefore time.Duration // how long before the date the reminder goes (3 days when 0)
}

// Name implements Job.
func (PartsDueJob) Name() string { return "parts_due" }

// Run implements Job.
func (j PartsDueJob) Run(ctx context.Context, _ time.Time) error {
	if j.Desk == nil {
		return nil
	}
	_, _, err := j.Desk.RunPartsDue(ctx, j.RemindBefore)
	return err
}

// PartsCountJob posts the month's parts counts on the 3rd (003: the
// month's figures by the 3rd), in the managers' channel and on the digest
// page (PRT-7).
type PartsCountJob struct{ Desk PartsDesk }

// Name implements Job.
func (PartsCountJob) Name() string { return "parts_counts" }

// Run implements Job.
func (j PartsCountJob) Run(ctx context.Context, _ time.Time) error {
	return whenWired(j.Desk != nil, func() (bool, error) { return j.Desk.PostPartsCounts(ctx) })
}
