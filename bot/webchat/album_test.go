package webchat

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"frontdesk/internal/testkit"
)

// uploadIn sends one photo of several picked at once, as the page does:
// the album's id on each, "last" on the last.
func (h *harness) uploadIn(session, id, album, last string, data []byte) response {
	h.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("session", session)
	w.WriteField("id", id)
	w.WriteField("lang", "en")
	w.WriteField("album", album)
	w.WriteField("last", last)
	f, _ := w.CreateFormFile("file", "x.png")
	f.Write(data)
	w.Close()
	return h.post("/chat/api/photos?session="+url.QueryEscape(session), w.FormDataContentType(), &body)
}

// rule: DMG-2
// Three photos picked at once are kept, and acknowledged once, after the
// last (issue 19: a Telegram album and a web chat pick alike); an album id
// the page never makes is refused and changes nothing.
func TestPhotosPickedTogetherAreAcknowledgedOnce(t *testing.T) {
	h := newHarness(t)
	s := h.session()
	h.verify(s)
	for _, c := range []string{"menu:damage", "ans:SO-1001", "ans:1", "ans:done", "ans:home"} {
		h.say(s, map[string]string{"choice": c})
	}
	before := len(h.texts(s))
	for i, last := range []string{"0", "0", "1"} {
		if r := h.uploadIn(s, "a"+itoa(int64(i)), "pick-1", last, testkit.PNG(byte(40+i))); r.status != http.StatusAccepted || r.body["kept"] != true {
			t.Fatalf("photo %d: %+v", i, r)
		}
	}
	after := h.texts(s)
	var acks []string
	for _, m := range after[before:] {
		if strings.Contains(m, "photo") {
			acks = append(acks, m)
		}
	}
	if len(acks) != 1 || !strings.Contains(acks[0], "3") {
		t.Fatalf("three photos picked together answered with %q", acks)
	}
	state := h.dialogState(s)
	for _, bad := range []string{"../../etc", strings.Repeat("x", 65), "a b", "<script>"} {
		if r := h.uploadIn(s, "bad", bad, "1", testkit.PNG(99)); r.status != http.StatusBadRequest || r.errorCode() != "bad_form" {
			t.Fatalf("album %q: %+v", bad, r)
		}
	}
	if got := h.dialogState(s); got != state {
		t.Fatalf("a refused album changed the dialog:\n%s\n%s", state, got)
	}
}
