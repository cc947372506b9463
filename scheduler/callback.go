package scheduler

import (
	"context"
	"time"
)

// CallBacker sends the call-backs that are due (the desk).
type CallBacker interface {
	SendCallBacks(ctx context.Context) (int, error)
}

// CallBackJob sends the call-backs of resolved services once they are due
// (CAS-3): a task for staff and a short question to the customer.
type CallBackJob struct{ Desk CallBacker }

// Name implements Job.
func (CallBackJob) Name() string { return "callback" }

// Run implements Job.
func (j CallBackJob) Run(ctx context.Context, _ time.Time) error {
	return whenWired(j.Desk != nil, func() (int, error) { return j.Desk.SendCallBacks(ctx) })
}
