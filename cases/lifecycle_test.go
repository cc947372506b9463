package cases

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"frontdesk/config"
)

var (
	shanghai = time.FixedZone("CST", 8*3600)
	now      = time.Date(2026, 11, 24, 10, 0, 0, 0, shanghai)
	clerk    = Actor{Name: "小王", Role: Clerk}
	super    = Actor{Name: "李主管", Role: Supervisor}
	duty     = Actor{Name: "张经理", Role: DutyManager}
	gm       = Actor{Name: "陈总", Role: GeneralManager}
	sched    = Actor{Name: "scheduler", Role: System}
)

func policy() Policy {
	p := DefaultPolicy()
	p.Location = shanghai
	return p
}

func newCase() Case {
	return Case{ID: 7, Number: "AS-20261124-0001", Kind: config.KindTransportDamage, OrderNo: "SO-1001",
		CustomerName: "王女士", Channel: "web", ChatID: "c1", Status: Open, Severity: Normal,
		Details: map[string]string{"found_at": "home"}}
}

// transition is one row of the table: a case, an action by someone, and
// what must come of it.
type transition struct {
	name    string
	rule    string // the rule the row proves
	before  func(*Case)
	action  Action
	by      Actor
	check   func(t *testing.T, c Case, effects []Effect)
	wantErr Code
}

func TestDecide(t *testing.T) {
	// rule: MGR-4 — every decision leaves a line of history first
	// (runTransitions checks it on every row).
	runTransitions(t, transitions(), policy())
}

