package slack

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"frontdesk/bot/slack/slackfake"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/store"
)

// injected is a customer trying Slack's markup: a call to everyone, a
// mention, a disguised link, and an ampersand.
const injected = "<!channel> <@U123> <https://evil.example|bank> & co"

// escapedInjected is how it must reach Slack: shown as written.
const escapedInjected = "&lt;!channel&gt; &lt;@U123&gt; &lt;https://evil.example|bank&gt; &amp; co"

func TestMarkup(t *testing.T) {
	tests := []struct {
		name, got, want string
	}{
		{"escape", escape(injected), escapedInjected},
		{"unescape undoes it", unescape(escapedInjected), injected},
		{"unescape once", unescape("&amp;lt;"), "&lt;"},
		{"ours stay live", mrkdwn("⏰ <!channel>: due <@U9> & <x>", []string{"<!channel>", "<@U9>"}), "⏰ <!channel>: due <@U9> &amp; &lt;x&gt;"},
		{"only real mentions are ours", mrkdwn("<https://evil.example|bank> <@U1|boss> 小王", []string{"<https://evil.example|bank>", "<@U1|boss>", "小王", ""}),
			"&lt;https://evil.example|bank&gt; &lt;@U1|boss&gt; 小王"},
		{"staff text keeps user mentions", staffText("compensation ¥800 (approved by <@U1> and <!channel> <http://x|y>)"),
			"compensation ¥800 (approved by <@U1> and &lt;!channel&gt; &lt;http://x|y&gt;)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Fatalf("got  %q\nwant %q", tt.got, tt.want)
			}
		})
	}
	if !isUserMention("<@U42>") || isUserMention("<!channel>") || isUserMention("x <@U42>") || isUserMention("小王") {
		t.Fatal("isUserMention")
	}
}

// A customer's markup reaches the staff thread and the card as written: no
// one is called, no link is disguised. The desk's own call to the channel,
// when a clock runs out on an unclaimed case, still calls it.
func TestCustomerMarkupIsShownAsWritten(t *testing.T) {
	h := newHarness(t, Config{})
	cfg := config.Default()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	h.desk.Clocks = cfg.ClocksFor
	ph, err := h.photos.Save(strings.NewReader("\x89PNG\r\n\x1a\n" + strings.Repeat("\x01", 64)))
	if err != nil {
		t.Fatal(err)
	}
	// A damage report whose description is the injection, then the same
	// again once the case is open.
	for _, in := range []conversations.Inbound{{Text: "/status"}, {Text: "SO-1"}, {Text: "1234"}, {Choice: "menu:damage"},
		{Choice: "ans:1"}, {Choice: "ans:done"}, {Choice: "ans:home"}, {Photo: &ph}, {Choice: "ans:done"}, {Photo: &ph},
		{Choice: "ans:done"}, {Photo: &ph}, {Choice: "ans:done"}, {Choice: "ans:no"}, {Text: injected},
		{Choice: "menu:human"}, {Text: injected}} {
		in.Channel, in.ChatID, in.LangHint = "web", "w1", "en"
		if err := h.desk.Handle(context.Background(), in); err != nil {
			t.Fatal(err)
		}
	}
	h.deliver()
	posts := h.fake.Posts()
	if len(posts) < 2 {
		t.Fatalf("posts: %+v", posts)
	}
	card, thread := posts[0], strings.Join(texts(posts[1:]), "\n")
	if !strings.Contains(thread, escapedInjected) {
		t.Fatalf("the thread does not show the message as written:\n%s", thread)
	}
	if !strings.Contains(card.Blocks, jsonText(escapedInjected)) {
		t.Fatalf("the card does not show the description as written:\n%s", card.Blocks)
	}
	for _, live := range []string{"<!channel>", "<@U123>", "<https://evil"} {
		if strings.Contains(thread, live) || strings.Contains(card.Blocks, jsonText(live)) {
			t.Fatalf("%s is live in the thread or on the card", live)
		}
	}

	clocks, err := h.db.OverdueClocks(context.Background(), h.clock.Now().Add(48*time.Hour))
	if err != nil || len(clocks) == 0 {
		t.Fatalf("no clock to run out: %v", err)
	}
	h.clock.Advance(48 * time.Hour)
	if ok, err := h.desk.EscalateClock(context.Background(), clocks[0], false); !ok || err != nil {
		t.Fatalf("escalate: %v %v", ok, err)
	}
	h.deliver()
	var escalation string
	for _, p := range h.fake.Posts() {
		if strings.Contains(p.Text, "⏰") {
			escalation = p.Text
		}
	}
	if !strings.Contains(escalation, "🤖 客服台: ⏰ <!channel>：") {
		t.Fatalf("the escalation does not call the channel: %q", escalation)
	}
}

// jsonText is s as it stands in the JSON of a card's blocks.
func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

func texts(posts []slackfake.Post) []string {
	var out []string
	for _, p := range posts {
		out = append(out, p.Text)
	}
	return out
}

// command asks /case over HTTP as staff member U42.
func (h *harness) command(text string) string {
	h.t.Helper()
	return h.ask("U42", text)
}

// Order data shows as written on the card and in /case; what staff type
// in Slack (which Slack sends escaped) reaches the customer as typed and
// comes back on the card escaped once; staff mentions stay names.
func TestStaffAndOrderTextInSlack(t *testing.T) {
	h := newHarness(t, Config{})
	order := store.Order{No: "SO-1", CustomerName: "王芳 <!here>", Phone: "13800001234",
		Items: []store.Item{{Name: "沙发", Quantity: 1, Category: config.Furniture}}}
	if err := h.db.UpsertOrder(context.Background(), order, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	c := h.reportDamage()
	ts, _ := h.db.SlackTS(context.Background(), c.ID)
	h.interact(blockAction(c.Number, actClaim, c.Number, ""))
	h.staffSays("Ev1", ts, "1800000000.000001", "reply: 2 &lt; 3 &amp; ok")
	h.staffSays("Ev2", ts, "1800000000.000002", "cause: glue &lt;weak&gt;")
	h.deliver()
	if got := h.web.last(); !strings.HasSuffix(got, "】2 < 3 & ok") {
		t.Fatalf("the customer got %q", got)
	}
	card := h.fake.Updates()[len(h.fake.Updates())-1].Blocks
	for _, want := range []string{"王芳 &lt;!here&gt;", "原因： glue &lt;weak&gt;", "*负责人*\n小李"} {
		if !strings.Contains(card, jsonText(want)) {
			t.Errorf("the card lacks %q:\n%s", want, card)
		}
	}
	answer := h.command(c.Number)
	if !strings.Contains(answer, "顾客：王芳 &lt;!here&gt;") || strings.Contains(answer, "<!here>") ||
		!strings.Contains(answer, "负责人：小李") || !strings.Contains(answer, "小李 认领") {
		t.Fatalf("/case: %s", answer)
	}
	if mine := h.command("mine"); !strings.Contains(mine, "王芳 &lt;!here&gt;") {
		t.Fatalf("/case mine: %s", mine)
	}
}
