package bot

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

// NewMetrics registers the desk's series on reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		inboundTotal: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "frontdesk_inbound_messages_total", Help: "Inbound customer events by channel.",
		}, []string{"channel"}),
		duplicateTotal: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "frontdesk_inbound_duplicates_total", Help: "Inbound events dropped as already handled, by channel.",
		}, []string{"channel"}),
		outboundTotal: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "frontdesk_outbound_messages_total", Help: "Outbound delivery attempts by channel and result (sent, retry, dead).",
		}, []string{"channel", "result"}),
		stepSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "frontdesk_dialog_step_seconds",
			Help:    "Time to handle one inbound event: state load, dialog step, commit, state save.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}),
	}
	reg.MustRegister(m.inboundTotal, m.duplicateTotal, m.outboundTotal, m.stepSeconds)
	return m
}

func (m *Metrics) inbound(channel string) {
	if m != nil {
		m.inboundTotal.WithLabelValues(channel).Inc()
	}
}

func (m *Metrics) duplicate(channel string) {
	if m != nil {
		m.duplicateTotal.WithLabelValues(channel).Inc()
	}
}

func (m *Metrics) outbound(channel, result string) {
	if m != nil {
		m.outboundTotal.WithLabelValues(channel, result).Inc()
	}
}

func (m *Metrics) observeStep(d time.Duration) {
	if m != nil {
		m.stepSeconds.Observe(d.Seconds())
	}
}
