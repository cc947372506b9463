package metrics

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// HTTP are the series of the HTTP server: requests by route (the mux's
// pattern, never the raw path, so case numbers make no new series), method
// and status, and their durations by route.
type HTTP struct {
	requests *prometheus.CounterVec
	seconds  *prometheus.HistogramVec
}

// NewHTTP registers the HTTP series on reg; series already there (a second
// handler on one registry) are shared.
func NewHTTP(reg prometheus.Registerer) *HTTP {
	m := &HTTP{
		requests: counters("frontdesk_http_requests_total",
			"HTTP requests by route, method and status.", "route", "method", "status"),
		seconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "frontdesk_http_request_seconds", Help: "HTTP request durations by route (streams count until they end).",
			Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"route"}),
	}
	m.requests = register(reg, m.requests)
	m.seconds = register(reg, m.seconds)
	return m
}

func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if old, ok := are.ExistingCollector.(C); ok {
				return old
			}
		}
		panic(err)
	}
	return c
}

// Wrap counts and times every request h serves. The route is the pattern
// the mux matched ("GET /staff/case/{no}"), or "unmatched".
func (m *HTTP) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		m.requests.WithLabelValues(route, r.Method, strconv.Itoa(rec.status)).Inc()
		m.seconds.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}

// recorder keeps the status a handler wrote. Unwrap lets
// http.ResponseController reach the connection (flushes of event streams,
// deadlines).
type recorder struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	return r.ResponseWriter.Write(b)
}

func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// CaseGauges registers the open and overdue case counts, read from count
// when Prometheus scrapes; an error reports -1.
func CaseGauges(reg prometheus.Registerer, count func() (open, overdue int, err error)) {
	read := func(pick func(open, overdue int) int) func() float64 {
		return func() float64 {
			open, overdue, err := count()
			if err != nil {
				return -1
			}
			return float64(pick(open, overdue))
		}
	}
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "frontdesk_cases_open", Help: "Cases being worked (open or claimed)."},
			read(func(open, _ int) int { return open })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "frontdesk_cases_overdue", Help: "Cases being worked whose next clock is past due."},
			read(func(_, overdue int) int { return overdue })))
}
