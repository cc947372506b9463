package chaos

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"frontdesk/bot/slack/slackfake"
	"frontdesk/bot/telegram/telegramtest"
)

// The load: customers walk a short scripted dialog, each message waiting
// for its answer, through the web chat's HTTP API or the Telegram fake; one
// customer per channel also talks to a person, and a staff member answers
// in the case's Slack thread.

// quick is the customers' HTTP client; every request ends within seconds,
// the desk being up or not.
var quick = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

// errOverdue ends a message the desk did not take or answer in time.
var errOverdue = errors.New("overdue")

// reply is one bot message a customer received.
type reply struct {
	text string
	at   time.Time // when the fake took it (Telegram) or the client saw it (web)
}

// chat is a customer's side of one channel.
type chat interface {
	// say sends a text or a button's data, trying again as a client would
	// (the web chat with the same id) until the desk takes it or the
	// message is overdue.
	say(p *phase, sentAt time.Time, text, choice string) error
	// replies returns everything received so far; wait lets it wait a
	// little for something new.
	replies(wait bool) []reply
	channel() string
}

// webChat is a browser on /chat, through the HTTP API.
type webChat struct {
	base    string
	session string
	n       int
	mu      sync.Mutex
	after   int64
	got     []reply
}

func newWebChat(p *phase) (*webChat, error) {
	for !p.pastCap() {
		res, err := quick.Post(p.h.desk.base+"/chat/api/session", "", nil)
		if err == nil {
			var body struct{ Session string }
			json.NewDecoder(res.Body).Decode(&body)
			res.Body.Close()
			if res.StatusCode == http.StatusCreated && body.Session != "" {
				return &webChat{base: p.h.desk.base, session: body.Session}, nil
			}
		}
		time.Sleep(150 * time.Millisecond)
	}
	return nil, errors.New("web chat: no session")
}

func (w *webChat) channel() string { return "web" }

func (w *webChat) say(p *phase, sentAt time.Time, text, choice string) error {
	w.n++
	body, _ := json.Marshal(map[string]string{"session": w.session, "id": "m" + strconv.Itoa(w.n), "lang": "en",
		"text": text, "choice": choice})
	for {
		res, err := quick.Post(w.base+"/chat/api/messages", "application/json", bytes.NewReader(body))
		if err == nil {
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			switch {
			case res.StatusCode == http.StatusAccepted || res.StatusCode == http.StatusOK:
				return nil // taken now, or taken before the connection broke
			case res.StatusCode >= 400 && res.StatusCode < 500:
				return fmt.Errorf("web chat refused %s: %d %s", body, res.StatusCode, b)
			}
		}
		if p.overdue(sentAt) {
			return errOverdue
		}
		time.Sleep(150 * time.Millisecond)
	}
}

