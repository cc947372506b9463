package webchat

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/dialogstate"
	"frontdesk/internal/outbox"
	"frontdesk/internal/photos"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// harness is a real desk (SQLite, embedded state, outbox sender) behind the
// web chat's real HTTP handlers.
type harness struct {
	t      *testing.T
	srv    *httptest.Server
	db     *store.DB
	state  dialogstate.Store
	chat   *Chat
	photos *photos.Store
	sender *outbox.Sender
	clock  *testkit.Clock
	logs   *testkit.Buffer
}

// options change the harness: the web chat's limits, and the dialog state
// (the embedded store unless set).
type options struct {
	limits func(*config.WebChat)
	state  func(db *store.DB, now func() time.Time) dialogstate.Store
}

func newHarness(t *testing.T) *harness { return newHarnessWith(t, options{}) }

func newHarnessWith(t *testing.T, o options) *harness {
	t.Helper()
	db := testkit.OpenStore(t)
	logs := &testkit.Buffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	clk := testkit.NewClock()
	if _, err := store.LoadDemo(context.Background(), db, clk.Now(), time.UTC); err != nil {
		t.Fatal(err)
	}
	deskOpts := []testkit.Option{testkit.WithStore(db), testkit.WithClock(clk), testkit.WithLog(log), testkit.WithStateTTL(24 * time.Hour),
		testkit.WithLimits(func(l *conversations.Limits) { l.VerifyIdle = 30 * time.Minute })}
	if o.state != nil {
		deskOpts = append(deskOpts, testkit.WithState(o.state(db, clk.Now)))
	}
	kit := testkit.NewDesk(t, deskOpts...)
	desk, state, pics := kit.Desk, kit.State, kit.Photos
	limits := config.Default().WebChat
	if o.limits != nil {
		o.limits(&limits)
	}
	chat := &Chat{Desk: desk, History: db, Sessions: db, Photos: pics, Log: log, Now: clk.Now, Limits: limits}
	sender := kit.Outbox(testkit.Channels{ChannelName: chat}).Sender
	sender.Log = log // its lines count too where a test reads the logs (no session named)
	desk.Notify = func() { sender.RunOnce(context.Background()) }
	mux := http.NewServeMux()
	chat.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return &harness{t: t, srv: srv, db: db, state: state, chat: chat, photos: pics, sender: sender, clock: clk, logs: logs}
}

func (h *harness) session() string {
	h.t.Helper()
	res, err := http.Post(h.srv.URL+"/chat/api/session", "", nil)
	if err != nil {
		h.t.Fatal(err)
	}
	var body struct{ Session string }
	json.NewDecoder(res.Body).Decode(&body)
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || !tokenPattern.MatchString(body.Session) {
		h.t.Fatalf("session: %d %q", res.StatusCode, body.Session)
	}
	return body.Session
}

type response struct {
	status int
	body   map[string]any
}

