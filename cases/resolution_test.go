package cases

import (
	"slices"
	"strings"
	"testing"
	"time"

	"frontdesk/config"
)

// resolutionPolicy is the test policy with the clocks of config.Default and
// a call-back a day after the resolve.
func resolutionPolicy() Policy {
	p := policy()
	cfg := testConfig()
	p.Clocks = cfg.ClocksFor
	p.CallBackAfter = 24 * time.Hour
	return p
}

func withRootCause(c *Case) { c.Cause, c.Action = "搬运时磕碰", "更换桌腿并补漆" }

// asRecordedComplaint makes c a complaint with who was responsible and the
// prevention step recorded (CMP-5), so that it may be resolved.
func asRecordedComplaint(c *Case) {
	c.Kind = config.KindComplaint
	c.Details[string(Responsible)], c.Details[string(Prevention)] = "送货班组", "送货前电话确认"
}

func TestResolutionLoop(t *testing.T) {
	runTransitions(t, []transition{
		// rule: CAS-1
		{name: "damage without cause or action is not resolved", rule: "CAS-1", action: Action{Verb: Resolve, Value: "已处理"},
			by: clerk, wantErr: Invalid},
		// rule: CAS-1
		{name: "quality defect with a cause but no action", rule: "CAS-1",
			before: func(c *Case) { c.Kind, c.Cause = config.KindQualityDefect, "胶合不良" },
			action: Action{Verb: Resolve}, by: clerk, wantErr: Invalid},
		// rule: CAS-1
		{name: "repair with an action but no cause", rule: "CAS-1",
			before: func(c *Case) { c.Kind, c.Action = config.KindRepair, "更换合页" }, action: Action{Verb: Resolve}, by: clerk, wantErr: Invalid},
		// rule: CAS-1
		{name: "blank cause counts as none", rule: "CAS-1", before: func(c *Case) { withRootCause(c); c.Cause = "  " },
			action: Action{Verb: Resolve}, by: clerk, wantErr: Invalid},
		// rule: CAS-1
		{name: "damage with fault, cause and action resolves", rule: "CAS-1", before: withRootCause,
			action: Action{Verb: Resolve, Value: "已更换桌腿"}, by: clerk, check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Status == Resolved, c)
				wantRecord(t, e, config.EvResolved, "已更换桌腿")
			}},
		// rule: CAS-1
		{name: "an inquiry needs no root cause", rule: "CAS-1", before: func(c *Case) { c.Kind = config.KindInquiry },
			action: Action{Verb: Resolve, Value: "已答复"}, by: clerk, check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Status == Resolved, c)
			}},
		// rule: CAS-1
		{name: "a complaint is not held to the damage rule", rule: "CAS-1", before: asRecordedComplaint,
			action: Action{Verb: Resolve, Value: "已道歉并处理"}, by: clerk, check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Status == Resolved, c)
			}},
		// rule: CAS-2
		{name: "resolve asks the customer to confirm the outcome", rule: "CAS-2", before: withRootCause,
			action: Action{Verb: Resolve, Value: "  已为您更换桌腿  "}, by: clerk, check: func(t *testing.T, c Case, e []Effect) {
				if a := want[AskConfirmation](t, e); a.Outcome != "已为您更换桌腿" {
					t.Errorf("outcome %q", a.Outcome)
				}
			}},
		// rule: CAS-2
		{name: "a case with no chat asks nobody", rule: "CAS-2",
			before: func(c *Case) { withRootCause(c); c.Channel, c.ChatID = "", "" },
			action: Action{Verb: Resolve}, by: clerk, check: func(t *testing.T, c Case, e []Effect) { wantNo[AskConfirmation](t, e) }},
		// rule: CAS-2
		{name: "a new resolve asks again", rule: "CAS-2",
			before: func(c *Case) { withRootCause(c); c.Details[DetailConfirmation] = "not_solved" },
			action: Action{Verb: Resolve}, by: clerk, check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Details[DetailConfirmation] == "", c)
				want[AskConfirmation](t, e)
			}},
		// rule: CAS-2
		{name: "the customer confirms: 顾客确认", rule: "CAS-2", before: resolved, action: Action{Verb: CustomerConfirm},
			by: Actor{Name: "customer", Role: Customer}, check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Status == Resolved && c.Details[DetailConfirmation] == "confirmed", c)
				wantRecord(t, e, EvCustomerConfirmed, "")
				wantNo[ToThread](t, e)
				wantNo[RestartClock](t, e)
			}},
		// rule: CAS-2, CAS-4
		{name: "not yet reopens and calls on the assignee", rule: "CAS-2",
			before: func(c *Case) { resolved(c); c.Assignee = "<@U1>" }, action: Action{Verb: CustomerNotSolved},
			by: Actor{Name: "customer", Role: Customer}, check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Status == Claimed && c.ResolvedAt.IsZero() && c.Details[DetailConfirmation] == "not_solved", c)
				wantRecord(t, e, EvCustomerNotSolved, "")
				th := want[ToThread](t, e)
				if !slices.Equal(th.Mentions, []string{"<@U1>"}) || !strings.HasPrefix(th.Text, "🔁 <@U1>") {
					t.Errorf("thread %+v", th)
				}
				wantClocksOf(t, c, e)
			}},
		// rule: CAS-2
		{name: "not yet with nobody assigned calls the channel", rule: "CAS-2", before: resolved,
			action: Action{Verb: CustomerNotSolved}, by: Actor{Name: "customer", Role: Customer},
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Status == Open, c)
				if th := want[ToThread](t, e); !slices.Equal(th.Mentions, []string{"<!channel>"}) {
					t.Errorf("thread %+v", th)
				}
			}},
		// rule: CAS-2
		{name: "a second answer is refused", rule: "CAS-2",
			before: func(c *Case) { resolved(c); c.Details[DetailConfirmation] = "confirmed" },
			action: Action{Verb: CustomerNotSolved}, by: Actor{Name: "customer", Role: Customer}, wantErr: Conflict},
		// rule: CAS-2
		{name: "an answer on an open case is refused", rule: "CAS-2", action: Action{Verb: CustomerConfirm},
			by: Actor{Name: "customer", Role: Customer}, wantErr: Conflict},
		// rule: CAS-2
		{name: "staff cannot answer for the customer", rule: "CAS-2", before: resolved, action: Action{Verb: CustomerConfirm},
			by: clerk, wantErr: Forbidden},
		// rule: CAS-2
		{name: "the customer role takes no staff verb", rule: "CAS-2", before: resolved, action: Action{Verb: Reopen},
			by: Actor{Name: "customer", Role: Customer}, wantErr: Forbidden},
		// rule: CAS-4
		{name: "a staff reopen runs the clocks again from the reopen", rule: "CAS-4",
			before: func(c *Case) { resolved(c); c.Kind = config.KindRepair }, action: Action{Verb: Reopen, Value: "又坏了"}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantRecord(t, e, "reopened", "又坏了")
				wantClocksOf(t, c, e)
			}},
		// rule: CAS-3
		{name: "a repair books its call-back", rule: "CAS-3", before: func(c *Case) { withRootCause(c); c.Kind = config.KindRepair },
			action: Action{Verb: Resolve, Value: "修好了"}, by: clerk, check: func(t *testing.T, c Case, e []Effect) {
				if k := want[ScheduleCallBack](t, e); !k.Due.Equal(now.Add(24 * time.Hour)) {
					t.Errorf("call-back due %v", k.Due)
				}
				wantCase(t, c.Details[DetailCallBack] == "due 2026-11-25 10:00", c)
			}},
		// rule: CAS-3
		{name: "a return books its call-back", rule: "CAS-3", before: func(c *Case) { c.Kind = config.KindReturnExchange },
			action: Action{Verb: Resolve}, by: clerk, check: func(t *testing.T, c Case, e []Effect) { want[ScheduleCallBack](t, e) }},
		// rule: CAS-3
		{name: "a complaint books its call-back", rule: "CAS-3", before: asRecordedComplaint,
			action: Action{Verb: Resolve}, by: clerk, check: func(t *testing.T, c Case, e []Effect) { want[ScheduleCallBack](t, e) }},
		// rule: CAS-3
		{name: "damage remedied with parts books its call-back", rule: "CAS-3",
			before: func(c *Case) { withRootCause(c); c.Remedy = "replacement_parts" },
			action: Action{Verb: Resolve}, by: clerk, check: func(t *testing.T, c Case, e []Effect) { want[ScheduleCallBack](t, e) }},
		// rule: CAS-3
		{name: "an inquiry books none", rule: "CAS-3", before: func(c *Case) { c.Kind = config.KindInquiry },
			action: Action{Verb: Resolve}, by: clerk, check: func(t *testing.T, c Case, e []Effect) {
				wantNo[ScheduleCallBack](t, e)
				wantCase(t, c.Details[DetailCallBack] == "", c)
			}},
		// rule: CAS-3
		{name: "staff record the call-back", rule: "CAS-3", before: func(c *Case) { resolved(c); c.Details[DetailCallBack] = "due x" },
			action: Action{Verb: CallBack, Value: "已回访，客户满意"}, by: clerk, check: func(t *testing.T, c Case, e []Effect) {
				wantRecord(t, e, EvCallBackDone, "已回访，客户满意")
				wantCase(t, c.Details[DetailCallBack] == "done", c)
				want[CallBackDone](t, e)
			}},
		// rule: CAS-3
		{name: "a call-back with no text", rule: "CAS-3", before: func(c *Case) { c.Details[DetailCallBack] = "due x" },
			action: Action{Verb: CallBack, Value: " "}, by: clerk, wantErr: Invalid},
		// rule: CAS-3
		{name: "a call-back nobody booked", rule: "CAS-3", action: Action{Verb: CallBack, Value: "called"}, by: clerk, wantErr: Conflict},
		// rule: CAS-5
		{name: "staff end a handover", rule: "CAS-5", before: func(c *Case) { c.Kind = config.KindInquiry },
			action: Action{Verb: EndHandoff}, by: clerk, check: func(t *testing.T, c Case, e []Effect) {
				wantRecord(t, e, EvHandoffEnded, "")
				want[TellHandoffEnded](t, e)
				wantCase(t, c.Details[DetailHandoff] == "ended" && c.Status == Open, c)
			}},
		// rule: CAS-5
		{name: "a handover ends once", rule: "CAS-5",
			before: func(c *Case) { c.Kind = config.KindInquiry; c.Details[DetailHandoff] = "ended" },
			action: Action{Verb: EndHandoff}, by: clerk, wantErr: Conflict},
		// rule: CAS-5
		{name: "a damage case is no handover", rule: "CAS-5", action: Action{Verb: EndHandoff}, by: clerk, wantErr: Conflict},
		// rule: CAS-5
		{name: "a phone case has no chat to hand back", rule: "CAS-5",
			before: func(c *Case) { c.Kind = config.KindInquiry; c.Channel, c.ChatID = "", "" },
			action: Action{Verb: EndHandoff}, by: clerk, wantErr: Conflict},
	}, resolutionPolicy())
}

