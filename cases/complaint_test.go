package cases

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"frontdesk/config"
)

func complaintCase() Case {
	c := newCase()
	c.Kind = config.KindComplaint
	return c
}

// rule: CMP-4
func TestMajorComplaint(t *testing.T) {
	p := policy()
	p.GMCallback = 12 * time.Hour
	c, effects, err := Decide(complaintCase(), Action{Verb: MarkMajor}, clerk, now, p)
	if err != nil {
		t.Fatal(err)
	}
	if c.Severity != Major || c.Details[majorComplaintAt] != now.Format(time.RFC3339) {
		t.Fatalf("case %+v", c)
	}
	wantRecord(t, effects, "major", "")
	gm := want[ToGeneralManager](t, effects)
	if !strings.Contains(gm.Text, "Major complaint "+c.Number) || !strings.Contains(gm.Text, "task force") || !strings.Contains(gm.Text, "11-24 22:00") {
		t.Errorf("the general manager is told %q", gm.Text)
	}
	wantNo[ToManagers](t, effects) // once, to the general manager
	clocks := map[string]StartClock{}
	for _, e := range effects {
		if k, ok := e.(StartClock); ok {
			clocks[k.Name] = k
		}
	}
	ws, cb := clocks["complaint_written_solution"], clocks["complaint_gm_callback"]
	if !ws.Due.Equal(now.Add(24*time.Hour)) || !reflect.DeepEqual(ws.StopOn, []string{EvWrittenSolution, config.EvResolved}) {
		t.Errorf("written solution clock %+v", ws)
	}
	if !cb.Due.Equal(now.Add(12*time.Hour)) || !reflect.DeepEqual(cb.StopOn, []string{EvGMCallback}) {
		t.Errorf("call-back clock %+v", cb)
	}
	// Marked again: refused, no second set of clocks.
	if _, _, err := Decide(c, Action{Verb: MarkMajor}, clerk, now, p); ErrorCode(err) != Conflict {
		t.Fatalf("marked major twice: %v", err)
	}
	// A complaint the customer opened as major gets the same from the desk.
	opened := complaintCase()
	opened.Severity = Major
	_, effects, err = Decide(opened, Action{Verb: MarkMajor}, Actor{Name: "desk", Role: System}, now, p)
	if err != nil {
		t.Fatal(err)
	}
	if gm := want[ToGeneralManager](t, effects); !strings.Contains(gm.Text, "opened as major by the customer") {
		t.Errorf("the general manager is told %q", gm.Text)
	}
}

// rule: CMP-4, CMP-5
func TestComplaintActions(t *testing.T) {
	for _, tt := range []approvalRow{
		{name: "task force named", action: Action{Verb: TaskForce, Value: "after_sales=小王, sales=小李；产品：老张"}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				if tf := TaskForceOf(c); !reflect.DeepEqual(tf, map[string]string{"after_sales": "小王", "sales": "小李", "product": "老张"}) {
					t.Errorf("task force %v", tf)
				}
				wantRecord(t, e, "task_force", "after-sales 小王, sales 小李, product 老张")
			}},
		{name: "task force without product", action: Action{Verb: TaskForce, Value: "after_sales=小王, sales=小李"}, by: clerk, wantErr: Invalid},
		{name: "task force named twice", action: Action{Verb: TaskForce, Value: "sales=a, sales=b, after_sales=c, product=d"}, by: clerk, wantErr: Invalid},
		{name: "task force of an unknown side", action: Action{Verb: TaskForce, Value: "boss=a, sales=b, after_sales=c, product=d"}, by: clerk, wantErr: Invalid},
		{name: "task force with a mention", action: Action{Verb: TaskForce, Value: "sales=<!channel>, after_sales=c, product=d"}, by: clerk, wantErr: Invalid},
		{name: "task force on a repair", before: func(c *Case) { c.Kind = config.KindRepair },
			action: Action{Verb: TaskForce, Value: "after_sales=a, sales=b, product=c"}, by: clerk, wantErr: Invalid},
		{name: "written solution stops its clock", action: Action{Verb: WrittenSolution, Value: "更换整套沙发，本周五送达"}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantRecord(t, e, EvWrittenSolution, "更换整套沙发，本周五送达")
				wantCase(t, c.Details["written_solution"] == "更换整套沙发，本周五送达", c)
			}},
		{name: "an empty written solution", action: Action{Verb: WrittenSolution, Value: " "}, by: clerk, wantErr: Invalid},
		{name: "the general manager's call-back", action: Action{Verb: GMCallback, Value: "已致电道歉，客户接受"}, by: gm,
			check: func(t *testing.T, c Case, e []Effect) {
				wantRecord(t, e, EvGMCallback, "已致电道歉，客户接受")
			}},
		{name: "a clerk records the general manager's call-back", action: Action{Verb: GMCallback, Value: "called"}, by: clerk, wantErr: Forbidden},
		// CMP-5
		{name: "who was responsible", action: Action{Verb: Responsible, Value: "送货班组"}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) { wantCase(t, c.Details["responsible"] == "送货班组", c) }},
		{name: "the prevention step", action: Action{Verb: Prevention, Value: "送货前逐件检查"}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Details["prevention"] == "送货前逐件检查", c)
			}},
		{name: "resolved without either", action: Action{Verb: Resolve}, by: clerk, wantErr: Invalid},
		{name: "resolved without the prevention step", before: func(c *Case) { c.Details["responsible"] = "送货班组" },
			action: Action{Verb: Resolve}, by: clerk, wantErr: Invalid},
		{name: "resolved with both", before: func(c *Case) { c.Details["responsible"], c.Details["prevention"] = "送货班组", "逐件检查" },
			action: Action{Verb: Resolve, Value: "done"}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) { wantCase(t, c.Status == Resolved, c) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := complaintCase()
			if tt.before != nil {
				tt.before(&c)
			}
			if got, effects, ok := decideRow(t, c, tt.action, tt.by, policy(), tt.wantErr); ok {
				tt.check(t, got, effects)
			}
		})
	}
}

// The refusal to resolve names what is missing.
// rule: CMP-5
func TestResolveRefusalNamesWhatIsMissing(t *testing.T) {
	c := complaintCase()
	c.Details["responsible"] = "送货班组"
	_, _, err := Decide(c, Action{Verb: Resolve}, clerk, now, policy())
	if msg := ErrorMessage(err); !strings.Contains(msg, "missing: prevention") || strings.Contains(msg, "responsible,") {
		t.Fatalf("refusal %q", msg)
	}
	// Other kinds are not held to it (a damage case needs its root cause, CAS-1).
	other := newCase()
	other.Cause, other.Action = "搬运时磕碰", "更换桌腿"
	if _, _, err := Decide(other, Action{Verb: Resolve}, clerk, now, policy()); err != nil {
		t.Fatal(err)
	}
}
