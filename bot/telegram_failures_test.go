package bot_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"frontdesk/bot"
	"frontdesk/internal/testkit"

	"frontdesk/conversations"
)

// A refused update is recorded once: marked as handled, an audit line with
// the reason, and the customer told in the language the dialog speaks
// (chosen with /language, over the app's); a second refusal or delivery
// of it tells nobody again.
// rule: LNG-1
func TestRefuseUpdate(t *testing.T) {
	for name, state := range testkit.StateStores {
		t.Run(name, func(t *testing.T) {
			d := testkit.NewDesk(t, state)
			db := d.Store
			ctx := context.Background()
			if err := d.Handle(ctx, conversations.Inbound{Channel: "telegram", ChatID: "7", ExternalID: "1", LangHint: "zh-hans", Choice: "lang:en"}); err != nil {
				t.Fatal(err)
			}
			r := bot.RefusedUpdate{Channel: "telegram", ChatID: "7", ExternalID: "2", LangHint: "zh-hans", Reason: "getFile: 400 file not found",
				Notice: "bad.photo_lost"}
			if err := d.RefuseUpdate(ctx, r); err != nil {
				t.Fatal(err)
			}
			if err := d.RefuseUpdate(ctx, r); !errors.Is(err, bot.ErrDuplicate) {
				t.Fatalf("second refusal: %v", err)
			}
			if err := d.Handle(ctx, conversations.Inbound{Channel: "telegram", ChatID: "7", ExternalID: "2", Text: "hi"}); !errors.Is(err, bot.ErrDuplicate) {
				t.Fatalf("a refused update was handled: %v", err)
			}
			rows, _ := db.OutboxAfter(ctx, "telegram", "7", 0, 10)
			var told []string
			for _, row := range rows {
				var m bot.Message
				json.Unmarshal(row.Payload, &m)
				told = append(told, m.Text)
			}
			if len(told) != 2 || told[1] != conversations.T(conversations.En, "bad.photo_lost") {
				t.Fatalf("told: %q", told)
			}
			trail, _ := db.AuditTrail(ctx, "chat telegram:7")
			if len(trail) != 1 || trail[0].Action != "update_refused" || !strings.Contains(trail[0].Detail, "update 2: getFile: 400 file not found") {
				t.Fatalf("audit: %+v", trail)
			}

			// No chat: recorded, nobody told.
			if err := d.RefuseUpdate(ctx, bot.RefusedUpdate{Channel: "telegram", ExternalID: "3", Reason: "does not parse", Notice: "bad.message_lost"}); err != nil {
				t.Fatal(err)
			}
			if trail, _ := db.AuditTrail(ctx, "channel telegram"); len(trail) != 1 {
				t.Fatalf("audit without chat: %+v", trail)
			}
			if n, _ := db.OutboxBacklog(ctx); n != 2 {
				t.Fatalf("outbox: %d", n)
			}
		})
	}
}
