package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestDefaultsRunWithNothingSet(t *testing.T) {
	cfg, err := Load(envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:8080" || cfg.DataDir != "./data" || cfg.RedisURL != "" {
		t.Errorf("defaults = %q %q %q", cfg.Addr, cfg.DataDir, cfg.RedisURL)
	}
	if cfg.Calendar.Location().String() != "Asia/Shanghai" {
		t.Errorf("timezone = %s", cfg.Calendar.Location())
	}
	if cfg.SLA.FirstResponse.D() != time.Hour || cfg.Limits.VerifyAttempts != 5 {
		t.Errorf("sla/limits defaults wrong: %+v %+v", cfg.SLA, cfg.Limits)
	}
	if cfg.Limits.VerifyIdle.D() != 30*time.Minute || cfg.WebChat.TrustedProxy || cfg.WebChat.UploadsPerSessionDay != 60 {
		t.Errorf("web chat defaults wrong: %v %+v", cfg.Limits.VerifyIdle.D(), cfg.WebChat)
	}
}

func TestFileThenEnvironmentWins(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "frontdesk.json")
	writeFile(t, file, `{"addr":"127.0.0.1:9000","data_dir":"/var/lib/fd","sla":{"first_response":"30m"},
		"calendar":{"timezone":"Europe/Berlin","periods":[{"start":"08:00","end":"16:00"}],"working_days":["Mon"]}}`)
	secret := filepath.Join(dir, "token")
	writeFile(t, secret, "  s3cret\n")
	cfg, err := Load(envOf(map[string]string{
		"FRONTDESK_CONFIG":         file,
		"FRONTDESK_ADDR":           "127.0.0.1:9100",
		"TELEGRAM_TOKEN_FILE":      secret,
		"FRONTDESK_API_TOKEN":      "direct",
		"FRONTDESK_API_TOKEN_FILE": secret, // the plain variable wins over _FILE
	}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:9100" {
		t.Errorf("env should win: addr = %s", cfg.Addr)
	}
	if cfg.DataDir != "/var/lib/fd" || cfg.SLA.FirstResponse.D() != 30*time.Minute {
		t.Errorf("file not applied: %s %v", cfg.DataDir, cfg.SLA.FirstResponse.D())
	}
	if cfg.SLA.InquiryAnswer.D() != 24*time.Hour {
		t.Errorf("a field the file does not name keeps its default, got %v", cfg.SLA.InquiryAnswer.D())
	}
	if cfg.Telegram.Token != "s3cret" || cfg.APIToken != "direct" {
		t.Errorf("secrets: telegram %q api %q", cfg.Telegram.Token, cfg.APIToken)
	}
	if cfg.Calendar.Location().String() != "Europe/Berlin" {
		t.Errorf("calendar from file: %s", cfg.Calendar.Location())
	}
}

