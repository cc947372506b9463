package bot

import (
	"context"
	"strings"
	"testing"
	"time"

	"frontdesk/conversations"
	"frontdesk/internal/dialogstate"
)

// rule: ID-6
func TestVerificationFailuresCountAcrossChatsAndRestarts(t *testing.T) {
	clock := newClock()
	db := openStore(t)
	seedOrders(t, db, clock.Now())
	desk := newDesk(t, db, dialogstate.NewRedis(testRedis(t), testPrefix(t), time.Hour), clock)
	ctx := context.Background()
	send := func(d *Desk, chat string, ins ...conversations.Inbound) {
		t.Helper()
		for _, in := range ins {
			in.Channel, in.ChatID = "web", chat
			if err := d.Handle(ctx, in); err != nil {
				t.Fatal(err)
			}
		}
	}
	guess := func(d *Desk, chat, digits string) {
		send(d, chat, conversations.Inbound{Choice: "menu:where"}, conversations.Inbound{Text: "SO-1001"}, conversations.Inbound{Text: digits})
	}
	// The customer herself is verified in one chat.
	guess(desk, "owner", "1234")

	// An attacker rotates sessions: two guesses in each of two chats …
	for i, chat := range []string{"a1", "a1", "a2", "a2"} {
		guess(desk, chat, []string{"0001", "0002", "0003", "0004"}[i])
	}
	// … and after a restart (a new desk, a Redis that forgot everything) a
	// third chat gets one try, whose failure locks the order.
	restarted := newDesk(t, db, dialogstate.NewRedis(testRedis(t), testPrefix(t), time.Hour), clock)
	guess(restarted, "a3", "0005")
	log := chatLog(t, db, "web", "a3")
	if last := log[len(log)-1].Text; !strings.Contains(last, conversations.T(conversations.ZhHans, "verify.locked", conversations.Args{"Count": 15})[:12]) {
		t.Fatalf("the fifth failure across chats did not lock: %q", last)
	}
	// The right digits in yet another chat are refused during the lock.
	guess(restarted, "a4", "1234")
	log = chatLog(t, db, "web", "a4")
	if last := log[len(log)-1].Text; strings.Contains(last, "DB123") {
		t.Fatalf("verified during the lock: %q", last)
	}
	// The customer's own chat was told, once, that someone tried.
	var told int
	for _, m := range chatLog(t, db, "web", "owner") {
		if strings.Contains(m.Text, "SO-1001") && strings.Contains(m.Text, "锁定") {
			told++
		}
	}
	if told != 1 {
		t.Fatalf("the customer's chat was told %d times", told)
	}
	// After the cool-down the order opens again.
	clock.Advance(16 * time.Minute)
	guess(restarted, "owner2", "1234")
	log = chatLog(t, db, "web", "owner2")
	if last := log[len(log)-1].Text; !strings.Contains(last, "DB123") {
		t.Fatalf("not verified after the cool-down: %q", last)
	}
}
