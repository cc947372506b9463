// Package slackfake is a Slack Web API for tests: slack-go's slacktest
// server where it serves (auth.test, users.info …), with our own recorders
// for what it lacks or does not keep: chat.postMessage (with unique ts),
// chat.update, chat.postEphemeral, reactions.add, the files upload v2 calls,
// views.open, and a Socket Mode WebSocket. It can answer 429 on command.
package slackfake

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/slack-go/slack/slacktest"
)

// Post is a message posted or updated.
type Post struct {
	Channel  string
	TS       string
	ThreadTS string
	Text     string
	Blocks   string
	User     string // chat.postEphemeral: whom it is shown to
}

// Upload is a file uploaded into a channel or thread.
type Upload struct {
	Channel  string
	ThreadTS string
	Filename string
	Size     int
}

// Server records what the desk did in Slack.
type Server struct {
	sts *slacktest.Server
	URL string // for SLACK_API_URL, ends in "/"

	mu        sync.Mutex
	seq       int
	posts     []Post
	updates   []Post
	ephemeral []Post
	reactions []string // "name channel ts"
	uploads   []Upload
	views     []View // views.go
	pending   map[string]Upload
	fail429   int
	retry     int
	socket    chan []byte
	acks      chan string
	down      Outage
	refused   int
	hangup    chan struct{} // closed when an outage starts: open WebSockets drop
}

// Outage is how the server fails while it is down.
type Outage int

// The ways of being down.
const (
	// Status500 answers every request with 500 and an HTML page.
	Status500 Outage = iota + 1
	// Hangup closes every connection without an answer.
	Hangup
)

// New starts a server, stopped when the test ends.
func New(t testing.TB) *Server {
	s := &Server{pending: map[string]Upload{}, socket: make(chan []byte, 16), acks: make(chan string, 16),
		hangup: make(chan struct{})}
	s.sts = slacktest.NewTestServer(func(c slacktest.Customize) {
		c.Handle("/chat.postMessage", s.unlessDown(s.postMessage))
		c.Handle("/chat.update", s.unlessDown(s.update))
		c.Handle("/chat.postEphemeral", s.unlessDown(s.postEphemeral))
		c.Handle("/reactions.add", s.unlessDown(s.reaction))
		c.Handle("/files.getUploadURLExternal", s.unlessDown(s.uploadURL))
		c.Handle("/upload/", s.unlessDown(s.upload))
		c.Handle("/files.completeUploadExternal", s.unlessDown(s.complete))
		c.Handle("/apps.connections.open", s.unlessDown(s.connectionsOpen))
		c.Handle("/socket", s.unlessDown(s.websocket))
		c.Handle("/views.open", s.unlessDown(s.viewsOpen))
	})
	s.sts.Start()
	s.URL = s.sts.GetAPIURL()
	t.Cleanup(s.sts.Stop)
	return s
}

// Down makes every request fail, the given way, until Up; open Socket
// Mode connections are dropped.
func (s *Server) Down(how Outage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.down == 0 && how != 0 {
		close(s.hangup)
	}
	if s.down != 0 && how == 0 {
		s.hangup = make(chan struct{})
	}
	s.down = how
}

// Refused counts the requests failed by an outage.
func (s *Server) Refused() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refused
}

// Up ends an outage.
func (s *Server) Up() { s.Down(0) }

func (s *Server) unlessDown(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		down := s.down
		if down != 0 {
			s.refused++
		}
		s.mu.Unlock()
		switch down {
		case Status500:
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, "<html><body><h1>500 Internal Server Error</h1></body></html>\n")
		case Hangup:
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
		default:
			h(w, r)
		}
	}
}

// Fail429 makes the next n posts or updates answer 429 with Retry-After.
func (s *Server) Fail429(n, retryAfterSeconds int) {
	s.mu.Lock()
	s.fail429, s.retry = n, retryAfterSeconds
	s.mu.Unlock()
}

func (s *Server) limited(w http.ResponseWriter) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail429 == 0 {
		return false
	}
	s.fail429--
	w.Header().Set("Retry-After", strconv.Itoa(s.retry))
	w.WriteHeader(http.StatusTooManyRequests)
	io.WriteString(w, `{"ok":false,"error":"ratelimited"}`)
	return true
}

func form(r *http.Request) url.Values {
	r.ParseMultipartForm(1 << 20)
	return r.Form
}

