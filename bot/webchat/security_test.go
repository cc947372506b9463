package webchat

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/dialogstate"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// verify verifies the session as 王芳 (SO-1001, 1234) through the API.
func (h *harness) verify(s string) {
	h.t.Helper()
	h.say(s, map[string]string{"choice": "menu:where", "lang": "en"})
	h.say(s, map[string]string{"text": "SO-1001"})
	h.say(s, map[string]string{"text": "1234"})
	if !strings.Contains(strings.Join(h.texts(s), "\n"), conversations.T(conversations.En, "verify.ok", conversations.Args{"Name": "王芳"})) {
		h.t.Fatalf("not verified: %q", h.texts(s))
	}
}

// every request a session can make, answered with its status and body.
func (h *harness) everyRequest(s string) map[string]response {
	h.t.Helper()
	_, get := h.tryPoll(s, 0, 0)
	b, _ := json.Marshal(map[string]string{"session": s})
	return map[string]response{
		"POST messages": h.say(s, map[string]string{"text": "/start"}),
		"GET messages":  get,
		"POST photos":   h.upload(s, "p", testkit.PNG(200)),
		"POST end":      h.post("/chat/api/end", "application/json", bytes.NewReader(b)),
	}
}

func refusedEverywhere(t *testing.T, h *harness, s string) {
	t.Helper()
	for what, r := range h.everyRequest(s) {
		if r.status != http.StatusUnauthorized || r.errorCode() != "bad_session" {
			t.Errorf("%s with session %q: %d %v", what, s, r.status, r.body)
		}
	}
}

func TestMadeUpSessionIsRefused(t *testing.T) {
	h := newHarness(t)
	for _, s := range []string{"0123456789abcdef0123456789abcdef", "", "0123456789abcdef0123456789abcdef.0123456789abcdef0123456789abcdef"} {
		refusedEverywhere(t, h, s)
	}
	if files := h.photoFiles(); len(files) != 0 {
		t.Fatalf("an upload with a made-up session left files: %v", files)
	}
}

func TestForgedSignatureIsRefused(t *testing.T) {
	h := newHarness(t)
	real := h.session()
	id, mac, _ := strings.Cut(real, ".")
	flipped := []byte(mac)
	flipped[0] = "01"[map[bool]int{true: 1, false: 0}[flipped[0] == '0']]
	other := newHarness(t).session() // signed by another install's secret
	otherID, otherMAC, _ := strings.Cut(other, ".")
	for _, s := range []string{id + "." + string(flipped), otherID + "." + mac, id + "." + otherMAC, other} {
		refusedEverywhere(t, h, s)
	}
	// The real one still works.
	if r := h.say(real, map[string]string{"text": "/start"}); r.status != http.StatusAccepted {
		t.Fatalf("the issued session: %+v", r)
	}
}

