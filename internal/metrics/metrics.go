// Package metrics holds the desk's Prometheus series, shared by the desk
// loop (inbound events, step time) and the outbox sender (deliveries).
package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the desk's Prometheus series. A nil *Metrics records nothing,
// so tests that do not look at metrics need not build one.
type Metrics struct {
	inboundTotal   *prometheus.CounterVec
	duplicateTotal *prometheus.CounterVec
	outboundTotal  *prometheus.CounterVec
	stepSeconds    prometheus.Histogram
}

// counters is a counter vector named name, with its help text and labels.
func counters(name, help string, labels ...string) *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, labels)
}

// New registers the desk's series on reg.
func New(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		inboundTotal: counters("frontdesk_inbound_messages_total",
			"Inbound customer events by channel.", "channel"),
		duplicateTotal: counters("frontdesk_inbound_duplicates_total",
			"Inbound events dropped as already handled, by channel.", "channel"),
		outboundTotal: counters("frontdesk_outbound_messages_total",
			"Outbound delivery attempts by channel and result (sent, retry, deferred, dead).", "channel", "result"),
		stepSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "frontdesk_dialog_step_seconds",
			Help:    "Time to handle one inbound event: state load, dialog step, commit, state save.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
	}
	reg.MustRegister(m.inboundTotal, m.duplicateTotal, m.outboundTotal, m.stepSeconds)
	return m
}

// Inbound counts an inbound customer event.
func (m *Metrics) Inbound(channel string) {
	if m != nil {
		m.inboundTotal.WithLabelValues(channel).Inc()
	}
}

// Duplicate counts an inbound event dropped as already handled.
func (m *Metrics) Duplicate(channel string) {
	if m != nil {
		m.duplicateTotal.WithLabelValues(channel).Inc()
	}
}

// Outbound counts a delivery attempt by its result: sent, retry, deferred
// (the channel said "later": its own pace or a 429) or dead.
func (m *Metrics) Outbound(channel, result string) {
	if m != nil {
		m.outboundTotal.WithLabelValues(channel, result).Inc()
	}
}

// ObserveStep records the time one inbound event took, end to end.
func (m *Metrics) ObserveStep(d time.Duration) {
	if m != nil {
		m.stepSeconds.Observe(d.Seconds())
	}
}
