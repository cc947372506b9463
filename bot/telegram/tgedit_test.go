package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"frontdesk/bot/telegram/telegramtest"
)

// startDamage brings the test customer to the damage report's items
// question (two items: a multi-choice question) and returns its message.
func startDamage(t *testing.T, h *harness) telegramtest.SentMessage {
	t.Helper()
	h.send(telegramtest.Callback("menu:damage"))
	h.send(telegramtest.ContactMsg("+86 138 0000 1234", telegramtest.UserID))
	q := h.last()
	if !strings.Contains(strings.Join(inlineData(q), " "), "ans:done") || q.MessageID == 0 {
		t.Fatalf("no multi-choice items question: %+v", q)
	}
	return q
}

func markupText(m telegramtest.SentMessage) string {
	b, _ := json.Marshal(m.ReplyMarkup)
	return string(b)
}

// Each tap on a multi-choice question updates that question's buttons in
// place (editMessageReplyMarkup on the tapped message), instead of asking
// the question again below; "done" moves on with a new message.
func TestMultiChoiceIsEditedInPlaceOnTelegram(t *testing.T) {
	h := newHarness(t, Config{})
	q := startDamage(t, h)
	before := len(h.fake.SentTo(telegramtest.UserID))
	tap := func(data string) { h.send(telegramtest.CallbackOn(telegramtest.UserID, q.MessageID, data, "zh-hans")) }

	tap("ans:1")
	tap("ans:2")
	edits := h.fake.Edits()
	if len(edits) != 2 || edits[0].MessageID != q.MessageID || edits[1].MessageID != q.MessageID {
		t.Fatalf("edits: %+v (question %d)", edits, q.MessageID)
	}
	if got := markupText(edits[1]); strings.Count(got, "✓") != 2 {
		t.Fatalf("both items not ticked in place: %s", got)
	}
	if n := len(h.fake.SentTo(telegramtest.UserID)); n != before {
		t.Fatalf("the question was sent again: %d messages, want %d", n, before)
	}
	tap("ans:2") // untick
	if got := markupText(h.fake.Edits()[2]); strings.Count(got, "✓") != 1 {
		t.Fatalf("untick not shown in place: %s", got)
	}
	tap("ans:done")
	if n := len(h.fake.SentTo(telegramtest.UserID)); n != before+1 || h.last().MessageID == q.MessageID {
		t.Fatalf("done: %d messages (want %d), last %+v", n, before+1, h.last())
	}
	if h.fake.OverLimit() != 0 {
		t.Fatalf("%d calls over Telegram's limits", h.fake.OverLimit())
	}
}

// A tap on a button of a question the customer has moved on from is
// answered "this button has expired" in their language, its keyboard is
// taken away, and nothing else happens: no message, no change of step.
func TestAStaleButtonOnTelegramHasExpired(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{{"zh-hans", "已过期"}, {"en", "expired"}} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newHarness(t, Config{})
			h.send(telegramtest.TextFrom(telegramtest.UserID, "/start", tc.lang))
			menu := h.last()
			h.send(telegramtest.CallbackFrom(telegramtest.UserID, "menu:language", tc.lang))
			sent := len(h.fake.SentTo(telegramtest.UserID))
			state := dialogOf(t, h)

			old := telegramtest.CallbackOn(telegramtest.UserID, menu.MessageID, "menu:damage", tc.lang)
			id := old["callback_query"].(map[string]any)["id"].(string)
			h.send(old)
			if got := h.fake.AnswerText(id); !strings.Contains(got, tc.want) {
				t.Fatalf("stale tap answered %q, want %q", got, tc.want)
			}
			if n := len(h.fake.SentTo(telegramtest.UserID)); n != sent {
				t.Fatalf("a stale tap sent %d messages", n-sent)
			}
			if got := dialogOf(t, h); got != state {
				t.Fatalf("a stale tap changed the dialog:\n%s\n%s", state, got)
			}
			edits := h.fake.Edits()
			if len(edits) != 1 || edits[0].MessageID != menu.MessageID || strings.Contains(markupText(edits[0]), "callback_data") {
				t.Fatalf("the stale keyboard was not taken away: %+v", edits)
			}
			// Forged data on the stale message changes nothing either.
			h.send(telegramtest.CallbackOn(telegramtest.UserID, menu.MessageID, strings.Repeat("x", 64), tc.lang))
			if n := len(h.fake.SentTo(telegramtest.UserID)); n != sent || dialogOf(t, h) != state {
				t.Fatal("forged data on a stale message changed something")
			}
			// The current question still answers.
			h.send(telegramtest.CallbackOn(telegramtest.UserID, h.last().MessageID, "lang:en", tc.lang))
			if !strings.Contains(h.last().Text, "English") && !strings.Contains(h.last().Text, "language") {
				t.Fatalf("the live question did not answer: %q", h.last().Text)
			}
		})
	}
}