func ok(w http.ResponseWriter, v map[string]any) {
	v["ok"] = true
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (s *Server) nextTS() string {
	s.seq++
	return fmt.Sprintf("%d.%06d", time.Now().Unix(), s.seq) // unique, unlike slacktest's whole seconds
}

func (s *Server) postMessage(w http.ResponseWriter, r *http.Request) {
	if s.limited(w) {
		return
	}
	f := form(r)
	s.mu.Lock()
	p := Post{Channel: f.Get("channel"), TS: s.nextTS(), ThreadTS: f.Get("thread_ts"), Text: f.Get("text"), Blocks: f.Get("blocks")}
	s.posts = append(s.posts, p)
	s.mu.Unlock()
	ok(w, map[string]any{"channel": p.Channel, "ts": p.TS})
}

func (s *Server) update(w http.ResponseWriter, r *http.Request) {
	if s.limited(w) {
		return
	}
	f := form(r)
	p := Post{Channel: f.Get("channel"), TS: f.Get("ts"), Text: f.Get("text"), Blocks: f.Get("blocks")}
	s.mu.Lock()
	s.updates = append(s.updates, p)
	s.mu.Unlock()
	ok(w, map[string]any{"channel": p.Channel, "ts": p.TS, "text": p.Text})
}

func (s *Server) postEphemeral(w http.ResponseWriter, r *http.Request) {
	f := form(r)
	s.mu.Lock()
	s.ephemeral = append(s.ephemeral, Post{Channel: f.Get("channel"), Text: f.Get("text"), User: f.Get("user"), ThreadTS: f.Get("thread_ts")})
	s.mu.Unlock()
	ok(w, map[string]any{"message_ts": s.nextTS()})
}

func (s *Server) reaction(w http.ResponseWriter, r *http.Request) {
	f := form(r)
	s.mu.Lock()
	s.reactions = append(s.reactions, f.Get("name")+" "+f.Get("channel")+" "+f.Get("timestamp"))
	s.mu.Unlock()
	ok(w, map[string]any{})
}

func (s *Server) uploadURL(w http.ResponseWriter, r *http.Request) {
	f := form(r)
	s.mu.Lock()
	s.seq++
	id := fmt.Sprintf("F%d", s.seq)
	size, _ := strconv.Atoi(f.Get("length"))
	s.pending[id] = Upload{Filename: f.Get("filename"), Size: size}
	s.mu.Unlock()
	ok(w, map[string]any{"upload_url": s.URL + "upload/" + id, "file_id": id})
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	w.WriteHeader(http.StatusOK)
	io.WriteString(w, "OK")
}

func (s *Server) complete(w http.ResponseWriter, r *http.Request) {
	f := form(r)
	var files []struct {
		ID string `json:"id"`
	}
	json.Unmarshal([]byte(f.Get("files")), &files)
	s.mu.Lock()
	var out []map[string]any
	for _, file := range files {
		u := s.pending[file.ID]
		u.Channel, u.ThreadTS = f.Get("channel_id"), f.Get("thread_ts")
		if u.Channel == "" {
			u.Channel = f.Get("channels")
		}
		s.uploads = append(s.uploads, u)
		out = append(out, map[string]any{"id": file.ID, "title": u.Filename})
	}
	s.mu.Unlock()
	ok(w, map[string]any{"files": out})
}

// Posts returns every message posted.
func (s *Server) Posts() []Post { return snapshot(&s.mu, &s.posts) }

// Updates returns every chat.update.
func (s *Server) Updates() []Post { return snapshot(&s.mu, &s.updates) }

// Ephemeral returns every ephemeral message.
func (s *Server) Ephemeral() []Post { return snapshot(&s.mu, &s.ephemeral) }

// Reactions returns "name channel ts" of every reaction added.
func (s *Server) Reactions() []string { return snapshot(&s.mu, &s.reactions) }

// Uploads returns every file uploaded.
func (s *Server) Uploads() []Upload { return snapshot(&s.mu, &s.uploads) }

// Sign signs an HTTP-mode request body as Slack would.
func Sign(secret string, at time.Time, body []byte) (timestamp, signature string) {
	timestamp = strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + timestamp + ":"))
	mac.Write(body)
	return timestamp, "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// SignedPost posts body to target as Slack's HTTP mode does, signed with
// secret at the time at, and returns the response (its body is the
// caller's to close).
func SignedPost(target, secret, contentType string, body []byte, at time.Time) (*http.Response, error) {
	req, err := http.NewRequest("POST", target, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	ts, sig := Sign(secret, at, body)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sig)
	req.Header.Set("Content-Type", contentType)
	return http.DefaultClient.Do(req)
}

// Socket Mode: apps.connections.open hands out our WebSocket; Envelope
// sends a request over it and waits for the client's ack.

func (s *Server) connectionsOpen(w http.ResponseWriter, r *http.Request) {
	ok(w, map[string]any{"url": "ws://" + r.Host + "/socket"})
}

// upgrader accepts the test client whatever Origin it sends.
var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (s *Server) websocket(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	s.mu.Lock()
	hangup := s.hangup
	s.mu.Unlock()
	conn.WriteJSON(map[string]any{"type": "hello", "num_connections": 1,
		"debug_info": map[string]any{"host": "fake"}, "connection_info": map[string]any{"app_id": "A1"}})
	go func() {
		for {
			var ack struct {
				EnvelopeID string `json:"envelope_id"`
			}
			if err := conn.ReadJSON(&ack); err != nil {
				return
			}
			s.acks <- ack.EnvelopeID
		}
	}()
	for {
		select {
		case msg := <-s.socket:
			if err := conn.WriteMessage(websocket.TextMessage, msg); err != nil {
				return
			}
		case <-r.Context().Done():
			return
		case <-hangup:
			return
		}
	}
}

// Envelope sends a Socket Mode request (type events_api, interactive or
// slash_commands) and returns once the client acknowledged it.
func (s *Server) Envelope(t testing.TB, kind, id string, payload any) {
	t.Helper()
	b, _ := json.Marshal(map[string]any{"envelope_id": id, "type": kind, "payload": payload, "accepts_response_payload": kind == "slash_commands"})
	s.socket <- b
	timeout := time.After(5 * time.Second)
	for {
		select {
		case got := <-s.acks:
			if got == id {
				return
			}
		case <-timeout:
			t.Fatalf("socket mode request %s was not acknowledged", id)
		}
	}
}

// snapshot is a copy of *list taken under mu: the server goes on recording
// while the test reads.
func snapshot[T any](mu *sync.Mutex, list *[]T) []T {
	mu.Lock()
	defer mu.Unlock()
	return append([]T(nil), *list...)
}
