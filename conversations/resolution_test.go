package conversations

import (
	"context"
	"strings"
	"testing"
	"time"
)

// chatCases are the cases the test chats' resolution buttons may name.
var chatCases = map[string]ChatCase{
	"AS-20261124-0007": {Number: "AS-20261124-0007", Status: "resolved"},
	"AS-20261124-0008": {Number: "AS-20261124-0008", Status: "resolved", Confirmation: "confirmed"},
	"AS-20261120-0005": {Number: "AS-20261120-0005", Status: "resolved", Confirmation: "confirmed", CallBack: "sent"},
}

// ChatCase serves chatCases, as the store serves a chat's own cases.
func (m memLookup) ChatCase(_ context.Context, _, _, number string) (ChatCase, error) {
	if c, ok := chatCases[number]; ok {
		return c, nil
	}
	return ChatCase{}, ErrNotFound
}

// notice is a proactive start that only says a reply, as the desk sends
// the resolution notice and the call-back question: no flow is begun or left.
func notice(r func(Lang) Reply) Starter {
	return func(d *dialog) error {
		d.effects = append(d.effects, r(d.lang()))
		return nil
	}
}

func init() {
	resolved := notice(func(l Lang) Reply {
		return ResolutionNotice(l, "王芳", "AS-20261124-0007", "已为您更换桌腿，师傅周三已上门安装。")
	})
	scripts = append(scripts,
		script{name: "resolution-confirmed", who: wang(), begin: resolved,
			turns: []turn{press("resolved:yes:AS-20261124-0007")}},
		script{name: "resolution-not-yet-mid-flow", who: wang(), verify: true, begin: resolved,
			turns: []turn{press(choiceDamage), press("ans:SO-1001"), press("resolved:no:AS-20261124-0007"), press("ans:1"),
				press("resolved:yes:AS-20261124-0008"), press("resolved:yes:AS-20991231-9999")}},
		script{name: "callback-not-satisfied", who: wang(),
			begin: notice(func(l Lang) Reply { return CallBackQuestion(l, "AS-20261120-0005") }),
			turns: []turn{press("callback:bad:AS-20261120-0005")}},
		script{name: "handoff-acknowledged", verify: true, turns: []turn{press(choiceHuman), say("沙发还是坏的"),
			say("什么时候来修？"), photo("sofa")}},
	)
}

// A staff reply reaches the customer marked as from a person, with the
// case number, in the customer's language.
// rule: CAS-6
func TestStaffReplyIsMarkedAsFromAPerson(t *testing.T) {
	for _, tt := range []struct {
		lang        Lang
		staff, want string
	}{
		{ZhHans, "王芳", "【售后 王芳 · AS-20261124-0007】明天上午上门"},
		{ZhHant, "王芳", "【售後 王芳 · AS-20261124-0007】明天上午上门"},
		{En, "王芳", "[After-sales 王芳 · AS-20261124-0007] 明天上午上门"},
		{ZhHans, "", "【售后 · AS-20261124-0007】明天上午上门"},
		{ZhHans, "<@U123>", "【售后 · AS-20261124-0007】明天上午上门"},
	} {
		if got := StaffReply(tt.lang, tt.staff, "AS-20261124-0007", "明天上午上门"); got != tt.want {
			t.Errorf("%s %q: %q, want %q", tt.lang, tt.staff, got, tt.want)
		}
	}
}

// The outcome comes from the person who resolved, with the question and
// its two buttons; a resolve with no text still says it was handled.
// rule: CAS-2
func TestResolutionNotice(t *testing.T) {
	r := ResolutionNotice(En, "王芳", "AS-1", "")
	if !strings.HasPrefix(r.Text, "[After-sales 王芳 · AS-1] Your case has been handled.") || !strings.Contains(r.Text, "Is this solved for you?") {
		t.Errorf("text %q", r.Text)
	}
	if !hasButton(r, "resolved:yes:AS-1") || !hasButton(r, "resolved:no:AS-1") {
		t.Errorf("buttons %+v", r.Buttons)
	}
}

