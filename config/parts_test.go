package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The date replaced parts are due back by is configuration: 30 days and a
// reminder 3 days before by default, a file may change them, and a bad
// value is refused with the field named.
// rule: PRT-4
func TestPartsReturnSettings(t *testing.T) {
	if d := Default(); d.PartsReturnDays != 30 || d.PartsRemindDays != 3 {
		t.Fatalf("defaults: %d, %d", d.PartsReturnDays, d.PartsRemindDays)
	}
	path := filepath.Join(t.TempDir(), "c.json")
	os.WriteFile(path, []byte(`{"parts_return_days": 14, "parts_remind_days": 2}`), 0o600)
	cfg, err := Load(func(k string) string { return map[string]string{"FRONTDESK_CONFIG": path}[k] })
	if err != nil || cfg.PartsReturnDays != 14 || cfg.PartsRemindDays != 2 {
		t.Fatalf("from the file: %v %d %d", err, cfg.PartsReturnDays, cfg.PartsRemindDays)
	}
	for _, change := range []func(*Config){
		func(c *Config) { c.PartsReturnDays = 0 },
		func(c *Config) { c.PartsRemindDays = -1 },
		func(c *Config) { c.PartsRemindDays = 30 },
	} {
		c := Default()
		change(&c)
		if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "parts_return_days") {
			t.Errorf("%+v: %v", c.PartsReturnDays, err)
		}
	}
}