func transitions() []transition {
	return []transition{
		// rule: STF-4
		{name: "claim", rule: "STF-4", action: Action{Verb: Claim}, by: clerk, check: func(t *testing.T, c Case, e []Effect) {
			wantCase(t, c.Assignee == "小王" && c.Status == Claimed, c)
			wantRecord(t, e, config.EvClaim, "小王")
		}},
		// rule: STF-4
		{name: "assign to a colleague", rule: "STF-4", action: Action{Verb: Assign, Value: " 小李 "}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Assignee == "小李" && c.Status == Claimed, c)
				wantRecord(t, e, "assigned", "小李")
			}},
		{name: "assign to nobody", rule: "STF-4", action: Action{Verb: Assign, Value: "  "}, by: clerk, wantErr: Invalid},
		// rule: DMG-5
		{name: "classify overrides the triage and says so", rule: "DMG-5", action: Action{Verb: Classify, Value: "quality_defect"}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Kind == config.KindQualityDefect && strings.Contains(c.Classification, "the bot said transport_damage"), c)
				wantRecord(t, e, "classified", "override of the bot's triage: transport_damage → quality_defect")
			}},
		{name: "classify as nonsense", rule: "DMG-5", action: Action{Verb: Classify, Value: "toys"}, by: clerk, wantErr: Invalid},
		// rule: DMG-8
		{name: "remedy from the ladder", rule: "DMG-8", action: Action{Verb: Remedy, Value: "onsite_repair"}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Remedy == "onsite_repair", c)
				wantRecord(t, e, config.EvRemedy, "onsite_repair")
			}},
		{name: "remedy off the ladder", rule: "DMG-8", action: Action{Verb: Remedy, Value: "free_sofa"}, by: clerk, wantErr: Invalid},
		// rule: DMG-9
		{name: "compensation within the clerk's limit", rule: "DMG-9", action: Action{Verb: Remedy, Value: Compensation, AmountYuan: 500}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Remedy == "compensation ¥500 (decided by 小王)" && c.Details[approvalState] == "", c)
				wantNo[ToManagers](t, e)
			}},
		// rule: DMG-9
		// rule: APR-1
		{name: "compensation above the limit waits for the managers", rule: "APR-1", action: Action{Verb: Remedy, Value: Compensation, AmountYuan: 800}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Remedy == "compensation ¥800 awaiting manager approval" && c.Details[approvalState] == "pending" &&
					c.Details[approvalNeeds] == "supervisor,duty_manager", c)
				m := want[AskApproval](t, e)
				if !strings.Contains(m.Text, "Approval needed") || !strings.Contains(m.Text, "¥800") {
					t.Errorf("managers told %q", m.Text)
				}
			}},
		// rule: DMG-10
		{name: "compensation on a major case is for the general manager", rule: "DMG-10",
			before: func(c *Case) { c.Severity = Major }, action: Action{Verb: Remedy, Value: Compensation, AmountYuan: 100}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Remedy == "compensation ¥100 awaiting general manager approval" && c.Details[approvalNeeds] == "general_manager", c)
			}},
		{name: "compensation of nothing", rule: "DMG-9", action: Action{Verb: Remedy, Value: Compensation, AmountYuan: 0}, by: clerk, wantErr: Invalid},
		{name: "compensation of a fortune", rule: "DMG-9", action: Action{Verb: Remedy, Value: Compensation, AmountYuan: 1_000_001}, by: clerk, wantErr: Invalid},
		// rule: APR-1
		// rule: STF-1
		{name: "a clerk cannot approve", rule: "STF-1", before: pending, action: Action{Verb: Approve}, by: clerk, wantErr: Forbidden},
		// rule: APR-1
		{name: "the supervisor approves first", rule: "APR-1", before: pending, action: Action{Verb: Approve}, by: super,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Details[approvalState] == "pending" && c.Details[approvalGiven] == "supervisor:李主管", c)
				if th := want[ToClerk](t, e); !strings.Contains(th.Text, "still needed: duty manager") {
					t.Errorf("the clerk is told %q", th.Text)
				}
			}},
		// rule: APR-1
		{name: "the duty manager completes the approval", rule: "APR-1",
			before: func(c *Case) { pending(c); c.Details[approvalGiven] = "supervisor:李主管" },
			action: Action{Verb: Approve}, by: duty, check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Details[approvalState] == "approved" && c.Remedy == "compensation ¥800 (approved by 李主管 and 张经理)", c)
				wantRecord(t, e, "approved", c.Remedy)
				if th := want[ToClerk](t, e); th.Clerk != "小王" || !strings.Contains(th.Text, "李主管 and 张经理") {
					t.Errorf("the clerk is told %+v, want 小王 told of both approvers", th)
				}
			}},
		{name: "the same role approves twice", rule: "APR-1",
			before: func(c *Case) { pending(c); c.Details[approvalGiven] = "supervisor:李主管" },
			action: Action{Verb: Approve}, by: Actor{Name: "另一个主管", Role: Supervisor}, wantErr: Conflict},
		// rule: APR-1
		{name: "the general manager stands in for both", rule: "APR-1", before: pending, action: Action{Verb: Approve}, by: gm,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Details[approvalState] == "approved" && c.Remedy == "compensation ¥800 (approved by 陈总)", c)
			}},
		// rule: APR-1
		{name: "one reject ends it", rule: "APR-1", before: pending, action: Action{Verb: Reject, Value: "repair instead"}, by: duty,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Details[approvalState] == "rejected" && c.Remedy == "compensation ¥800 rejected by 张经理", c)
				if th := want[ToClerk](t, e); !strings.Contains(th.Text, "repair instead") {
					t.Errorf("the clerk is told %q", th.Text)
				}
			}},
		{name: "approve with nothing pending", rule: "APR-1", action: Action{Verb: Approve}, by: gm, wantErr: Conflict},
		{name: "a supervisor cannot approve the general manager's case", rule: "STF-1",
			before: func(c *Case) { pending(c); c.Details[approvalNeeds] = "general_manager" },
			action: Action{Verb: Approve}, by: super, wantErr: Forbidden},
		// rule: CAS-6
		{name: "reply reaches the customer", rule: "CAS-6", action: Action{Verb: Reply, Value: " 明天上午上门 ", StaffTS: "171.1"}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantRecord(t, e, config.EvReply, "明天上午上门")
				if m := want[ToCustomer](t, e); m.Text != "明天上午上门" || m.StaffTS != "171.1" {
					t.Errorf("customer gets %+v", m)
				}
			}},
		{name: "reply with nothing", rule: "CAS-6", action: Action{Verb: Reply, Value: " \n "}, by: clerk, wantErr: Invalid},
		{name: "reply too long", rule: "CAS-6", action: Action{Verb: Reply, Value: strings.Repeat("长", 2000)}, by: clerk, wantErr: Invalid},
		{name: "reply in broken UTF-8", rule: "CAS-6", action: Action{Verb: Reply, Value: "a\xffb"}, by: clerk, wantErr: Invalid},
		{name: "reply to a phone case", rule: "CAS-6", before: func(c *Case) { c.Channel, c.ChatID = "", "" },
			action: Action{Verb: Reply, Value: "hi"}, by: clerk, wantErr: Conflict},
		{name: "note stays inside", rule: "MGR-4", action: Action{Verb: Note, Value: "客户说下午在家"}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantRecord(t, e, "note", "客户说下午在家")
				wantNo[ToCustomer](t, e)
			}},
		// rule: MGR-5
		{name: "cause found", rule: "MGR-5", action: Action{Verb: Cause, Value: "搬运时磕碰"}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) { wantCase(t, c.Cause == "搬运时磕碰", c) }},
		// rule: MGR-5
		{name: "action taken", rule: "MGR-5", action: Action{Verb: Act, Value: "更换桌腿"}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) { wantCase(t, c.Action == "更换桌腿", c) }},
		{name: "cause of nothing", rule: "MGR-5", action: Action{Verb: Cause, Value: ""}, by: clerk, wantErr: Invalid},
		{name: "resolve", rule: "MGR-4", before: func(c *Case) { c.Cause, c.Action = "搬运磕碰", "更换配件" },
			action: Action{Verb: Resolve, Value: "done"}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Status == Resolved && c.ResolvedAt.Equal(now), c)
				wantRecord(t, e, config.EvResolved, "done")
			}},
		{name: "resolve twice", rule: "MGR-4", before: resolved, action: Action{Verb: Resolve}, by: clerk, wantErr: Conflict},
		{name: "reopen goes back to its assignee", rule: "MGR-4", before: func(c *Case) { resolved(c); c.Assignee = "小王" },
			action: Action{Verb: Reopen, Value: "not fixed"}, by: clerk, check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Status == Claimed && c.ResolvedAt.IsZero(), c)
				wantRecord(t, e, "reopened", "not fixed")
			}},
		{name: "reopen an open case", rule: "MGR-4", action: Action{Verb: Reopen}, by: clerk, wantErr: Conflict},
		// rule: DMG-10
		{name: "a major quality incident goes to the general manager", rule: "DMG-10",
			before: func(c *Case) { c.Kind = config.KindQualityDefect }, action: Action{Verb: MarkMajor}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Severity == Major, c)
				if m := want[ToGeneralManager](t, e); !strings.Contains(m.Text, "general manager") || !strings.Contains(m.Text, c.Number) {
					t.Errorf("managers told %q", m.Text)
				}
			}},
		// rule: SRV-7
		{name: "dispatch a three-star provider", rule: "SRV-7",
			action: Action{Verb: Dispatch, Value: "4", Provider: &Provider{ID: 4, Name: "刘师傅", Region: "浦东", Stars: 3, Visits: 2}}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Details["provider_id"] == "4" && c.Details["provider"] == "刘师傅", c)
				wantRecord(t, e, "dispatched", "刘师傅 (浦东, 3.0★)")
			}},
		// rule: SRV-7
		{name: "dispatch an unrated provider", rule: "SRV-7",
			action: Action{Verb: Dispatch, Value: "5", Provider: &Provider{ID: 5, Name: "新师傅"}}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) { wantCase(t, c.Details["provider_id"] == "5", c) }},
		// rule: SRV-7
		{name: "dispatch a two-star provider", rule: "SRV-7",
			action: Action{Verb: Dispatch, Value: "6", Provider: &Provider{ID: 6, Name: "赵师傅", Stars: 2, Visits: 1}}, by: clerk, wantErr: Invalid},
		{name: "dispatch a provider that is not there", rule: "SRV-7", action: Action{Verb: Dispatch, Value: "99"}, by: clerk, wantErr: NotFound},
		{name: "dispatch by name", rule: "SRV-7", action: Action{Verb: Dispatch, Value: "刘师傅"}, by: clerk, wantErr: Invalid},
		// rule: INS-2
		{name: "appointment starts the installer's confirmation clock", rule: "INS-2",
			action: Action{Verb: Appoint, Value: "2026-11-26 09:00"}, by: clerk, check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Details["appointment"] == "2026-11-26 09:00", c)
				k := want[StartClock](t, e)
				at := time.Date(2026, 11, 26, 9, 0, 0, 0, shanghai)
				if k.Name != "installer_confirm" || !k.Due.Equal(at.Add(-12*time.Hour)) || !k.FarDue.Equal(at) {
					t.Errorf("clock %+v", k)
				}
			}},
		// rule: INS-2
		{name: "appointment sooner than twelve hours is due at once", rule: "INS-2",
			action: Action{Verb: Appoint, Value: "2026-11-24 15:00"}, by: clerk, check: func(t *testing.T, c Case, e []Effect) {
				if k := want[StartClock](t, e); !k.Due.Equal(now) {
					t.Errorf("due %v, want now", k.Due)
				}
			}},
		{name: "appointment in the past", rule: "INS-2", action: Action{Verb: Appoint, Value: "2026-11-23 09:00"}, by: clerk, wantErr: Invalid},
		{name: "appointment as prose", rule: "INS-2", action: Action{Verb: Appoint, Value: "明天上午"}, by: clerk, wantErr: Invalid},
		// rule: INS-2
		{name: "installer confirms", rule: "INS-2", before: func(c *Case) { c.Details["appointment"] = "2026-11-26 09:00" },
			action: Action{Verb: Confirm}, by: clerk, check: func(t *testing.T, c Case, e []Effect) {
				wantRecord(t, e, "installer_confirmed", "appointment 2026-11-26 09:00 confirmed")
			}},
		{name: "confirm without an appointment", rule: "INS-2", action: Action{Verb: Confirm}, by: clerk, wantErr: Conflict},
		// rule: SLA-7
		{name: "a clock that ran out goes to the thread", rule: "SLA-7",
			action: Action{Verb: Escalate, Clock: &ClockDue{Name: "first_response", DueAt: now.Add(-90 * time.Minute)}}, by: sched,
			check: func(t *testing.T, c Case, e []Effect) {
				th := want[ToThread](t, e)
				if !strings.HasPrefix(th.Text, "⏰ <!channel>: first response of case AS-20261124-0001") ||
					!strings.Contains(th.Text, "1 h 30 min ago") {
					t.Errorf("thread told %q", th.Text)
				}
				if !slices.Equal(th.Mentions, []string{"<!channel>"}) {
					t.Errorf("the thread post calls %q, want the channel", th.Mentions)
				}
			}},
		// rule: SLA-7
		{name: "far past due goes to the managers", rule: "SLA-7",
			action: Action{Verb: Escalate, Clock: &ClockDue{Name: "repair_resolve", DueAt: now.Add(-48 * time.Hour), Managers: true}}, by: sched,
			check: func(t *testing.T, c Case, e []Effect) {
				wantRecord(t, e, "overdue_managers", "")
				if m := want[ToManagers](t, e); !strings.Contains(m.Text, "assignee nobody") || len(m.Mentions) != 0 {
					t.Errorf("managers told %q, calling %q", m.Text, m.Mentions)
				}
			}},
		{name: "staff cannot escalate", rule: "SLA-7", action: Action{Verb: Escalate, Clock: &ClockDue{Name: "x"}}, by: clerk, wantErr: Forbidden},
		{name: "someone without a role", rule: "STF-1", action: Action{Verb: Claim}, by: Actor{Name: "guest"}, wantErr: Forbidden},
		{name: "an unknown verb", rule: "MGR-4", action: Action{Verb: "delete"}, by: clerk, wantErr: Invalid},
	}
}

