package cases

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"frontdesk/config"
)

// moneyCase is a damage case whose customer asked for money in the chat.
func moneyCase(kind config.CaseKind) Case {
	c := newCase()
	c.Kind = kind
	c.Details[askedForMoney] = "yes"
	return c
}

// approvalRow is one step of a money remedy: the action, who takes it, and
// what must come of it.
type approvalRow struct {
	name    string
	before  func(*Case)
	action  Action
	by      Actor
	wantErr Code
	check   func(t *testing.T, c Case, e []Effect)
}

// rule: APR-1, APR-2, WAL-6
func TestMoneyRemedies(t *testing.T) {
	rows := []approvalRow{
		// APR-1, WAL-6: wallpaper is counted in rolls; the clerk grants one to three alone.
		{name: "three rolls of wallpaper by the clerk", action: Action{Verb: Remedy, Value: Compensation, Rolls: 3, Wallpaper: true}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Remedy == "compensation 3 rolls (decided by 小王)" && c.Details[approvalState] == "", c)
				if g := want[Grant](t, e); g.Rolls != 3 || g.Yuan != 0 || g.By != "小王" {
					t.Errorf("grant %+v", g)
				}
				if m := want[TellCustomer](t, e); m.Key != "approval.customer.rolls" || m.Args["Rolls"] != "3" || m.Args["Case"] != c.Number {
					t.Errorf("customer told %+v", m)
				}
				wantNo[AskApproval](t, e)
			}},
		{name: "four rolls go to the supervisor and the duty manager", action: Action{Verb: Remedy, Value: Compensation, Rolls: 4, Wallpaper: true}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Remedy == "compensation 4 rolls awaiting manager approval" && c.Details[approvalNeeds] == "supervisor,duty_manager" &&
					c.Details[approvalRolls] == "4" && c.Details[approvalAskedBy] == "小王", c)
				if a := want[AskApproval](t, e); !strings.Contains(a.Text, "4 rolls") || !strings.Contains(a.Text, "3 rolls") {
					t.Errorf("managers asked %q", a.Text)
				}
				wantNo[Grant](t, e)
				wantNo[TellCustomer](t, e)
			}},
		{name: "five rolls above a configured limit of four", before: nil, action: Action{Verb: Remedy, Value: Compensation, Rolls: 5, Wallpaper: true}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) { wantCase(t, c.Details[approvalState] == "pending", c) }},
		{name: "wallpaper in yuan", action: Action{Verb: Remedy, Value: Compensation, AmountYuan: 100, Wallpaper: true}, by: clerk, wantErr: Invalid},
		{name: "wallpaper without rolls", action: Action{Verb: Remedy, Value: Compensation, Wallpaper: true}, by: clerk, wantErr: Invalid},
		{name: "rolls for a sofa", action: Action{Verb: Remedy, Value: Compensation, Rolls: 2}, by: clerk, wantErr: Invalid},
		// APR-2: an advance on a product dispute, at most half of the claim.
		{name: "an advance of half the claim", before: func(c *Case) { c.Kind = config.KindQualityDefect },
			action: Action{Verb: Remedy, Value: Advance, AmountYuan: 400, ClaimYuan: 800}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Remedy == "advance ¥400 on a ¥800 claim (decided by 小王)", c)
				if g := want[Grant](t, e); g.Kind != Advance || g.Yuan != 400 {
					t.Errorf("grant %+v", g)
				}
			}},
		{name: "an advance above half the claim", before: func(c *Case) { c.Kind = config.KindQualityDefect },
			action: Action{Verb: Remedy, Value: Advance, AmountYuan: 401, ClaimYuan: 800}, by: clerk, wantErr: Invalid},
		{name: "an advance without a claim", before: func(c *Case) { c.Kind = config.KindQualityDefect },
			action: Action{Verb: Remedy, Value: Advance, AmountYuan: 100}, by: clerk, wantErr: Invalid},
		{name: "an advance on a transport damage", action: Action{Verb: Remedy, Value: Advance, AmountYuan: 100, ClaimYuan: 1000}, by: clerk, wantErr: Invalid},
		{name: "a big advance needs approval too", before: func(c *Case) { c.Kind = config.KindComplaint },
			action: Action{Verb: Remedy, Value: Advance, AmountYuan: 2000, ClaimYuan: 5000}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Remedy == "advance ¥2000 on a ¥5000 claim awaiting manager approval" && c.Details[approvalClaim] == "5000", c)
			}},
		// APR-1: a reject needs a reason; the clerk is told, the customer hears the result only.
		{name: "a reject without a reason", before: pending, action: Action{Verb: Reject, Value: "  "}, by: super, wantErr: Invalid},
		{name: "a reject with a reason", before: pending, action: Action{Verb: Reject, Value: "先上门维修"}, by: super,
			check: func(t *testing.T, c Case, e []Effect) {
				state, who, at := Decided(c)
				wantCase(t, state == "rejected" && who == "李主管" && at.Equal(now), c)
				if m := want[ToClerk](t, e); m.Clerk != "小王" || !strings.Contains(m.Text, "先上门维修") {
					t.Errorf("clerk told %+v", m)
				}
				m := want[TellCustomer](t, e)
				if m.Key != "approval.customer.declined" || strings.Contains(m.Args["Reason"], "维修") || len(m.Args) != 1 {
					t.Errorf("the customer hears the deliberation: %+v", m)
				}
				wantNo[Grant](t, e)
			}},
		{name: "the approval completes: who and when, the grant, the result", before: func(c *Case) { pending(c); c.Details[approvalGiven] = "supervisor:李主管" },
			action: Action{Verb: Approve}, by: duty,
			check: func(t *testing.T, c Case, e []Effect) {
				state, who, at := Decided(c)
				wantCase(t, state == "approved" && who == "李主管 and 张经理" && at.Equal(now), c)
				if g := want[Grant](t, e); g.Yuan != 800 || g.By != "李主管 and 张经理" {
					t.Errorf("grant %+v", g)
				}
				if m := want[TellCustomer](t, e); m.Key != "approval.customer.yuan" || m.Args["Amount"] != "800" {
					t.Errorf("customer told %+v", m)
				}
			}},
		{name: "a partial approval tells the customer nothing", before: pending, action: Action{Verb: Approve}, by: super,
			check: func(t *testing.T, c Case, e []Effect) {
				wantNo[TellCustomer](t, e)
				wantNo[Grant](t, e)
			}},
		{name: "a clerk cannot reject", before: pending, action: Action{Verb: Reject, Value: "no"}, by: clerk, wantErr: Forbidden},
		{name: "an admin cannot approve", before: pending, action: Action{Verb: Approve}, by: Actor{Name: "root", Role: Admin}, wantErr: Forbidden},
	}
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			c := moneyCase(config.KindTransportDamage)
			if tt.before != nil {
				tt.before(&c)
				c.Details[askedForMoney] = "yes"
			}
			p := policy()
			if tt.name == "five rolls above a configured limit of four" {
				p.ClerkLimitRolls = 4
			}
			if got, effects, ok := decideRow(t, c, tt.action, tt.by, p, tt.wantErr); ok {
				tt.check(t, got, effects)
			}
		})
	}
}

