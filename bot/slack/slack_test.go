package slack

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/bot/slack/slackfake"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

const secret = "signing-secret"

type harness struct {
	t      *testing.T
	fake   *slackfake.Server
	db     *store.DB
	desk   *testkit.Desk
	slack  *Slack
	web    *testkit.Recorder // the customer's chat
	sender *testkit.Outbox
	srv    *httptest.Server
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	// Slack refuses requests signed far from its clock: the tests sign at
	// the real time, so the desk's clock starts there.
	desk := testkit.NewDesk(t, testkit.WithClock(testkit.ClockAt(time.Now())))
	fake := slackfake.New(t)
	cfg.BotToken, cfg.SigningSecret, cfg.StaffChannel, cfg.ManagersChannel, cfg.APIURL = "xoxb-test", secret, "CSTAFF", "CMGR", fake.URL
	sl := New(cfg, desk.Desk, desk.Store, desk.Photos, desk.Log, desk.Clock.Now)
	web := testkit.NewRecorder()
	sender := desk.Outbox(testkit.Channels{"web": web, bot.StaffChannel: sl})
	srv := testkit.Serve(t, sl.Routes)
	desk.Seed().Order(store.Order{No: "SO-1"})
	return &harness{t: t, fake: fake, db: desk.Store, desk: desk, slack: sl, web: web, sender: sender, srv: srv}
}

// deliver drains the outbox, moving the clock past the rate limits.
func (h *harness) deliver() { h.t.Helper(); h.sender.Deliver() }

// reportDamage is a customer in the web chat reporting damage with photos.
func (h *harness) reportDamage() cases.Case {
	h.t.Helper()
	c := h.desk.ReportDamage("w1", "SO-1", "坐垫开线")
	h.deliver()
	return c
}

