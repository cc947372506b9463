package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The limits of approvals and the clocks of a major complaint are
// configuration: defaults from the handbooks, a file may change them, and a
// bad value is refused with the field named.
// rule: WAL-6, CMP-4
func TestApprovalAndComplaintSettings(t *testing.T) {
	d := Default()
	if d.ClerkCompensationLimitRolls != 3 || d.SLA.ComplaintWrittenSolution.D() != 24*time.Hour || d.SLA.ComplaintGMCallback.D() != 24*time.Hour {
		t.Fatalf("defaults: %d rolls, %v, %v", d.ClerkCompensationLimitRolls, d.SLA.ComplaintWrittenSolution.D(), d.SLA.ComplaintGMCallback.D())
	}
	path := filepath.Join(t.TempDir(), "c.json")
	os.WriteFile(path, []byte(`{"clerk_compensation_limit_rolls": 2, "sla": {"complaint_gm_callback": "12h"}}`), 0o600)
	cfg, err := Load(func(k string) string { return map[string]string{"FRONTDESK_CONFIG": path}[k] })
	if err != nil || cfg.ClerkCompensationLimitRolls != 2 || cfg.SLA.ComplaintGMCallback.D() != 12*time.Hour {
		t.Fatalf("from the file: %v %+v", err, cfg.SLA)
	}
	for field, change := range map[string]func(*Config){
		"clerk_compensation_limit_rolls": func(c *Config) { c.ClerkCompensationLimitRolls = 0 },
		"sla.complaint_gm_callback":      func(c *Config) { c.SLA.ComplaintGMCallback = 0 },
		"sla.complaint_written_solution": func(c *Config) { c.SLA.ComplaintWrittenSolution = -1 },
	} {
		c := Default()
		change(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), field) {
			t.Errorf("%s: %v", field, err)
		}
	}
}
