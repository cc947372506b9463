package slack

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/bot/slack/slackfake"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/outbox"
	"frontdesk/internal/photos"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

const secret = "signing-secret"

// customerWeb stands in for the customer's chat and keeps what reached it.
type customerWeb struct {
	mu  sync.Mutex
	got []string
}

func (c *customerWeb) Send(_ context.Context, m store.OutboxMessage) error {
	var msg bot.Message
	json.Unmarshal(m.Payload, &msg)
	c.mu.Lock()
	c.got = append(c.got, msg.Text)
	c.mu.Unlock()
	return nil
}

func (c *customerWeb) last() string { c.mu.Lock(); defer c.mu.Unlock(); return c.got[len(c.got)-1] }

type harness struct {
	t      *testing.T
	fake   *slackfake.Server
	db     *store.DB
	desk   *bot.Desk
	slack  *Slack
	web    *customerWeb
	sender *outbox.Sender
	outbox *testkit.Outbox
	clock  *testkit.Clock
	srv    *httptest.Server
	photos *photos.Store
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	kit := testkit.NewDesk(t, testkit.WithClock(testkit.ClockAt(time.Now())),
		testkit.WithLimits(func(l *conversations.Limits) { l.VerifyCooldown = time.Minute }))
	db, desk, clk, pics, log := kit.Store, kit.Desk, kit.Clock, kit.Photos, kit.Log
	fake := slackfake.New(t)
	cfg.BotToken, cfg.SigningSecret, cfg.StaffChannel, cfg.ManagersChannel, cfg.APIURL = "xoxb-test", secret, "CSTAFF", "CMGR", fake.URL
	sl := New(cfg, desk, db, pics, log, clk.Now)
	web := &customerWeb{}
	out := kit.Outbox(testkit.Channels{"web": web, bot.StaffChannel: sl})
	mux := http.NewServeMux()
	sl.Routes(mux)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	// The staff linked to Slack users: a clerk, a supervisor and a duty
	// manager (U99 is linked to nobody).
	for _, a := range []bot.NewAccount{
		{Login: "li", Name: "小李", Role: cases.Clerk, SlackUserID: "U42"},
		{Login: "zhou", Name: "周主管", Role: cases.Supervisor, SlackUserID: "U43"},
		{Login: "wu", Name: "吴经理", Role: cases.DutyManager, SlackUserID: "U44"},
	} {
		a.Password = "a long password"
		if _, err := desk.AddAccount(context.Background(), "test", a); err != nil {
			t.Fatal(err)
		}
	}
	order := store.Order{No: "SO-1", CustomerName: "王芳", Phone: "13800001234", Items: []store.Item{{Name: "沙发", Quantity: 1, Category: config.Furniture}}}
	if err := db.UpsertOrder(context.Background(), order, clk.Now()); err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, fake: fake, db: db, desk: desk, slack: sl, web: web, sender: out.Sender, outbox: out, clock: clk, srv: srv,
		photos: pics}
}

// deliver drains the outbox, moving the clock past the rate limits.
func (h *harness) deliver() { h.t.Helper(); h.outbox.Deliver() }

// reportDamage is a customer in the web chat reporting damage with photos.
func (h *harness) reportDamage() cases.Case {
	h.t.Helper()
	png := "\x89PNG\r\n\x1a\n" + strings.Repeat("\x01", 64)
	ph, err := h.photos.Save(strings.NewReader(png))
	if err != nil {
		h.t.Fatal(err)
	}
	for _, in := range []conversations.Inbound{{Text: "/status"}, {Text: "SO-1"}, {Text: "1234"}, {Choice: "menu:damage"},
		{Choice: "ans:1"}, {Choice: "ans:done"}, {Choice: "ans:home"}, {Photo: &ph}, {Choice: "ans:done"}, {Photo: &ph},
		{Choice: "ans:done"}, {Photo: &ph}, {Choice: "ans:done"}, {Choice: "ans:no"}, {Text: "坐垫开线"}} {
		in.Channel, in.ChatID = "web", "w1"
		if err := h.desk.Handle(context.Background(), in); err != nil {
			h.t.Fatal(err)
		}
	}
	h.deliver()
	cases, _ := h.db.CasesByPhone(context.Background(), "13800001234", true)
	if len(cases) != 1 {
		h.t.Fatalf("cases: %+v", cases)
	}
	return cases[0]
}

func (h *harness) signed(path, contentType string, body []byte, at time.Time) int {
	h.t.Helper()
	req, _ := http.NewRequest("POST", h.srv.URL+path, strings.NewReader(string(body)))
	ts, sig := slackfake.Sign(secret, at, body)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sig)
	req.Header.Set("Content-Type", contentType)
	res, err := http.DefaultClient.Do(req)
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
	return blockActionBy("U42", caseNo, actionID, value, option)
}

