// Package telegramtest is a Bot API server of our own for tests: it speaks
// the JSON of the real one for the methods the desk uses.
package telegramtest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Server queues updates for getUpdates, keeps files for getFile and the
// download, records what was sent, and fails on command: the next sends
// (429, 403, 500), every send for a while (a 429 storm, a 500 burst), or a
// send that hangs without an answer, before or after it is delivered.
type Server struct {
	Token string
	URL   string
	srv   *httptest.Server

	mu        sync.Mutex
	updates   []map[string]any
	nextID    int
	offsets   []int // the offset of every getUpdates
	sent      []SentMessage
	answered  []string
	files     map[string][]byte
	failSend  []Failure
	calls     map[string]int
	webhook   map[string]string
	messageID int
	down      Outage
	downOnly  map[string]bool      // the methods that fail while down; all when empty
	refused   map[string]int       // requests failed by an outage, by method
	failFile  map[string][]Failure // getFile answers these first, per file id
	goneFiles map[string]int       // getFile answers, the download 404s; the value is the size
	delivered map[int]int          // update id → how many getUpdates answers carried it
	storm     Failure              // every sendMessage answers storm until stormEnd
	stormEnd  time.Time
	hang      int // the next hang sendMessage calls never answer
	hung      int // sendMessage calls that hung so far
	hold      int // the next hold sendMessage calls deliver but never answer
	held      int // sendMessage calls delivered with the answer held so far
	release   chan struct{}
	now       func() time.Time // the clock the limits are judged by
	strict    bool             // answer a send over the limits with 429
	stamps    []stamp          // every send taken, oldest first
	over      int              // sends over Telegram's limits
	edits     []SentMessage    // editMessageReplyMarkup calls taken
	asking    map[int64]int    // chat → the last message sent with an inline keyboard
	sentIn    map[int]int64    // message id → its chat, for edits
	// answerTexts are the texts taps were answered with, by callback id.
	answerTexts map[string]string
}

// stamp is one send the server took, for the limits.
type stamp struct {
	chat int64
	at   time.Time
}

// Outage is how the server fails while it is down.
type Outage int

// The ways of being down.
const (
	// Status500 answers every request with 500 and an HTML page, as a
	// proxy in front of a failed Bot API does.
	Status500 Outage = iota + 1
	// Hangup closes every connection without an answer.
	Hangup
)

// SentMessage is a message the desk sent.
type SentMessage struct {
	ChatID      int64
	Text        string // a photo's caption
	ReplyMarkup map[string]any
	At          time.Time // when the fake took it
	// Method is "sendMessage", "sendPhoto" or "editMessageReplyMarkup";
	// MessageID the message sent, or the one edited; Photo a photo's bytes.
	Method    string
	MessageID int
	Photo     []byte
}

// Failure is an error the next sendMessage answers with.
type Failure struct {
	Code       int
	RetryAfter int
}

// New starts a server for the bot token "123:TEST", closed when the test
// ends.
func New(t testing.TB) *Server { return NewWithToken(t, "123:TEST") }

// NewWithToken starts a server that answers only the bot with this token.
func NewWithToken(t testing.TB, token string) *Server {
	f := &Server{Token: token, files: map[string][]byte{}, calls: map[string]int{}, refused: map[string]int{},
		nextID: 1000, failFile: map[string][]Failure{}, goneFiles: map[string]int{}, delivered: map[int]int{},
		asking: map[int64]int{}, sentIn: map[int]int64{}, answerTexts: map[string]string{},
		release: make(chan struct{}), now: time.Now}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	f.URL = f.srv.URL
	t.Cleanup(f.srv.Close)
	// Runs before Close, which waits for every request: hung sends end.
	t.Cleanup(f.ReleaseHung)
	return f
}