func pending(c *Case) {
	c.Remedy = "compensation ¥800 awaiting manager approval"
	c.Details[approvalState], c.Details[approvalYuan], c.Details[approvalNeeds] = "pending", "800", "supervisor,duty_manager"
	c.Details[approvalAskedBy] = "小王"
}

func resolved(c *Case) { c.Status, c.ResolvedAt = Resolved, now.Add(-time.Hour) }

func wantCase(t *testing.T, ok bool, c Case) {
	t.Helper()
	if !ok {
		t.Errorf("case after the decision: %+v", c)
	}
}

// wantRecord checks the history line; an empty detail is not compared.
func wantRecord(t *testing.T, e []Effect, event, detail string) {
	t.Helper()
	r := e[0].(Record)
	if r.Event != event || (detail != "" && r.Detail != detail) {
		t.Errorf("record %+v, want event %q detail %q", r, event, detail)
	}
}

// want returns the one effect of type E.
func want[E Effect](t *testing.T, effects []Effect) E {
	t.Helper()
	var found []E
	for _, e := range effects {
		if v, ok := e.(E); ok {
			found = append(found, v)
		}
	}
	if len(found) != 1 {
		var zero E
		t.Fatalf("want one %T among %v", zero, effects)
	}
	return found[0]
}

func wantNo[E Effect](t *testing.T, effects []Effect) {
	t.Helper()
	for _, e := range effects {
		if _, ok := e.(E); ok {
			t.Errorf("unexpected %T among %v", e, effects)
		}
	}
}