// wantClocksOf checks that the effects restart every clock of the case's
// kind, counted from now, as for a new case (CAS-4).
func wantClocksOf(t *testing.T, c Case, e []Effect) {
	t.Helper()
	cfg := testConfig()
	specs := cfg.ClocksFor(string(c.Kind), now)
	var got []RestartClock
	for _, x := range e {
		if k, ok := x.(RestartClock); ok {
			got = append(got, k)
		}
	}
	if len(got) != len(specs) || len(specs) == 0 {
		t.Fatalf("clocks %+v, want the %d of a new %s case", got, len(specs), c.Kind)
	}
	for i, s := range specs {
		k := got[i]
		if k.Name != s.Name || !k.StartedAt.Equal(now) || !k.Due.Equal(s.Due) || !k.FarDue.Equal(s.FarDue) || !slices.Equal(k.StopOn, s.StopOn) {
			t.Errorf("clock %d = %+v, want %+v from %v", i, k, s, now)
		}
	}
}

// CAS-1's message names what is missing, so the clerk knows what to record.
// rule: CAS-1
func TestResolveNamesWhatIsMissing(t *testing.T) {
	c := newCase()
	c.Cause = "搬运时磕碰"
	_, _, err := Decide(c, Action{Verb: Resolve}, clerk, now, resolutionPolicy())
	msg := ErrorMessage(err)
	if !strings.Contains(msg, "the action taken") || strings.Contains(msg, "the cause") || !strings.Contains(msg, c.Number) {
		t.Fatalf("message %q", msg)
	}
}

func testConfig() *config.Config {
	cfg := config.Default()
	if err := cfg.Calendar.Compile(); err != nil {
		panic(err)
	}
	return &cfg
}
