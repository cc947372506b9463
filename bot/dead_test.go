package bot_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// deadFixture is a desk with one case reached by Telegram chat 42, and one
// message of each sort the outbox holds for it.
type deadFixture struct {
	desk                        *testkit.Desk
	db                          *store.DB
	c                           cases.Case
	customer, staffPost, noCase store.OutboxMessage
	managers                    store.OutboxMessage
	woken                       int
}

func newDeadFixture(t *testing.T) *deadFixture {
	t.Helper()
	desk := testkit.NewDesk(t)
	clock, db := desk.Clock, desk.Store
	f := &deadFixture{desk: desk, db: db}
	f.desk.Notify = func() { f.woken++ }
	now := clock.Now()
	enq := func(tx *store.Tx, m store.OutboxMessage) store.OutboxMessage {
		id, err := tx.Enqueue(m, now)
		if err != nil {
			t.Fatal(err)
		}
		m.ID = id
		return m
	}
	err := db.Update(context.Background(), func(tx *store.Tx) (err error) {
		f.c, err = tx.OpenCase(cases.Case{Kind: config.KindRepair, Channel: "telegram", ChatID: "4242424242", CustomerName: "王芳"}, now, time.UTC)
		if err != nil {
			return err
		}
		f.customer = enq(tx, store.OutboxMessage{Channel: "telegram", Recipient: "4242424242", Payload: []byte(`{"text":"师傅明天上门"}`), CaseID: f.c.ID})
		f.staffPost = enq(tx, store.OutboxMessage{Channel: bot.StaffChannel, Recipient: f.c.Number, Payload: []byte(`{"kind":"card"}`)})
		f.noCase = enq(tx, store.OutboxMessage{Channel: "telegram", Recipient: "77", Payload: []byte(`{"text":"您的货已发出"}`)})
		f.managers = enq(tx, store.OutboxMessage{Channel: bot.StaffChannel, Recipient: bot.ManagersRecipient, Payload: []byte(`{"kind":"managers","text":"digest"}`)})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *deadFixture) events(t *testing.T, kind string) []store.CaseEvent {
	t.Helper()
	all, err := f.db.CaseEvents(context.Background(), f.c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []store.CaseEvent
	for _, e := range all {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

func (f *deadFixture) threadPosts(t *testing.T) []string {
	t.Helper()
	posts, _ := f.db.OutboxAfter(context.Background(), bot.StaffChannel, f.c.Number, 0, 100)
	var out []string
	for _, p := range posts {
		if strings.Contains(string(p.Payload), `"kind":"thread"`) {
			out = append(out, string(p.Payload))
		}
	}
	return out
}

// A customer message that died is recorded on its case, in the audit trail
// and as a line in the staff thread, in the staff's language, with the
// sender woken for that line.
// rule: MGR-4
func TestMessageDiedTellsTheCase(t *testing.T) {
	f := newDeadFixture(t)
	ctx := context.Background()
	if err := f.desk.MessageDied(ctx, f.customer, "telegram: 502 Bad Gateway"); err != nil {
		t.Fatal(err)
	}
	if m, _ := f.db.OutboxMessageByID(ctx, f.customer.ID); m.Status != "dead" || m.LastError != "telegram: 502 Bad Gateway" {
		t.Fatalf("message: %+v", m)
	}
	ev := f.events(t, "delivery_failed")
	if len(ev) != 1 || ev[0].Actor != bot.DeliveryActor || !strings.Contains(ev[0].Body, "Telegram") || !strings.Contains(ev[0].Body, "502 Bad Gateway") ||
		!strings.Contains(ev[0].Body, "已停止重试") {
		t.Fatalf("case events: %+v", ev)
	}
	if posts := f.threadPosts(t); len(posts) != 1 || !strings.Contains(posts[0], "502 Bad Gateway") {
		t.Fatalf("staff thread: %v", posts)
	}
	trail, _ := f.db.AuditTrail(ctx, f.c.Number)
	if len(trail) != 1 || trail[0].Action != "delivery_failed" {
		t.Fatalf("audit: %+v", trail)
	}
	if f.woken != 1 {
		t.Fatalf("sender woken %d times", f.woken)
	}
	// Dying again (another sender got there first) changes nothing more.
	if err := f.desk.MessageDied(ctx, f.customer, "again"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a second death: %v", err)
	}
	if len(f.events(t, "delivery_failed")) != 1 {
		t.Fatal("recorded twice")
	}
}

// A dead staff post is recorded on its case but posts nothing to the
// thread it could not reach; messages with no case are only marked dead
// (and listed on /staff/dead).
func TestMessageDiedWithoutAThreadToTell(t *testing.T) {
	f := newDeadFixture(t)
	ctx := context.Background()
	for _, m := range []store.OutboxMessage{f.staffPost, f.noCase, f.managers} {
		if err := f.desk.MessageDied(ctx, m, "slack: 500"); err != nil {
			t.Fatal(err)
		}
	}
	if ev := f.events(t, "delivery_failed"); len(ev) != 1 || !strings.Contains(ev[0].Body, "员工频道") {
		t.Fatalf("case events: %+v", ev)
	}
	if posts := f.threadPosts(t); len(posts) != 0 {
		t.Fatalf("a thread line about a dead thread post: %v", posts)
	}
	dead, err := f.desk.DeadMessages(ctx, 10)
	if err != nil || len(dead) != 3 {
		t.Fatalf("dead messages: %+v, %v", dead, err)
	}
	byID := map[int64]bot.DeadMessage{}
	for _, d := range dead {
		byID[d.ID] = d
	}
	if d := byID[f.staffPost.ID]; d.Case != f.c.Number || d.Recipient != f.c.Number || d.Text != "card" {
		t.Errorf("dead staff post: %+v", d)
	}
	if d := byID[f.noCase.ID]; d.Case != "" || d.Recipient != "••••" || d.Text != "您的货已发出" {
		t.Errorf("dead message without a case: %+v", d)
	}
}

// Sending a dead message again queues it from now, records who did it,
// wakes the sender, and works once.
func TestRetryDeadQueuesItOnce(t *testing.T) {
	f := newDeadFixture(t)
	ctx := context.Background()
	f.desk.MessageDied(ctx, f.customer, `telegram: Post "https://api.telegram.org/bot123456:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/sendMessage": EOF`)
	dead, _ := f.desk.DeadMessages(ctx, 10)
	if len(dead) != 1 || dead[0].Recipient != "42••••42" || strings.Contains(dead[0].Error, "AAAA") || dead[0].Case != f.c.Number {
		t.Fatalf("dead: %+v", dead)
	}
	f.woken = 0
	if err := f.desk.RetryDead(ctx, f.customer.ID, "小李"); err != nil {
		t.Fatal(err)
	}
	if m, _ := f.db.OutboxMessageByID(ctx, f.customer.ID); m.Status != "pending" || !m.RequeuedAt.Equal(f.desk.Now()) {
		t.Fatalf("requeued: %+v", m)
	}
	if ev := f.events(t, "delivery_retried"); len(ev) != 1 || ev[0].Actor != "小李" || !strings.Contains(ev[0].Body, "小李") {
		t.Fatalf("case events: %+v", ev)
	}
	if f.woken != 1 {
		t.Fatalf("sender woken %d times", f.woken)
	}
	if err := f.desk.RetryDead(ctx, f.customer.ID, "小李"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("retry of a pending message: %v", err)
	}
	if err := f.desk.RetryDead(ctx, 9999, "小李"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("retry of no message: %v", err)
	}
	if len(f.events(t, "delivery_retried")) != 1 {
		t.Fatal("a refused retry was recorded")
	}
}