// rule: DMG-9
// rule: APR-1
func TestApprovers(t *testing.T) {
	for _, tt := range []struct {
		amount int
		major  bool
		want   []Role
	}{{500, false, nil}, {501, false, []Role{Supervisor, DutyManager}}, {1, true, []Role{GeneralManager}}} {
		if got := Approvers(tt.amount, 500, tt.major); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Approvers(%d, major %v) = %v, want %v", tt.amount, tt.major, got, tt.want)
		}
	}
}

// ApproverRoles says who may press Approve or Reject now: the roles still
// waited for and the general manager; nobody when nothing waits.
// rule: APR-1
func TestApproverRoles(t *testing.T) {
	c := newCase()
	if got := ApproverRoles(c); got != nil {
		t.Fatalf("nothing pending: %v", got)
	}
	c, _, err := Decide(c, Action{Verb: Remedy, Value: Compensation, AmountYuan: 800}, clerk, now, policy())
	if err != nil {
		t.Fatal(err)
	}
	if got := ApproverRoles(c); !reflect.DeepEqual(got, []Role{Supervisor, DutyManager, GeneralManager}) {
		t.Fatalf("pending: %v", got)
	}
	c, _, _ = Decide(c, Action{Verb: Approve}, super, now, policy())
	if got := ApproverRoles(c); !reflect.DeepEqual(got, []Role{DutyManager, GeneralManager}) {
		t.Fatalf("after the supervisor: %v", got)
	}
	c, _, _ = Decide(c, Action{Verb: Approve}, duty, now, policy())
	if got := ApproverRoles(c); got != nil {
		t.Fatalf("after both: %v", got)
	}
	major := newCase()
	major.Severity = Major
	major, _, _ = Decide(major, Action{Verb: Remedy, Value: Compensation, AmountYuan: 100}, clerk, now, policy())
	if got := ApproverRoles(major); !reflect.DeepEqual(got, []Role{GeneralManager}) {
		t.Fatalf("a major incident: %v", got)
	}
}