func (w *webChat) replies(wait bool) []reply {
	w.mu.Lock()
	after := w.after
	w.mu.Unlock()
	secs := "0"
	if wait {
		secs = "1"
	}
	res, err := quick.Get(w.base + "/chat/api/messages?session=" + w.session + "&after=" + strconv.FormatInt(after, 10) + "&wait=" + secs)
	if err != nil && wait {
		time.Sleep(150 * time.Millisecond) // the desk is down: do not spin
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if err == nil {
		var body struct {
			Messages []struct {
				ID   int64
				Text string
			}
		}
		json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		for _, m := range body.Messages {
			if m.ID > w.after {
				w.got, w.after = append(w.got, reply{text: m.Text, at: time.Now()}), m.ID
			}
		}
	}
	return append([]reply(nil), w.got...)
}

// tgChat is a Telegram user in a private chat with the bot.
type tgChat struct {
	fake *telegramtest.Server
	id   int64
	n    int
}

func (c *tgChat) channel() string { return "telegram" }

func (c *tgChat) say(p *phase, sentAt time.Time, text, choice string) error {
	c.n++
	if choice != "" {
		c.fake.Push(tgCallback(c.id, c.question(), choice))
	} else {
		c.fake.Push(tgText(c.id, c.n, text))
	}
	return nil // Telegram keeps it until the desk takes it
}

// question is the id of the latest message with buttons the bot sent
// this chat: a person taps the question in front of them (a tap on an
// older one is answered "this button has expired").
func (c *tgChat) question() int {
	id := 0
	for _, m := range c.fake.SentTo(c.id) {
		if m.ReplyMarkup != nil && m.Method != "editMessageReplyMarkup" {
			id = m.MessageID
		}
	}
	return id
}

func (c *tgChat) replies(wait bool) []reply {
	if wait {
		time.Sleep(50 * time.Millisecond)
	}
	var out []reply
	for _, m := range c.fake.SentTo(c.id) {
		out = append(out, reply{text: m.Text, at: m.At})
	}
	return out
}

func tgUser(chat int64) map[string]any {
	return map[string]any{"id": chat, "is_bot": false, "first_name": "Chaos", "language_code": "en"}
}

func tgText(chat int64, n int, text string) map[string]any {
	return map[string]any{"message": map[string]any{"message_id": n, "date": time.Now().Unix(), "from": tgUser(chat),
		"chat": map[string]any{"id": chat, "type": "private"}, "text": text}}
}

func tgCallback(chat int64, n int, data string) map[string]any {
	return map[string]any{"callback_query": map[string]any{"id": fmt.Sprintf("cb-%d-%d", chat, n), "from": tgUser(chat),
		"data": data, "chat_instance": "chaos",
		"message": map[string]any{"message_id": n, "date": time.Now().Unix(), "chat": map[string]any{"id": chat, "type": "private"}}}}
}

// tgPhoto is a photo message; the fault leaves its file out of the fake.
func tgPhoto(chat int64, n int, fileID string) map[string]any {
	return map[string]any{"message": map[string]any{"message_id": n, "date": time.Now().Unix(), "from": tgUser(chat),
		"chat": map[string]any{"id": chat, "type": "private"}, "caption": "look",
		"photo": []map[string]any{{"file_id": fileID, "file_unique_id": "u" + fileID, "width": 640, "height": 480, "file_size": 2048}}}}
}

// A script step: what the customer (or the staff member) sends, and the
// answer that completes it. The texts a step expects are unique within
// one dialog, so a text seen twice is one answer delivered twice.
type scriptStep struct {
	label  string
	text   string   // a typed text, or
	choice string   // a pressed button
	expect []string // each must arrive (distinct substrings of the replies)
	// staff steps send and check their own way
	send func(p *phase, c *customer, sentAt time.Time) error
	done func(p *phase, c *customer) bool
}

// orderScript is "/start → where is my order → SO-1001 → 1234 → the
// order" with the demo data of serve --demo (two orders on one phone).
var orderScript = []scriptStep{
	{label: "/start", text: "/start", expect: []string{"after-sales desk"}},
	{label: "where is my order", choice: "menu:where", expect: []string{"verify first"}},
	{label: "SO-1001", text: "SO-1001", expect: []string{"last four digits"}},
	{label: "1234", text: "1234", expect: []string{"you are verified", "several orders"}},
	{label: "order SO-1001", choice: "order:SO-1001", expect: []string{"Order SO-1001"}},
}

// known is every text the scripts expect, and the shipping notice the
// scheduler sends to the chats verified on SO-1001 (its shipment is in the
// demo data); anything else a customer gets is counted as "other".
var known = []string{"after-sales desk", "verify first", "last four digits", "you are verified", "several orders",
	"Order SO-1001", "colleague will take over", "staff answer ", "has shipped", "a colleague will answer you soon"}

var caseNumber = regexp.MustCompile(`AS-\d{8}-\d{4}`)

// staffScript: the customer asks for a person and writes; the message must
// reach the case's Slack thread; a staff member claims the case and
// answers in the thread, and the answer must reach the customer once.
func staffScript(tag string) []scriptStep {
	return []scriptStep{
		{label: "/start", text: "/start", expect: []string{"after-sales desk"}},
		{label: "talk to a person", choice: "menu:human", expect: []string{"colleague will take over"}},
		{label: "to the staff thread", text: "my sofa arrived broken " + tag,
			done: func(p *phase, c *customer) bool { _, ok := p.h.threadPost(c, tag); return ok }},
		{label: "staff answer", send: staffAnswer, done: func(p *phase, c *customer) bool {
			return count(c.chat.replies(true), "staff answer "+tag) > 0
		}},
	}
}

// staffAnswer claims the customer's case and answers in its thread, over
// Slack's HTTP mode, signed; Slack tries a failed request again, with the
// same event id.
func staffAnswer(p *phase, c *customer, sentAt time.Time) error {
	number := ""
	for _, r := range c.chat.replies(false) {
		if n := caseNumber.FindString(r.text); n != "" {
			number = n
		}
	}
	parent, ok := "", false
	for !ok {
		if parent, ok = p.h.threadPost(c, ""); ok || number == "" {
			break
		}
		if p.overdue(sentAt) {
			return errOverdue
		}
		time.Sleep(100 * time.Millisecond)
	}
	if number == "" || !ok {
		return fmt.Errorf("no case card for %s (case %q)", c.name, number)
	}
	claim, _ := json.Marshal(map[string]any{"type": "block_actions", "user": map[string]any{"id": "U7"},
		"channel": map[string]any{"id": "CSTAFF"}, "actions": []any{map[string]any{"action_id": "claim", "block_id": "actions",
			"type": "button", "value": number}}})
	if err := p.h.slackPost(p, sentAt, "/slack/interactions", "application/x-www-form-urlencoded",
		[]byte("payload="+url.QueryEscape(string(claim)))); err != nil {
		return err
	}
	event, _ := json.Marshal(map[string]any{"type": "event_callback", "event_id": "Ev" + c.tag, "team_id": "T1",
		"event": map[string]any{"type": "message", "channel": "CSTAFF", "user": "U7", "text": "staff answer " + c.tag,
			"ts": fmt.Sprintf("%d.%06d", time.Now().Unix(), p.h.seq.Add(1)), "thread_ts": parent}})
	return p.h.slackPost(p, sentAt, "/slack/events", "application/json", event)
}

// threadPost finds the customer's case card in the staff channel (tag
// empty: its ts) or a post in its thread holding tag.
func (h *harness) threadPost(c *customer, tag string) (string, bool) {
	number := ""
	for _, r := range c.chat.replies(false) {
		if n := caseNumber.FindString(r.text); n != "" {
			number = n
		}
	}
	if number == "" {
		return "", false
	}
	posts := h.slack.Posts()
	parent := ""
	for _, post := range posts {
		if post.ThreadTS == "" && strings.Contains(post.Blocks, number) {
			parent = post.TS
		}
	}
	if parent == "" || tag == "" {
		return parent, parent != ""
	}
	for _, post := range posts {
		if post.ThreadTS == parent && strings.Contains(post.Text, tag) {
			return parent, true
		}
	}
	return parent, false
}

func (h *harness) slackPost(p *phase, sentAt time.Time, path, contentType string, body []byte) error {
	for {
		req, _ := http.NewRequest(http.MethodPost, h.desk.base+path, bytes.NewReader(body))
		ts, sig := slackfake.Sign(slackSecret, time.Now(), body)
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sig)
		req.Header.Set("Content-Type", contentType)
		res, err := quick.Do(req)
		if err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
			if res.StatusCode >= 400 && res.StatusCode < 500 {
				return fmt.Errorf("slack %s: %d", path, res.StatusCode)
			}
		}
		if p.overdue(sentAt) {
			return errOverdue
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// count is how many replies hold s.
func count(rs []reply, s string) int {
	n := 0
	for _, r := range rs {
		if strings.Contains(r.text, s) {
			n++
		}
	}
	return n
}

// customer walks one script in one chat.
type customer struct {
	name   string // web-3, telegram-3, staff-web …
	tag    string // unique in the run, for the staff texts
	chat   chat
	script []scriptStep
	steps  []stepResult
	err    error // a harness problem (a refused request), not a fault
}

// stepResult is what became of one message.
type stepResult struct {
	label      string
	sentAt     time.Time
	answeredAt time.Time // zero: no answer in time
}

func (c *customer) run(p *phase, think func() time.Duration) {
	for _, s := range c.script {
		time.Sleep(think())
		sentAt := time.Now()
		c.steps = append(c.steps, stepResult{label: s.label, sentAt: sentAt})
		res := &c.steps[len(c.steps)-1]
		var err error
		if s.send != nil {
			err = s.send(p, c, sentAt)
		} else {
			err = c.chat.say(p, sentAt, s.text, s.choice)
		}
		if err != nil && !errors.Is(err, errOverdue) {
			c.err = fmt.Errorf("%s, %s: %w", c.name, s.label, err)
		}
		if err != nil {
			return // lost; the rest of the dialog cannot go on
		}
		for {
			if answered(p, c, s) {
				res.answeredAt = time.Now()
				break
			}
			if p.overdue(sentAt) {
				return
			}
		}
	}
}

func answered(p *phase, c *customer, s scriptStep) bool {
	if s.done != nil {
		ok := s.done(p, c)
		if !ok {
			time.Sleep(50 * time.Millisecond)
		}
		return ok
	}
	rs := c.chat.replies(true)
	for _, e := range s.expect {
		if count(rs, e) == 0 {
			return false
		}
	}
	return true
}

// thinkTime spreads a customer's messages as a person would, a little.
func thinkTime() time.Duration { return 200*time.Millisecond + rand.N(400*time.Millisecond) }
