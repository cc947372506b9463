// Package webchat is the built-in customer channel: a page at /chat, served
// from the binary (no CDN, works offline), and the HTTP/JSON API under it.
//
// The API (all bodies JSON; errors are {"error":{"code","message"}} with a
// 4xx status, or 503 when the desk cannot take it now):
//
//	POST /chat/api/session                      → 201 {"session": "…"}
//	POST /chat/api/messages  {"session","id","text"|"choice","lang"[,"label","msg","quiet"]}
//	                                            → 202 {"accepted": true}
//	POST /chat/api/photos?session=…  multipart: session, id, lang, file
//	                                            → 202 {"accepted": true, "kept": bool}
//	GET  /chat/api/messages?session=…&after=N&wait=S[&mine=1]
//	                                            → 200 {"messages": […], "next": N}
//	GET  /chat/api/photos/{sha256}?session=…    → 200 the customer's own photo
//	POST /chat/api/end       {"session"}        → 200 {"ended": true}
//
// A session is issued and signed by the server (session.go); any other, and
// an ended one, is refused with 401 bad_session, and the page starts a new
// one. "id" is the client's own id of a message; a retried request with the
// same id is handled once. The customer's own messages are kept in the
// chat's history with the bot's, so a reload shows both (mine=1; "from":
// "customer", "ref" the client's id, "photo" the photo). A button's tap
// names the message it belongs to ("msg"): a button of any message but the
// chat's current question has expired, and is answered 409 stale_button
// with nothing changed. GET long-polls up to wait seconds (at most 30)
// for messages after the id "after". New sessions and uploads are rate
// limited per client address (limits.go); uploads are streamed to disk and
// kept only when a dialog takes them (upload.go).
package webchat

import (
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"html"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"frontdesk/bot"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/photos"
	"frontdesk/store"
)

// ChannelName is the outbox channel of the web chat.
const ChannelName = "web"

//go:embed static
var static embed.FS

// Desk is what the web chat needs of the desk.
type Desk interface {
	Handle(ctx context.Context, in conversations.Inbound) error
	// ForgetChat drops a chat's dialog state and its binding to the
	// customer ("end chat").
	ForgetChat(ctx context.Context, channel, chatID string) error
	// PhotoInUse reports whether the chat's dialog or any record holds the
	// photo, so an upload no dialog took is not kept.
	PhotoInUse(ctx context.Context, channel, chatID, sha256 string) (bool, error)
}

// Chat serves the web chat and delivers its outbox messages.
type Chat struct {
	Desk     Desk
	History  bot.ChatHistory // what the desk wrote to each chat
	Sessions bot.WebSessions // the sessions issued, and the signing secret
	Photos   *photos.Store
	Log      *slog.Logger
	Now      func() time.Time // the clock of sessions and rate limits; nil is time.Now
	// Limits bound what one client may ask; the zero value takes the
	// defaults of config.Default.
	Limits config.WebChat
	// ShopName is the header of the page ("" shows the desk's own title).
	ShopName string
	// MaxTextChars is the longest text the page's box takes
	// (conversations.DefaultMaxTextChars when 0): a text is never refused
	// after it left the box.
	MaxTextChars int

	hub      hub
	stopOnce sync.Once
	stopped  chan struct{}
	initOnce sync.Once

	keyMu sync.Mutex
	key   []byte // the session signing secret, once read

	sessionRate *addrLimiter
	uploadRate  *addrLimiter
	uploadSlots chan struct{}
}

// Stop ends every long poll at once (they answer with no messages), so a
// shutdown does not wait for them; requests that post still finish.
func (c *Chat) Stop() {
	c.init()
	c.stopOnce.Do(func() { close(c.stopped) })
}

func (c *Chat) init() {
	c.initOnce.Do(func() {
		c.stopped = make(chan struct{})
		if c.Limits == (config.WebChat{}) {
			c.Limits = config.Default().WebChat
		}
		c.sessionRate = newAddrLimiter(c.Limits.SessionsPerMinute, c.Limits.SessionBurst)
		c.uploadRate = newAddrLimiter(c.Limits.UploadsPerMinute, c.Limits.UploadBurst)
		c.uploadSlots = make(chan struct{}, c.Limits.ConcurrentUploads)
	})
}

func (c *Chat) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// maxJSONBody bounds a message request; the text limit itself (4 KB by
// default) is the desk's, which answers in the customer's language.
const maxJSONBody = 64 << 10

