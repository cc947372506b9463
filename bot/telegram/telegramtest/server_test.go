package telegramtest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"
)

// The fake answers like the Bot API: updates from the offset on, errors
// with error_code and retry_after.
func TestServerSpeaksTheBotAPI(t *testing.T) {
	s := New(t)
	first := s.Push(TextMsg("a", "en"))
	s.Push(TextMsg("b", "en"))
	call := func(method string, form url.Values) map[string]any { return callAPI(t, s, method, form) }
	got := call("getUpdates", url.Values{"offset": {itoa(first + 1)}})
	if res, _ := got["result"].([]any); got["ok"] != true || len(res) != 1 {
		t.Fatalf("getUpdates from offset: %v", got)
	}
	s.FailSend(Failure{Code: 429, RetryAfter: 3})
	got = call("sendMessage", url.Values{"chat_id": {"1"}, "text": {"x"}})
	params, _ := got["parameters"].(map[string]any)
	if got["ok"] != false || got["error_code"] != float64(429) || params["retry_after"] != float64(3) {
		t.Fatalf("429: %v", got)
	}
	if got = call("sendMessage", url.Values{"chat_id": {"1"}, "text": {"x"}}); got["ok"] != true || len(s.SentTo(1)) != 1 {
		t.Fatalf("send: %v", got)
	}
	if got = call("noSuchMethod", nil); got["ok"] != false {
		t.Fatalf("unknown method: %v", got)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// Down fails every request the way it is told, until Up.
func TestServerOutage(t *testing.T) {
	s := NewWithToken(t, "77:OTHER")
	target := s.URL + "/bot77:OTHER/getMe"
	s.Down(Status500)
	res, err := http.Post(target, "", nil)
	if err != nil || res.StatusCode != http.StatusInternalServerError {
		t.Fatalf("Status500: %v %v", err, res)
	}
	res.Body.Close()
	s.Down(Hangup)
	if res, err := http.Post(target, "", nil); err == nil {
		res.Body.Close()
		t.Fatalf("Hangup answered: %d", res.StatusCode)
	}
	if n := s.Refused("getMe"); n != 2 {
		t.Fatalf("refused %d calls", n)
	}
	s.Down(Hangup, "sendMessage")
	res, err = http.Post(target, "", nil)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("getMe while only sendMessage is down: %v %v", err, res)
	}
	res.Body.Close()
	s.Up()
	res, err = http.Post(target, "", nil)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("after Up: %v %v", err, res)
	}
	res.Body.Close()
}

// Files fail on command: getFile errors first, then the file; a gone file
// is described by getFile and its download answers 404.
func TestServerFailsFilesOnCommand(t *testing.T) {
	s := New(t)
	s.AddFile("f1", []byte("data"))
	s.FailGetFile("f1", Failure{Code: 500}, Failure{Code: 429, RetryAfter: 2})
	s.AddGoneFile("f2", 10)
	getFile := func(id string) map[string]any { return callAPI(t, s, "getFile", url.Values{"file_id": {id}}) }
	if got := getFile("f1"); got["ok"] != false || got["error_code"] != float64(500) {
		t.Fatalf("first getFile: %v", got)
	}
	if got := getFile("f1"); got["ok"] != false || got["error_code"] != float64(429) {
		t.Fatalf("second getFile: %v", got)
	}
	if got := getFile("f1"); got["ok"] != true {
		t.Fatalf("third getFile: %v", got)
	}
	got := getFile("f2")
	result, _ := got["result"].(map[string]any)
	if got["ok"] != true || result["file_path"] == nil {
		t.Fatalf("gone file getFile: %v", got)
	}
	res, err := http.Get(s.URL + "/file/bot" + s.Token + "/" + result["file_path"].(string))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Fatalf("gone file download: %d", res.StatusCode)
	}
	if got := getFile("nope"); got["ok"] != false || got["error_code"] != float64(400) {
		t.Fatalf("unknown file: %v", got)
	}
}