func (f *Server) serve(w http.ResponseWriter, r *http.Request) {
	method := strings.TrimPrefix(r.URL.Path, "/bot"+f.Token+"/")
	if strings.HasPrefix(r.URL.Path, "/file/") {
		method = "file"
	}
	f.mu.Lock()
	down := f.down
	if len(f.downOnly) > 0 && !f.downOnly[method] {
		down = 0
	}
	if down != 0 {
		f.refused[method]++
	}
	f.mu.Unlock()
	if failed(w, down) {
		return
	}
	if file, ok := strings.CutPrefix(r.URL.Path, "/file/bot"+f.Token+"/"); ok {
		f.mu.Lock()
		data, found := f.files[file]
		f.mu.Unlock()
		if !found {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
		return
	}
	method, ok := strings.CutPrefix(r.URL.Path, "/bot"+f.Token+"/")
	if !ok {
		f.reply(w, false, nil, 401, "Unauthorized", 0)
		return
	}
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		r.ParseMultipartForm(32 << 20)
	} else {
		r.ParseForm()
	}
	f.mu.Lock()
	f.calls[method]++
	f.mu.Unlock()
	switch method {
	case "getMe":
		f.reply(w, true, map[string]any{"id": 1, "is_bot": true, "first_name": "Desk", "username": "desk_bot"}, 0, "", 0)
	case "getUpdates":
		f.getUpdates(w, r)
	case "sendMessage":
		f.sendMessage(w, r)
	case "answerCallbackQuery":
		f.mu.Lock()
		f.answered = append(f.answered, r.Form.Get("callback_query_id"))
		if text := r.Form.Get("text"); text != "" {
			f.answerTexts[r.Form.Get("callback_query_id")] = text
		}
		f.mu.Unlock()
		f.reply(w, true, true, 0, "", 0)
	case "editMessageReplyMarkup":
		f.editMarkup(w, r)
	case "sendPhoto":
		f.sendMessage(w, r)
	case "getFile":
		id := r.Form.Get("file_id")
		f.mu.Lock()
		data, found := f.files[id]
		var fail *Failure
		if fails := f.failFile[id]; len(fails) > 0 {
			fail, f.failFile[id] = &fails[0], fails[1:]
		}
		goneSize, gone := f.goneFiles[id]
		f.mu.Unlock()
		if fail != nil {
			f.reply(w, false, nil, fail.Code, failureText(fail.Code, fail.RetryAfter), fail.RetryAfter)
			return
		}
		if gone {
			f.reply(w, true, map[string]any{"file_id": id, "file_unique_id": "u" + id, "file_size": goneSize, "file_path": "gone/" + id}, 0, "", 0)
			return
		}
		if !found {
			f.reply(w, false, nil, 400, "Bad Request: invalid file_id", 0)
			return
		}
		f.reply(w, true, map[string]any{"file_id": id, "file_unique_id": "u" + id, "file_size": len(data), "file_path": id}, 0, "", 0)
	case "setWebhook", "deleteWebhook":
		f.mu.Lock()
		f.webhook = map[string]string{"method": method, "url": r.Form.Get("url"), "secret_token": r.Form.Get("secret_token")}
		f.mu.Unlock()
		f.reply(w, true, true, 0, "", 0)
	default:
		f.reply(w, false, nil, 404, "Not Found: method "+method, 0)
	}
}