// rule: ID-7
func TestEndedSessionIsForgotten(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	s := h.session()
	h.verify(s)
	id, _, _ := strings.Cut(s, ".")
	if chats, _ := h.db.ChatsByPhone(ctx, "13800001234"); len(chats) != 1 || chats[0].ChatID != id {
		t.Fatalf("not bound after verifying: %+v", chats)
	}
	// A long poll waiting when the chat is ended is answered at once.
	waiting := make(chan response)
	go func() {
		last := h.poll(s, 0, 0).Next
		_, r := h.tryPoll(s, last, 20)
		waiting <- r
	}()
	time.Sleep(100 * time.Millisecond)

	b, _ := json.Marshal(map[string]string{"session": s})
	if r := h.post("/chat/api/end", "application/json", bytes.NewReader(b)); r.status != http.StatusOK || r.body["ended"] != true {
		t.Fatalf("end: %+v", r)
	}
	select {
	case r := <-waiting:
		if r.status != http.StatusUnauthorized {
			t.Fatalf("the waiting poll got %+v", r)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting poll was not ended")
	}
	// Its history is not served, and nothing else is taken.
	for what, r := range h.everyRequest(s) {
		if what == "POST end" {
			if r.status != http.StatusOK {
				t.Errorf("ending again: %+v", r)
			}
			continue
		}
		if r.status != http.StatusUnauthorized || r.errorCode() != "bad_session" {
			t.Errorf("%s after end: %d %v", what, r.status, r.body)
		}
	}
	if chats, _ := h.db.ChatsByPhone(ctx, "13800001234"); len(chats) != 0 {
		t.Fatalf("still bound after the end: %+v", chats)
	}
	st, _, err := h.state.Load(ctx, ChannelName+":"+id)
	if err != nil || st.Verified != nil || st.Lang != "" {
		t.Fatalf("dialog state kept after the end: %+v %v", st, err)
	}
	// The next visitor starts fresh, with no history.
	next := h.session()
	if msgs := h.poll(next, 0, 0).Messages; len(msgs) != 0 {
		t.Fatalf("a new session sees %d messages", len(msgs))
	}
	h.say(next, map[string]string{"choice": "menu:where", "lang": "en"})
	if got := h.lastText(next); got != conversations.T(conversations.En, "verify.ask_order") {
		t.Fatalf("a new session is not asked to verify: %q", got)
	}
}

// rule: ID-7
func TestVerificationLapsesAfterIdleThroughTheAPI(t *testing.T) {
	h := newHarness(t)
	s := h.session()
	h.verify(s)
	h.say(s, map[string]string{"text": "/start"}) // leave the choice of orders
	where := func() string {
		h.say(s, map[string]string{"text": "where is my order"})
		return h.lastText(s)
	}
	h.clock.Advance(29 * time.Minute)
	if got := where(); got != conversations.T(conversations.En, "where.choose") {
		t.Fatalf("29 minutes idle: %q", got)
	}
	h.say(s, map[string]string{"text": "/start"})
	h.clock.Advance(31 * time.Minute)
	want := conversations.Plural(conversations.En, "verify.lapsed", 30, nil) + "\n" + conversations.T(conversations.En, "verify.ask_order")
	if got := where(); got != want {
		t.Fatalf("31 minutes idle: %q", got)
	}
}

func TestSessionCreationIsRateLimitedPerAddress(t *testing.T) {
	create := func(h *harness, forwardedFor string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/chat/api/session", nil)
		if forwardedFor != "" {
			req.Header.Set("X-Forwarded-For", forwardedFor)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	h := newHarness(t) // 10 a minute, 20 at once
	for i := 0; i < 20; i++ {
		if res := create(h, ""); res.StatusCode != http.StatusCreated {
			t.Fatalf("session %d: %d", i+1, res.StatusCode)
		}
	}
	res := create(h, "")
	var body struct {
		Error struct{ Code, Message string }
	}
	json.NewDecoder(res.Body).Decode(&body)
	if res.StatusCode != http.StatusTooManyRequests || body.Error.Code != "rate_limited" || res.Header.Get("Retry-After") != "6" {
		t.Fatalf("over the limit: %d %q %+v", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	// Without a trusted proxy, X-Forwarded-For is the client's word: ignored.
	if res := create(h, "203.0.113.9"); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a forged X-Forwarded-For got round the limit: %d", res.StatusCode)
	}
	// Six seconds later there is one more.
	h.clock.Advance(6 * time.Second)
	if res := create(h, ""); res.StatusCode != http.StatusCreated {
		t.Fatalf("after the wait: %d", res.StatusCode)
	}
	if res := create(h, ""); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("a second one after the wait: %d", res.StatusCode)
	}

	// Behind a trusted proxy, each client address has its own count.
	p := newHarnessWith(t, options{limits: func(l *config.WebChat) { l.TrustedProxy, l.SessionBurst = true, 2 }})
	for i := 0; i < 2; i++ {
		create(p, "198.51.100.7, 203.0.113.1")
	}
	if res := create(p, "198.51.100.99, 203.0.113.1"); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("the proxy's last hop decides: %d", res.StatusCode)
	}
	if res := create(p, "203.0.113.2"); res.StatusCode != http.StatusCreated {
		t.Fatalf("another client behind the proxy: %d", res.StatusCode)
	}
}

func TestUploadsAreCappedPerSession(t *testing.T) {
	h := newHarnessWith(t, options{limits: func(l *config.WebChat) { l.UploadsPerSessionDay = 3 }})
	s := h.session()
	for i := 0; i < 3; i++ {
		if r := h.upload(s, "p"+strconv.Itoa(i), testkit.PNG(200)); r.status != http.StatusAccepted {
			t.Fatalf("upload %d: %+v", i+1, r)
		}
	}
	r := h.upload(s, "p3", testkit.PNG(200))
	if r.status != http.StatusTooManyRequests || r.errorCode() != "upload_limit" {
		t.Fatalf("fourth upload of the day: %+v", r)
	}
	if r := h.upload(h.session(), "p0", testkit.PNG(200)); r.status != http.StatusAccepted {
		t.Fatalf("another session: %+v", r)
	}
	h.clock.Advance(24 * time.Hour)
	if r := h.upload(s, "p4", testkit.PNG(200)); r.status != http.StatusAccepted {
		t.Fatalf("the next day: %+v", r)
	}
}

func TestUploadsAreRateLimitedPerAddress(t *testing.T) {
	h := newHarnessWith(t, options{limits: func(l *config.WebChat) { l.UploadsPerMinute, l.UploadBurst = 30, 2 }})
	a, b := h.session(), h.session()
	h.upload(a, "1", testkit.PNG(200))
	h.upload(b, "1", testkit.PNG(200))
	// A new session does not help: the count is the address's.
	res, err := http.Post(h.srv.URL+"/chat/api/photos?session="+url.QueryEscape(h.session()), "multipart/form-data; boundary=x", strings.NewReader(""))
	if err != nil {
		t.Fatal(err)
	}
	var body struct{ Error struct{ Code string } }
	json.NewDecoder(res.Body).Decode(&body)
	res.Body.Close()
	if res.StatusCode != http.StatusTooManyRequests || body.Error.Code != "rate_limited" || res.Header.Get("Retry-After") != "2" {
		t.Fatalf("third upload at once: %d %q %+v", res.StatusCode, res.Header.Get("Retry-After"), body)
	}
	h.clock.Advance(2 * time.Second)
	if r := h.upload(a, "2", testkit.PNG(200)); r.status != http.StatusAccepted {
		t.Fatalf("after the wait: %+v", r)
	}
}

func TestConcurrentUploadsAreBounded(t *testing.T) {
	h := newHarnessWith(t, options{limits: func(l *config.WebChat) { l.ConcurrentUploads = 1 }})
	s := h.session()
	// One upload whose body is still coming holds the only slot.
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	done := make(chan int)
	go func() {
		res, err := http.Post(h.srv.URL+"/chat/api/photos?session="+url.QueryEscape(s), mw.FormDataContentType(), pr)
		if err != nil {
			done <- 0
			return
		}
		res.Body.Close()
		done <- res.StatusCode
	}()
	f, _ := mw.CreateFormFile("file", "slow.png")
	f.Write(testkit.PNG(200)[:20])
	for deadline := time.Now().Add(5 * time.Second); len(h.chat.uploadSlots) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the slow upload never took its slot")
		}
		time.Sleep(5 * time.Millisecond)
	}
	r := h.upload(s, "second", testkit.PNG(200))
	if r.status != http.StatusServiceUnavailable || r.errorCode() != "busy" {
		t.Fatalf("an upload while all slots are taken: %+v", r)
	}
	f.Write(testkit.PNG(200)[20:])
	mw.Close()
	pw.Close()
	if status := <-done; status != http.StatusAccepted {
		t.Fatalf("the slow upload: %d", status)
	}
	if r := h.upload(s, "third", testkit.PNG(200)); r.status != http.StatusAccepted {
		t.Fatalf("once the slot is free: %+v", r)
	}
}

