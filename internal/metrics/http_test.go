package metrics

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// Requests are counted by the mux's route, not the raw path, with their
// status; a stream can still flush through the wrapper; the case gauges
// read the store at scrape time.
func TestHTTPMetrics(t *testing.T) {
	reg := prometheus.NewRegistry()
	m := NewHTTP(reg)
	if again := NewHTTP(reg); again.requests != m.requests {
		t.Fatal("a second handler on one registry got its own series")
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /staff/case/{no}", func(w http.ResponseWriter, r *http.Request) {
		if r.PathValue("no") == "gone" {
			http.NotFound(w, r)
			return
		}
		if err := http.NewResponseController(w).Flush(); err != nil {
			t.Errorf("flush through the wrapper: %v", err)
		}
	})
	h := m.Wrap(mux)
	for _, path := range []string{"/staff/case/AS-1", "/staff/case/AS-2", "/staff/case/gone", "/nowhere"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", path, nil))
	}
	for _, tc := range []struct {
		route, status string
		want          float64
	}{{"GET /staff/case/{no}", "200", 2}, {"GET /staff/case/{no}", "404", 1}, {"unmatched", "404", 1}} {
		if got := counter(t, m.requests.WithLabelValues(tc.route, "GET", tc.status)); got != tc.want {
			t.Errorf("%s %s: %v, want %v", tc.route, tc.status, got, tc.want)
		}
	}
	if n := len(gauges(t, reg, "frontdesk_http_request_seconds")); n != 2 {
		t.Errorf("duration series: %d", n)
	}

	open, fail := 3, false
	CaseGauges(reg, func() (int, int, error) {
		if fail {
			return 0, 0, errors.New("store down")
		}
		return open, 1, nil
	})
	if o, d := gauges(t, reg, "frontdesk_cases_open"), gauges(t, reg, "frontdesk_cases_overdue"); len(o) != 1 || o[0].GetGauge().GetValue() != 3 ||
		len(d) != 1 || d[0].GetGauge().GetValue() != 1 {
		t.Fatalf("case gauges: %v %v", o, d)
	}
	fail = true
	if o := gauges(t, reg, "frontdesk_cases_open"); o[0].GetGauge().GetValue() != -1 {
		t.Errorf("a failing count reports %v", o[0].GetGauge().GetValue())
	}
}

func counter(t *testing.T, c prometheus.Counter) float64 {
	t.Helper()
	var m dto.Metric
	if err := c.Write(&m); err != nil {
		t.Fatal(err)
	}
	return m.GetCounter().GetValue()
}

// gauges is every series of the family name that reg gathers.
func gauges(t *testing.T, reg *prometheus.Registry, name string) []*dto.Metric {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			return mf.Metric
		}
	}
	return nil
}
