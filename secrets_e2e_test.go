package main

import (
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"frontdesk/bot/slack/slackfake"
	"frontdesk/bot/telegram/telegramtest"
	"frontdesk/internal/testkit"
)

// secretEnv is every secret the desk takes, each set to a value that cannot
// appear anywhere by chance.
var secretEnv = map[string]string{
	"TELEGRAM_TOKEN":           "5550001:TGSECRETaaaa-never-shown",
	"TELEGRAM_WEBHOOK_SECRET":  "tg-webhook-SECRET-bbbb",
	"SLACK_BOT_TOKEN":          "xoxb-SECRET-cccc",
	"SLACK_APP_TOKEN":          "xapp-SECRET-dddd",
	"SLACK_SIGNING_SECRET":     "slack-signing-SECRET-eeee",
	"FRONTDESK_API_TOKEN":      "api-SECRET-ffff",
	"FRONTDESK_ADMIN_PASSWORD": "admin-SECRET-gggg",
	"FRONTDESK_METRICS_TOKEN":  "metrics-SECRET-hhhh",
}

// A Bot API and Slack outage (500s, then connections closed) while
// customers write and the back office posts a shipment: no secret reaches
// the logs, any column of the database, /readyz or /metrics.
func TestSecretsNeverLeakDuringAnOutage(t *testing.T) {
	tg := telegramtest.NewWithToken(t, secretEnv["TELEGRAM_TOKEN"])
	sl := slackfake.New(t)
	env := freshEnv(t)
	for k, v := range secretEnv {
		env[k] = v
	}
	env["TELEGRAM_API_ENDPOINT"], env["SLACK_API_URL"], env["SLACK_STAFF_CHANNEL"] = tg.URL, sl.URL, "CSTAFF"
	// Quick retries, so the outage is met often in a few seconds.
	env["FRONTDESK_CONFIG"] = filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(env["FRONTDESK_CONFIG"], []byte(`{"outbox": {"base_backoff": "100ms", "max_backoff": "500ms"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	fd := start(t, env, "--demo")
	dbPath := filepath.Join(env["FRONTDESK_DATA"], "frontdesk.db")

	// A Telegram customer verifies by their contact while all is well.
	for _, u := range []map[string]any{telegramtest.TextMsg("/start", "en"), telegramtest.Callback("menu:where"),
		telegramtest.ContactMsg("13800001234", telegramtest.UserID)} {
		waitOffset(t, tg, tg.Push(u))
	}
	waitFor(t, "the customer verified", func() bool { return sentContains(tg, "you are verified") })

	var seen []source // everything read while the services are down
	for i, how := range []struct {
		tg telegramtest.Outage
		sl slackfake.Outage
	}{{telegramtest.Hangup, slackfake.Hangup}, {telegramtest.Status500, slackfake.Status500}} {
		tg.Down(how.tg)
		sl.Down(how.sl)
		sends, posts := tg.Refused("sendMessage"), sl.Refused()
		polls := strings.Count(fd.stderr.String(), "telegram: getUpdates failed")
		// A web-chat customer asks for a person (the case goes to Slack);
		// the back office ships the Telegram customer's order.
		s := fd.newSession()
		fd.say(s, "en", "text", "/start")
		fd.say(s, "en", "choice", "menu:human")
		fd.say(s, "en", "text", "my sofa arrived broken")
		req, _ := http.NewRequest("POST", fd.base+"/api/v1/shipments", strings.NewReader(fmt.Sprintf(`{"order_no":"SO-1001",
			"carrier":"安能物流","tracking_no":"ANE%d","carrier_phone":"4001009288","packages":1,"pieces":1,"volume_m3":0.5,
			"freight_fee":10,"packaging_fee":0,"contains_glass":false,"shipped_on":"2026-11-24","expected_arrival":"2026-11-28"}`, how.tg)))
		req.Header.Set("Authorization", "Bearer "+secretEnv["FRONTDESK_API_TOKEN"])
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		if err != nil || res.StatusCode != http.StatusCreated {
			t.Fatalf("shipment: %v %v", err, res)
		}
		res.Body.Close()
		// Sending and posting have failed in this outage (and polling, the
		// first time: its backoff grows to minutes), and the outbox holds
		// the errors.
		waitFor(t, "failures on both channels", func() bool {
			if tg.Refused("sendMessage") == sends || sl.Refused() == posts ||
				i == 0 && strings.Count(fd.stderr.String(), "telegram: getUpdates failed") == polls {
				return false
			}
			dump, failing := snapshot(t, dbPath)
			if !failing["telegram"] || !failing["staff"] {
				return false
			}
			seen = append(seen, source{"database during the outage", dump})
			return true
		})
		seen = append(seen, source{"/readyz", body(t, fd.base+"/readyz", "")})
		seen = append(seen, source{"/metrics", body(t, fd.base+"/metrics", secretEnv["FRONTDESK_METRICS_TOKEN"])})
	}
	tg.Up()
	sl.Up()
	waitFor(t, "the shipping notices after the outage", func() bool { return sentContains(tg, "ANE1") && sentContains(tg, "ANE2") })
	waitFor(t, "the cards after the outage", func() bool { return len(sl.Posts()) >= 2 })
	if err := fd.stop(); err != nil {
		t.Fatal(err)
	}
	dumpAfter, _ := snapshot(t, dbPath)
	seen = append(seen, source{"stdout", fd.stdout.String()}, source{"stderr", fd.stderr.String()},
		source{"database after the outage", dumpAfter})
	for _, src := range seen {
		for name, secret := range secretEnv {
			if i := strings.Index(src.text, secret); i >= 0 {
				from := strings.LastIndex(src.text[:i], "\n") + 1
				to := i + strings.IndexByte(src.text[i:]+"\n", '\n')
				t.Errorf("%s shows %s (%d times), as in:\n%s", src.name, name, strings.Count(src.text, secret), src.text[from:to])
			}
		}
	}
}

type source struct{ name, text string }

func sentContains(tg *telegramtest.Server, s string) bool {
	for _, m := range tg.SentTo(telegramtest.UserID) {
		if strings.Contains(m.Text, s) {
			return true
		}
	}
	return false
}

// body GETs a page, with a bearer token when given.
func body(t *testing.T, target, token string) string {
	t.Helper()
	status, b := fetch(t, target, token)
	if status != http.StatusOK && status != http.StatusServiceUnavailable {
		t.Fatalf("GET %s: %d %s", target, status, b)
	}
	return b
}

// snapshot reads, beside the running desk and in one read transaction,
// every value of every row of every table of the SQLite file (one line per
// row), and the outbox's pending deliveries that failed for a reason other
// than pacing, by channel.
func snapshot(t *testing.T, path string) (dump string, failing map[string]bool) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=query_only(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	var tables []string
	for _, line := range strings.Split(query(t, tx, "SELECT name FROM sqlite_master WHERE type='table'"), "\n") {
		if line != "" {
			tables = append(tables, line)
		}
	}
	if len(tables) < 10 {
		t.Fatalf("only %d tables: %v", len(tables), tables)
	}
	var b strings.Builder
	for _, table := range tables {
		b.WriteString(table + ":\n" + query(t, tx, `SELECT * FROM "`+table+`"`))
	}
	failing = map[string]bool{}
	for _, ch := range strings.Fields(query(t, tx, `SELECT DISTINCT channel FROM outbox WHERE status='pending'
		AND last_error != '' AND last_error NOT LIKE '%rate limit%'`)) {
		failing[ch] = true
	}
	return b.String(), failing
}

// query runs a query and returns its rows, one a line, values separated
// by tabs.
func query(t *testing.T, tx *sql.Tx, q string) string {
	t.Helper()
	rows, err := tx.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var cells []string
		for _, v := range testkit.RowValues(t, rows) {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			if v != nil {
				cells = append(cells, fmt.Sprint(v))
			}
		}
		b.WriteString(strings.Join(cells, "\t") + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}
