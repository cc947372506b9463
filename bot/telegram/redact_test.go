package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/bot/telegram/telegramtest"
	"frontdesk/conversations"
	"frontdesk/internal/outbox"
	"frontdesk/internal/photos"
	"frontdesk/internal/redact"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

const (
	secretToken   = "4711:TOKEN-not-for-your-eyes"
	webhookSecret = "webhook-SECRET-4711"
)

// nullDesk is a desk that takes nothing: these tests fail before the desk.
type nullDesk struct{}

func (nullDesk) Handle(context.Context, conversations.Inbound) error     { return nil }
func (nullDesk) Offset(context.Context, string) (int, error)             { return 0, nil }
func (nullDesk) SaveOffset(context.Context, string, int) error           { return nil }
func (nullDesk) Tell(context.Context, string, string, bot.Message) error { return nil }
func (nullDesk) MarkUnreachable(context.Context, string, string) ([]string, error) {
	return nil, nil
}
func (nullDesk) RefuseUpdate(context.Context, bot.RefusedUpdate) error { return nil }
func (nullDesk) ParkUpdate(context.Context, store.ParkedUpdate) (bool, error) {
	return false, errors.New("nullDesk parks nothing")
}
func (nullDesk) HasParked(context.Context, string, string) (bool, error) { return false, nil }
func (nullDesk) ParkedHeads(context.Context, string) ([]store.ParkedUpdate, error) {
	return nil, nil
}
func (nullDesk) NextParked(context.Context, string, string) (store.ParkedUpdate, error) {
	return store.ParkedUpdate{}, store.ErrNotFound
}
func (nullDesk) DeferParked(context.Context, store.ParkedUpdate) error { return nil }
func (nullDesk) UnparkUpdate(context.Context, string, int64) error     { return nil }

func redactedChannel(t *testing.T, fake *telegramtest.Server, log *slog.Logger, webhook bool) (*Channel, error) {
	cfg := Config{Token: secretToken, Endpoint: fake.URL, WebhookSecret: webhookSecret, PollTimeout: time.Second}
	if webhook {
		cfg.WebhookURL = "https://desk.example/telegram/webhook"
	}
	pics := &photos.Store{Dir: filepath.Join(t.TempDir(), "photos"), MaxBytes: 1 << 20}
	return New(cfg, nullDesk{}, pics, log, time.Now)
}

// noSecret fails when err is nil or shows the token or the webhook secret.
func noSecret(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: no error during the outage", what)
	}
	if msg := err.Error(); strings.Contains(msg, "TOKEN-not-for-your-eyes") || strings.Contains(msg, webhookSecret) {
		t.Fatalf("%s shows a secret: %s", what, msg)
	}
	var ue *url.Error
	if errors.As(err, &ue) && strings.Contains(ue.URL, "TOKEN-not-for-your-eyes") {
		t.Fatalf("%s: the *url.Error in the chain holds the token: %s", what, ue.URL)
	}
}

// Every call to the Bot API, when the connection drops, fails with an
// error that names the call but not the token: start-up's getMe, the
// webhook's setWebhook, polling's deleteWebhook and getUpdates (logged),
// sendMessage (the outbox's last_error), getFile and the file download.
func TestBotAPIErrorsNeverShowTheToken(t *testing.T) {
	fake := telegramtest.NewWithToken(t, secretToken)
	logs := &testkit.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))

	fake.Down(telegramtest.Hangup)
	_, err := redactedChannel(t, fake, log, false)
	noSecret(t, "start-up (getMe)", err)
	if !strings.Contains(err.Error(), "/bot"+redact.Mark+"/getMe") {
		t.Fatalf("the error does not say what failed: %v", err)
	}

	fake.Up()
	webhook, err := redactedChannel(t, fake, log, true)
	if err != nil {
		t.Fatal(err)
	}
	fake.Down(telegramtest.Hangup)
	noSecret(t, "setWebhook", webhook.Run(context.Background()))
	fake.Up()
	polling, err := redactedChannel(t, fake, log, false)
	if err != nil {
		t.Fatal(err)
	}
	fake.Down(telegramtest.Hangup)
	noSecret(t, "deleteWebhook", polling.Run(context.Background()))

	// Polling goes on through the outage, logging each failure.
	fake.Down(telegramtest.Hangup, "getUpdates")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { polling.Run(ctx); close(done) }()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logs.String(), "getUpdates failed") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	<-done
	if !strings.Contains(logs.String(), "getUpdates failed") {
		t.Fatalf("no polling failure logged:\n%s", logs.String())
	}

	fake.Down(telegramtest.Hangup, "sendMessage")
	payload, _ := json.Marshal(bot.Message{Text: "hello"})
	err = polling.Send(context.Background(), store.OutboxMessage{Channel: ChannelName, Recipient: "4242", Payload: payload})
	noSecret(t, "sendMessage", err)
	if outbox.IsPermanent(err) {
		t.Fatalf("a dropped connection is not permanent: %v", err)
	}

	fake.AddFile("pic", testkit.PNG(1))
	for _, method := range []string{"getFile", "file"} {
		fake.Down(telegramtest.Hangup, method)
		var in conversations.Inbound
		noSecret(t, method, polling.download(context.Background(), "pic", 10, &in))
	}
	if fake.Refused("file") == 0 {
		t.Fatal("the file download did not meet the outage")
	}
	if l := logs.String(); strings.Contains(l, "TOKEN-not-for-your-eyes") || strings.Contains(l, webhookSecret) {
		t.Fatalf("the log shows a secret:\n%s", l)
	}
}

func (nullDesk) Remembered(context.Context, string) (string, error) { return "", nil }
func (nullDesk) Remember(context.Context, string, string) error     { return nil }
