package slack

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"frontdesk/bot"
	"frontdesk/internal/outbox"
	"frontdesk/store"
)

// Whatever the Slack library returns, the tokens and the signing secret are
// out of the error the outbox keeps and logs, and errors.As still finds
// Slack's error in it.
func TestSlackErrorsNeverShowTheSecrets(t *testing.T) {
	cfg := Config{BotToken: "xoxb-SECRET-1", AppToken: "xapp-SECRET-2", SigningSecret: "signing-SECRET-3",
		StaffChannel: "CSTAFF", ManagersChannel: "CMGR"}
	// A gateway that echoes what it was sent in its error, as some do.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"ok": false,
			"error": "invalid_auth for " + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ") + " " + cfg.AppToken + " " + cfg.SigningSecret})
	}))
	defer srv.Close()
	cfg.APIURL = srv.URL + "/"
	sl := New(cfg, nil, nil, nil, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Now)
	payload, _ := json.Marshal(bot.StaffPost{Kind: "managers", Text: "digest"})
	err := sl.Send(context.Background(), store.OutboxMessage{Channel: bot.StaffChannel, Recipient: bot.ManagersRecipient, Payload: payload})
	if err == nil || !strings.Contains(err.Error(), "invalid_auth") {
		t.Fatalf("no error from the gateway: %v", err)
	}
	for _, s := range []string{cfg.BotToken, cfg.AppToken, cfg.SigningSecret} {
		if strings.Contains(err.Error(), s) {
			t.Fatalf("the error shows %s: %v", s, err)
		}
	}
	var se slack.SlackErrorResponse
	if !errors.As(err, &se) || outbox.IsPermanent(err) {
		t.Fatalf("the chain is lost: %#v", err)
	}
}