// dialogOf is the test customer's dialog state as the store keeps it.
func dialogOf(t *testing.T, h *harness) string {
	t.Helper()
	data, version, err := h.db.LoadDialog(context.Background(), "telegram:4242", h.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("v%d %s", version, data)
}

// rule: DMG-2
// An album of photos is acknowledged once, with every photo kept: the
// photos of one getUpdates answer with their count, and a late photo of the
// same album (another batch) without a word.
func TestAnAlbumIsAcknowledgedOnce(t *testing.T) {
	h := newHarness(t, Config{})
	for _, id := range []string{"a1", "a2", "a3", "a4", "b9"} {
		h.fake.AddFile(id, pic(id[0]+id[1]))
	}
	startDamage(t, h)
	h.send(telegramtest.Callback("ans:2"))
	h.send(telegramtest.Callback("ans:done"))
	h.send(telegramtest.Callback("ans:pickup"))
	sent := len(h.fake.SentTo(telegramtest.UserID))
	const chat = telegramtest.UserID
	ids := h.fake.PushBatch(telegramtest.AlbumPhoto(chat, 20, "a1", "G1", "zh-hans"), telegramtest.AlbumPhoto(chat, 21, "a2", "G1", "zh-hans"),
		telegramtest.AlbumPhoto(chat, 22, "a3", "G1", "zh-hans"))
	h.processed(ids[2])
	h.deliver()
	got := h.fake.SentTo(chat)[sent:]
	if len(got) != 1 || !strings.Contains(got[0].Text, "已收到 3 张照片") {
		t.Fatalf("album of 3 acknowledged as %+v", got)
	}
	h.send(telegramtest.AlbumPhoto(chat, 23, "a4", "G1", "zh-hans")) // late, in a batch of its own
	if n := len(h.fake.SentTo(chat)); n != sent+1 {
		t.Fatalf("a late photo of the album was acknowledged again (%d messages)", n-sent)
	}
	h.send(telegramtest.PhotoFrom(chat, "b9", 1000, "zh-hans")) // a photo of its own: all five kept
	if !strings.Contains(h.last().Text, "已收到 5 张照片") {
		t.Fatalf("photos kept: %q", h.last().Text)
	}
}

// An edit of the answer a text step is still waiting for is the customer's
// correction: the step takes it again.
func TestAnEditedAnswerIsACorrection(t *testing.T) {
	h := newHarness(t, Config{})
	const chat = telegramtest.UserID
	h.send(telegramtest.Callback("menu:where"))
	h.send(telegramtest.TextAs(chat, 30, "SO 1001!", "zh-hans")) // refused: not an order number
	wrong := h.last().Text
	h.send(telegramtest.EditedText(chat, 30, "SO-1001", "zh-hans"))
	sent := h.fake.SentTo(chat)
	if n := len(sent); n < 2 || !strings.Contains(sent[n-2].Text, "更正") || sent[n-1].Text == wrong || !strings.Contains(sent[n-1].Text, "后四位") {
		t.Fatalf("the correction was not taken: %+v", sent[len(sent)-2:])
	}
}

// An edit that is not a correction of the current text step (an older
// message, a step that takes buttons, a command, an empty edit) is answered
// once that edits are not read, in the customer's language, and changes
// nothing: the question in front of the customer stays live.
func TestAnEditThatIsNoCorrectionIsNotRead(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{{"zh-hans", "不会读取"}, {"en", "don't read edits"}} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newHarness(t, Config{})
			const chat = telegramtest.UserID
			h.send(telegramtest.TextAs(chat, 40, "/start", tc.lang))
			menu := h.last()
			state := dialogOf(t, h)
			for _, edit := range []map[string]any{
				telegramtest.EditedText(chat, 40, "/help", tc.lang), // a command
				telegramtest.EditedText(chat, 7, "你好", tc.lang),     // not the latest message
				telegramtest.EditedText(chat, 40, "", tc.lang),      // an edited caption of nothing
				telegramtest.EditedText(chat, 40, strings.Repeat("长", 5000), tc.lang),
			} {
				before := len(h.fake.SentTo(chat))
				h.send(edit)
				got := h.fake.SentTo(chat)[before:]
				if len(got) != 1 || !strings.Contains(got[0].Text, tc.want) {
					t.Fatalf("edit answered %+v, want one note %q", got, tc.want)
				}
			}
			if dialogOf(t, h) != state {
				t.Fatal("an edit changed the dialog")
			}
			// The menu is still the live question.
			h.send(telegramtest.CallbackOn(chat, menu.MessageID, "menu:help", tc.lang))
			if h.last().MessageID == menu.MessageID || len(h.fake.Edits()) != 0 {
				t.Fatalf("the menu expired after a note about edits: %+v", h.last())
			}
		})
	}
}
