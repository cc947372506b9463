package main

import (
	"strings"
	"testing"
)

// The real server counts its HTTP requests by route and status, reports
// the open and overdue cases, and has a favicon.
func TestRequestMetricsAndFavicon(t *testing.T) {
	fd := start(t, freshEnv(t), "--demo")
	reportDamage(t, fd)
	fd.get("/healthz")
	if status, body := fd.get("/staff/favicon.svg"); status != 200 || !strings.Contains(body, "<svg") {
		t.Fatalf("favicon: %d", status)
	}
	_, body := fd.get("/metrics")
	for _, want := range []string{`frontdesk_http_requests_total{method="GET",route="GET /healthz",status="200"} 1`,
		`frontdesk_http_requests_total{method="POST",route="POST /chat/api/messages",status="202"}`,
		`frontdesk_http_request_seconds_bucket{route="GET /healthz"`, "frontdesk_cases_open 1", "frontdesk_cases_overdue 0"} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}