func TestBadConfigNamesFieldAndFix(t *testing.T) {
	dir := t.TempDir()
	unknown := filepath.Join(dir, "unknown.json")
	writeFile(t, unknown, `{"adress":"x"}`)
	noIdle := filepath.Join(dir, "idle.json")
	writeFile(t, noIdle, `{"limits":{"verify_idle":"0s"}}`)
	noUploads := filepath.Join(dir, "uploads.json")
	writeFile(t, noUploads, `{"web_chat":{"uploads_per_session_day":0}}`)
	badDur := filepath.Join(dir, "dur.json")
	writeFile(t, badDur, `{"sla":{"first_response":"soon"}}`)
	shortWrite := filepath.Join(dir, "write.json")
	writeFile(t, shortWrite, `{"http":{"write_timeout":"30s"}}`)
	noHeader := filepath.Join(dir, "header.json")
	writeFile(t, noHeader, `{"http":{"read_header_timeout":"0s"}}`)
	attempts := filepath.Join(dir, "attempts.json")
	writeFile(t, attempts, `{"outbox":{"max_attempts":12}}`)
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"missing file", map[string]string{"FRONTDESK_CONFIG": filepath.Join(dir, "nope.json")}, []string{"FRONTDESK_CONFIG"}},
		{"unknown field", map[string]string{"FRONTDESK_CONFIG": unknown}, []string{"adress"}},
		{"bad duration", map[string]string{"FRONTDESK_CONFIG": badDur}, []string{"soon"}},
		{"no idle time", map[string]string{"FRONTDESK_CONFIG": noIdle}, []string{"limits.verify_idle"}},
		{"no uploads", map[string]string{"FRONTDESK_CONFIG": noUploads}, []string{"web_chat.uploads_per_session_day"}},
		{"attempts count", map[string]string{"FRONTDESK_CONFIG": attempts}, []string{"outbox.max_attempts", "give_up_after"}},
		{"bad redis url", map[string]string{"REDIS_URL": "localhost:6379"}, []string{"REDIS_URL", "redis://"}},
		{"metrics on the main address", map[string]string{"FRONTDESK_ADDR": "127.0.0.1:9", "FRONTDESK_METRICS_ADDR": "127.0.0.1:9"},
			[]string{"FRONTDESK_METRICS_ADDR", "its own"}},
		{"write timeout under the long poll", map[string]string{"FRONTDESK_CONFIG": shortWrite}, []string{"http.write_timeout", "long poll"}},
		{"no header timeout", map[string]string{"FRONTDESK_CONFIG": noHeader}, []string{"http.read_header_timeout"}},
		{"bad timezone", map[string]string{"FRONTDESK_TIMEZONE": "Nowhere"}, []string{"FRONTDESK_TIMEZONE", "IANA"}},
		{"webhook without secret", map[string]string{"TELEGRAM_TOKEN": "t", "TELEGRAM_WEBHOOK_URL": "https://x"}, []string{"TELEGRAM_WEBHOOK_SECRET"}},
		{"slack without channel", map[string]string{"SLACK_BOT_TOKEN": "x", "SLACK_APP_TOKEN": "y"}, []string{"SLACK_STAFF_CHANNEL"}},
		{"retention not a number", map[string]string{"FRONTDESK_RETENTION_DAYS": "a year"}, []string{"FRONTDESK_RETENTION_DAYS"}},
		{"retention zero", map[string]string{"FRONTDESK_RETENTION_DAYS": "0"}, []string{"retention_days"}},
		{"missing secret file", map[string]string{"SLACK_BOT_TOKEN_FILE": filepath.Join(dir, "none")}, []string{"SLACK_BOT_TOKEN_FILE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(envOf(tt.env))
			if err == nil {
				t.Fatal("Load accepted a bad configuration")
			}
			for _, w := range tt.want {
				if !contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func writeFile(t *testing.T, path, body string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

// rule: STF-1
func TestSharedStaffPasswordIsRefused(t *testing.T) {
	for _, name := range []string{"FRONTDESK_STAFF_PASSWORD", "FRONTDESK_STAFF_PASSWORD_FILE"} {
		_, err := Load(envOf(map[string]string{name: "pw"}))
		if err == nil || !contains(err.Error(), name+" is no longer read") || !contains(err.Error(), "frontdesk staff add") {
			t.Errorf("%s: %v", name, err)
		}
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "admin")
	writeFile(t, file, "a long admin password\n")
	cfg, err := Load(envOf(map[string]string{"FRONTDESK_ADMIN_PASSWORD_FILE": file}))
	if err != nil || cfg.AdminPassword != "a long admin password" {
		t.Fatalf("admin password from a file: %q %v", cfg.AdminPassword, err)
	}
	if _, err := Load(envOf(map[string]string{"FRONTDESK_ADMIN_PASSWORD": "short"})); err == nil || !contains(err.Error(), "FRONTDESK_ADMIN_PASSWORD") {
		t.Fatalf("a short admin password: %v", err)
	}
}

// A configuration error never shows a secret: a REDIS_URL may hold the
// password.
func TestConfigErrorsHideSecrets(t *testing.T) {
	_, err := Load(envOf(map[string]string{"REDIS_URL": "http://:hunter2@localhost:6379"}))
	if err == nil || contains(err.Error(), "hunter2") {
		t.Fatalf("error: %v", err)
	}
}

func TestMetricsAndHTTPSettings(t *testing.T) {
	cfg, err := Load(envOf(map[string]string{"FRONTDESK_METRICS_ADDR": "127.0.0.1:9101", "FRONTDESK_METRICS_TOKEN": "m"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.MetricsAddr != "127.0.0.1:9101" || cfg.MetricsToken != "m" {
		t.Fatalf("metrics: %q %q", cfg.MetricsAddr, cfg.MetricsToken)
	}
	if h := cfg.HTTP; h.ReadHeaderTimeout.D() != 10*time.Second || h.WriteTimeout.D() <= LongestLongPoll {
		t.Fatalf("http defaults: %+v", h)
	}
}
