package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// gathered is every sample of reg as "name{label=value,…} value".
func gathered(t *testing.T, reg *prometheus.Registry) map[string]float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			key := f.GetName() + "{" + strings.Join(labels, ",") + "}"
			switch {
			case m.GetCounter() != nil:
				out[key] = m.GetCounter().GetValue()
			case m.GetHistogram() != nil:
				out[key] = float64(m.GetHistogram().GetSampleCount())
			}
		}
	}
	return out
}

func TestSeriesCountWhatTheyName(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := New(reg)
	m.Inbound("web")
	m.Inbound("web")
	m.Duplicate("telegram")
	m.Outbound("web", "sent")
	m.Outbound("web", "retry")
	m.ObserveStep(3 * time.Millisecond)
	got := gathered(t, reg)
	for key, want := range map[string]float64{
		"frontdesk_inbound_messages_total{channel=web}":               2,
		"frontdesk_inbound_duplicates_total{channel=telegram}":        1,
		"frontdesk_outbound_messages_total{channel=web,result=sent}":  1,
		"frontdesk_outbound_messages_total{channel=web,result=retry}": 1,
		"frontdesk_dialog_step_seconds{}":                             1,
	} {
		if got[key] != want {
			t.Errorf("%s = %v, want %v (all: %v)", key, got[key], want, got)
		}
	}
}

// A nil *Metrics records nothing and does not panic.
func TestNilMetricsRecordNothing(t *testing.T) {
	var m *Metrics
	m.Inbound("web")
	m.Duplicate("web")
	m.Outbound("web", "sent")
	m.ObserveStep(time.Second)
}
