package conversations

import (
	"strings"
	"testing"
	"time"

	"frontdesk/config"
)

// Durations are said as they are: never "0 小时", half hours in minutes.
func TestSayDuration(t *testing.T) {
	tests := []struct {
		d            time.Duration
		zh, hant, en string
	}{
		{30 * time.Minute, "30 分钟", "30 分鐘", "30 minutes"},
		{time.Hour, "1 小时", "1 小時", "1 hour"},
		{90 * time.Minute, "1 小时 30 分钟", "1 小時 30 分鐘", "1 hour 30 minutes"},
		{61 * time.Minute, "1 小时 1 分钟", "1 小時 1 分鐘", "1 hour 1 minute"},
		{24 * time.Hour, "24 小时", "24 小時", "24 hours"},
		{72 * time.Hour, "72 小时", "72 小時", "72 hours"},
		{20 * time.Second, "1 分钟", "1 分鐘", "1 minute"},
		{0, "1 分钟", "1 分鐘", "1 minute"},
	}
	for _, tt := range tests {
		for lang, want := range map[Lang]string{ZhHans: tt.zh, ZhHant: tt.hant, En: tt.en} {
			if got := SayDuration(lang, tt.d); got != want {
				t.Errorf("SayDuration(%s, %v) = %q, want %q", lang, tt.d, got, want)
			}
		}
	}
}

func TestSayWhen(t *testing.T) {
	loc := time.FixedZone("CST", 8*3600)
	now := time.Date(2026, 11, 29, 2, 0, 0, 0, loc) // a Sunday
	tests := []struct {
		t      time.Time
		zh, en string
	}{
		{time.Date(2026, 11, 29, 10, 0, 0, 0, loc), "今天 10:00", "10:00 today"},
		{time.Date(2026, 11, 30, 10, 0, 0, 0, loc), "明天（周一）10:00", "10:00 on Monday"},
		{time.Date(2026, 12, 2, 9, 30, 0, 0, loc), "周三 09:30", "09:30 on Wednesday"},
		{time.Date(2026, 12, 8, 9, 0, 0, 0, loc), "12月8日 09:00", "09:00 on 8 December"},
		{time.Date(2026, 11, 29, 18, 30, 0, 0, time.UTC), "明天（周一）02:30", "02:30 on Monday"}, // said in the shop's zone
	}
	for _, tt := range tests {
		if got := SayWhen(ZhHans, now, tt.t, loc); got != tt.zh {
			t.Errorf("zh %s: %q, want %q", tt.t, got, tt.zh)
		}
		if got := SayWhen(En, now, tt.t, loc); got != tt.en {
			t.Errorf("en %s: %q, want %q", tt.t, got, tt.en)
		}
	}
}

// rule: SLA-10
// The promise a customer reads says the real time when the shop is closed
// or the target runs past closing time, and the plain duration otherwise;
// never "0 小时".
func TestPromiseSaysTheRealTime(t *testing.T) {
	cfg := config.Default() // Mon–Sat, 09:00–12:00 and 13:30–18:00, Asia/Shanghai
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	loc := cfg.Calendar.Location()
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name, now, clock string
		target           time.Duration
		zh, en           string
	}{
		{"open, fits", "2026-11-24 10:00", "first_response", time.Hour, "在 1 小时内", "within 1 hour"},
		{"half an hour", "2026-11-24 10:00", "first_response", 30 * time.Minute, "在 30 分钟内", "within 30 minutes"},
		{"ninety minutes", "2026-11-24 10:00", "first_response", 90 * time.Minute, "在 1 小时 30 分钟内", "within 1 hour 30 minutes"},
		{"ninety minutes over lunch", "2026-11-24 11:00", "first_response", 90 * time.Minute, "于今天 14:00 前", "by 14:00 today"},
		{"Sunday night", "2026-11-29 02:00", "first_response", time.Hour, "于明天（周一）10:00 前（我们 09:00 开门）", "by 10:00 on Monday (we open at 09:00)"},
		{"Saturday night", "2026-11-28 22:00", "complaint_apology", time.Hour, "于周一 10:00 前（我们 09:00 开门）", "by 10:00 on Monday (we open at 09:00)"},
		{"before closing", "2026-11-27 17:30", "repair_dispatch", time.Hour, "于明天（周六）09:30 前", "by 09:30 on Saturday"},
		{"in the lunch break", "2026-11-24 12:15", "first_response", time.Hour, "于今天 14:30 前（我们 13:30 开门）", "by 14:30 today (we open at 13:30)"},
		{"a wall-time clock at night", "2026-11-29 02:00", "complaint_solution", 24 * time.Hour, "在 24 小时内", "within 24 hours"},
	}
	for _, tt := range tests {
		for lang, want := range map[Lang]string{ZhHans: tt.zh, En: tt.en} {
			env := Env{Now: at(tt.now), Location: loc, Promises: DefaultPromises()}
			env.Promises.When = cfg.Promise
			d := &dialog{env: env, st: State{Lang: lang}}
			if got := d.promise(tt.clock, tt.target); got != want {
				t.Errorf("%s (%s): %q, want %q", tt.name, lang, got, want)
			}
		}
	}
	// Without opening hours (When nil) the promise is the plain target.
	d := &dialog{env: Env{Now: at("2026-11-29 02:00"), Promises: DefaultPromises()}, st: State{Lang: ZhHans}}
	if got := d.promise("first_response", time.Hour); got != "在 1 小时内" || strings.Contains(got, "0 小时") {
		t.Errorf("wall-time promise %q", got)
	}
}