// rule: CAS-2
func TestResolutionAnswers(t *testing.T) {
	for _, tt := range []struct {
		name, data string
		want       *ResolutionAnswered
		reply      string
	}{
		{"yes", "resolved:yes:AS-20261124-0007", &ResolutionAnswered{CaseNumber: "AS-20261124-0007", Solved: true}, "Thank you for confirming"},
		{"not yet", "resolved:no:AS-20261124-0007", &ResolutionAnswered{CaseNumber: "AS-20261124-0007"}, "open again"},
		{"answered already", "resolved:no:AS-20261124-0008", nil, "already noted"},
		{"another customer's case", "resolved:yes:AS-20261124-9999", nil, "no longer valid"},
		{"a forged answer", "resolved:maybe:AS-20261124-0007", nil, "no longer valid"},
		{"no number", "resolved:yes", nil, "no longer valid"},
		{"a call-back answer to a case with none", "callback:good:AS-20261124-0007", nil, "already noted"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newChat(t, En)
			effects := c.send(Inbound{Choice: tt.data})
			got := lastEffect[ResolutionAnswered](effects)
			if a := lastEffect[CallBackAnswered](effects); a != nil {
				t.Errorf("call-back answered: %+v", *a)
			}
			if (got == nil) != (tt.want == nil) || got != nil && *got != *tt.want {
				t.Errorf("effect %+v, want %+v", got, tt.want)
			}
			if r := lastReply(t, effects); !strings.Contains(r.Text, tt.reply) {
				t.Errorf("reply %q, want %q in it", r.Text, tt.reply)
			}
		})
	}
}

// The answer leaves the flow the customer is in as it was.
// rule: CAS-2
func TestResolutionAnswerKeepsTheFlow(t *testing.T) {
	c := newChat(t, ZhHans)
	id := wang()
	c.st.Verified = &id
	c.choose(choiceDamage)
	before := c.st
	r := c.choose("resolved:no:AS-20261124-0007")
	if c.st.Flow != before.Flow || c.st.Step != before.Step || c.st.Flow == "" {
		t.Fatalf("flow %q step %q, was %q %q", c.st.Flow, c.st.Step, before.Flow, before.Step)
	}
	if !strings.Contains(r.Text, "继续刚才的步骤") {
		t.Errorf("reply %q", r.Text)
	}
}

// rule: CAS-3
func TestCallBackAnswers(t *testing.T) {
	c := newChat(t, ZhHans)
	effects := c.send(Inbound{Choice: "callback:bad:AS-20261120-0005"})
	found := false
	for _, e := range effects {
		if a, ok := e.(CallBackAnswered); ok && a == (CallBackAnswered{CaseNumber: "AS-20261120-0005", Answer: "bad"}) {
			found = true
		}
	}
	if !found {
		t.Fatalf("effects %+v", effects)
	}
	if r := lastReply(t, effects); !strings.Contains(r.Text, "AS-20261120-0005") {
		t.Errorf("reply %q", r.Text)
	}
	if r := c.choose("callback:great:AS-20261120-0005"); !strings.Contains(r.Text, "已失效") {
		t.Errorf("a forged answer: %q", r.Text)
	}
}

// During a handover every message goes to the thread, and the customer
// hears "received" at most once per HandoffAckEvery.
// rule: CAS-5
func TestHandoffAcknowledged(t *testing.T) {
	lk := transcriptLookup()
	c := newChat(t, ZhHans)
	c.env.Lookup = lk
	c.choose(choiceHuman)
	lk.handoff[":"] = "AS-20261124-0001"
	acks := func(effects []Effect) (n int, forwarded bool) {
		for _, e := range effects {
			switch e := e.(type) {
			case Reply:
				if e.Text == T(ZhHans, "handoff.ack") {
					n++
				}
			case Forward:
				forwarded = true
			}
		}
		return n, forwarded
	}
	for i, tt := range []struct {
		after time.Duration
		ack   int
	}{{0, 1}, {time.Minute, 0}, {8 * time.Minute, 0}, {2 * time.Minute, 1}, {time.Second, 0}} {
		c.env.Now = c.env.Now.Add(tt.after)
		n, fwd := acks(c.send(Inbound{Text: "还在吗"}))
		if !fwd || n != tt.ack {
			t.Errorf("message %d: forwarded %v, %d acks, want %d", i, fwd, n, tt.ack)
		}
	}
	// A new handover acknowledges its first message again.
	c.send(Inbound{Text: "/cancel"})
	c.choose(choiceHuman)
	if n, _ := acks(c.send(Inbound{Text: "你好"})); n != 1 {
		t.Errorf("a new handover: %d acks", n)
	}
}

// rule: CAS-5
func TestHandoffEndedNotice(t *testing.T) {
	r := HandoffEndedNotice(En, "AS-1")
	if !strings.Contains(r.Text, "AS-1") || !hasButton(r, choiceHuman) || !hasButton(r, choiceDamage) {
		t.Errorf("notice %+v", r)
	}
}
