package webchat

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"time"

	"frontdesk/store"
)

// A session is "<id>.<mac>": id is 16 random bytes in hex, the chat's id
// everywhere in the desk (dialog state, outbox, bindings); mac is the first
// 16 bytes, in hex, of HMAC-SHA256 of the id under the install's secret.
// The server signs what it issues, so a made-up or altered session is
// refused without a lookup; the store records each one issued (by the
// SHA-256 of its id only) and whether it was ended.
var tokenPattern = regexp.MustCompile(`^([a-f0-9]{32})\.([a-f0-9]{32})$`)

// secretKey is the setting that keeps the signing secret, made once per
// install and kept in the store so that every replica and restart shares it.
const secretKey = "webchat.session_secret"

// touchEvery bounds how often a session's last use is written.
const touchEvery = time.Minute

// session is a checked session: its id (the chat), and the short hash that
// names it in logs.
type session struct {
	id    string
	hash  string // SHA-256 of the id, hex: the store's key
	short string // first 8 hex of hash: what logs say
}

func newSessionOf(id string) session {
	sum := sha256.Sum256([]byte(id))
	h := hex.EncodeToString(sum[:])
	return session{id: id, hash: h, short: h[:8]}
}

// secret returns the signing secret, making and keeping it the first time.
func (c *Chat) secret(ctx context.Context) ([]byte, error) {
	c.keyMu.Lock()
	defer c.keyMu.Unlock()
	if c.key != nil {
		return c.key, nil
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("webchat: session secret: %w", err)
	}
	kept, err := c.Sessions.KeepSetting(ctx, secretKey, hex.EncodeToString(fresh))
	if err != nil {
		return nil, fmt.Errorf("webchat: session secret: %w", err)
	}
	key, err := hex.DecodeString(kept)
	if err != nil || len(key) < 16 {
		return nil, fmt.Errorf("webchat: session secret: the kept setting %s is not a hex key", secretKey)
	}
	c.key = key
	return key, nil
}

func sign(key []byte, id string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("webchat-session:" + id))
	return hex.EncodeToString(m.Sum(nil)[:16])
}

func (c *Chat) newSession(w http.ResponseWriter, r *http.Request) {
	if !c.allow(w, r, c.sessionRate, "too many new chats from this address") {
		return
	}
	key, err := c.secret(r.Context())
	if err != nil {
		c.Log.Error("webchat: new session", "err", err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "a chat could not be started; try again")
		return
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		writeError(w, http.StatusInternalServerError, "internal", "could not create a session")
		return
	}
	id := hex.EncodeToString(b)
	s := newSessionOf(id)
	if err := c.Sessions.CreateWebSession(r.Context(), s.hash, c.now()); err != nil {
		c.logError("webchat: new session", s, err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "a chat could not be started; try again")
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"session": id + "." + sign(key, id)})
}

// session checks a session the client sent: well formed, signed by this
// desk, issued and, unless ended is allowed, not ended. Otherwise it has
// answered 401 bad_session (or 503 when the store does not answer).
func (c *Chat) session(w http.ResponseWriter, r *http.Request, token string, endedOK bool) (session, bool) {
	refuse := func(msg string) (session, bool) {
		writeError(w, http.StatusUnauthorized, "bad_session", msg)
		return session{}, false
	}
	m := tokenPattern.FindStringSubmatch(token)
	if m == nil {
		return refuse("session: want the session from POST /chat/api/session")
	}
	key, err := c.secret(r.Context())
	if err != nil {
		c.Log.Error("webchat: check session", "err", err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the chat could not be checked; try again")
		return session{}, false
	}
	if !hmac.Equal([]byte(sign(key, m[1])), []byte(m[2])) {
		return refuse("session: not one this desk issued; start a new chat")
	}
	s := newSessionOf(m[1])
	rec, err := c.Sessions.WebSession(r.Context(), s.hash)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return refuse("session: not one this desk issued; start a new chat")
	case err != nil:
		c.logError("webchat: check session", s, err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the chat could not be checked; try again")
		return session{}, false
	case rec.Ended() && !endedOK:
		return refuse("session: this chat was ended; start a new chat")
	}
	if now := c.now(); !rec.Ended() && now.Sub(rec.LastSeen) >= touchEvery {
		if err := c.Sessions.TouchWebSession(r.Context(), s.hash, now); err != nil {
			c.logError("webchat: touch session", s, err) // the request goes on
		}
	}
	return s, true
}

// stillOpen checks, during a long poll, that the session was not ended
// meanwhile; when it was, it has answered 401.
func (c *Chat) stillOpen(w http.ResponseWriter, r *http.Request, s session) bool {
	rec, err := c.Sessions.WebSession(r.Context(), s.hash)
	if err != nil {
		c.logError("webchat: check session", s, err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the chat could not be checked; try again")
		return false
	}
	if rec.Ended() {
		writeError(w, http.StatusUnauthorized, "bad_session", "session: this chat was ended; start a new chat")
		return false
	}
	return true
}

// decodeSession decodes a request's JSON body into v and then finds the
// session named in it (*token, read after decoding) as session does.
func (c *Chat) decodeSession(w http.ResponseWriter, r *http.Request, v any, token *string, endedOK bool) (session, bool) {
	if !decodeJSON(w, r, v) {
		return session{}, false
	}
	return c.session(w, r, *token, endedOK)
}

type endRequest struct {
	Session string `json:"session"`
}

// end forgets a session for good ("end chat" on a shared device, ID-7):
// the session is ended (every request with it is refused and its messages
// are no longer served), its dialog state is dropped with the verification,
// and its binding to the customer removed. Ending an ended session again
// finishes what a failed first attempt left.
func (c *Chat) end(w http.ResponseWriter, r *http.Request) {
	var req endRequest
	s, ok := c.decodeSession(w, r, &req, &req.Session, true)
	if !ok {
		return
	}
	if err := c.Sessions.EndWebSession(r.Context(), s.hash, c.now()); err != nil {
		c.logError("webchat: end session", s, err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the chat could not be ended; try again")
		return
	}
	c.hub.notify(s.id) // long polls of the session answer 401 now
	if err := c.Desk.ForgetChat(r.Context(), ChannelName, s.id); err != nil {
		c.logError("webchat: forget chat", s, err)
		writeError(w, http.StatusServiceUnavailable, "unavailable", "the chat could not be ended; try again")
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"ended": true})
}

// logError logs a failure of a request of session s. The session id is a
// bearer secret: logs name the session by a short hash, and the id is taken
// out of the error's text (errors of the desk name the chat).
func (c *Chat) logError(msg string, s session, err error) {
	text := err.Error()
	if s.id != "" {
		text = strings.ReplaceAll(text, s.id, "session#"+s.short)
	}
	c.Log.Error(msg, "session", s.short, "err", text)
}
