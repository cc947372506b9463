package conversations

import (
	"context"
	"strings"
	"testing"
	"time"
)

// idleChat is a chat on one channel with a clock the test moves.
type idleChat struct {
	t       *testing.T
	env     Env
	st      State
	channel string
}

func newIdleChat(t *testing.T, channel string) *idleChat {
	env := testEnv()
	env.Limits.VerifyIdle = 30 * time.Minute
	return &idleChat{t: t, env: env, st: State{Lang: En}, channel: channel}
}

func (c *idleChat) send(in Inbound) Reply {
	c.t.Helper()
	in.Channel, in.ChatID = c.channel, "c1"
	st, effects, err := Step(context.Background(), c.env, c.st, in)
	if err != nil {
		c.t.Fatalf("step %+v: %v", in, err)
	}
	c.st = st
	return lastReply(c.t, effects)
}

func (c *idleChat) wait(d time.Duration) { c.env.Now = c.env.Now.Add(d) }

func (c *idleChat) verify() {
	c.t.Helper()
	c.send(Inbound{Choice: choiceWhere})
	c.send(Inbound{Text: "SO-1001"})
	c.send(Inbound{Text: "1234"})
	if c.st.Verified == nil {
		c.t.Fatalf("not verified: %+v", c.st)
	}
}

var lapsedNotice = Plural(En, "verify.lapsed", 30, nil) + "\n" + T(En, "verify.ask_order")

// rule: ID-7
func TestWebVerificationLapsesAfterIdleTime(t *testing.T) {
	c := newIdleChat(t, ChannelWeb)
	c.verify()

	// 29 minutes of quiet: still verified, the orders are shown at once.
	c.wait(29 * time.Minute)
	if r := c.send(Inbound{Text: "where is my order"}); !hasButton(r, prefixOrder+"SO-1001") {
		t.Fatalf("after 29 minutes: %q", r.Text)
	}
	// That was activity: 29 more minutes are still within the idle time.
	c.wait(29 * time.Minute)
	if r := c.send(Inbound{Text: "/start"}); r.Text != T(En, "menu") || c.st.Verified == nil {
		t.Fatalf("29 minutes after the last message: %q, verified %v", r.Text, c.st.Verified)
	}

	// 31 minutes of quiet: the verification has lapsed, and the customer is
	// told why they are asked again.
	c.wait(31 * time.Minute)
	r := c.send(Inbound{Text: "where is my order"})
	if r.Text != lapsedNotice || c.st.Verified != nil {
		t.Fatalf("after 31 minutes: %q, verified %v", r.Text, c.st.Verified)
	}
	// Said once: verifying again works and the next request is answered.
	c.send(Inbound{Text: "SO-1001"})
	if r := c.send(Inbound{Text: "1234"}); !hasButton(r, prefixOrder+"SO-1001") || c.st.VerifyLapsed {
		t.Fatalf("verified again: %q %+v", r.Text, c.st)
	}
}

// rule: ID-7
func TestLapseIsSaidOnlyWhenSomethingNeedsVerification(t *testing.T) {
	c := newIdleChat(t, ChannelWeb)
	c.verify()
	c.wait(2 * time.Hour)
	if r := c.send(Inbound{Text: "/help"}); r.Text != T(En, "help") {
		t.Fatalf("help after the lapse: %q", r.Text)
	}
	if c.st.Verified != nil || !c.st.VerifyLapsed {
		t.Fatalf("lapse not recorded: %+v", c.st)
	}
	if r := c.send(Inbound{Text: "/status"}); r.Text != lapsedNotice {
		t.Fatalf("status after the lapse: %q", r.Text)
	}
	c.send(Inbound{Text: "/cancel"})
	if r := c.send(Inbound{Text: "/status"}); r.Text != T(En, "verify.ask_order") {
		t.Fatalf("the lapse was said twice: %q", r.Text)
	}
}

// rule: ID-7
func TestLapseDropsTheFlowThatNeededVerification(t *testing.T) {
	c := newIdleChat(t, ChannelWeb)
	c.verify()
	c.send(Inbound{Choice: choiceDamage})
	if c.st.Flow != flowDamage {
		t.Fatalf("damage flow not started: %+v", c.st)
	}
	c.wait(time.Hour)
	if r := c.send(Inbound{Choice: prefixAnswer + "SO-1001"}); r.Text != lapsedNotice {
		t.Fatalf("answer after the lapse: %q", r.Text)
	}
	if c.st.Draft != nil || c.st.Pending != flowDamage {
		t.Fatalf("the draft survived the lapse: %+v", c.st)
	}
	c.send(Inbound{Text: "SO-1001"})
	if r := c.send(Inbound{Text: "1234"}); c.st.Flow != flowDamage || !strings.Contains(r.Text, T(En, "q.order")) {
		t.Fatalf("the flow did not start over after verifying: %q %+v", r.Text, c.st)
	}
}

// Telegram runs on the customer's own phone: its verification does not
// lapse.
// rule: ID-7
func TestTelegramVerificationDoesNotLapse(t *testing.T) {
	c := newIdleChat(t, "telegram")
	c.verify()
	c.wait(5 * time.Hour)
	if r := c.send(Inbound{Text: "where is my order"}); !hasButton(r, prefixOrder+"SO-1001") || c.st.Verified == nil {
		t.Fatalf("telegram after 5 hours: %q", r.Text)
	}
}