func (f *Server) reply(w http.ResponseWriter, ok bool, result any, code int, desc string, retryAfter int) {
	body := map[string]any{"ok": ok}
	if ok {
		body["result"] = result
	} else {
		body["error_code"], body["description"] = code, desc
		if retryAfter > 0 {
			body["parameters"] = map[string]any{"retry_after": retryAfter}
		}
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(body)
}

func (f *Server) getUpdates(w http.ResponseWriter, r *http.Request) {
	offset, _ := strconv.Atoi(r.Form.Get("offset"))
	f.mu.Lock()
	f.offsets = append(f.offsets, offset)
	f.mu.Unlock()
	deadline := time.Now().Add(200 * time.Millisecond) // a short long poll keeps tests quick
	for {
		f.mu.Lock()
		var out []map[string]any
		for _, u := range f.updates {
			if int(u["update_id"].(int)) >= offset {
				out = append(out, u)
			}
		}
		f.mu.Unlock()
		if len(out) > 0 || time.Now().After(deadline) {
			f.mu.Lock()
			for _, u := range out {
				f.delivered[u["update_id"].(int)]++
			}
			f.mu.Unlock()
			f.reply(w, true, out, 0, "", 0)
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func (f *Server) sendMessage(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	// No answer: the caller's timeout, or the end of the test, ends it.
	if f.stall(r, &f.hang, &f.hung) {
		return
	}
	fail, failing := f.storm, time.Now().Before(f.stormEnd)
	if !failing && len(f.failSend) > 0 {
		fail, failing = f.failSend[0], true
		f.failSend = f.failSend[1:]
	}
	if failing {
		f.mu.Unlock()
		f.reply(w, false, nil, fail.Code, failureText(fail.Code, fail.RetryAfter), fail.RetryAfter)
		return
	}
	chat, _ := strconv.ParseInt(r.Form.Get("chat_id"), 10, 64)
	if f.overLimits(chat) && f.strict {
		f.mu.Unlock()
		f.reply(w, false, nil, 429, failureText(429, 1), 1)
		return
	}
	m := SentMessage{ChatID: chat, Text: r.Form.Get("text"), At: time.Now(), Method: "sendMessage"}
	if strings.HasSuffix(r.URL.Path, "/sendPhoto") {
		m.Method, m.Text, m.Photo = "sendPhoto", r.Form.Get("caption"), formFile(r, "photo")
	}
	if rm := r.Form.Get("reply_markup"); rm != "" {
		json.Unmarshal([]byte(rm), &m.ReplyMarkup)
	}
	f.messageID++
	id := f.messageID
	m.MessageID = id
	f.sent = append(f.sent, m)
	f.sentIn[id] = chat
	if _, inline := m.ReplyMarkup["inline_keyboard"]; inline {
		f.asking[chat] = id
	}
	// Delivered, but the caller never learns it.
	if f.stall(r, &f.hold, &f.held) {
		return
	}
	f.mu.Unlock()
	f.reply(w, true, map[string]any{"message_id": id, "date": 0, "chat": map[string]any{"id": chat, "type": "private"}, "text": m.Text}, 0, "", 0)
}

// stall, called with f.mu held: while *left is above zero it takes one
// from it, counts one in *count, unlocks f.mu and waits until the caller
// gives up or the test releases it, and reports true; else it reports
// false with f.mu still held.
func (f *Server) stall(r *http.Request, left, count *int) bool {
	if *left <= 0 {
		return false
	}
	*left--
	*count++
	release := f.release
	f.mu.Unlock()
	select {
	case <-r.Context().Done():
	case <-release:
	}
	return true
}

// Down makes every request fail, the given way, until Up; with methods
// given, only the calls of those ("file" is a file download).
func (f *Server) Down(how Outage, methods ...string) {
	f.mu.Lock()
	f.down, f.downOnly = how, map[string]bool{}
	for _, m := range methods {
		f.downOnly[m] = true
	}
	f.mu.Unlock()
}

// Refused counts the calls of a method failed by an outage.
func (f *Server) Refused(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.refused[method]
}

// Up ends an outage.
func (f *Server) Up() { f.Down(0) }

// failed answers a request the way of the outage, if any.
func failed(w http.ResponseWriter, how Outage) bool {
	switch how {
	case Status500:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, "<html><body><h1>500 Internal Server Error</h1></body></html>\n")
		return true
	case Hangup:
		if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
			conn.Close()
		}
		return true
	}
	return false
}

// Push queues an update; the update_id is assigned here and returned.
func (f *Server) Push(u map[string]any) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	u["update_id"] = f.nextID
	f.updates = append(f.updates, u)
	return f.nextID
}

// PushAgain queues an update a second time, as Telegram does after a
// timeout.
func (f *Server) PushAgain(id int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, u := range f.updates {
		if u["update_id"] == id {
			f.updates = append(f.updates, u)
			return
		}
	}
}

// SentTo returns what was sent to a chat.
func (f *Server) SentTo(chat int64) []SentMessage {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []SentMessage
	for _, m := range f.sent {
		if m.ChatID == chat {
			out = append(out, m)
		}
	}
	return out
}

// AddFile keeps a file for getFile (its id is also its path).
func (f *Server) AddFile(id string, data []byte) {
	f.mu.Lock()
	f.files[id] = data
	f.mu.Unlock()
}

// Update builders, in the Bot API's JSON.

// UserID is the test customer's Telegram id (and private chat id).
const UserID = 4242

// User is the test customer.
func User(lang string) map[string]any {
	return map[string]any{"id": UserID, "is_bot": false, "first_name": "芳", "language_code": lang}
}

// PrivateChat is the test customer's chat.
func PrivateChat() map[string]any { return map[string]any{"id": UserID, "type": "private"} }

// TextMsg is a text message update.
func TextMsg(text, lang string) map[string]any {
	return map[string]any{"message": map[string]any{"message_id": 1, "date": 0, "from": User(lang), "chat": PrivateChat(), "text": text}}
}

// Callback is a button press update.
func Callback(data string) map[string]any {
	return map[string]any{"callback_query": map[string]any{"id": fmt.Sprintf("cb-%s", data), "from": User("zh-hans"), "data": data,
		"chat_instance": "x", "message": map[string]any{"message_id": 0, "date": 0, "chat": PrivateChat()}}}
}

// PhotoMsg is a photo update (two sizes, the large one fileID).
func PhotoMsg(fileID string, size int, group string) map[string]any {
	m := map[string]any{"message_id": 2, "date": 0, "from": User("zh-hans"), "chat": PrivateChat(), "caption": "看这里",
		"photo": []map[string]any{
			{"file_id": fileID + "-small", "file_unique_id": "s", "width": 90, "height": 90, "file_size": 100},
			{"file_id": fileID, "file_unique_id": "l", "width": 1280, "height": 960, "file_size": size},
		}}
	if group != "" {
		m["media_group_id"] = group
	}
	return map[string]any{"message": m}
}

// ContactMsg is a shared contact update.
func ContactMsg(phone string, contactUser int) map[string]any {
	return map[string]any{"message": map[string]any{"message_id": 3, "date": 0, "from": User("zh-hans"), "chat": PrivateChat(),
		"contact": map[string]any{"phone_number": phone, "first_name": "芳", "user_id": contactUser}}}
}

// FailSend makes the next sendMessage calls fail, in order.
func (f *Server) FailSend(fails ...Failure) {
	f.mu.Lock()
	f.failSend = append(f.failSend, fails...)
	f.mu.Unlock()
}

// FailSendFor makes every sendMessage fail with f for the duration d: a
// 429 storm with its retry_after, or a burst of 500s.
func (f *Server) FailSendFor(d time.Duration, fail Failure) {
	f.mu.Lock()
	f.storm, f.stormEnd = fail, time.Now().Add(d)
	f.mu.Unlock()
}

// HangSend makes the next n sendMessage calls hang: the fake never
// answers them (nor records them as sent) until the caller gives up,
// ReleaseHung is called, or the test ends.
func (f *Server) HangSend(n int) { f.add(&f.hang, n) }

// Hung counts the sendMessage calls that hung so far.
func (f *Server) Hung() int { return f.read(&f.hung) }

// HoldAnswer makes the next n sendMessage calls deliver their message but
// never answer, as when the connection breaks after Telegram took it: the
// caller cannot know it was sent. The call ends as a hung one does.
func (f *Server) HoldAnswer(n int) { f.add(&f.hold, n) }

// Held counts the sendMessage calls delivered with their answer held.
func (f *Server) Held() int { return f.read(&f.held) }

// ReleaseHung ends the calls hanging or held now (they get no answer) and
// the hangs and holds not yet taken.
func (f *Server) ReleaseHung() {
	f.mu.Lock()
	defer f.mu.Unlock()
	close(f.release)
	f.release = make(chan struct{})
	f.hang, f.hold = 0, 0
}

// Offsets returns the offset of every getUpdates so far.
func (f *Server) Offsets() []int { return snapshot(&f.mu, &f.offsets) }

// Answered returns the ids of the answered callback queries.
func (f *Server) Answered() []string { return snapshot(&f.mu, &f.answered) }

// Calls counts the calls of a method.
func (f *Server) Calls(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

// Webhook returns the last setWebhook or deleteWebhook call.
func (f *Server) Webhook() map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.webhook
}

// Sent returns every message sent.
func (f *Server) Sent() []SentMessage { return snapshot(&f.mu, &f.sent) }

// snapshot is a copy of *list taken under mu: the server goes on recording
// while the test reads.
func snapshot[T any](mu *sync.Mutex, list *[]T) []T {
	mu.Lock()
	defer mu.Unlock()
	return append([]T(nil), *list...)
}

// failureText is the Bot API's description of an error code.
func failureText(code, retryAfter int) string {
	switch code {
	case 429:
		return "Too Many Requests: retry after " + strconv.Itoa(retryAfter)
	case 403:
		return "Forbidden: bot was blocked by the user"
	case 400:
		return "Bad Request: wrong file_id or the file is temporarily unavailable"
	case 500:
		return "Internal Server Error"
	}
	return "Error " + strconv.Itoa(code)
}

// FailGetFile makes the next getFile calls for a file fail, in order (a
// 500 twice, then the file as usual).
func (f *Server) FailGetFile(fileID string, fails ...Failure) {
	f.mu.Lock()
	f.failFile[fileID] = append(f.failFile[fileID], fails...)
	f.mu.Unlock()
}

// AddGoneFile makes a file that getFile still describes but whose
// download answers 404: it is gone from Telegram's servers.
func (f *Server) AddGoneFile(id string, size int) {
	f.mu.Lock()
	f.goneFiles[id] = size
	f.mu.Unlock()
}

// Delivered counts the getUpdates answers that carried an update.
func (f *Server) Delivered(id int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.delivered[id]
}

// ChatOf is the private chat of another customer, whose user id is the
// chat id.
func ChatOf(id int64) map[string]any { return map[string]any{"id": id, "type": "private"} }

// UserOf is another customer.
func UserOf(id int64, lang string) map[string]any {
	return map[string]any{"id": id, "is_bot": false, "first_name": "客户", "language_code": lang}
}

// TextFrom is a text message update from another customer's private chat.
func TextFrom(chat int64, text, lang string) map[string]any {
	return map[string]any{"message": map[string]any{"message_id": 1, "date": 0, "from": UserOf(chat, lang), "chat": ChatOf(chat), "text": text}}
}

// CallbackFrom is a tap on a button by the customer of chat, naming no
// message (message_id 0): the desk cannot judge it stale, nor edit it.
func CallbackFrom(chat int64, data, lang string) map[string]any {
	return CallbackOn(chat, 0, data, lang)
}

// PhotoFrom is a photo update (one size, fileID) from another customer's
// private chat.
func PhotoFrom(chat int64, fileID string, size int, lang string) map[string]any {
	return map[string]any{"message": map[string]any{"message_id": 2, "date": 0, "from": UserOf(chat, lang), "chat": ChatOf(chat),
		"photo": []map[string]any{{"file_id": fileID, "file_unique_id": "u" + fileID, "width": 1280, "height": 960, "file_size": size}}}}
}

// add adds n to a counter of the fake, under its lock.
func (f *Server) add(counter *int, n int) {
	f.mu.Lock()
	*counter += n
	f.mu.Unlock()
}

// read reads a counter of the fake, under its lock.
func (f *Server) read(counter *int) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return *counter
}