// Routes registers the page and the API on mux.
func (c *Chat) Routes(mux *http.ServeMux) {
	c.init()
	mux.HandleFunc("GET /chat", c.page)
	mux.HandleFunc("GET /chat/{$}", c.page)
	mux.HandleFunc("POST /chat/api/session", c.newSession)
	mux.HandleFunc("POST /chat/api/messages", c.postMessage)
	mux.HandleFunc("POST /chat/api/photos", c.postPhoto)
	mux.HandleFunc("GET /chat/api/messages", c.getMessages)
	mux.HandleFunc("GET /chat/api/photos/{sha}", c.getPhoto)
	mux.HandleFunc("POST /chat/api/end", c.end)
}

// Send implements outbox.Channel: for the web chat, a message is delivered
// once it is in the outbox, which GET reads; sending wakes the long polls.
func (c *Chat) Send(_ context.Context, m store.OutboxMessage) error {
	c.hub.notify(m.Recipient)
	return nil
}

func (c *Chat) page(w http.ResponseWriter, r *http.Request) {
	body, err := static.ReadFile("static/index.html")
	if err != nil {
		http.Error(w, "page missing", http.StatusInternalServerError)
		return
	}
	// The page checks a photo's size before it uploads it.
	body = bytes.ReplaceAll(body, []byte("__MAX_PHOTO_BYTES__"), []byte(strconv.FormatInt(c.Photos.MaxBytes, 10)))
	body = bytes.ReplaceAll(body, []byte("__SHOP_NAME__"), []byte(html.EscapeString(c.ShopName)))
	chars := c.MaxTextChars
	if chars <= 0 {
		chars = conversations.DefaultMaxTextChars
	}
	body = bytes.ReplaceAll(body, []byte("__MAX_TEXT_CHARS__"), []byte(strconv.Itoa(chars)))
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src 'self' data: blob:")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(body)
}

var clientIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

type messageRequest struct {
	Session string `json:"session"`
	ID      string `json:"id"`
	Text    string `json:"text"`
	Choice  string `json:"choice"`
	Lang    string `json:"lang"`
	Label   string `json:"label"` // the tapped button's words, for the history
	Msg     int64  `json:"msg"`   // the message the tapped button belongs to
	Quiet   bool   `json:"quiet"` // the page's own /start: not kept in the history as the customer's words
}

// maxLabel bounds a button label kept in the history.
const maxLabel = 200

func (c *Chat) postMessage(w http.ResponseWriter, r *http.Request) {
	var req messageRequest
	s, ok := c.decodeSession(w, r, &req, &req.Session, false)
	if !ok {
		return
	}
	in, ok := inbound(w, s, req.ID, req.Lang)
	if !ok {
		return
	}
	if len(req.Label) > maxLabel || !utf8.ValidString(req.Label) {
		writeError(w, http.StatusBadRequest, "bad_label", "label: want the button's words, at most 200 bytes of UTF-8")
		return
	}
	if req.Choice != "" && req.Msg != 0 && !c.stillAsked(w, r, s, req) {
		return
	}
	in.Text, in.Choice, in.Echo, in.Label = req.Text, req.Choice, !req.Quiet, req.Label
	if req.Choice != "" && req.Msg > 0 {
		in.ButtonRef = strconv.FormatInt(req.Msg, 10) // a question answered in place replaces this bubble
	}
	c.handle(w, r, s, in, http.StatusAccepted)
}

