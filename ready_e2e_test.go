package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// recordingChannel stands in for a chat platform: it keeps every delivery.
type recordingChannel struct {
	mu   sync.Mutex
	sent []string
}

func (r *recordingChannel) Send(_ context.Context, m store.OutboxMessage) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, m.Recipient)
	return nil
}

func (r *recordingChannel) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.sent...)
}

func readyz(t *testing.T, srv *httptest.Server) (int, string) {
	t.Helper()
	res, err := http.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, strings.TrimSpace(string(b))
}

// With the data folder full the desk is not ready (503, naming the store
// and nothing more), the sender delivers each message once however long
// the store refuses its "sent" marks, and once space is freed the desk is
// ready again with nothing sent twice. Redis that stops answering makes the
// desk unready too.
func TestFullDiskMakesTheDeskUnreadyAndSendsNothingTwice(t *testing.T) {
	env := freshEnv(t)
	env["REDIS_URL"] = testkit.RedisURL(t)
	cfg, err := loadConfig(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	cfg.Outbox.BaseBackoff, cfg.Outbox.MaxBackoff = config.Duration(20*time.Millisecond), config.Duration(100*time.Millisecond)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	d, err := build(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer d.close()
	tg := &recordingChannel{}
	d.sender.Channels["telegram"] = tg
	srv := httptest.NewServer(d.handler())
	defer srv.Close()
	if status, body := readyz(t, srv); status != 200 || body != `{"store":"ok","redis":"ok"}` {
		t.Fatalf("readyz: %d %s", status, body)
	}
	chats := []string{"1001", "1002", "1003"}
	for _, chat := range chats {
		for i := 0; i < 2; i++ {
			if err := d.desk.Tell(ctx, "telegram", chat, bot.Message{Text: "您的货已发出"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := d.db.SimulateFullDisk(ctx, true); err != nil {
		t.Fatal(err)
	}
	if status, body := readyz(t, srv); status != 503 || body != `{"store":"unavailable","redis":"ok"}` {
		t.Fatalf("readyz on a full disk: %d %s", status, body)
	}
	done := make(chan struct{})
	go func() { defer close(done); d.sender.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for len(tg.got()) < len(chats) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // the disk stays full a while
	if got := tg.got(); len(got) != len(chats) {
		t.Fatalf("sent on a full disk: %v, want each chat's first message once", got)
	}
	if err := d.db.SimulateFullDisk(ctx, false); err != nil {
		t.Fatal(err)
	}
	for n := 1; n > 0 && time.Now().Before(deadline.Add(5*time.Second)); n, _ = d.db.OutboxBacklog(ctx) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	got := tg.got()
	for _, chat := range chats {
		if n := strings.Count(strings.Join(got, " ")+" ", chat+" "); n != 2 {
			t.Errorf("chat %s got %d messages, want 2: %v", chat, n, got)
		}
	}
	if status, body := readyz(t, srv); status != 200 || body != `{"store":"ok","redis":"ok"}` {
		t.Fatalf("readyz after space was freed: %d %s", status, body)
	}
	d.rdb.Close()
	if status, body := readyz(t, srv); status != 503 || body != `{"store":"ok","redis":"unavailable"}` {
		t.Fatalf("readyz without Redis: %d %s", status, body)
	}
}
