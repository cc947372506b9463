package main

import (
	"context"
	"crypto/subtle"
	"errors"
	"net"
	"net/http"
	"strings"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"frontdesk/config"
	"frontdesk/internal/jsonhttp"
)

// newHTTPServer is an HTTP server with the configured timeouts: headers
// must arrive within ReadHeaderTimeout (a slowloris sending them a byte at
// a time is dropped), the whole request within ReadTimeout, the answer
// within WriteTimeout (longer than the web chat's long poll, checked by
// config), and an idle kept-alive connection is closed after IdleTimeout.
func newHTTPServer(h http.Handler, c config.HTTP) *http.Server {
	return &http.Server{Handler: h, ReadHeaderTimeout: c.ReadHeaderTimeout.D(), ReadTimeout: c.ReadTimeout.D(),
		WriteTimeout: c.WriteTimeout.D(), IdleTimeout: c.IdleTimeout.D(), MaxHeaderBytes: 64 << 10}
}

// metrics is the Prometheus endpoint, behind FRONTDESK_METRICS_TOKEN when
// it is set.
func (d *desk) metrics() http.Handler {
	h := promhttp.HandlerFor(d.reg, promhttp.HandlerOpts{})
	token := d.cfg.MetricsToken
	if token == "" {
		return h
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			jsonhttp.Error(w, http.StatusUnauthorized, "unauthorized", "", "send Authorization: Bearer <FRONTDESK_METRICS_TOKEN>")
			return
		}
		h.ServeHTTP(w, r)
	})
}

// metricsServer serves /metrics alone on ln (FRONTDESK_METRICS_ADDR) until
// stop is called; stop waits for the requests in hand up to ctx.
func (d *desk) metricsServer(ln net.Listener) (stop func(ctx context.Context) error) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", d.metrics())
	srv := newHTTPServer(mux, d.cfg.HTTP)
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	return func(ctx context.Context) error {
		err := srv.Shutdown(ctx)
		if serveErr := <-done; !errors.Is(serveErr, http.ErrServerClosed) {
			err = errors.Join(err, serveErr)
		}
		return err
	}
}