func (h *harness) signed(path, contentType string, body []byte, at time.Time) int {
	h.t.Helper()
	res, err := slackfake.SignedPost(h.srv.URL+path, secret, contentType, body, at)
	if err != nil {
		h.t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func (h *harness) interact(payload map[string]any) int {
	b, _ := json.Marshal(payload)
	return h.signed("/slack/interactions", "application/x-www-form-urlencoded", []byte("payload="+url.QueryEscape(string(b))), time.Now())
}

func blockAction(caseNo, actionID, value, option string) map[string]any {
	a := map[string]any{"action_id": actionID, "block_id": "actions", "type": "button", "value": value}
	if option != "" {
		a["type"] = "static_select"
		a["selected_option"] = map[string]any{"value": option, "text": map[string]any{"type": "plain_text", "text": option}}
	}
	return map[string]any{"type": "block_actions", "user": map[string]any{"id": "U42", "name": "li"},
		"channel": map[string]any{"id": "CSTAFF"}, "actions": []any{a},
		"state": map[string]any{"values": map[string]any{blockAmount: map[string]any{actAmount: map[string]any{"type": "plain_text_input", "value": "800"}}}}}
}

func (h *harness) staffSays(eventID, threadTS, ts, text string) int {
	body, _ := json.Marshal(map[string]any{"type": "event_callback", "event_id": eventID, "team_id": "T1", "api_app_id": "A1",
		"event": map[string]any{"type": "message", "channel": "CSTAFF", "user": "U42", "text": text, "ts": ts, "thread_ts": threadTS}})
	return h.signed("/slack/events", "application/json", body, time.Now())
}

// rule: ID-5
func TestCaseBecomesAParentMessageWithItsThread(t *testing.T) {
	h := newHarness(t, Config{})
	c := h.reportDamage()
	posts := h.fake.Posts()
	parent := posts[0]
	if parent.Channel != "CSTAFF" || parent.ThreadTS != "" || !strings.Contains(parent.Blocks, c.Number) ||
		!strings.Contains(parent.Blocks, "138****1234") || strings.Contains(parent.Blocks, "13800001234") {
		t.Fatalf("parent: %+v", parent)
	}
	ts, _ := h.db.SlackTS(context.Background(), c.ID)
	if ts != parent.TS {
		t.Fatalf("parent ts %q kept as %q", parent.TS, ts)
	}
	thread := 0
	for _, p := range posts[1:] {
		if p.ThreadTS == ts && strings.Contains(p.Text, "坐垫开线") {
			thread++
		}
		if p.ThreadTS == "" && p.Channel == "CSTAFF" {
			t.Errorf("a second parent for one case: %+v", p)
		}
	}
	uploads := h.fake.Uploads()
	if thread != 1 || len(uploads) != 3 {
		t.Fatalf("thread messages %d, uploads %+v", thread, uploads)
	}
	for _, u := range uploads {
		if u.Channel != "CSTAFF" || u.ThreadTS != ts {
			t.Fatalf("a photo went outside the case thread: %+v", u)
		}
	}
}

// rule: DMG-5
// rule: DMG-8
// rule: DMG-9
// rule: MGR-4
// rule: HND-1
func TestStaffWorkTheCaseInSlack(t *testing.T) {
	h := newHarness(t, Config{})
	c := h.reportDamage()
	ts, _ := h.db.SlackTS(context.Background(), c.ID)
	for _, p := range []map[string]any{
		blockAction(c.Number, actClaim, c.Number, ""),
		blockAction(c.Number, actClassify, "", c.Number+"|transport_damage"),
		blockAction(c.Number, actRemedy, "", c.Number+"|replacement_parts"),
		blockAction(c.Number, actRemedy, "", c.Number+"|compensation"),
	} {
		if code := h.interact(p); code != 200 {
			t.Fatalf("interaction: %d", code)
		}
	}
	if code := h.staffSays("Ev1", ts, "1700000000.000100", "note: 先和物流确认"); code != 200 {
		t.Fatalf("event: %d", code)
	}
	h.staffSays("Ev3", ts, "1700000000.000150", "cause: 运输途中挤压")
	h.staffSays("Ev2", ts, "1700000000.000200", "您好，配件已寄出，明天到。")
	h.staffSays("Ev3", ts, "1700000000.000150", "cause: 运输途中挤压")
	h.staffSays("Ev2", ts, "1700000000.000200", "您好，配件已寄出，明天到。") // Slack's retry
	h.deliver()
	if h.web.Last() != "您好，配件已寄出，明天到。" {
		t.Fatalf("customer got %q", h.web.Last())
	}
	for _, m := range h.web.Texts() {
		if strings.Contains(m, "物流确认") {
			t.Fatal("a note leaked to the customer")
		}
	}
	if got := strings.Join(h.fake.Reactions(), ","); got != "white_check_mark CSTAFF 1700000000.000200" {
		t.Fatalf("the delivered reply is not marked (once): %q", got)
	}
	got, _ := h.db.CaseByNumber(context.Background(), c.Number)
	if got.Cause != "运输途中挤压" {
		t.Fatalf("cause not recorded: %q", got.Cause)
	}
	if got.Assignee != "<@U42>" || got.Kind != config.KindTransportDamage || !strings.Contains(got.Classification, "the bot said quality_defect") ||
		!strings.Contains(got.Remedy, "¥800 awaiting manager approval") {
		t.Fatalf("case: %+v", got)
	}
	var managers bool
	for _, p := range h.fake.Posts() {
		if p.Channel == "CMGR" && strings.Contains(p.Text, "Approval needed") && strings.Contains(p.Text, "¥800") {
			managers = true
		}
	}
	if !managers {
		t.Fatal("no approval request in the managers' channel")
	}
	h.interact(blockAction(c.Number, actResolve, c.Number, ""))
	h.deliver()
	updates := h.fake.Updates()
	last := updates[len(updates)-1]
	if last.TS != ts || !strings.Contains(last.Blocks, "resolved") || !strings.Contains(last.Blocks, "U42") || !strings.Contains(last.Blocks, "Reopen") {
		t.Fatalf("the parent does not show it all: %+v", last)
	}
	trail, _ := h.db.AuditTrail(context.Background(), c.Number)
	var actions []string
	for _, a := range trail {
		actions = append(actions, a.Action)
	}
	if strings.Join(actions, " ") != "opened claimed classified remedy remedy note cause message_out resolved" {
		t.Fatalf("audit: %v", actions)
	}
}

func TestForgedOrStaleRequestsChangeNothing(t *testing.T) {
	h := newHarness(t, Config{})
	c := h.reportDamage()
	b, _ := json.Marshal(blockAction(c.Number, actResolve, c.Number, ""))
	body := []byte("payload=" + url.QueryEscape(string(b)))
	req, _ := http.NewRequest("POST", h.srv.URL+"/slack/interactions", strings.NewReader(string(body)))
	req.Header.Set("X-Slack-Request-Timestamp", "1700000000")
	req.Header.Set("X-Slack-Signature", "v0=forged")
	res, _ := http.DefaultClient.Do(req)
	res.Body.Close()
	if res.StatusCode != 401 {
		t.Fatalf("forged: %d", res.StatusCode)
	}
	if code := h.signed("/slack/interactions", "application/x-www-form-urlencoded", body, time.Now().Add(-10*time.Minute)); code != 401 {
		t.Fatalf("stale: %d", code)
	}
	if got, _ := h.db.CaseByNumber(context.Background(), c.Number); got.Status == cases.Resolved {
		t.Fatal("a forged request resolved the case")
	}
	challenge, _ := json.Marshal(map[string]any{"type": "url_verification", "challenge": "abc123", "token": "x"})
	res, _ = slackfake.SignedPost(h.srv.URL+"/slack/events", secret, "application/json", challenge, time.Now())
	answer, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(answer) != "abc123" {
		t.Fatalf("url_verification: %q", answer)
	}
}

func TestCaseCommand(t *testing.T) {
	h := newHarness(t, Config{})
	c := h.reportDamage()
	h.interact(blockAction(c.Number, actClaim, c.Number, ""))
	ask := func(text string) string {
		form := url.Values{"command": {"/case"}, "text": {text}, "user_id": {"U42"}, "user_name": {"li"}, "channel_id": {"CSTAFF"}, "team_id": {"T1"}}
		res, err := slackfake.SignedPost(h.srv.URL+"/slack/commands", secret, "application/x-www-form-urlencoded", []byte(form.Encode()), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]string
		json.NewDecoder(res.Body).Decode(&out)
		return out["text"]
	}
	if got := ask(c.Number); !strings.Contains(got, "Audit") || !strings.Contains(got, "claimed") || !strings.Contains(got, "<@U42>") {
		t.Fatalf("/case: %s", got)
	}
	if got := ask("mine"); !strings.Contains(got, c.Number) {
		t.Fatalf("/case mine: %s", got)
	}
	if got := ask("AS-nope"); !strings.Contains(got, "Usage") {
		t.Fatalf("/case unknown: %s", got)
	}
}

// A 429 storm: nothing is lost, the thread catches up in order.
func TestRateLimitStormLosesNothing(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.Fail429(5, 2)
	c := h.reportDamage()
	posts := h.fake.Posts()
	if len(posts) == 0 || !strings.Contains(posts[0].Blocks, c.Number) {
		t.Fatalf("the parent was not posted first: %+v", posts)
	}
	if n := len(h.fake.Uploads()); n != 3 {
		t.Fatalf("uploads after the storm: %d", n)
	}
}

// rule: HND-1
func TestSocketMode(t *testing.T) {
	h := newHarness(t, Config{AppToken: "xapp-test"})
	c := h.reportDamage()
	ts, _ := h.db.SlackTS(context.Background(), c.ID)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.slack.RunSocketMode(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	h.fake.Envelope(t, "interactive", "env-1", blockAction(c.Number, actClaim, c.Number, ""))
	h.fake.Envelope(t, "events_api", "env-2", map[string]any{"type": "event_callback", "event_id": "Ev9", "team_id": "T1",
		"event": map[string]any{"type": "message", "channel": "CSTAFF", "user": "U42", "text": "马上为您处理", "ts": "1700000001.000100", "thread_ts": ts}})
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		got, _ := h.db.CaseByNumber(context.Background(), c.Number)
		events, _ := h.db.CaseEvents(context.Background(), c.ID)
		if got.Assignee == "<@U42>" && events[len(events)-1].Kind == "message_out" {
			h.deliver()
			if h.web.Last() != "马上为您处理" {
				t.Fatalf("customer got %q", h.web.Last())
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("socket mode requests were not applied")
}