// The refusals say what is wrong in words the clerk can act on.
// rule: APR-2
func TestAdvanceRefusalNamesTheCap(t *testing.T) {
	c := moneyCase(config.KindQualityDefect)
	_, _, err := Decide(c, Action{Verb: Remedy, Value: Advance, AmountYuan: 600, ClaimYuan: 1000}, clerk, now, policy())
	if msg := ErrorMessage(err); !strings.Contains(msg, "50%") || !strings.Contains(msg, "at most ¥500") {
		t.Fatalf("refusal %q", msg)
	}
	_, _, err = Decide(pendingCase(), Action{Verb: Reject}, super, now, policy())
	if msg := ErrorMessage(err); !strings.Contains(msg, "reason") {
		t.Fatalf("reject without a reason: %q", msg)
	}
}

// APR-3: money the shop decides on reaches the customer only when the
// customer asked for it; a clerk's compensation on a case whose customer
// never asked tells the customer nothing.
// rule: APR-3
func TestMoneyIsNeverOfferedToACustomerWhoDidNotAsk(t *testing.T) {
	c := newCase() // no compensation_requested
	for _, a := range []Action{{Verb: Remedy, Value: Compensation, AmountYuan: 100},
		{Verb: Remedy, Value: Compensation, AmountYuan: 900}} {
		_, effects, err := Decide(c, a, clerk, now, policy())
		if err != nil {
			t.Fatal(err)
		}
		wantNo[TellCustomer](t, effects)
		wantNo[ToCustomer](t, effects)
	}
	p := pendingCase()
	delete(p.Details, askedForMoney)
	for _, by := range []Actor{gm} {
		_, effects, err := Decide(p, Action{Verb: Approve}, by, now, policy())
		if err != nil {
			t.Fatal(err)
		}
		wantNo[TellCustomer](t, effects)
	}
	// A phone case has no chat: nothing to tell either.
	phone := pendingCase()
	phone.Channel, phone.ChatID = "", ""
	_, effects, _ := Decide(phone, Action{Verb: Approve}, gm, now, policy())
	wantNo[TellCustomer](t, effects)
}

// rule: APR-1
func TestPendingApproval(t *testing.T) {
	if _, ok := PendingApproval(newCase()); ok {
		t.Fatal("nothing is pending on a new case")
	}
	c, _, err := Decide(moneyCase(config.KindQualityDefect), Action{Verb: Remedy, Value: Compensation, Rolls: 6, Wallpaper: true}, clerk, now, policy())
	if err != nil {
		t.Fatal(err)
	}
	p, ok := PendingApproval(c)
	if !ok || p.Rolls != 6 || p.Yuan != 0 || p.AskedBy != "小王" || !reflect.DeepEqual(p.Waiting, []Role{Supervisor, DutyManager, GeneralManager}) {
		t.Fatalf("pending %+v", p)
	}
	c, _, _ = Decide(c, Action{Verb: Approve}, super, now.Add(time.Minute), policy())
	if state, who, _ := Decided(c); state != "pending" || who != "" {
		t.Fatalf("decided after one approval: %s by %s", state, who)
	}
}

func pendingCase() Case {
	c := moneyCase(config.KindTransportDamage)
	pending(&c)
	return c
}