// rule: ID-6
func TestBruteForceAcrossSessionsHitsTheLock(t *testing.T) {
	h := newHarness(t)
	guesses := 0
	var s string
	lockedText := ""
	for guesses < 12 && lockedText == "" {
		if guesses%4 == 0 {
			s = h.session() // a fresh session every four guesses
			h.say(s, map[string]string{"choice": "menu:where", "lang": "en"})
		}
		h.say(s, map[string]string{"text": "SO-1001"})
		digits := "000" + strconv.Itoa(guesses%10)
		h.say(s, map[string]string{"text": digits})
		guesses++
		if got := h.lastText(s); strings.HasPrefix(got, "Too many failed attempts") {
			lockedText = got
		}
	}
	if guesses != 5 {
		t.Fatalf("locked after %d guesses across sessions, want the configured 5 (last: %q)", guesses, h.lastText(s))
	}
	// A new session, even with the right digits, meets the lock at the
	// order number.
	fresh := h.session()
	h.say(fresh, map[string]string{"choice": "menu:where", "lang": "en"})
	h.say(fresh, map[string]string{"text": "SO-1001"})
	h.say(fresh, map[string]string{"text": "1234"})
	for _, text := range h.texts(fresh) {
		if strings.Contains(text, "王芳") || strings.Contains(text, conversations.T(conversations.En, "verify.ask_phone4")) {
			t.Fatalf("a new session got past the lock: %q", h.texts(fresh))
		}
	}
	if got := h.texts(fresh)[1]; !strings.HasPrefix(got, "Too many failed attempts") {
		t.Fatalf("the lock is not said at the order number: %q", got)
	}
}

