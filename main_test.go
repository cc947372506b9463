package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdesk/internal/testkit"
)

// instance is one frontdesk started in-process, as `frontdesk serve` would.
type instance struct {
	t      testing.TB
	base   string
	stdout *testkit.Buffer
	stderr *testkit.Buffer
	stop   func() error
}

var listening = regexp.MustCompile(`listening on (http://\S+)`)

func start(t testing.TB, env map[string]string, args ...string) *instance {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &testkit.Buffer{}, &testkit.Buffer{}
	done := make(chan error, 1)
	getenv := func(k string) string { return env[k] }
	go func() { done <- run(ctx, append([]string{"serve"}, args...), getenv, stdout, stderr) }()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if m := listening.FindStringSubmatch(stdout.String()); m != nil {
			inst := &instance{t: t, base: m[1], stdout: stdout, stderr: stderr}
			var once sync.Once
			var stopErr error
			inst.stop = func() error {
				once.Do(func() { cancel(); stopErr = <-done })
				return stopErr
			}
			t.Cleanup(func() { inst.stop() })
			return inst
		}
		select {
		case err := <-done:
			t.Fatalf("frontdesk stopped at start: %v\n%s", err, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	t.Fatalf("frontdesk did not say where it listens:\n%s\n%s", stdout.String(), stderr.String())
	return nil
}

func (in *instance) get(path string) (int, string) {
	in.t.Helper()
	res, err := http.Get(in.base + path)
	if err != nil {
		in.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (in *instance) newSession() string {
	in.t.Helper()
	res, err := http.Post(in.base+"/chat/api/session", "", nil)
	if err != nil {
		in.t.Fatal(err)
	}
	defer res.Body.Close()
	var body struct{ Session string }
	json.NewDecoder(res.Body).Decode(&body)
	return body.Session
}

func (in *instance) say(session, lang, field, value string) {
	in.t.Helper()
	b, _ := json.Marshal(map[string]string{"session": session, "lang": lang, field: value})
	res, err := http.Post(in.base+"/chat/api/messages", "application/json", bytes.NewReader(b))
	if err != nil {
		in.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusAccepted {
		in.t.Fatalf("post %s=%q: %d", field, value, res.StatusCode)
	}
}

// upload sends a picture to the web chat as the customer of session.
func (in *instance) upload(session, lang string, pic []byte) {
	in.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("session", session)
	w.WriteField("lang", lang)
	f, _ := w.CreateFormFile("file", "photo.png")
	f.Write(pic)
	w.Close()
	res, err := http.Post(in.base+"/chat/api/photos?session="+session, w.FormDataContentType(), &body)
	if err != nil {
		in.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusAccepted {
		in.t.Fatalf("photo upload: %d", res.StatusCode)
	}
}

type chatMessage struct {
	ID      int64
	Text    string
	Buttons [][]struct{ Label, Data string }
}

func (in *instance) messages(session string) []chatMessage {
	in.t.Helper()
	status, body := in.get("/chat/api/messages?session=" + session)
	if status != 200 {
		in.t.Fatalf("messages: %d %s", status, body)
	}
	var out struct{ Messages []chatMessage }
	json.Unmarshal([]byte(body), &out)
	return out.Messages
}

func freshEnv(t testing.TB) map[string]string {
	return map[string]string{"FRONTDESK_ADDR": "127.0.0.1:0", "FRONTDESK_DATA": t.TempDir()}
}

// rule: DLV-7
// rule: LNG-1
func TestEndToEndWhereIsMyOrderInTwoLanguages(t *testing.T) {
	env := freshEnv(t)
	fd := start(t, env, "--demo")
	if !strings.Contains(fd.stdout.String(), "order SO-1001, phone last four 1234") ||
		!strings.Contains(fd.stdout.String(), fd.base+"/chat") {
		t.Fatalf("start-up does not say where to go and what to type:\n%s", fd.stdout.String())
	}
	tests := []struct {
		lang string
		want []string
	}{
		{"zh-CN", []string{"您好，这里是售后服务台", "请发送您的订单号", "后四位", "验证成功", "订单 SO-1001", "已发货", "德邦物流", "DPK2026112401", "您目前没有未完成的服务单"}},
		{"en-US", []string{"Hello, this is the after-sales desk", "Send me your order number", "last four digits", "you are verified", "Order SO-1001", "shipped", "德邦物流", "DPK2026112401", "You have no open cases"}},
	}
	for _, tt := range tests {
		t.Run(tt.lang, func(t *testing.T) {
			s := fd.newSession()
			fd.say(s, tt.lang, "text", "/start")
			fd.say(s, tt.lang, "choice", fd.buttonData(s, "menu:where"))
			fd.say(s, tt.lang, "text", "SO-1001")
			fd.say(s, tt.lang, "text", "1234")
			fd.say(s, tt.lang, "choice", fd.buttonData(s, "order:SO-1001"))
			fd.say(s, tt.lang, "text", "/status")
			var all strings.Builder
			for _, m := range fd.messages(s) {
				all.WriteString(m.Text + "\n")
			}
			for _, w := range tt.want {
				if !strings.Contains(all.String(), w) {
					t.Errorf("transcript lacks %q:\n%s", w, all.String())
				}
			}
		})
	}
	status, body := fd.get("/metrics")
	if status != 200 || !strings.Contains(body, `frontdesk_inbound_messages_total{channel="web"} 12`) ||
		!strings.Contains(body, "frontdesk_dialog_step_seconds_count 12") || !strings.Contains(body, "frontdesk_outbox_backlog") {
		t.Errorf("metrics:\n%s", grep(body, "frontdesk_"))
	}
}

// buttonData returns the data of a button the bot offered in the last
// message that has it, failing when it was never offered.
func (in *instance) buttonData(session, data string) string {
	in.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		msgs := in.messages(session)
		for i := len(msgs) - 1; i >= 0; i-- {
			for _, row := range msgs[i].Buttons {
				for _, b := range row {
					if b.Data == data {
						return data
					}
				}
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	in.t.Fatalf("the bot never offered a button %q", data)
	return ""
}

func grep(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

func TestHealthAndReadiness(t *testing.T) {
	env := freshEnv(t)
	env["REDIS_URL"] = testkit.RedisURL(t)
	fd := start(t, env)
	if status, body := fd.get("/healthz"); status != 200 || !strings.Contains(body, "ok") {
		t.Fatalf("healthz: %d %s", status, body)
	}
	if status, body := fd.get("/readyz"); status != 200 || strings.TrimSpace(body) != `{"store":"ok","redis":"ok"}` {
		t.Fatalf("readyz: %d %s", status, body)
	}
	if !strings.Contains(fd.stdout.String(), "dialog state: redis") {
		t.Fatalf("REDIS_URL not used:\n%s", fd.stdout.String())
	}
}

// A restart keeps the conversation where it was and loses no message.
func TestRestartKeepsConversationAndOutbox(t *testing.T) {
	env := freshEnv(t)
	fd := start(t, env, "--demo")
	s := fd.newSession()
	fd.say(s, "en", "text", "/start")
	fd.say(s, "en", "choice", "menu:where")
	fd.say(s, "en", "text", "SO-2001")
	if err := fd.stop(); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
	db := testkit.ReopenStore(t, filepath.Join(env["FRONTDESK_DATA"], testkit.StoreFile))
	backlog, _ := db.OutboxBacklog(context.Background())
	db.Close()
	if backlog != 0 {
		t.Fatalf("%d messages left undelivered by a graceful stop", backlog)
	}
	again := start(t, env)
	again.say(s, "en", "text", "5678")
	msgs := again.messages(s)
	if len(msgs) != 5 || !strings.Contains(msgs[3].Text, "Li Lei") {
		t.Fatalf("after restart: %+v", msgs)
	}
}

func TestBadCommandLineAndConfig(t *testing.T) {
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"frobnicate"}, func(string) string { return "" }, &out, &errOut); err == nil || !strings.Contains(errOut.String(), "usage") {
		t.Fatalf("unknown command: %v", err)
	}
	env := map[string]string{"FRONTDESK_DATA": t.TempDir(), "FRONTDESK_TIMEZONE": "Mars/Base"}
	err := run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "FRONTDESK_TIMEZONE") {
		t.Fatalf("bad config: %v", err)
	}
	env = map[string]string{"FRONTDESK_DATA": t.TempDir(), "TELEGRAM_TOKEN": "1:x", "TELEGRAM_API_ENDPOINT": "127.0.0.1:8081"}
	err = run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "TELEGRAM_API_ENDPOINT") || !strings.Contains(err.Error(), "e.g. http://") {
		t.Fatalf("bad Telegram endpoint: %v", err)
	}
	env = map[string]string{"FRONTDESK_DATA": t.TempDir(), "REDIS_URL": "redis://127.0.0.1:1/0", "FRONTDESK_ADDR": "127.0.0.1:0"}
	err = run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "REDIS_URL") {
		t.Fatalf("unreachable redis: %v", err)
	}
}

func TestMigrateCommand(t *testing.T) {
	env := map[string]string{"FRONTDESK_DATA": t.TempDir()}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"migrate"}, func(k string) string { return env[k] }, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "0001_init.sql") {
		t.Fatalf("migrate output: %s", out.String())
	}
}

// Two desks on one SQLite file would both deliver every message: the
// second stops at once, saying why; once the first stops, it may start.
func TestSecondDeskOnOneDataFolderIsRefused(t *testing.T) {
	env := freshEnv(t)
	first := start(t, env)
	var out, errOut bytes.Buffer
	err := run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, &out, &errOut)
	if err == nil || !strings.Contains(err.Error(), "another frontdesk") || !strings.Contains(err.Error(), env["FRONTDESK_DATA"]) {
		t.Fatalf("a second desk on the same data folder: %v", err)
	}
	if err := first.stop(); err != nil {
		t.Fatal(err)
	}
	start(t, env).stop()
}

// Two desks with their own stores on one Redis keep apart: each one's
// dialog copies live under its own install id, so the same chat id (one
// Telegram user talking to both shops) never mixes their dialogs.
func TestTwoInstallationsShareARedis(t *testing.T) {
	a, b := freshEnv(t), freshEnv(t)
	a["REDIS_URL"], b["REDIS_URL"] = testkit.RedisURL(t), testkit.RedisURL(t)
	da, db := start(t, a), start(t, b)
	sa, sb := da.newSession(), db.newSession()
	da.say(sa, "en", "text", "/start")
	db.say(sb, "en", "text", "/language")
	if len(da.messages(sa)) == 0 || len(db.messages(sb)) == 0 {
		t.Fatal("a desk did not answer its own customer")
	}
	rdb := testkit.Redis(t)
	ctx := context.Background()
	// The session is "<chat id>.<signature>"; the dialog key names the chat.
	ca, _, _ := strings.Cut(sa, ".")
	cb, _, _ := strings.Cut(sb, ".")
	ka, _ := rdb.Keys(ctx, "frontdesk:*:dialog:web:"+ca).Result()
	kb, _ := rdb.Keys(ctx, "frontdesk:*:dialog:web:"+cb).Result()
	if len(ka) != 1 || len(kb) != 1 {
		t.Fatalf("dialog copies: %v %v", ka, kb)
	}
	if strings.TrimSuffix(ka[0], ca) == strings.TrimSuffix(kb[0], cb) {
		t.Fatalf("two installations share a namespace: %s, %s", ka[0], kb[0])
	}
}
