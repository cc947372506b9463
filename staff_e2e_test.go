package main

import (
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"frontdesk/bot/slack/slackfake"
)

// reportDamage walks a web-chat customer through a damage report with
// three photos and returns the session.
func reportDamage(t *testing.T, fd *instance) string {
	t.Helper()
	return reportDamageAsking(t, fd, "zh-CN", "扶手开裂")
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func (in *instance) lastText(session string) string {
	msgs := in.messages(session)
	if len(msgs) == 0 {
		return ""
	}
	return msgs[len(msgs)-1].Text
}

var caseNumber = regexp.MustCompile(`AS-\d{8}-\d{4}`)

func signedPost(t *testing.T, target, contentType string, body []byte) int {
	t.Helper()
	res, err := slackfake.SignedPost(target, "e2e-secret", contentType, body, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func action(id, value, option string) map[string]any {
	a := map[string]any{"action_id": id, "block_id": "actions", "type": "button", "value": value}
	if option != "" {
		a["type"], a["selected_option"] = "static_select", map[string]any{"value": option}
	}
	return map[string]any{"type": "block_actions", "user": map[string]any{"id": "U7"}, "channel": map[string]any{"id": "CSTAFF"}, "actions": []any{a}}
}

func threadMessage(eventID, threadTS, ts, text string) map[string]any {
	return map[string]any{"type": "event_callback", "event_id": eventID, "team_id": "T1",
		"event": map[string]any{"type": "message", "channel": "CSTAFF", "user": "U7", "text": text, "ts": ts, "thread_ts": threadTS}}
}

// parent waits for the case's parent message in the staff channel.
func parent(t *testing.T, fake *slackfake.Server) (number, ts string) {
	t.Helper()
	waitFor(t, "the case's parent message", func() bool {
		for _, p := range fake.Posts() {
			if p.ThreadTS == "" && caseNumber.MatchString(p.Blocks) {
				number, ts = caseNumber.FindString(p.Blocks), p.TS
				return true
			}
		}
		return false
	})
	return number, ts
}

func lastUpdate(fake *slackfake.Server) string {
	u := fake.Updates()
	if len(u) == 0 {
		return ""
	}
	return u[len(u)-1].Blocks
}

// linkedClerk adds the clerk 小王, linked to the Slack user U7, as an admin
// would before the start.
func linkedClerk(t *testing.T, env map[string]string) {
	t.Helper()
	if _, err := staff(t, env, "", "add", "wang", "--name", "小王", "--role", "clerk", "--slack", "U7"); err != nil {
		t.Fatal(err)
	}
}

// The staff loop in Slack over HTTP: a customer reports damage in the web
// chat, staff claim and reply in Slack, the customer gets the reply, staff
// resolve, and the parent message shows it all.
func TestStaffLoopInSlackHTTPMode(t *testing.T) {
	fake := slackfake.New(t)
	env := freshEnv(t)
	for k, v := range map[string]string{"SLACK_BOT_TOKEN": "xoxb-e2e", "SLACK_SIGNING_SECRET": "e2e-secret",
		"SLACK_STAFF_CHANNEL": "CSTAFF", "SLACK_MANAGERS_CHANNEL": "CMGR", "SLACK_API_URL": fake.URL} {
		env[k] = v
	}
	linkedClerk(t, env)
	fd := start(t, env, "--demo")
	session := reportDamage(t, fd)
	number, ts := parent(t, fake)
	payload, _ := json.Marshal(action("claim", number, ""))
	if code := signedPost(t, fd.base+"/slack/interactions", "application/x-www-form-urlencoded", []byte("payload="+url.QueryEscape(string(payload)))); code != 200 {
		t.Fatalf("claim: %d", code)
	}
	body, _ := json.Marshal(threadMessage("EvE2E", ts, "1800000000.000001", "您好，我们明天派师傅上门。"))
	if code := signedPost(t, fd.base+"/slack/events", "application/json", body); code != 200 {
		t.Fatalf("reply: %d", code)
	}
	waitFor(t, "the reply in the web chat", func() bool {
		return fd.lastText(session) == "【售后 小王 · "+number+"】您好，我们明天派师傅上门。"
	})
	waitFor(t, "the reply marked delivered", func() bool { return len(fake.Reactions()) == 1 })
	// fault → cause → action before the resolve (CAS-1)
	for _, m := range [][3]string{{"EvCA1", "1800000002.000001", "cause: 运输挤压"}, {"EvCA2", "1800000003.000001", "action: 上门修补"}} {
		body, _ := json.Marshal(threadMessage(m[0], ts, m[1], m[2]))
		signedPost(t, fd.base+"/slack/events", "application/json", body)
	}
	payload, _ = json.Marshal(action("resolve", number, ""))
	signedPost(t, fd.base+"/slack/interactions", "application/x-www-form-urlencoded", []byte("payload="+url.QueryEscape(string(payload))))
	waitFor(t, "the parent showing it all", func() bool {
		b := lastUpdate(fake)
		return strings.Contains(b, "已解决") && strings.Contains(b, "小王") && strings.Contains(b, number)
	})
	if n := len(fake.Uploads()); n != 3 {
		t.Fatalf("%d photos in the thread", n)
	}
}

// The same loop over Socket Mode.
func TestStaffLoopInSlackSocketMode(t *testing.T) {
	fake := slackfake.New(t)
	env := freshEnv(t)
	for k, v := range map[string]string{"SLACK_BOT_TOKEN": "xoxb-e2e", "SLACK_APP_TOKEN": "xapp-e2e",
		"SLACK_STAFF_CHANNEL": "CSTAFF", "SLACK_API_URL": fake.URL} {
		env[k] = v
	}
	linkedClerk(t, env)
	fd := start(t, env)
	if !strings.Contains(fd.stdout.String(), "Socket Mode") {
		t.Fatalf("start-up: %s", fd.stdout.String())
	}
	s := fd.newSession()
	fd.say(s, "en", "text", "/start")
	fd.say(s, "en", "choice", "menu:human")
	fd.say(s, "en", "text", "my sofa arrived broken")
	number, ts := parent(t, fake)
	fake.Envelope(t, "interactive", "e1", action("claim", number, ""))
	fake.Envelope(t, "events_api", "e2", threadMessage("EvS1", ts, "1800000001.000001", "Sorry! A technician comes tomorrow."))
	waitFor(t, "the reply in the web chat", func() bool {
		return fd.lastText(s) == "[After-sales 小王 · "+number+"] Sorry! A technician comes tomorrow."
	})
	fake.Envelope(t, "interactive", "e3", action("resolve", number, ""))
	waitFor(t, "the parent showing it resolved", func() bool { return strings.Contains(lastUpdate(fake), "已解决") })
	var thread bool
	for _, p := range fake.Posts() {
		if p.ThreadTS == ts && strings.Contains(p.Text, "my sofa arrived broken") {
			thread = true
		}
	}
	if !thread {
		t.Fatal("the customer's message is not in the thread")
	}
}

// With no Slack token the same loop runs on /staff.
func TestStaffLoopOnTheStaffPage(t *testing.T) {
	env := freshEnv(t)
	addClerk(t, env)
	fd := start(t, env, "--demo")
	session := reportDamage(t, fd)
	client, list := fd.staffClient(t, "wang")
	number := caseNumber.FindString(list)
	if number == "" {
		t.Fatalf("no case on /staff:\n%s", list)
	}
	act := func(fields url.Values) string {
		_, after := fd.postForm(t, client, "/staff/case/"+number, fields)
		return after
	}
	act(url.Values{"action": {"claim"}})
	act(url.Values{"action": {"message"}, "value": {"师傅明天上午到。"}})
	waitFor(t, "the reply in the web chat", func() bool {
		return fd.lastText(session) == "【售后 小王 · "+number+"】师傅明天上午到。"
	})
	act(url.Values{"action": {"cause"}, "value": {"运输挤压"}})
	act(url.Values{"action": {"action"}, "value": {"上门修补"}})
	if page := act(url.Values{"action": {"resolve"}}); !strings.Contains(page, `<span id="case-status">已解决</span>`) || !strings.Contains(page, "小王") {
		t.Fatalf("case page after resolve:\n%.2000s", page)
	}
}
