// Package scheduler runs the desk's periodic jobs with robfig/cron in the
// shop's time zone. Cron only decides when to look; what is due is decided
// by each job from the store and the injected clock, so a missed tick
// (a restart, a skipped hour) is caught up at the next one.
package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"frontdesk/internal/metrics"
)

// Job is one periodic task. Run gets the time of the injected clock.
type Job interface {
	Name() string
	Run(ctx context.Context, now time.Time) error
}

// Scheduler runs jobs on cron specs.
type Scheduler struct {
	cron *cron.Cron
	ctx  context.Context
	now  func() time.Time
	log  *slog.Logger
	// Locker, when set, lets one replica run each job run.
	Locker Locker
	// Metrics, when set, counts each job run, its failures and its time.
	Metrics *metrics.Ops
}

// jobLease bounds how long a crashed runner keeps a job from the others.
const jobLease = 10 * time.Minute

// New builds a scheduler in loc. Jobs get ctx (cancelled at shutdown) and
// the time from now.
func New(ctx context.Context, loc *time.Location, now func() time.Time, log *slog.Logger) *Scheduler {
	l := cronLogger{log}
	// robfig/cron recovers no panic by default, and a panic inside
	// SkipIfStillRunning would keep the job skipped for ever: Recover must be
	// the inner wrapper, so it comes last in the chain.
	c := cron.New(cron.WithLocation(loc), cron.WithChain(cron.SkipIfStillRunning(l), cron.Recover(l)))
	return &Scheduler{cron: c, ctx: ctx, now: now, log: log}
}

// Add schedules job on a cron spec ("*/5 * * * *", "@every 1m").
func (s *Scheduler) Add(spec string, job Job) error {
	if _, err := s.cron.AddJob(spec, s.wrap(job)); err != nil {
		return fmt.Errorf("scheduler: %s %q: %w", job.Name(), spec, err)
	}
	return nil
}

// wrap adapts a Job to cron and logs its outcome.
func (s *Scheduler) wrap(job Job) cron.Job {
	return cron.FuncJob(func() { s.RunJob(job) })
}

// RunJob runs a job now, under the lock when there is one.
func (s *Scheduler) RunJob(job Job) {
	if s.Locker != nil {
		unlock, ok, err := s.Locker.Lock(s.ctx, job.Name(), jobLease)
		if err != nil {
			s.log.Error("scheduler: lock", "job", job.Name(), "err", err)
			return
		}
		if !ok {
			s.log.Debug("scheduler: another replica runs the job", "job", job.Name())
			return
		}
		defer unlock()
	}
	start := time.Now()
	failed := true // a panic leaves it set: cron.Recover logs it, the run counts as failed
	defer func() { s.Metrics.JobRun(job.Name(), time.Since(start), failed) }()
	if err := job.Run(s.ctx, s.now()); err != nil {
		s.log.Error("scheduler: job failed", "job", job.Name(), "err", err)
		return
	}
	failed = false
	s.log.Debug("scheduler: job done", "job", job.Name(), "took", time.Since(start))
}

// Start starts the cron loop in its own goroutine.
func (s *Scheduler) Start() { s.cron.Start() }

// Stop stops scheduling and waits, until ctx ends, for running jobs.
func (s *Scheduler) Stop(ctx context.Context) {
	done := s.cron.Stop().Done()
	select {
	case <-done:
	case <-ctx.Done():
		s.log.Warn("scheduler: jobs still running at shutdown deadline")
	}
}

// cronLogger gives cron our structured log.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}
