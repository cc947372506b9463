package telegram

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"frontdesk/bot/telegram/telegramtest"
	"frontdesk/conversations"
	"frontdesk/internal/testkit"
)

// Issue 19, "Bad input", through Telegram: a tap on a button of a finished
// dialog, the same photo twice, a 30 MB upload, 5 000 characters, an
// emoji-only message, a voice message, a sticker, a location and a reply
// to an old message each get a short answer in the customer's language and
// change nothing: neither the dialog nor the cases.

// msg is a message update from the test customer carrying fields.
func msg(lang string, date int, fields map[string]any) map[string]any {
	m := map[string]any{"message_id": 30, "date": date, "from": telegramtest.User(lang), "chat": telegramtest.PrivateChat()}
	for k, v := range fields {
		m[k] = v
	}
	return map[string]any{"message": m}
}

// botMessage is a message of the bot's, as Telegram quotes it in a reply.
func botMessage(date int, text string) map[string]any {
	return map[string]any{"message_id": 7, "date": date, "text": text, "chat": telegramtest.PrivateChat(),
		"from": map[string]any{"id": 123, "is_bot": true, "first_name": "desk"}}
}

// dialogState is the customer's dialog state as the desk keeps it, as JSON.
func (h *harness) dialogState() string {
	h.t.Helper()
	st, _, err := h.desk.State.Load(context.Background(), ChannelName+":4242")
	if err != nil {
		h.t.Fatal(err)
	}
	b, _ := json.Marshal(st)
	return string(b)
}

// caseCount is the number of the test customer's open cases.
func (h *harness) caseCount() int {
	h.t.Helper()
	return len(testkit.OpenCases(h.t, h.db, testkit.Phone))
}

func TestBadInputThroughTelegramChangesNothing(t *testing.T) {
	const now = 1_795_000_000 // the messages' dates, in seconds
	for _, tc := range []struct {
		tg   string
		lang conversations.Lang
	}{{"zh-hans", conversations.ZhHans}, {"en", conversations.En}} {
		t.Run(tc.tg, func(t *testing.T) {
			h := newHarness(t, Config{})
			h.fake.AddFile("ph0", testkit.PNG(1))
			h.send(telegramtest.TextMsg("/start", tc.tg))
			h.send(telegramtest.Callback("menu:damage"))
			h.send(telegramtest.ContactMsg("+86 138 0000 1234", telegramtest.UserID))
			for _, d := range []string{"ans:2", "ans:done", "ans:pickup"} {
				h.send(telegramtest.Callback(d))
			}
			h.send(telegramtest.PhotoMsg("ph0", 500, "")) // the packaging: one photo kept
			before, cases := h.dialogState(), h.caseCount()
			t.Logf("at the packaging photos: %s", before)

			limits := h.desk.Limits
			maxChars := limits.MaxTextChars
			if maxChars == 0 {
				maxChars = conversations.DefaultMaxTextChars
			}
			say := func(key string, args ...any) string { return conversations.T(tc.lang, key, args...) }
			for _, c := range []struct {
				name   string
				update map[string]any
				want   string
			}{
				{"the same photo twice", telegramtest.PhotoMsg("ph0", 500, ""), say("photo.duplicate")},
				{"a 30 MB photo", telegramtest.PhotoMsg("huge", 30<<20, ""), say("bad.too_large", conversations.Args{"Max": limits.MaxUploadBytes >> 20})},
				{"a 30 MB image file", msg(tc.tg, now, map[string]any{"document": map[string]any{"file_id": "doc", "file_unique_id": "d",
					"mime_type": "image/jpeg", "file_size": 30 << 20}}), say("bad.too_large", conversations.Args{"Max": limits.MaxUploadBytes >> 20})},
				{"5 000 characters", telegramtest.TextMsg(strings.Repeat("长", 5000), tc.tg),
					conversations.Plural(tc.lang, "bad.too_long", maxChars, nil)},
				{"emoji only", telegramtest.TextMsg("😭👍🏻❤️", tc.tg), say("bad.emoji_only")},
				{"a voice message", msg(tc.tg, now, map[string]any{"voice": map[string]any{"file_id": "v", "file_unique_id": "v",
					"duration": 4, "mime_type": "audio/ogg", "file_size": 9000}}), say("bad.unsupported")},
				{"a sticker", msg(tc.tg, now, map[string]any{"sticker": map[string]any{"file_id": "st", "file_unique_id": "s",
					"width": 512, "height": 512, "is_animated": false}}), say("bad.unsupported")},
				{"a location", msg(tc.tg, now, map[string]any{"location": map[string]any{"latitude": 31.23, "longitude": 121.47}}),
					say("bad.unsupported")},
				{"a reply to an old message", msg(tc.tg, now, map[string]any{"text": "yes",
					"reply_to_message": botMessage(now-3600, "Where did you find the damage?")}), say("bad.old_reply")},
				{"a button of a question already answered", telegramtest.Callback("ans:pickup"), ""},
			} {
				h.send(c.update)
				got := h.last().Text
				if c.want != "" && got != c.want {
					t.Errorf("%s: answered %q, want %q", c.name, got, c.want)
				}
				if c.want == "" && !strings.HasPrefix(got, say("reask.photo")) {
					t.Errorf("%s: answered %q", c.name, got)
				}
				if after := h.dialogState(); after != before {
					t.Fatalf("%s changed the dialog:\n%s\n%s", c.name, before, after)
				}
				if n := h.caseCount(); n != cases {
					t.Fatalf("%s: %d cases, had %d", c.name, n, cases)
				}
			}

			// A reply that quotes the question just asked answers it.
			h.send(telegramtest.Callback("ans:done"))
			h.fake.AddFile("ph1", testkit.PNG(2))
			h.send(telegramtest.PhotoMsg("ph1", 500, ""))
			h.send(telegramtest.Callback("ans:done"))
			h.fake.AddFile("ph2", testkit.PNG(3))
			h.send(telegramtest.PhotoMsg("ph2", 500, ""))
			h.send(telegramtest.Callback("ans:done"))
			h.send(telegramtest.Callback("ans:yes"))
			h.send(msg(tc.tg, now, map[string]any{"text": "茶几玻璃碎了 / the glass broke",
				"reply_to_message": botMessage(now-60, "Describe the damage")}))
			if h.caseCount() != cases+1 {
				t.Fatalf("the report was not filed: %q", h.last().Text)
			}

			// Buttons of the finished report: said so, nothing changes.
			before, cases = h.dialogState(), h.caseCount()
			for _, d := range []string{"ans:yes", "ans:done", "ans:pickup", "order:SO-1001"} {
				h.send(telegramtest.Callback(d))
				if got := h.last().Text; got != say("stale.button") {
					t.Errorf("%s after the report: %q", d, got)
				}
				if after := h.dialogState(); after != before || h.caseCount() != cases {
					t.Fatalf("%s after the report changed the dialog or the cases:\n%s\n%s", d, before, after)
				}
			}
		})
	}
}
