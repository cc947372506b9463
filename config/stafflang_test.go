package config

import (
	"strings"
	"testing"
)

// TestStaffLang: the staff channels speak zh-Hans unless configured, and a
// language the desk does not have is refused at start-up with the fix.
func TestStaffLang(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cfg, err := Load(env(map[string]string{}))
	if err != nil || cfg.StaffLanguage() != "zh-Hans" {
		t.Fatalf("default: %q %v", cfg.StaffLanguage(), err)
	}
	cfg, err = Load(env(map[string]string{"FRONTDESK_STAFF_LANG": "en", "FRONTDESK_CHART_FONT": "/fonts/x.ttc"}))
	if err != nil || cfg.StaffLanguage() != "en" || cfg.ChartFont != "/fonts/x.ttc" {
		t.Fatalf("configured: %q %q %v", cfg.StaffLanguage(), cfg.ChartFont, err)
	}
	for _, bad := range []string{"fr", "zh", "<script>", strings.Repeat("x", 10000)} {
		_, err = Load(env(map[string]string{"FRONTDESK_STAFF_LANG": bad}))
		if err == nil || !strings.Contains(err.Error(), "FRONTDESK_STAFF_LANG") || !strings.Contains(err.Error(), "zh-Hans") {
			t.Errorf("%.20q: %v", bad, err)
		}
	}
}