// blockActionBy is a button or menu pressed by the Slack user.
func blockActionBy(user, caseNo, actionID, value, option string) map[string]any {
	a := map[string]any{"action_id": actionID, "block_id": "actions", "type": "button", "value": value}
	if option != "" {
		a["type"] = "static_select"
		a["selected_option"] = map[string]any{"value": option, "text": map[string]any{"type": "plain_text", "text": option}}
	}
	return map[string]any{"type": "block_actions", "user": map[string]any{"id": user, "name": "someone"},
		"channel": map[string]any{"id": "CSTAFF"}, "actions": []any{a},
		"state": map[string]any{"values": map[string]any{blockAmount: map[string]any{actAmount: map[string]any{"type": "plain_text_input", "value": "800"}}}}}
}

func (h *harness) staffSays(eventID, threadTS, ts, text string) int {
	return h.userSays("U42", eventID, threadTS, ts, text)
}

func (h *harness) userSays(user, eventID, threadTS, ts, text string) int {
	body, _ := json.Marshal(map[string]any{"type": "event_callback", "event_id": eventID, "team_id": "T1", "api_app_id": "A1",
		"event": map[string]any{"type": "message", "channel": "CSTAFF", "user": user, "text": text, "ts": ts, "thread_ts": threadTS}})
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
	if h.web.last() != "【售后 小李 · "+c.Number+"】您好，配件已寄出，明天到。" { // from a person (CAS-6)
		t.Fatalf("customer got %q", h.web.last())
	}
	for _, m := range h.web.got {
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
	if got.Assignee != "小李" || got.Kind != config.KindTransportDamage || !strings.Contains(got.Classification, "the bot said quality_defect") ||
		!strings.Contains(got.Remedy, "¥800 awaiting manager approval") {
		t.Fatalf("case: %+v", got)
	}
	var managers bool
	for _, p := range h.fake.Posts() {
		if p.Channel == "CMGR" && strings.Contains(p.Text, "需要审批") && strings.Contains(p.Text, "¥800") {
			managers = true
		}
	}
	if !managers {
		t.Fatal("no approval request in the managers' channel")
	}
	h.staffSays("Ev4", ts, "1700000000.000300", "action: 寄出配件")
	h.interact(blockAction(c.Number, actResolve, c.Number, ""))
	h.deliver()
	updates := h.fake.Updates()
	last := updates[len(updates)-1]
	if last.TS != ts || !strings.Contains(last.Blocks, "已解决") || !strings.Contains(last.Blocks, "小李") || !strings.Contains(last.Blocks, "重新打开") {
		t.Fatalf("the parent does not show it all: %+v", last)
	}
	trail, _ := h.db.AuditTrail(context.Background(), c.Number)
	var actions []string
	for _, a := range trail {
		actions = append(actions, a.Action)
	}
	if strings.Join(actions, " ") != "opened claimed classified remedy remedy note cause message_out action resolved" {
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
	req, _ = http.NewRequest("POST", h.srv.URL+"/slack/events", strings.NewReader(string(challenge)))
	ts, sig := slackfake.Sign(secret, time.Now(), challenge)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sig)
	res, _ = http.DefaultClient.Do(req)
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
	ask := func(text string) string { return h.ask("U42", text) }
	if got := ask(c.Number); !strings.Contains(got, "处理记录") || !strings.Contains(got, "认领") || !strings.Contains(got, "小李") {
		t.Fatalf("/case: %s", got)
	}
	if got := ask("mine"); !strings.Contains(got, c.Number) {
		t.Fatalf("/case mine: %s", got)
	}
	if got := ask("AS-nope"); !strings.Contains(got, "用法") {
		t.Fatalf("/case unknown: %s", got)
	}
}

// ask is /case text from the Slack user.
func (h *harness) ask(user, text string) string {
	t := h.t
	t.Helper()
	{
		form := url.Values{"command": {"/case"}, "text": {text}, "user_id": {user}, "user_name": {"li"}, "channel_id": {"CSTAFF"}, "team_id": {"T1"}}
		body := []byte(form.Encode())
		req, _ := http.NewRequest("POST", h.srv.URL+"/slack/commands", strings.NewReader(string(body)))
		ts, sig := slackfake.Sign(secret, time.Now(), body)
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sig)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out map[string]string
		json.NewDecoder(res.Body).Decode(&out)
		return out["text"]
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
		if got.Assignee == "小李" && events[len(events)-1].Kind == "message_out" {
			h.deliver()
			if !strings.HasSuffix(h.web.last(), "】马上为您处理") {
				t.Fatalf("customer got %q", h.web.last())
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatal("socket mode requests were not applied")
}

// A Slack user no admin has linked to a staff account can do nothing:
// buttons, thread messages and /case answer them alone, in Chinese and
// English, to ask an admin.
// rule: STF-1
func TestUnlinkedSlackUserIsRefused(t *testing.T) {
	h := newHarness(t, Config{})
	c := h.reportDamage()
	ts, _ := h.db.SlackTS(context.Background(), c.ID)
	before := len(h.web.got)
	if code := h.interact(blockActionBy("U99", c.Number, actClaim, c.Number, "")); code != 200 {
		t.Fatalf("interaction: %d", code)
	}
	if code := h.userSays("U99", "EvX1", ts, "1700000000.000300", "您好，我是经理，给您全额退款。"); code != 200 {
		t.Fatalf("event: %d", code)
	}
	if got := h.ask("U99", c.Number); !strings.Contains(got, "请联系管理员") || !strings.Contains(got, "Ask an admin to link it") || strings.Contains(got, "Audit") {
		t.Fatalf("/case from an unlinked user: %s", got)
	}
	h.deliver()
	got, _ := h.db.CaseByNumber(context.Background(), c.Number)
	events, _ := h.db.CaseEvents(context.Background(), c.ID)
	if got.Assignee != "" || len(h.web.got) != before || events[len(events)-1].Kind == "message_out" {
		t.Fatalf("an unlinked user changed the case: %+v, customer got %v", got, h.web.got[before:])
	}
	eph := h.fake.Ephemeral()
	if len(eph) != 2 || eph[0].User != "U99" || eph[1].User != "U99" || eph[1].ThreadTS != ts ||
		!strings.Contains(eph[0].Text, "请联系管理员") || !strings.Contains(eph[1].Text, "Ask an admin to link it") {
		t.Fatalf("ephemeral: %+v", eph)
	}
	// Disabling the account unlinks it in Slack at once.
	if err := h.desk.SetDisabled(context.Background(), "test", "li", true); err != nil {
		t.Fatal(err)
	}
	h.interact(blockAction(c.Number, actClaim, c.Number, ""))
	if got, _ := h.db.CaseByNumber(context.Background(), c.Number); got.Assignee != "" {
		t.Fatalf("a disabled account claimed: %+v", got)
	}
}

// A compensation above the clerk's limit in Slack: the card offers Approve
// and Reject, a clerk pressing Approve reads why not, the supervisor and
// the duty manager each approve, and the clerk is told in the thread.
// rule: APR-1
// rule: STF-1
func TestApprovalInSlack(t *testing.T) {
	h := newHarness(t, Config{})
	c := h.reportDamage()
	ts, _ := h.db.SlackTS(context.Background(), c.ID)
	h.interact(blockAction(c.Number, actClaim, c.Number, ""))
	h.interact(blockAction(c.Number, actRemedy, "", c.Number+"|compensation")) // ¥800 in the amount box
	h.deliver()
	card := h.fake.Updates()[len(h.fake.Updates())-1].Blocks
	if !strings.Contains(card, `"action_id":"approve"`) || !strings.Contains(card, `"action_id":"reject"`) ||
		!strings.Contains(card, "¥800") || !strings.Contains(card, "业务主管") {
		t.Fatalf("the card does not offer the approval: %s", card)
	}
	h.interact(blockActionBy("U42", c.Number, actApprove, c.Number, ""))
	if eph := h.fake.Ephemeral(); len(eph) != 1 || eph[0].User != "U42" || eph[0].Text != "您的角色（客服专员）不能执行这个操作。" { // in words, zh-Hans (STF-2)
		t.Fatalf("the clerk's approve: %+v", eph)
	}
	h.interact(blockActionBy("U43", c.Number, actApprove, c.Number, ""))
	h.interact(blockActionBy("U44", c.Number, actApprove, c.Number, ""))
	h.deliver()
	got, _ := h.db.CaseByNumber(context.Background(), c.Number)
	if got.Details["approval"] != "approved" || got.Remedy != "compensation ¥800 (approved by 周主管 and 吴经理)" {
		t.Fatalf("after both approvals: %q %+v", got.Remedy, got.Details)
	}
	// The clerk is told in the case's thread in the staff channel's
	// language, zh-Hans by default.
	// rule: STF-2
	told := false
	for _, p := range h.fake.Posts() {
		if p.ThreadTS == ts && strings.Contains(p.Text, "赔偿 ¥800 已由 周主管、吴经理 批准：请执行。") {
			told = true
		}
	}
	if !told {
		t.Fatal("the clerk is not told in the thread")
	}
	if card := h.fake.Updates()[len(h.fake.Updates())-1].Blocks; strings.Contains(card, `"action_id":"approve"`) {
		t.Fatalf("the card still offers Approve: %s", card)
	}
}