func (r response) errorCode() string {
	e, _ := r.body["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

func (h *harness) post(path, contentType string, body io.Reader) response {
	h.t.Helper()
	res, err := http.Post(h.srv.URL+path, contentType, body)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	var out map[string]any
	json.NewDecoder(res.Body).Decode(&out)
	return response{res.StatusCode, out}
}

func (h *harness) say(session string, fields map[string]string) response {
	h.t.Helper()
	m := map[string]string{"session": session}
	for k, v := range fields {
		m[k] = v
	}
	b, _ := json.Marshal(m)
	return h.post("/chat/api/messages", "application/json", bytes.NewReader(b))
}

type pollResult struct {
	Messages []struct {
		ID      int64
		Text    string
		Buttons [][]conversations.Button
	}
	Next int64
}

func (h *harness) poll(session string, after int64, wait int) pollResult {
	h.t.Helper()
	out, r := h.tryPoll(session, after, wait)
	if r.status != http.StatusOK {
		h.t.Fatalf("poll: %+v", r)
	}
	return out
}

// tryPoll polls and returns the answer whatever its status.
func (h *harness) tryPoll(session string, after int64, wait int) (pollResult, response) {
	h.t.Helper()
	res, err := http.Get(h.srv.URL + "/chat/api/messages?session=" + url.QueryEscape(session) + "&after=" + itoa(after) + "&wait=" + itoa(int64(wait)))
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	var out pollResult
	var raw map[string]any
	json.Unmarshal(body, &raw)
	if res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, &out); err != nil {
			h.t.Fatal(err)
		}
	}
	return out, response{res.StatusCode, raw}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (h *harness) lastText(session string) string {
	h.t.Helper()
	msgs := h.poll(session, 0, 0).Messages
	if len(msgs) == 0 {
		h.t.Fatal("no messages")
	}
	return msgs[len(msgs)-1].Text
}

func (h *harness) upload(session, id string, data []byte) response {
	h.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("session", session)
	w.WriteField("id", id)
	w.WriteField("lang", "en")
	f, _ := w.CreateFormFile("file", "x.png")
	f.Write(data)
	w.Close()
	return h.post("/chat/api/photos?session="+url.QueryEscape(session), w.FormDataContentType(), &body)
}

// texts are the texts of the session's messages.
func (h *harness) texts(session string) []string {
	h.t.Helper()
	var out []string
	for _, m := range h.poll(session, 0, 0).Messages {
		out = append(out, m.Text)
	}
	return out
}

// photoFiles lists the files under the photos folder, temporary ones too.
func (h *harness) photoFiles() []string {
	h.t.Helper()
	var files []string
	filepath.Walk(h.photos.Dir, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	return files
}

func TestPageIsServedFromTheBinary(t *testing.T) {
	h := newHarness(t)
	res, err := http.Get(h.srv.URL + "/chat")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), "/chat/api/messages") {
		t.Fatalf("page: %d", res.StatusCode)
	}
	// rule: ID-7: an "end chat" control, and the session kept per tab only.
	for _, want := range []string{"/chat/api/end", "结束对话", "End chat", "sessionStorage.setItem"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(string(body), "localStorage.setItem") {
		t.Error("the page keeps the session in localStorage, for good")
	}
	for _, remote := range []string{"http://", "https://", "//cdn"} {
		if strings.Contains(string(body), "src=\""+remote) || strings.Contains(string(body), "href=\""+remote) {
			t.Errorf("the page loads something from the network: %s", remote)
		}
	}
}

// rule: CMD-1
func TestConversationThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	s := h.session()
	if r := h.say(s, map[string]string{"text": "/start", "lang": "en-GB", "id": "m1"}); r.status != http.StatusAccepted {
		t.Fatalf("post: %+v", r)
	}
	got := h.poll(s, 0, 0)
	if len(got.Messages) != 1 || got.Messages[0].Text != conversations.T(conversations.En, "menu") || len(got.Messages[0].Buttons) == 0 {
		t.Fatalf("menu: %+v", got)
	}
	// A retried request with the same id is handled once.
	if r := h.say(s, map[string]string{"text": "/start", "id": "m1"}); r.status != http.StatusOK || r.body["duplicate"] != true {
		t.Fatalf("duplicate: %+v", r)
	}
	if n := len(h.poll(s, 0, 0).Messages); n != 1 {
		t.Fatalf("duplicate produced a reply: %d", n)
	}
	// Nothing new after the cursor.
	if more := h.poll(s, got.Next, 0); len(more.Messages) != 0 || more.Next != got.Next {
		t.Fatalf("after cursor: %+v", more)
	}
	// Another session never sees this one's messages.
	if other := h.poll(h.session(), 0, 0); len(other.Messages) != 0 {
		t.Fatalf("another session read %d messages", len(other.Messages))
	}
}

