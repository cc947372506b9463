package webchat

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"frontdesk/conversations"
	"frontdesk/internal/testkit"
)

// Issue 19, "Bad input", in the web chat (where it applies: the page has
// no voice, sticker, location or quoted reply): the same photo twice, a 30
// MB upload, 5 000 characters, an emoji-only message and a tap on a button
// of a finished dialog each get a short answer in the customer's language
// and change nothing.

// dialogState is the session's dialog state as the desk keeps it, as JSON.
func (h *harness) dialogState(session string) string {
	h.t.Helper()
	id, _, _ := strings.Cut(session, ".")
	st, _, err := h.state.Load(context.Background(), ChannelName+":"+id)
	if err != nil {
		h.t.Fatal(err)
	}
	b, _ := json.Marshal(struct {
		Flow, Step string
		Draft      any
		Verified   any
		Lang       string
	}{st.Flow, st.Step, st.Draft, st.Verified, string(st.Lang)})
	return string(b)
}

// openCases is the number of the demo customer's open cases.
func (h *harness) openCases() int {
	h.t.Helper()
	return len(testkit.OpenCases(h.t, h.db, testkit.Phone))
}

func TestBadInputInTheWebChatChangesNothing(t *testing.T) {
	h := newHarness(t)
	s := h.session()
	h.atDamagePhotos(s)
	img := testkit.PNG(10)
	if r := h.upload(s, "p1", img); r.status != http.StatusAccepted || r.body["kept"] != true {
		t.Fatalf("first photo: %+v", r)
	}
	before, cases := h.dialogState(s), h.openCases()
	en := func(key string, args ...any) string { return conversations.T(conversations.En, key, args...) }
	checks := []struct {
		name string
		do   func() response
		want string
	}{
		{"the same photo twice", func() response { return h.upload(s, "p2", img) }, en("photo.duplicate")},
		{"a 30 MB upload", func() response {
			return h.upload(s, "p3", append(testkit.PNG(11), bytes.Repeat([]byte{0}, 30<<20)...))
		}, en("bad.too_large", conversations.Args{"Max": 1})},
		{"5 000 characters", func() response { return h.say(s, map[string]string{"text": strings.Repeat("字", 5000)}) },
			conversations.Plural(conversations.En, "bad.too_long", conversations.DefaultMaxTextChars, nil)},
		{"emoji only", func() response { return h.say(s, map[string]string{"text": "😭😭👍🏽"}) }, en("bad.emoji_only")},
		{"a button of a question already answered", func() response { return h.say(s, map[string]string{"choice": "ans:home"}) },
			en("reask.photo")},
	}
	for _, c := range checks {
		r := c.do()
		if r.status >= 500 {
			t.Fatalf("%s: %+v", c.name, r)
		}
		if got := h.lastText(s); !strings.HasPrefix(got, c.want) {
			t.Errorf("%s: answered %q, want %q", c.name, got, c.want)
		}
		if after := h.dialogState(s); after != before {
			t.Fatalf("%s changed the dialog:\n%s\n%s", c.name, before, after)
		}
		if n := h.openCases(); n != cases {
			t.Fatalf("%s: %d cases, had %d", c.name, n, cases)
		}
	}
	if files := h.photoFiles(); len(files) != 1 {
		t.Fatalf("photo files: %v (want the one photo kept once)", files)
	}

	// The report finished, a button of it is over: said so, nothing changes.
	h.say(s, map[string]string{"choice": "ans:done"})
	h.upload(s, "p4", testkit.PNG(12))
	h.say(s, map[string]string{"choice": "ans:done"})
	h.upload(s, "p5", testkit.PNG(13))
	h.say(s, map[string]string{"choice": "ans:done"})
	h.say(s, map[string]string{"choice": "ans:no"})
	h.say(s, map[string]string{"text": "the sofa leg is cracked"})
	if h.openCases() != cases+1 {
		t.Fatalf("the report was not filed: %q", h.texts(s))
	}
	before, cases = h.dialogState(s), h.openCases()
	for _, d := range []string{"ans:done", "ans:no", "ans:home"} {
		h.say(s, map[string]string{"choice": d})
		if got := h.lastText(s); got != en("stale.button") {
			t.Errorf("%s after the report: %q", d, got)
		}
		if after := h.dialogState(s); after != before || h.openCases() != cases {
			t.Fatalf("%s after the report changed the dialog or the cases:\n%s\n%s", d, before, after)
		}
	}
}
