package staffweb

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// downWeb stands in for the web chat; while down, every delivery fails.
type downWeb struct {
	recordingWeb
	down bool
}

func (d *downWeb) Send(ctx context.Context, m store.OutboxMessage) error {
	if d.down {
		return errors.New("web: 503 Service Unavailable")
	}
	return d.recordingWeb.Send(ctx, m)
}

// A staff reply that cannot reach the customer is retried for a day, then
// given up on: the case says so (an event, a line in its staff thread and
// the audit trail), /staff/dead lists it with the recipient masked, and
// "send again" queues it anew so that it is delivered once the chat works.
// rule: MGR-4
func TestAnUndeliveredReplyShowsOnItsCaseAndIsSentAgain(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	clock := testkit.ClockAt(time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC))
	h.desk.Now, h.sender.Now = clock.Now, clock.Now
	web := &downWeb{}
	h.sender.Channels["web"] = web
	h.sender.Died = h.desk.MessageDied
	c := h.openCase()
	h.sender.RunOnce(ctx)
	h.login("li", clerkPW)
	if _, page := h.get("/staff/dead"); !strings.Contains(page, "没有未送达的消息") {
		t.Fatalf("dead letters before any died: %.600s", page)
	}

	web.down = true
	h.act(c.Number, "action", "message", "value", "您好，师傅明天上门修补。")
	written := clock.Now()
	h.sender.RunOnce(ctx)
	clock.Advance(24*time.Hour - time.Minute)
	h.sender.RunOnce(ctx)
	h.login("li", clerkPW) // a day later: the session from the morning has lapsed
	if _, page := h.get("/staff/dead"); !strings.Contains(page, "没有未送达的消息") {
		t.Fatalf("given up before a day had passed: %.600s", page)
	}
	clock.Advance(2 * time.Minute)
	h.sender.RunOnce(ctx)
	h.login("li", clerkPW)

	_, page := h.get("/staff/dead")
	for _, want := range []string{"未送达的消息", "网页聊天", "••••", c.Number, "您好，师傅明天上门修补。", "web: 503 Service Unavailable", "重新发送"} {
		if !strings.Contains(page, want) {
			t.Errorf("/staff/dead lacks %q", want)
		}
	}
	if strings.Contains(page, ">w1<") {
		t.Error("/staff/dead shows the chat id unmasked")
	}
	if _, en := h.get("/staff/dead?lang=en"); !strings.Contains(en, "Undelivered messages") || !strings.Contains(en, "web chat") {
		t.Errorf("/staff/dead in English: %.400s", en)
	}
	events, _ := h.db.CaseEvents(ctx, c.ID)
	var failed *store.CaseEvent
	for i, e := range events {
		if e.Kind == "delivery_failed" {
			failed = &events[i]
		}
	}
	if failed == nil || !failed.At.Equal(written.Add(24*time.Hour+time.Minute)) || !strings.Contains(failed.Body, "web: 503") {
		t.Fatalf("the case does not record the failed delivery: %+v", events)
	}
	if _, casePage := h.get("/staff/case/" + c.Number); !strings.Contains(casePage, "仍未送达") {
		t.Errorf("the case page does not show the failed delivery")
	}
	posts, _ := h.db.OutboxAfter(ctx, bot.StaffChannel, c.Number, 0, 100)
	if last := string(posts[len(posts)-1].Payload); !strings.Contains(last, `"kind":"thread"`) || !strings.Contains(last, "/staff/dead") {
		t.Fatalf("the staff thread was not told: %s", last)
	}

	dead, _ := h.db.DeadOutbox(ctx, 10)
	if len(dead) != 1 {
		t.Fatalf("dead letters: %+v", dead)
	}
	retry := "/staff/dead/" + strconv.FormatInt(dead[0].ID, 10) + "/retry"
	cross := http.Header{"Origin": {"https://evil.example"}, "Sec-Fetch-Site": {"cross-site"}}
	if status, _ := h.postWith(h.client, retry, url.Values{}, cross); status != 403 {
		t.Fatalf("a retry from another site: %d", status)
	}
	web.down = false
	if _, after := h.post(retry, url.Values{}); !strings.Contains(after, "已重新排入发送队列") || !strings.Contains(after, "没有未送达的消息") {
		t.Fatalf("after send again: %.600s", after)
	}
	h.sender.RunOnce(ctx)
	if got := web.got[len(web.got)-1]; !strings.HasSuffix(got, "】您好，师傅明天上门修补。") || testkit.Count(web.got, got) != 1 {
		t.Fatalf("the customer got %q", web.got)
	}
	if _, again := h.post(retry, url.Values{}); !strings.Contains(again, "不在未送达列表中") {
		t.Fatalf("a second send again: %.600s", again)
	}
	if _, bad := h.post("/staff/dead/abc/retry", url.Values{}); !strings.Contains(bad, "不在未送达列表中") {
		t.Fatalf("a bad id: %.600s", bad)
	}
	h.sender.RunOnce(ctx)
	if testkit.Count(web.got, "【售后 小李 · "+c.Number+"】您好，师傅明天上门修补。") != 1 {
		t.Fatalf("sent twice: %q", web.got)
	}
	trail, _ := h.db.AuditTrail(ctx, c.Number)
	var actions []string
	for _, a := range trail {
		actions = append(actions, a.Actor+":"+a.Action)
	}
	if !strings.Contains(strings.Join(actions, " "), "desk:delivery_failed 小李:delivery_retried") {
		t.Fatalf("audit: %v", actions)
	}
}
