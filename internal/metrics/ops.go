package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Ops are the series of the desk's background work: SLA clocks that ran
// out and the escalations sent for them, and the scheduler's job runs. A
// nil *Ops records nothing.
type Ops struct {
	clockBreaches *prometheus.CounterVec
	escalations   *prometheus.CounterVec
	jobRuns       *prometheus.CounterVec
	jobFailures   *prometheus.CounterVec
	jobSeconds    *prometheus.HistogramVec
}

// NewOps registers the background work's series on reg.
func NewOps(reg prometheus.Registerer) *Ops {
	m := &Ops{
		clockBreaches: counters("frontdesk_clock_breaches_total",
			"SLA clocks found past due while still running, by clock name.", "clock"),
		escalations: counters("frontdesk_escalations_total",
			"Escalations sent for clocks past due, by level (staff, managers).", "level"),
		jobRuns: counters("frontdesk_scheduler_job_runs_total",
			"Scheduler job runs by job name, failed or not.", "job"),
		jobFailures: counters("frontdesk_scheduler_job_failures_total",
			"Scheduler job runs that returned an error or panicked, by job name.", "job"),
		jobSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "frontdesk_scheduler_job_seconds",
			Help:    "Time a scheduler job run took, by job name.",
			Buckets: []float64{.001, .005, .01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		}, []string{"job"}),
	}
	reg.MustRegister(m.clockBreaches, m.escalations, m.jobRuns, m.jobFailures, m.jobSeconds)
	// Both levels show from the start (at 0), so a dashboard's rate has a
	// series before the first escalation.
	for _, level := range []string{"staff", "managers"} {
		m.escalations.WithLabelValues(level)
	}
	return m
}

// ClockBreached counts a running clock found past its due time, once per
// clock (the SLA job escalates it to staff the same moment).
func (m *Ops) ClockBreached(clock string) {
	if m != nil {
		m.clockBreaches.WithLabelValues(clock).Inc()
	}
}

// Escalated counts an escalation sent, to "staff" or to "managers".
func (m *Ops) Escalated(level string) {
	if m != nil {
		m.escalations.WithLabelValues(level).Inc()
	}
}

// JobRun records one run of a scheduler job: how long it took and whether
// it failed.
func (m *Ops) JobRun(job string, took time.Duration, failed bool) {
	if m == nil {
		return
	}
	m.jobRuns.WithLabelValues(job).Inc()
	m.jobSeconds.WithLabelValues(job).Observe(took.Seconds())
	if failed {
		m.jobFailures.WithLabelValues(job).Inc()
	}
}
