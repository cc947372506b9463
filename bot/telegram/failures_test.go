package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"frontdesk/bot"
	"frontdesk/bot/telegram/telegramtest"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// eventually waits until cond holds; the channel's goroutines work in real
// time, the desk's clock does not move by itself.
func (h *harness) eventually(what string, cond func() bool) {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			h.t.Fatalf("timed out waiting: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// retryAfter moves the desk's clock and wakes the channel's retry loop, as
// the passing of d would.
func (h *harness) retryAfter(d time.Duration) {
	h.clock.Advance(d)
	h.ch.parking.poke()
}

// queued returns the texts the desk wrote to a chat, delivered or not.
func (h *harness) queued(chat int64) []string {
	h.t.Helper()
	rows, err := h.db.OutboxAfter(context.Background(), ChannelName, strconv.FormatInt(chat, 10), 0, 100)
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for _, r := range rows {
		var m bot.Message
		if err := json.Unmarshal(r.Payload, &m); err != nil {
			h.t.Fatal(err)
		}
		out = append(out, m.Text)
	}
	return out
}

// head is the oldest parked update of a chat; ok false when none.
func (h *harness) head(chat int64) (store.ParkedUpdate, bool) {
	h.t.Helper()
	p, err := h.db.NextParked(context.Background(), ChannelName, strconv.FormatInt(chat, 10))
	if errors.Is(err, store.ErrNotFound) {
		return p, false
	}
	if err != nil {
		h.t.Fatal(err)
	}
	return p, true
}

// refusals returns the audit lines of refused updates of a chat.
func (h *harness) refusals(chat int64) []string {
	h.t.Helper()
	trail, err := h.db.AuditTrail(context.Background(), "chat telegram:"+strconv.FormatInt(chat, 10))
	if err != nil {
		h.t.Fatal(err)
	}
	var out []string
	for _, a := range trail {
		if a.Action == "update_refused" {
			out = append(out, a.Detail)
		}
	}
	return out
}

// A photo whose file is gone (getFile answers 400) from chat A, and one
// whose download answers 404 from chat D, do not hold back chats B and C
// behind them: all four are taken in the first poll that brings them, A and
// D are asked, in their language, to send the photo again, the refusals are
// in the log and the audit trail (without the token), and nothing is tried
// again.
// rule: LNG-1
func TestPoisonUpdateDoesNotHoldBackOtherChats(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.AddGoneFile("gone-d", 500)
	a := h.fake.Push(telegramtest.PhotoFrom(501, "missing-a", 500, "en"))
	d := h.fake.Push(telegramtest.PhotoFrom(504, "gone-d", 500, "zh-hant"))
	b := h.fake.Push(telegramtest.TextFrom(502, "/start", "en"))
	c := h.fake.Push(telegramtest.TextFrom(503, "/start", "zh-hans"))
	h.processed(c) // the desk's clock never moved: no retry was waited for
	for _, id := range []int{a, d, b, c} {
		if n := h.fake.Delivered(id); n != 1 {
			t.Fatalf("update %d was fetched %d times", id, n)
		}
	}
	if got := h.queued(502); len(got) != 1 || !strings.Contains(got[0], "after-sales desk") {
		t.Fatalf("B: %q", got)
	}
	if got := h.queued(503); len(got) != 1 || !strings.Contains(got[0], "售后") {
		t.Fatalf("C: %q", got)
	}
	if got := h.queued(501); len(got) != 1 || !strings.Contains(got[0], "could not receive the photo") {
		t.Fatalf("A was not asked to send it again: %q", got)
	}
	if got := h.queued(504); len(got) != 1 || !strings.Contains(got[0], "沒能收到您剛才傳送的照片") {
		t.Fatalf("D was not asked to send it again: %q", got)
	}
	if got := h.refusals(501); len(got) != 1 || !strings.Contains(got[0], "update "+strconv.Itoa(a)) || !strings.Contains(got[0], "file") {
		t.Fatalf("A's audit: %q", got)
	}
	if got := h.refusals(504); len(got) != 1 || !strings.Contains(got[0], "status 404") {
		t.Fatalf("D's audit: %q", got)
	}
	logs := h.logs.String()
	if !strings.Contains(logs, "level=WARN msg=\"telegram: update refused\" update_id="+strconv.Itoa(a)) ||
		!strings.Contains(logs, "update_id="+strconv.Itoa(d)) {
		t.Fatalf("refusals not logged:\n%s", logs)
	}
	if strings.Contains(logs, h.fake.Token) {
		t.Fatalf("the token is in the log:\n%s", logs)
	}

	// A few polls later nothing was tried again, and nothing waits.
	polls := len(h.fake.Offsets())
	h.eventually("two more polls", func() bool { return len(h.fake.Offsets()) >= polls+2 })
	if n := h.fake.Calls("getFile"); n != 2 {
		t.Fatalf("getFile called %d times, want once per photo", n)
	}
	if h.fake.Delivered(a) != 1 || len(h.queued(501)) != 1 {
		t.Fatal("the poison update came back")
	}
	for _, chat := range []int64{501, 502, 503, 504} {
		if _, parked := h.head(chat); parked {
			t.Fatalf("chat %d has an update parked", chat)
		}
	}
	h.deliver()
	if sent := h.fake.SentTo(501); len(sent) != 1 {
		t.Fatalf("A got %d messages", len(sent))
	}
}

// An update that does not parse (a value of the wrong type) is refused
// alone: the customer is asked to send it again and the chats behind it
// are answered. The library would fail the whole batch, for ever.
func TestUnreadableUpdateIsRefusedAlone(t *testing.T) {
	h := newHarness(t, Config{})
	bad := h.fake.Push(map[string]any{"message": map[string]any{"message_id": "not a number", "date": 0,
		"from": telegramtest.UserOf(501, "en"), "chat": telegramtest.ChatOf(501), "text": "hello"}})
	b := h.fake.Push(telegramtest.TextFrom(502, "/start", "en"))
	h.processed(b)
	if got := h.queued(501); len(got) != 1 || !strings.Contains(got[0], "could not process the message") {
		t.Fatalf("the sender was not told: %q", got)
	}
	if got := h.queued(502); len(got) != 1 {
		t.Fatalf("B: %q", got)
	}
	if got := h.refusals(501); len(got) != 1 || !strings.Contains(got[0], "update "+strconv.Itoa(bad)+": telegram: update does not parse") {
		t.Fatalf("audit: %q", got)
	}
}

// getFile answers 500 twice for chat A's photo: the photo is parked and
// tried again 1 s and 3 s later, A's next message waits behind it and is
// answered after it, and chat B is answered at once meanwhile.
func TestTransientFailureIsRetriedInOrderWithoutHoldingBackOthers(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.AddFile("slow", testkit.PNG(7))
	h.fake.FailGetFile("slow", telegramtest.Failure{Code: 500}, telegramtest.Failure{Code: 500})
	photo := h.fake.Push(telegramtest.PhotoMsg("slow", 500, ""))
	h.fake.Push(telegramtest.TextMsg("/help", "zh-hans"))
	b := h.fake.Push(telegramtest.TextFrom(502, "/start", "en"))
	h.processed(b)
	if got := h.queued(502); len(got) != 1 {
		t.Fatalf("B was held back: %q", got)
	}
	if got := h.queued(telegramtest.UserID); len(got) != 0 {
		t.Fatalf("A was answered before its photo was received: %q", got)
	}
	p, ok := h.head(telegramtest.UserID)
	if !ok || p.UpdateID != int64(photo) || p.Attempts != 1 || !p.NextAt.Equal(h.clock.Now().Add(time.Second)) ||
		!strings.Contains(p.LastError, "Internal Server Error") {
		t.Fatalf("parked: %+v", p)
	}

	h.retryAfter(time.Second) // fails again: next try 2 s later
	h.eventually("the second try", func() bool { p, _ := h.head(telegramtest.UserID); return p.Attempts == 2 })
	if p, _ := h.head(telegramtest.UserID); !p.NextAt.Equal(h.clock.Now().Add(2 * time.Second)) {
		t.Fatalf("backoff: next at %v, now %v", p.NextAt, h.clock.Now())
	}
	h.retryAfter(2 * time.Second)
	h.eventually("A's photo and message", func() bool { return len(h.queued(telegramtest.UserID)) == 2 })
	got := h.queued(telegramtest.UserID)
	if !strings.Contains(got[0], "收到照片") || !strings.Contains(got[1], "/cancel") {
		t.Fatalf("A's answers out of order: %q", got)
	}
	if n := h.fake.Calls("getFile"); n != 3 {
		t.Fatalf("getFile called %d times", n)
	}
	// The parked row goes after the answers are written (its own commit).
	h.eventually("the photo unparked", func() bool { _, parked := h.head(telegramtest.UserID); return !parked })
	if n := h.fake.Delivered(photo); n != 1 {
		t.Fatalf("the photo was fetched %d times", n)
	}
	// A's chat goes on as usual.
	h.processed(h.fake.Push(telegramtest.TextMsg("/start", "zh-hans")))
	if got := h.queued(telegramtest.UserID); len(got) != 3 {
		t.Fatalf("A after the retries: %q", got)
	}
}

// A failure that does not pass is tried with a capped backoff and given up
// after ten minutes: the customer is asked to send the photo again and the
// message behind it is answered.
func TestTransientFailureIsGivenUpAfterTenMinutes(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.AddFile("slow", testkit.PNG(7))
	fails := make([]telegramtest.Failure, 100)
	for i := range fails {
		fails[i] = telegramtest.Failure{Code: 500}
	}
	h.fake.FailGetFile("slow", fails...)
	photo := h.fake.Push(telegramtest.PhotoMsg("slow", 500, ""))
	h.processed(h.fake.Push(telegramtest.TextMsg("/help", "zh-hans")))
	start := h.clock.Now()
	var waits []time.Duration
	for tries := 0; ; tries++ {
		p, ok := h.head(telegramtest.UserID)
		if !ok || p.UpdateID != int64(photo) {
			break
		}
		if tries > 30 {
			t.Fatalf("still trying after %d tries", tries)
		}
		wait := p.NextAt.Sub(h.clock.Now())
		waits = append(waits, wait)
		h.retryAfter(wait)
		h.eventually("the next try", func() bool {
			q, _ := h.head(telegramtest.UserID)
			return q.UpdateID != p.UpdateID || q.Attempts > p.Attempts
		})
	}
	if gaveUp := h.clock.Now().Sub(start); gaveUp < 10*time.Minute || gaveUp > 11*time.Minute {
		t.Fatalf("gave up after %v", gaveUp)
	}
	for _, w := range waits {
		if w > time.Minute {
			t.Fatalf("waited %v between tries: %v", w, waits)
		}
	}
	h.eventually("the message behind it", func() bool { return len(h.queued(telegramtest.UserID)) == 2 })
	got := h.queued(telegramtest.UserID)
	if !strings.Contains(got[0], "没能收到您刚才发送的照片") || !strings.Contains(got[1], "/cancel") {
		t.Fatalf("A: %q", got)
	}
	if r := h.refusals(telegramtest.UserID); len(r) != 1 || !strings.Contains(r[0], "gave up after") {
		t.Fatalf("audit: %q", r)
	}
	if n := h.fake.Calls("getFile"); n != len(waits)+1 {
		t.Fatalf("getFile called %d times for %d retries", n, len(waits))
	}
}

// The channel stops while chat A's photo is parked (getFile failing) with
// A's next message behind it; a new channel on the same store finishes
// them in order. Nothing is lost, nothing fetched or answered twice.
func TestRestartWhileAnUpdateIsParked(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.AddFile("slow", testkit.PNG(7))
	h.fake.FailGetFile("slow", telegramtest.Failure{Code: 500}, telegramtest.Failure{Code: 429, RetryAfter: 5})
	photo := h.fake.Push(telegramtest.PhotoMsg("slow", 500, ""))
	help := h.fake.Push(telegramtest.TextMsg("/help", "zh-hans"))
	b := h.fake.Push(telegramtest.TextFrom(502, "/start", "en"))
	h.processed(b)
	h.stop()
	if p, ok := h.head(telegramtest.UserID); !ok || p.UpdateID != int64(photo) {
		t.Fatalf("nothing parked at the stop: %+v", p)
	}

	h.start(Config{})
	h.retryAfter(time.Second) // 429, retry_after 5 s
	h.eventually("the try after the restart", func() bool { p, _ := h.head(telegramtest.UserID); return p.Attempts == 2 })
	if p, _ := h.head(telegramtest.UserID); !p.NextAt.Equal(h.clock.Now().Add(5 * time.Second)) {
		t.Fatalf("retry_after not honoured: next at %v, now %v", p.NextAt, h.clock.Now())
	}
	h.retryAfter(5 * time.Second)
	h.eventually("A's photo and message", func() bool { return len(h.queued(telegramtest.UserID)) == 2 })
	h.processed(h.fake.Push(telegramtest.TextFrom(502, "/help", "en")))
	h.deliver()
	sentA, sentB := h.fake.SentTo(telegramtest.UserID), h.fake.SentTo(502)
	if len(sentA) != 2 || !strings.Contains(sentA[0].Text, "收到照片") || !strings.Contains(sentA[1].Text, "/cancel") {
		t.Fatalf("A: %+v", sentA)
	}
	if len(sentB) != 2 || !strings.Contains(sentB[0].Text, "after-sales desk") || !strings.Contains(sentB[1].Text, "/cancel") {
		t.Fatalf("B: %+v", sentB)
	}
	for _, id := range []int{photo, help, b} {
		if n := h.fake.Delivered(id); n != 1 {
			t.Fatalf("update %d fetched %d times", id, n)
		}
	}
}

// webhook starts a webhook-mode channel and returns a poster of updates.
func webhook(t *testing.T) (*harness, func(u map[string]any, id int) int) {
	h := newHarness(t, Config{WebhookURL: "https://desk.example/telegram/webhook", WebhookSecret: "hook-secret"})
	h.eventually("setWebhook", func() bool { hook := h.fake.Webhook(); return hook != nil && hook["method"] == "setWebhook" })
	srv := httptest.NewServer(h.ch)
	t.Cleanup(srv.Close)
	return h, func(u map[string]any, id int) int {
		u["update_id"] = id
		body, _ := json.Marshal(u)
		req, _ := http.NewRequest("POST", srv.URL, bytes.NewReader(body))
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", "hook-secret")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
}

// Webhook: a poison update is answered 200 (Telegram would send it again
// and hold back the rest) and the customer is told once, however often it
// comes; a transient failure is parked and answered 200, the next update of
// another chat is handled at once, and the parked one is retried with its
// chat's next message behind it.
func TestWebhookRefusesPoisonAndParksTransientFailures(t *testing.T) {
	h, post := webhook(t)
	for i := 0; i < 2; i++ {
		if code := post(telegramtest.PhotoFrom(501, "missing-a", 500, "en"), 77); code != 200 {
			t.Fatalf("poison update: %d", code)
		}
	}
	if got := h.queued(501); len(got) != 1 || !strings.Contains(got[0], "could not receive the photo") {
		t.Fatalf("A: %q", got)
	}
	if got := h.refusals(501); len(got) != 1 {
		t.Fatalf("audit: %q", got)
	}

	h.fake.AddFile("slow", testkit.PNG(7))
	h.fake.FailGetFile("slow", telegramtest.Failure{Code: 500})
	if code := post(telegramtest.PhotoFrom(502, "slow", 500, "en"), 78); code != 200 {
		t.Fatalf("transient failure: %d", code)
	}
	if code := post(telegramtest.TextFrom(503, "/start", "en"), 79); code != 200 {
		t.Fatalf("C: %d", code)
	}
	if got := h.queued(503); len(got) != 1 {
		t.Fatalf("C was held back: %q", got)
	}
	if code := post(telegramtest.TextFrom(502, "/help", "en"), 80); code != 200 {
		t.Fatalf("B's next: %d", code)
	}
	if got := h.queued(502); len(got) != 0 {
		t.Fatalf("B's message went before its photo: %q", got)
	}
	h.retryAfter(time.Second)
	h.eventually("B's photo and message", func() bool { return len(h.queued(502)) == 2 })
	if got := h.queued(502); !strings.Contains(got[0], "Thanks for the photo") || !strings.Contains(got[1], "/cancel") {
		t.Fatalf("B: %q", got)
	}

	unreadable := map[string]any{"message": map[string]any{"message_id": "x", "date": 0, "from": telegramtest.UserOf(505, "en"),
		"chat": telegramtest.ChatOf(505), "text": "hi"}}
	if code := post(unreadable, 81); code != 200 {
		t.Fatalf("unreadable update: %d", code)
	}
	if got := h.queued(505); len(got) != 1 || !strings.Contains(got[0], "could not process the message") {
		t.Fatalf("unreadable: %q", got)
	}
}

// Which failures are for good, how long to wait for the others, and what
// the log may say of them.
func TestFailureKinds(t *testing.T) {
	for _, tc := range []struct {
		name      string
		err       error
		permanent bool
		wait      time.Duration // after the third failure
	}{
		{"getFile 400", &tgbotapi.Error{Code: 400, Message: "Bad Request: invalid file_id"}, true, 4 * time.Second},
		{"getFile 500", &tgbotapi.Error{Code: 500, Message: "Internal Server Error"}, false, 4 * time.Second},
		{"getFile 429", &tgbotapi.Error{Code: 429, Message: "Too Many Requests", ResponseParameters: tgbotapi.ResponseParameters{RetryAfter: 30}}, false, 30 * time.Second},
		{"download 404", downloadFailed(404), true, 4 * time.Second},
		{"download 403", downloadFailed(403), true, 4 * time.Second},
		{"download 502", downloadFailed(502), false, 4 * time.Second},
		{"download 429", downloadFailed(429), false, 4 * time.Second},
		{"network", &url.Error{Op: "Post", URL: "https://api.telegram.org/bot123:SECRET/getFile", Err: errors.New("connection refused")}, false, 4 * time.Second},
		{"store", store.ErrConflict, false, 4 * time.Second},
	} {
		if got := isPermanent(tc.err); got != tc.permanent {
			t.Errorf("%s: permanent = %v", tc.name, got)
		}
		if got := backoff(3, tc.err); got != tc.wait {
			t.Errorf("%s: backoff = %v, want %v", tc.name, got, tc.wait)
		}
	}
	if got := backoff(30, nil); got != retryMax {
		t.Errorf("backoff is not capped: %v", got)
	}
	c := &Channel{cfg: Config{Token: "123:SECRET"}}
	err := &url.Error{Op: "Post", URL: "https://api.telegram.org/bot123:SECRET/getFile", Err: errors.New("connection refused")}
	if got := c.reason(err); strings.Contains(got, "SECRET") || !strings.Contains(got, "connection refused") {
		t.Errorf("reason = %q", got)
	}
}
