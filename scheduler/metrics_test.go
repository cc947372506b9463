package scheduler

import (
	"bytes"
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"frontdesk/config"
	"frontdesk/internal/metrics"
)

type quickJob struct{}

func (quickJob) Name() string                         { return "quick" }
func (quickJob) Run(context.Context, time.Time) error { return nil }

// Every job run is counted by the scheduler's one wrapper, with its time;
// a job that returns an error or panics counts as a failure.
func TestJobRunsFailuresAndDurationsAreCounted(t *testing.T) {
	reg := prometheus.NewRegistry()
	s := New(context.Background(), time.UTC, time.Now, slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)))
	s.Metrics = metrics.NewOps(reg)
	for _, j := range []Job{quickJob{}, failingJob{}, panicJob{}} {
		if err := s.Add("@every 1m", j); err != nil {
			t.Fatal(err)
		}
	}
	for _, e := range s.cron.Entries() {
		e.WrappedJob.Run()
		e.WrappedJob.Run()
	}
	for job, want := range map[string][2]float64{"quick": {2, 0}, "fails": {2, 2}, "boom": {2, 2}} {
		runs := seriesValue(t, reg, "frontdesk_scheduler_job_runs_total", job)
		failures := seriesValue(t, reg, "frontdesk_scheduler_job_failures_total", job)
		if runs != want[0] || failures != want[1] {
			t.Errorf("%s: %v runs, %v failures, want %v", job, runs, failures, want)
		}
	}
	for _, job := range []string{"quick", "fails", "boom"} {
		if n := seriesValue(t, reg, "frontdesk_scheduler_job_seconds", job); n != 2 {
			t.Errorf("%s: %v durations observed, want 2", job, n)
		}
	}
}

// seriesValue is the value of the series of family name whose one label
// is v: a counter's count, or a histogram's number of observations.
func seriesValue(t *testing.T, reg *prometheus.Registry, name, v string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
		for _, m := range f.GetMetric() {
			if m.GetLabel()[0].GetValue() != v {
				continue
			}
			if h := m.GetHistogram(); h != nil {
				return float64(h.GetSampleCount())
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}

// rule: SLA-7
// A clock that runs out is counted once as breached (by its name) when it
// is escalated to staff, and each escalation is counted by its level; running
// the job again counts nothing more.
func TestClockBreachesAndEscalationsAreCounted(t *testing.T) {
	w := newWorld(t)
	reg := prometheus.NewRegistry()
	w.jobs.Metrics = metrics.NewOps(reg)
	w.at("2026-11-23 10:00") // a Monday, in opening hours
	w.openCase(config.KindInquiry, "")
	w.runSLA(at("2026-11-23 10:59"))
	if n := seriesValue(t, reg, "frontdesk_clock_breaches_total", "first_response"); n != 0 {
		t.Fatalf("breached before due: %v", n)
	}
	w.runSLA(at("2026-11-23 13:00"))
	if n := seriesValue(t, reg, "frontdesk_clock_breaches_total", "first_response"); n != 1 {
		t.Errorf("first_response breaches: %v, want 1", n)
	}
	staff := seriesValue(t, reg, "frontdesk_escalations_total", "staff")
	managers := seriesValue(t, reg, "frontdesk_escalations_total", "managers")
	if staff != 1 || managers != 1 {
		t.Errorf("escalations: %v to staff, %v to managers, want 1 and 1", staff, managers)
	}
}