func TestLongPollWakesOnReply(t *testing.T) {
	h := newHarness(t)
	s := h.session()
	done := make(chan pollResult)
	go func() { done <- h.poll(s, 0, 10) }()
	time.Sleep(50 * time.Millisecond) // let the poll start waiting
	h.say(s, map[string]string{"text": "/help", "lang": "zh-CN"})
	select {
	case got := <-done:
		if len(got.Messages) != 1 || got.Messages[0].Text != conversations.T(conversations.ZhHans, "help") {
			t.Fatalf("woken with %+v", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the long poll was not woken by the reply")
	}
}

func TestBadRequestsGetJSONErrorsAndChangeNothing(t *testing.T) {
	h := newHarness(t)
	s := h.session()
	tests := []struct {
		name        string
		contentType string
		body        string
		status      int
		code        string
	}{
		{"no session", "application/json", `{"text":"hi"}`, 401, "bad_session"},
		{"forged session", "application/json", `{"session":"../../etc/passwd","text":"hi"}`, 401, "bad_session"},
		{"malformed json", "application/json", `{"session":`, 400, "bad_json"},
		{"wrong type", "application/json", `{"session":"` + s + `","text":42}`, 400, "bad_type"},
		{"unknown field", "application/json", `{"session":"` + s + `","txt":"hi"}`, 400, "unknown_field"},
		{"two values", "application/json", `{"session":"` + s + `"}{}`, 400, "bad_request"},
		{"empty body", "application/json", ``, 400, "empty_body"},
		{"form encoded", "application/x-www-form-urlencoded", `session=` + s, 415, "bad_content_type"},
		{"oversized", "application/json", `{"session":"` + s + `","text":"` + strings.Repeat("x", 70<<10) + `"}`, 413, "too_large"},
		{"hostile id", "application/json", `{"session":"` + s + `","id":"<script>","text":"hi"}`, 400, "bad_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.post("/chat/api/messages", tt.contentType, strings.NewReader(tt.body))
			if r.status != tt.status || r.errorCode() != tt.code {
				t.Fatalf("got %d %q (%v), want %d %q", r.status, r.errorCode(), r.body, tt.status, tt.code)
			}
		})
	}
	if n := len(h.poll(s, 0, 0).Messages); n != 0 {
		t.Fatalf("refused requests produced %d messages", n)
	}
	for q, want := range map[string]int{"session=nope": 401, "session=" + s + "&after=-1": 400, "session=" + s + "&after=x": 400,
		"session=" + s + "&wait=99": 400} {
		res, _ := http.Get(h.srv.URL + "/chat/api/messages?" + q)
		if res.StatusCode != want {
			t.Errorf("GET ?%s = %d, want %d", q, res.StatusCode, want)
		}
		res.Body.Close()
	}
}

func TestTooLongAndEmptyTextAreAnsweredInTheCustomersLanguage(t *testing.T) {
	h := newHarness(t)
	s := h.session()
	h.say(s, map[string]string{"text": strings.Repeat("长", 1500), "lang": "zh-TW"})
	if got := h.lastText(s); got != conversations.Plural(conversations.ZhHant, "bad.too_long", conversations.DefaultMaxTextChars, nil) {
		t.Fatalf("too long: %q", got)
	}
	h.say(s, map[string]string{"text": "   "})
	if got := h.lastText(s); got != conversations.T(conversations.ZhHant, "bad.empty") {
		t.Fatalf("empty: %q", got)
	}
}

func TestPhotoUploads(t *testing.T) {
	h := newHarness(t)
	s := h.session()
	if r := h.upload(s, "p2", []byte("%PDF-1.4 not a picture")); r.status != http.StatusUnsupportedMediaType || r.errorCode() != "not_image" {
		t.Fatalf("pdf: %+v", r)
	}
	if got := h.lastText(s); got != conversations.T(conversations.En, "bad.not_image") {
		t.Fatalf("reply to a pdf: %q", got)
	}
	big := append(testkit.PNG(200), bytes.Repeat([]byte{0}, 2<<20)...)
	if r := h.upload(s, "p3", big); r.status != http.StatusRequestEntityTooLarge || r.errorCode() != "too_large" {
		t.Fatalf("big: %+v", r)
	}
	if got := h.lastText(s); got != conversations.T(conversations.En, "bad.too_large", 1) {
		t.Fatalf("reply to a big file: %q", got)
	}
	if files := h.photoFiles(); len(files) != 0 {
		t.Fatalf("a refused upload left files behind: %v", files)
	}
	if r := h.post("/chat/api/photos", "application/json", strings.NewReader("{}")); r.status != 400 || r.errorCode() != "bad_form" {
		t.Fatalf("not a form: %+v", r)
	}
}
