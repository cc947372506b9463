package webchat

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"frontdesk/conversations"
	"frontdesk/internal/testkit"
)

// sayJSON posts a message with fields of any JSON type (msg is a number).
func (h *harness) sayJSON(session string, fields map[string]any) response {
	h.t.Helper()
	fields["session"] = session
	b, _ := json.Marshal(fields)
	return h.post("/chat/api/messages", "application/json", bytes.NewReader(b))
}

// historyMessage is one message of the chat's history, both sides.
type historyMessage struct {
	ID        int64
	Text      string
	From      string
	Ref       string
	Photo     string
	PhotoMIME string `json:"photo_mime"`
	Buttons   [][]conversations.Button
}

// history reads the whole history with the customer's own messages (mine=1).
func (h *harness) history(session string) []historyMessage {
	h.t.Helper()
	res, err := http.Get(h.srv.URL + "/chat/api/messages?mine=1&session=" + url.QueryEscape(session))
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Messages []historyMessage }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != http.StatusOK {
		h.t.Fatalf("history: %d %v", res.StatusCode, err)
	}
	return out.Messages
}

// lastQuestion is the id of the newest message with buttons.
func lastQuestion(t *testing.T, msgs []historyMessage) historyMessage {
	t.Helper()
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].From == "" && len(msgs[i].Buttons) > 0 {
			return msgs[i]
		}
	}
	t.Fatal("no question with buttons")
	return historyMessage{}
}

// After a reload the page reads the customer's own messages with the
// bot's: typed text, a tapped button's words, each with the page's id; the
// page's own /start is not the customer's words. Without mine=1 the
// history is the bot's alone, as before.
func TestHistoryKeepsTheCustomersSide(t *testing.T) {
	h := newHarness(t)
	s := h.session()
	h.sayJSON(s, map[string]any{"text": "/start", "lang": "en", "quiet": true, "id": "p0"})
	menu := lastQuestion(t, h.history(s))
	if r := h.sayJSON(s, map[string]any{"choice": "menu:where", "label": "Where is my order?", "msg": menu.ID, "id": "p1"}); r.status != http.StatusAccepted {
		t.Fatalf("tap: %+v", r)
	}
	h.sayJSON(s, map[string]any{"text": "SO-1001", "id": "p2"})
	var mine []string
	for _, m := range h.history(s) {
		if m.From == "customer" {
			mine = append(mine, m.Ref+"="+m.Text)
		}
	}
	if strings.Join(mine, "|") != "p1=Where is my order?|p2=SO-1001" {
		t.Fatalf("the customer's side: %q", mine)
	}
	for _, text := range h.texts(s) {
		if text == "SO-1001" || text == "/start" {
			t.Fatalf("without mine=1 the customer's words came back: %q", h.texts(s))
		}
	}
	if r := h.sayJSON(s, map[string]any{"text": "x", "label": strings.Repeat("长", 100)}); r.status != http.StatusBadRequest || r.errorCode() != "bad_label" {
		t.Fatalf("oversized label: %+v", r)
	}
}

// Only the current question's buttons are live: a tap on an older message
// (or another chat's, or none) is answered 409 stale_button in the
// customer's language and changes nothing.
func TestStaleButtonsExpire(t *testing.T) {
	h := newHarness(t)
	s := h.session()
	h.sayJSON(s, map[string]any{"text": "/start", "lang": "zh-CN", "quiet": true})
	menu := lastQuestion(t, h.history(s))
	h.sayJSON(s, map[string]any{"choice": "menu:where", "label": "查订单", "msg": menu.ID})
	before := h.history(s)

	other := h.session()
	h.sayJSON(other, map[string]any{"text": "/start", "quiet": true})
	foreign := lastQuestion(t, h.history(other))
	for name, msg := range map[string]int64{"the old menu": menu.ID, "another chat's": foreign.ID, "no such message": 999999} {
		for _, lang := range []string{"zh-CN", "en-GB"} {
			r := h.sayJSON(s, map[string]any{"choice": "menu:damage", "label": "报损", "msg": msg, "lang": lang})
			want := conversations.T(conversations.NormalizeLang(lang), "stale.button_expired")
			e, _ := r.body["error"].(map[string]any)
			if r.status != http.StatusConflict || r.errorCode() != "stale_button" || e["message"] != want {
				t.Fatalf("%s (%s): %+v", name, lang, r)
			}
		}
	}
	if after := h.history(s); len(after) != len(before) {
		t.Fatalf("a stale tap changed the chat: %d → %d messages", len(before), len(after))
	}
	// The current question's buttons still work.
	current := lastQuestion(t, h.history(s))
	if r := h.sayJSON(s, map[string]any{"choice": "menu:cancel", "label": "取消", "msg": current.ID}); r.status != http.StatusAccepted {
		t.Fatalf("current question: %+v", r)
	}
}

// The customer's own photo comes back to their page after a reload, and to
// nobody else.
func TestOwnPhotoInHistory(t *testing.T) {
	h := newHarness(t)
	s := h.session()
	h.verify(s)
	for _, step := range []string{"menu:damage", "ans:SO-1001", "ans:1", "ans:done", "ans:home"} {
		h.sayJSON(s, map[string]any{"choice": step, "lang": "en"})
	}
	pic := testkit.PNG(7)
	if r := h.upload(s, "ph1", pic); r.status != http.StatusAccepted || r.body["kept"] != true {
		t.Fatalf("upload: %+v (texts %q)", r, h.texts(s))
	}
	var photo historyMessage
	for _, m := range h.history(s) {
		if m.From == "customer" && m.Photo != "" {
			photo = m
		}
	}
	if photo.Ref != "ph1" || photo.PhotoMIME != "image/png" {
		t.Fatalf("photo in history: %+v", photo)
	}
	get := func(session, sha string) (int, []byte) {
		res, err := http.Get(h.srv.URL + "/chat/api/photos/" + sha + "?session=" + url.QueryEscape(session))
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, b
	}
	if code, body := get(s, photo.Photo); code != http.StatusOK || !bytes.Equal(body, pic) {
		t.Fatalf("own photo: %d, %d bytes", code, len(body))
	}
	if code, _ := get(h.session(), photo.Photo); code != http.StatusNotFound {
		t.Fatalf("another chat read the photo: %d", code)
	}
	if code, _ := get("forged.session", photo.Photo); code != http.StatusUnauthorized {
		t.Fatalf("no session: %d", code)
	}
	if code, _ := get(s, "../../etc/passwd"); code != http.StatusNotFound {
		t.Fatalf("hostile name: %d", code)
	}
}

// The page is headed by the shop's name, escaped, and knows the photo limit.
func TestPageCarriesShopNameAndPhotoLimit(t *testing.T) {
	h := newHarness(t)
	h.chat.ShopName = `林氏<script>家居"`
	res, err := http.Get(h.srv.URL + "/chat")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	page := string(body)
	if !strings.Contains(page, `<meta name="shop" content="林氏&lt;script&gt;家居&#34;">`) || strings.Contains(page, "<script>家居") {
		t.Fatalf("shop name in the page: %s", grepLine(page, `name="shop"`))
	}
	if !strings.Contains(page, `maxlength="1000"`) {
		t.Fatalf("text box: %s", grepLine(page, `id="text"`))
	}
	if !strings.Contains(page, "const MAX_PHOTO_BYTES = 1048576;") {
		t.Fatalf("photo limit: %s", grepLine(page, "MAX_PHOTO_BYTES ="))
	}
}

func grepLine(s, sub string) string {
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			return l
		}
	}
	return ""
}
