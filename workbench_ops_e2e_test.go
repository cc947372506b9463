package main

import (
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
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

// The digest on demand: today so far and any past day, on the staff page,
// in the staff member's language with kinds by name, and its chart; a day
// that is no date or after today is refused in words.
// rule: STF-2
func TestDigestOnDemand(t *testing.T) {
	env := freshEnv(t)
	for _, a := range [][]string{{"wang", "小王", "zh-Hans"}, {"ann", "Ann", "en"}} {
		if _, err := staff(t, env, "e2e password\n", "add", a[0], "--name", a[1], "--role", "supervisor", "--lang", a[2], "--password-stdin"); err != nil {
			t.Fatal(err)
		}
	}
	fd := start(t, env, "--demo")
	reportDamage(t, fd)
	get := func(login, path string) (int, string, string) {
		t.Helper()
		c, _ := fd.staffClient(t, login)
		res, err := c.Get(fd.base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, res.Header.Get("Content-Type"), string(b)
	}
	today := time.Now().In(mustShopZone(t)).Format(time.DateOnly)
	status, _, page := get("wang", "/staff/digest")
	if status != 200 || !strings.Contains(page, "经理日报 "+today) || !strings.Contains(page, "新建服务单：1") ||
		!(strings.Contains(page, "运输损坏：1") || strings.Contains(page, "质量问题：1")) || strings.Contains(page, "_defect") || strings.Contains(page, "_damage") {
		t.Fatalf("today's digest: %d %.3000s", status, page)
	}
	chart := regexp.MustCompile(`src="(/staff/digest/chart\?day=[0-9-]+)"`).FindStringSubmatch(page)
	if chart == nil {
		t.Fatal("no chart on the digest page")
	}
	if status, ctype, body := get("wang", html.UnescapeString(chart[1])); status != 200 || ctype != "image/png" || !strings.HasPrefix(body, "\x89PNG") {
		t.Fatalf("chart: %d %s", status, ctype)
	}
	if _, _, page := get("wang", "/staff/digest?day=2026-01-05"); !strings.Contains(page, "经理日报 2026-01-05") || !strings.Contains(page, "新建服务单：0") {
		t.Fatalf("a past day: %.2000s", page)
	}
	if _, _, page := get("ann", "/staff/digest"); !strings.Contains(page, "Daily digest "+today) || !strings.Contains(page, "New cases: 1") {
		t.Fatalf("in English: %.2000s", page)
	}
	tomorrow := time.Now().In(mustShopZone(t)).AddDate(0, 0, 2).Format(time.DateOnly)
	for _, bad := range []string{"2026-13-45", "yesterday", tomorrow, strings.Repeat("9", 10000)} {
		status, _, page := get("wang", "/staff/digest?day="+url.QueryEscape(bad))
		if status != http.StatusBadRequest || !strings.Contains(page, "请按 2026-11-24 的格式填写，且不晚于今天") || strings.Contains(page, strings.Repeat("9", 100)) {
			t.Errorf("day %.20s: %d", bad, status)
		}
	}
}

func mustShopZone(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}
