package bot_test

import (
	"strings"
	"testing"
	"time"

	"frontdesk/conversations"
	"frontdesk/internal/dialogstate"
	"frontdesk/internal/testkit"
)

// rule: ID-6
func TestVerificationFailuresCountAcrossChatsAndRestarts(t *testing.T) {
	desk := testkit.NewDesk(t, testkit.WithRedis())
	desk.Seed().Orders()
	guess := func(d *testkit.Desk, chat, digits string) {
		t.Helper()
		d.Say("web", chat, conversations.Inbound{Choice: "menu:where"}, conversations.Inbound{Text: "SO-1001"}, conversations.Inbound{Text: digits})
	}
	last := func(chat string) string {
		texts := desk.Texts("web", chat)
		return texts[len(texts)-1]
	}
	// The customer herself is verified in one chat.
	guess(desk, "owner", "1234")

	// An attacker rotates sessions: two guesses in each of two chats …
	for i, chat := range []string{"a1", "a1", "a2", "a2"} {
		guess(desk, chat, []string{"0001", "0002", "0003", "0004"}[i])
	}
	// … and after a restart (a new desk, a Redis that forgot everything) a
	// third chat gets one try, whose failure locks the order.
	restarted := testkit.NewDesk(t, testkit.WithStore(desk.Store), testkit.WithClock(desk.Clock),
		testkit.WithState(dialogstate.NewRedis(testkit.Redis(t), testkit.RedisPrefix(t), time.Hour)))
	guess(restarted, "a3", "0005")
	locked := conversations.Plural(conversations.ZhHans, "verify.locked", 15, nil)
	if got := last("a3"); got != locked {
		t.Fatalf("the fifth failure across chats did not lock: %q", got)
	}
	// The right digits in yet another chat are refused during the lock.
	guess(restarted, "a4", "1234")
	if got := last("a4"); strings.Contains(got, "DB123") {
		t.Fatalf("verified during the lock: %q", got)
	}
	// The customer's own chat was told, once, that someone tried.
	told := testkit.Count(desk.Texts("web", "owner"), conversations.T(conversations.ZhHans, "verify.someone_tried", conversations.Args{"Order": "SO-1001"}))
	if told != 1 {
		t.Fatalf("the customer's chat was told %d times", told)
	}
	// After the cool-down the order opens again.
	desk.Clock.Advance(16 * time.Minute)
	guess(restarted, "owner2", "1234")
	if got := last("owner2"); !strings.Contains(got, "DB123") {
		t.Fatalf("not verified after the cool-down: %q", got)
	}
}