// The fault switches: a storm fails every send for a while and then
// stops; a hung send gets no answer until the caller gives up, and is not
// recorded as sent; a held one is recorded but gets no answer either.
func TestServerFaultSwitches(t *testing.T) {
	s := New(t)
	send := func(client *http.Client) (map[string]any, error) {
		res, err := client.PostForm(s.URL+"/bot"+s.Token+"/sendMessage", url.Values{"chat_id": {"7"}, "text": {"x"}})
		if err != nil {
			return nil, err
		}
		defer res.Body.Close()
		var body map[string]any
		json.NewDecoder(res.Body).Decode(&body)
		return body, nil
	}
	s.FailSendFor(300*time.Millisecond, Failure{Code: 500})
	for i := 0; i < 3; i++ {
		if got, _ := send(http.DefaultClient); got["ok"] != false || got["error_code"] != float64(500) {
			t.Fatalf("during the burst: %v", got)
		}
	}
	time.Sleep(350 * time.Millisecond)
	if got, _ := send(http.DefaultClient); got["ok"] != true {
		t.Fatalf("after the burst: %v", got)
	}
	s.HangSend(1)
	if _, err := send(&http.Client{Timeout: 200 * time.Millisecond}); err == nil {
		t.Fatal("a hung send was answered")
	}
	if got, _ := send(http.DefaultClient); got["ok"] != true || s.Hung() != 1 || len(s.SentTo(7)) != 2 {
		t.Fatalf("after the hang: %v, hung %d, sent %d", got, s.Hung(), len(s.SentTo(7)))
	}
	if at := s.SentTo(7)[1].At; time.Since(at) > 5*time.Second {
		t.Fatalf("sent at %v", at)
	}
	s.HoldAnswer(1)
	if _, err := send(&http.Client{Timeout: 200 * time.Millisecond}); err == nil {
		t.Fatal("a held send was answered")
	}
	if s.Held() != 1 || len(s.SentTo(7)) != 3 {
		t.Fatalf("a held send: held %d, sent %d", s.Held(), len(s.SentTo(7)))
	}
}

// callAPI posts a Bot API call to the fake and returns its JSON answer.
func callAPI(t *testing.T, s *Server, method string, form url.Values) map[string]any {
	t.Helper()
	res, err := http.PostForm(s.URL+"/bot"+s.Token+"/"+method, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	json.NewDecoder(res.Body).Decode(&body)
	return body
}

// The fake judges Telegram's limits over sliding windows: a burst of three
// then one a second per chat, 30 a second overall, 20 a minute per group;
// strict, it answers a send over them with 429 and keeps nothing.
func TestServerJudgesTelegramsLimits(t *testing.T) {
	s := New(t)
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	s.JudgeLimitsBy(func() time.Time { return now })
	send := func(chat string) map[string]any {
		return callAPI(t, s, "sendMessage", url.Values{"chat_id": {chat}, "text": {"x"}})
	}
	for i := 0; i < 4; i++ { // the burst of three and one second's message
		send("1")
	}
	if n := s.OverLimit(); n != 0 {
		t.Fatalf("4 in a second counted %d over", n)
	}
	send("1")
	if n := s.OverLimit(); n != 1 {
		t.Fatalf("the fifth in a second: %d over, want 1", n)
	}
	s.Strict()
	if got := send("1"); got["error_code"] != float64(429) || len(s.SentTo(1)) != 5 {
		t.Fatalf("strict: %v, %d sent", got, len(s.SentTo(1)))
	}
	now = now.Add(time.Minute)
	for chat := 100; chat < 130; chat++ {
		send(itoa(chat))
	}
	if got := send("200"); got["error_code"] != float64(429) {
		t.Fatalf("the 31st in a second overall: %v", got)
	}
	now = now.Add(2 * time.Second)
	for i := 0; i < 20; i++ {
		if got := send("-7"); got["ok"] != true {
			t.Fatalf("group send %d: %v", i, got)
		}
		now = now.Add(time.Second)
	}
	if got := send("-7"); got["error_code"] != float64(429) {
		t.Fatalf("the 21st in a minute in a group: %v", got)
	}
}
