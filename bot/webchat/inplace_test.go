package webchat

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"frontdesk/bot"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// toItemsQuestion verifies a new session as 王芳 and starts a damage
// report up to its items question (several items: a multi-choice
// question), which it returns.
func toItemsQuestion(t *testing.T, h *harness) (string, historyMessage) {
	t.Helper()
	s := h.session()
	h.sayJSON(s, map[string]any{"text": "/start", "lang": "en", "quiet": true, "id": "p0"})
	menu := lastQuestion(t, h.history(s))
	h.sayJSON(s, map[string]any{"choice": "menu:damage", "label": "Damage", "msg": menu.ID, "id": "p1"})
	h.sayJSON(s, map[string]any{"text": "SO-1001", "id": "p2"})
	h.sayJSON(s, map[string]any{"text": "1234", "id": "p3"})
	orders := lastQuestion(t, h.history(s))
	h.sayJSON(s, map[string]any{"choice": "ans:SO-1001", "label": "SO-1001", "msg": orders.ID, "id": "p4"})
	q := lastQuestion(t, h.history(s))
	if !strings.Contains(buttonData(q), "ans:done") {
		t.Fatalf("no multi-choice question: %+v", h.history(s))
	}
	return s, q
}

func buttonData(m historyMessage) string {
	var b strings.Builder
	for _, row := range m.Buttons {
		for _, x := range row {
			b.WriteString(x.Label + "=" + x.Data + " ")
		}
	}
	return b.String()
}

// A tick on a multi-choice question replaces that question's buttons in
// place: the history after a reload holds the question once, with the
// ticks in its current buttons, and no tap of the customer's as a message;
// those buttons are live, the replaced ones have expired.
func TestTheWebBubbleIsReplacedInPlace(t *testing.T) {
	h := newHarness(t)
	s, q := toItemsQuestion(t, h)
	before := len(h.history(s))

	r := h.sayJSON(s, map[string]any{"choice": "ans:1", "label": "item 1", "msg": q.ID, "id": "t1"})
	if r.status != http.StatusAccepted {
		t.Fatalf("tick: %+v", r)
	}
	hist := h.history(s)
	if len(hist) != before+1 {
		t.Fatalf("a tick added %d messages, want 1 (the replacement): %+v", len(hist)-before, hist[before:])
	}
	repl := hist[len(hist)-1]
	if got := h.rawReplaces(s, repl.ID); got != itoa(q.ID) || !strings.Contains(buttonData(repl), "✓") {
		t.Fatalf("replacement %+v replaces %q, want %d", repl, got, q.ID)
	}
	// The replaced bubble's buttons have expired; the replacement's live.
	if r := h.sayJSON(s, map[string]any{"choice": "ans:2", "label": "item 2", "msg": q.ID, "id": "t2"}); r.status != http.StatusConflict || r.errorCode() != "stale_button" {
		t.Fatalf("the replaced buttons answered %+v", r)
	}
	if n := len(h.history(s)); n != len(hist) {
		t.Fatal("a tap on the replaced buttons changed the chat")
	}
	if r := h.sayJSON(s, map[string]any{"choice": "ans:2", "label": "item 2", "msg": repl.ID, "id": "t3"}); r.status != http.StatusAccepted {
		t.Fatalf("the current buttons: %+v", r)
	}
	last := lastQuestion(t, h.history(s))
	if strings.Count(buttonData(last), "✓") != 2 || h.rawReplaces(s, last.ID) != itoa(repl.ID) {
		t.Fatalf("second tick: %+v", last)
	}
	// Bad input changes nothing: a forged choice on the live question,
	// and a msg that is no message.
	for _, bad := range []map[string]any{
		{"choice": "ans:999", "msg": last.ID, "id": "b1"},
		{"choice": "ans:1", "msg": -5, "id": "b2"},
		{"choice": "ans:1", "msg": "x", "id": "b3"},
	} {
		n := len(h.history(s))
		h.sayJSON(s, bad)
		if got := h.history(s); len(got) > n+2 {
			t.Fatalf("%v: %d messages more", bad, len(got)-n)
		}
	}
}

// rawReplaces is what the poll answer says message id replaces.
func (h *harness) rawReplaces(s string, id int64) string {
	h.t.Helper()
	res, err := http.Get(h.srv.URL + "/chat/api/messages?mine=1&session=" + s + "&after=" + itoa(id-1))
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		Messages []struct {
			ID       int64
			Replaces string
		}
	}
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || len(out.Messages) == 0 || out.Messages[0].ID != id {
		h.t.Fatalf("message %d: %v %+v", id, err, out)
	}
	return out.Messages[0].Replaces
}

// rule: PRV-2
// A photo the desk sent to a chat (a provider's web chat gets the problem
// photos of its own job) is served to that chat and to no other.
func TestAPhotoSentToAChatIsServedToThatChatOnly(t *testing.T) {
	h := newHarness(t)
	provider, other := h.session(), h.session()
	p, err := h.photos.Save(bytes.NewReader(testkit.PNG(9)))
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(bot.Message{Text: "AS-1: photo 1 of 1", Photo: p.SHA256, PhotoMIME: p.MIME})
	err = h.db.Update(context.Background(), func(tx *store.Tx) error {
		chat := tokenPattern.FindStringSubmatch(provider)[1] // the chat id a session token signs
		_, err := tx.Enqueue(store.OutboxMessage{Channel: ChannelName, Recipient: chat, Payload: payload}, h.clock.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	get := func(session string) int {
		res, err := http.Get(h.srv.URL + "/chat/api/photos/" + p.SHA256 + "?session=" + url.QueryEscape(session))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if code := get(provider); code != http.StatusOK {
		t.Fatalf("the chat it was sent to: %d", code)
	}
	if code := get(other); code != http.StatusNotFound {
		t.Fatalf("another chat read a photo sent to a provider: %d", code)
	}
	if code := get("forged.session"); code != http.StatusUnauthorized {
		t.Fatalf("no session: %d", code)
	}
}