// stillAsked reports whether the message req.Msg is the chat's current
// question: the newest message with buttons, and the customer has not
// written since. Otherwise its buttons have expired: the answer is 409
// stale_button in the customer's language, and nothing changes.
func (c *Chat) stillAsked(w http.ResponseWriter, r *http.Request, s session, req messageRequest) bool {
	current, err := c.isCurrent(r.Context(), s.id, req.Msg)
	if err != nil {
		c.logError("webchat: read the current question", s, err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the desk could not take the message; send it again")
		return false
	}
	if !current {
		writeError(w, http.StatusConflict, "stale_button", conversations.T(conversations.NormalizeLang(req.Lang), "stale.button_expired"))
	}
	return current
}

// isCurrent reports whether msg is a bot message of the chat with buttons
// after which neither the customer wrote nor the bot asked again.
func (c *Chat) isCurrent(ctx context.Context, session string, msg int64) (bool, error) {
	const window = 100
	rows, err := c.History.OutboxAfter(ctx, ChannelName, session, msg-1, window)
	if err != nil || len(rows) == 0 || rows[0].ID != msg || len(rows) == window {
		return false, err
	}
	for i, row := range rows {
		var m bot.Message
		if err := json.Unmarshal(row.Payload, &m); err != nil {
			return false, err
		}
		asks := m.From != bot.FromCustomer && len(m.Buttons) > 0
		if (i == 0) != asks || m.From == bot.FromCustomer {
			return false, nil
		}
	}
	return true, nil
}

// inbound checks the fields every request carries besides the session; on
// failure it writes the error (when w is not nil) and returns false.
func inbound(w http.ResponseWriter, s session, id, lang string) (conversations.Inbound, bool) {
	fail := func(code, msg string) (conversations.Inbound, bool) {
		if w != nil {
			writeError(w, http.StatusBadRequest, code, msg)
		}
		return conversations.Inbound{}, false
	}
	if id != "" && !clientIDPattern.MatchString(id) {
		return fail("bad_id", "id: want 1 to 64 letters, digits, '-' or '_'")
	}
	if len(lang) > 35 {
		return fail("bad_lang", "lang: want a language tag such as zh-CN")
	}
	in := conversations.Inbound{Channel: ChannelName, ChatID: s.id, LangHint: lang}
	if id != "" {
		in.ExternalID = s.id + ":" + id
	}
	return in, true
}

func (c *Chat) handle(w http.ResponseWriter, r *http.Request, s session, in conversations.Inbound, status int) {
	err := c.Desk.Handle(r.Context(), in)
	switch {
	case errors.Is(err, bot.ErrDuplicate):
		writeJSON(w, http.StatusOK, map[string]bool{"duplicate": true})
	case err != nil:
		c.logError("webchat: handle", s, err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the desk could not take the message; send it again")
	default:
		writeJSON(w, status, map[string]bool{"accepted": true})
	}
}

// outMessage is one bot message as the page receives it.
type outMessage struct {
	ID int64 `json:"id"`
	bot.Message
}

const maxWait = 30 * time.Second

func (c *Chat) getMessages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s, ok := c.session(w, r, q.Get("session"), false)
	if !ok {
		return
	}
	after, err := parseInt(q.Get("after"), 0)
	if err != nil || after < 0 {
		writeError(w, http.StatusBadRequest, "bad_after", "after: want the id of the last message seen, a whole number ≥ 0")
		return
	}
	mine := q.Get("mine") == "1"
	waitSec, err := parseInt(q.Get("wait"), 0)
	if err != nil || waitSec < 0 || time.Duration(waitSec)*time.Second > maxWait {
		writeError(w, http.StatusBadRequest, "bad_wait", "wait: want seconds from 0 to 30")
		return
	}
	deadline := time.NewTimer(time.Duration(waitSec) * time.Second)
	defer deadline.Stop()
	for first := true; ; first = false {
		// Take the wake-up channel before reading, so a message written
		// between the read and the wait still wakes this poll.
		woken := c.hub.wait(s.id)
		if !first && !c.stillOpen(w, r, s) {
			return // ended while this poll waited: nothing more is served
		}
		msgs, next, err := c.read(r.Context(), s.id, after, mine)
		if err != nil {
			c.logError("webchat: read messages", s, err)
			writeError(w, http.StatusServiceUnavailable, "unavailable", "messages could not be read; try again")
			return
		}
		if len(msgs) > 0 || waitSec == 0 {
			writeJSON(w, http.StatusOK, map[string]any{"messages": msgs, "next": next})
			return
		}
		after = next // the customer's own messages, when they are not asked for
		select {
		case <-woken:
		case <-deadline.C:
			waitSec = 0
		case <-c.stopped:
			waitSec = 0
		case <-r.Context().Done():
			return
		}
	}
}

// read returns the chat's messages after the id after, and the id to read
// on from: the bot's, and the customer's own too when mine is set.
func (c *Chat) read(ctx context.Context, session string, after int64, mine bool) ([]outMessage, int64, error) {
	rows, err := c.History.OutboxAfter(ctx, ChannelName, session, after, 100)
	if err != nil {
		return nil, after, err
	}
	out := make([]outMessage, 0, len(rows))
	for _, row := range rows {
		after = row.ID
		var m bot.Message
		if err := json.Unmarshal(row.Payload, &m); err != nil {
			return nil, after, err
		}
		if m.From == bot.FromCustomer && !mine {
			continue
		}
		out = append(out, outMessage{ID: row.ID, Message: m})
	}
	return out, after, nil
}

func parseInt(s string, def int64) (int64, error) {
	if s == "" {
		return def, nil
	}
	return strconv.ParseInt(s, 10, 64)
}

// hub wakes the long polls of a session when a message is delivered.
type hub struct {
	mu      sync.Mutex
	waiting map[string]chan struct{}
}

func (h *hub) wait(session string) <-chan struct{} {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.waiting == nil {
		h.waiting = map[string]chan struct{}{}
	}
	ch, ok := h.waiting[session]
	if !ok {
		ch = make(chan struct{})
		h.waiting[session] = ch
	}
	return ch
}

func (h *hub) notify(session string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if ch, ok := h.waiting[session]; ok {
		close(ch)
		delete(h.waiting, session)
	}
}