// Telegram's limits as the Bot API FAQ states them, judged over sliding
// windows: 30 messages a second overall and 20 a minute in a group; in a
// private chat about one a second, where Telegram tolerates a short burst
// (here three) before it answers 429.
const (
	overallPerSecond = 30
	groupPerMinute   = 20
	chatBurst        = 3
)

// overLimits, called with f.mu held, takes a send to chat now and reports
// whether it is over one of Telegram's limits; such a send is counted.
func (f *Server) overLimits(chat int64) bool {
	now := f.now()
	count := func(window time.Duration, chatOnly bool) int {
		n := 1 // this send
		for i := len(f.stamps) - 1; i >= 0 && now.Sub(f.stamps[i].at) < window; i-- {
			if !chatOnly || f.stamps[i].chat == chat {
				n++
			}
		}
		return n
	}
	over := count(time.Second, false) > overallPerSecond
	if chat < 0 {
		over = over || count(time.Minute, true) > groupPerMinute
	} else {
		for _, w := range []time.Duration{time.Second, 10 * time.Second, time.Minute} {
			over = over || count(w, true) > chatBurst+int(w/time.Second)
		}
	}
	if over {
		f.over++
		if f.strict {
			return true
		}
	}
	f.stamps = append(f.stamps, stamp{chat: chat, at: now})
	return over
}

// OverLimit is how many sends came over Telegram's limits so far.
func (f *Server) OverLimit() int { return f.read(&f.over) }

// JudgeLimitsBy makes the server judge Telegram's limits by clock (the
// desk's test clock) instead of the wall clock.
func (f *Server) JudgeLimitsBy(clock func() time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = clock
}

// Strict makes the server answer a send over Telegram's limits with 429
// and retry_after 1, as Telegram does, instead of only counting it.
func (f *Server) Strict() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.strict = true
}
