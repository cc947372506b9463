package main

import (
	"strings"
	"testing"
)

// The background work's series are on the desk's /metrics: escalations by
// level from the start, next to the outbox's backlog (breaches and job runs
// show once they happen; scheduler/metrics_test.go moves them).
func TestOpsSeriesOnMetrics(t *testing.T) {
	fd := start(t, freshEnv(t), "--demo")
	status, body := fd.get("/metrics")
	for _, want := range []string{`frontdesk_escalations_total{level="staff"} 0`, `frontdesk_escalations_total{level="managers"} 0`,
		"frontdesk_outbox_backlog"} {
		if status != 200 || !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s:\n%s", want, grep(body, "frontdesk_"))
		}
	}
}