func TestLogsNeverNameTheSession(t *testing.T) {
	// Dialog state that cannot be read: every message fails, with errors
	// that name the chat.
	h := newHarnessWith(t, options{state: func(*store.DB, func() time.Time) dialogstate.Store { return brokenState{} }})
	s := h.session()
	id, _, _ := strings.Cut(s, ".")
	if r := h.say(s, map[string]string{"text": "/start", "id": "m1"}); r.status != http.StatusServiceUnavailable {
		t.Fatalf("message: %+v", r)
	}
	if r := h.upload(s, "p1", testkit.PNG(200)); r.status != http.StatusServiceUnavailable {
		t.Fatalf("photo: %+v", r)
	}
	b, _ := json.Marshal(map[string]string{"session": s})
	if r := h.post("/chat/api/end", "application/json", bytes.NewReader(b)); r.status != http.StatusServiceUnavailable {
		t.Fatalf("end: %+v", r)
	}
	logs := h.logs.String()
	if !strings.Contains(logs, "webchat: handle") || !strings.Contains(logs, "webchat: forget chat") {
		t.Fatalf("the failures were not logged:\n%s", logs)
	}
	if strings.Contains(logs, id) || strings.Contains(logs, id[:16]) {
		t.Fatalf("the logs name the session:\n%s", logs)
	}
	if !strings.Contains(logs, "session="+newSessionOf(id).short) {
		t.Fatalf("the logs do not name the session by its short hash:\n%s", logs)
	}
	if files := h.photoFiles(); len(files) != 0 {
		t.Fatalf("a photo no dialog took was kept: %v", files)
	}
}

func TestUploadIsKeptOnlyWhenTheDialogTakesIt(t *testing.T) {
	h := newHarness(t)
	s := h.session()
	// No flow asks for a photo: the dialog says so and the file goes.
	r := h.upload(s, "p1", testkit.PNG(200))
	if r.status != http.StatusAccepted || r.body["kept"] != false {
		t.Fatalf("unexpected photo: %+v", r)
	}
	if got := h.lastText(s); got != conversations.T(conversations.En, "photo.unexpected") {
		t.Fatalf("reply to an unexpected photo: %q", got)
	}
	if files := h.photoFiles(); len(files) != 0 {
		t.Fatalf("a photo the dialog refused left files: %v", files)
	}

	// A damage report that asks for photos takes it: the file stays.
	h.atDamagePhotos(s)
	img := testkit.PNG(200)
	if r := h.upload(s, "p2", img); r.status != http.StatusAccepted || r.body["kept"] != true {
		t.Fatalf("photo in the damage report: %+v (bot: %q)", r, h.lastText(s))
	}
	files := h.photoFiles()
	if len(files) != 1 || !strings.HasSuffix(files[0], ".png") {
		t.Fatalf("stored photos: %v", files)
	}
	// The same picture again where no flow wants it: the file is the first
	// upload's too, so it stays.
	h.say(s, map[string]string{"text": "/cancel"})
	if r := h.upload(h.session(), "p3", img); r.status != http.StatusAccepted || r.body["kept"] != false {
		t.Fatalf("the same photo elsewhere: %+v", r)
	}
	if got := h.photoFiles(); len(got) != 1 {
		t.Fatalf("a refused copy removed or added files: %v", got)
	}
}

func TestSessionMustComeBeforeTheFile(t *testing.T) {
	h := newHarness(t)
	s := h.session()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	f, _ := w.CreateFormFile("file", "x.png")
	f.Write(testkit.PNG(200))
	w.WriteField("session", s)
	w.Close()
	r := h.post("/chat/api/photos", w.FormDataContentType(), &body)
	if r.status != http.StatusUnauthorized || r.errorCode() != "bad_session" || !strings.Contains(r.body["error"].(map[string]any)["message"].(string), "before the file") {
		t.Fatalf("file before the session: %+v", r)
	}
	if files := h.photoFiles(); len(files) != 0 {
		t.Fatalf("files left: %v", files)
	}
}

// brokenState is dialog state that cannot be read, failing with an error
// that names the conversation's key (as a driver's error would).
type brokenState struct{}

func (brokenState) Load(_ context.Context, key string) (conversations.State, int64, error) {
	return conversations.State{}, 0, fmt.Errorf("dialogstate: load %s: connection refused", key)
}
func (brokenState) Keep(_ context.Context, key string, _ conversations.State, _ int64) error {
	return fmt.Errorf("dialogstate: keep %s: connection refused", key)
}
func (brokenState) Cached() bool               { return false }
func (brokenState) TTL() time.Duration         { return time.Hour }
func (brokenState) Ping(context.Context) error { return errors.New("dialogstate: connection refused") }
