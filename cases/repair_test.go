package cases

import (
	"reflect"
	"strings"
	"testing"

	"frontdesk/config"
)

func repairCase() Case {
	c := newCase()
	c.Kind = config.KindRepair
	return c
}

// walk takes the steps in turn and returns the case after them.
func walk(t *testing.T, c Case, steps ...string) Case {
	t.Helper()
	for _, s := range steps {
		next, effects, err := Decide(c, Action{Verb: RepairStep, Value: s}, clerk, now, policy())
		if err != nil {
			t.Fatalf("step %s after %q: %v", s, c.Details[DetailRepairStep], err)
		}
		if len(effects) != 1 || !reflect.DeepEqual(effects[0], Record{Event: string(RepairStep), Detail: s}) {
			t.Fatalf("step %s: effects %+v", s, effects)
		}
		c = next
	}
	return c
}

// rule: REP-6
func TestRepairCallFlowInOrder(t *testing.T) {
	paths := [][]string{
		{StepFaultConfirmed, StepPhoneUnsolved, StepVisit, StepChoseRepair, StepPartsOrdered, StepFeeAgreed, StepDone},
		{StepFaultConfirmed, StepPhoneUnsolved, StepNoVisit, StepChoseReplace, StepNoParts, StepFeeAgreed, StepDone},
		{StepFaultConfirmed, StepPhoneSolved, StepDone}, // solved by phone: done
		{StepFaultNotFound, StepDone},
	}
	for _, path := range paths {
		c := walk(t, repairCase(), path...)
		if c.Details[DetailRepairSteps] != strings.Join(path, ",") || c.Details[DetailRepairStep] != StepDone {
			t.Errorf("path %v: details %v", path, c.Details)
		}
		if next := NextRepairSteps(c); len(next) != 0 {
			t.Errorf("path %v: after done, next %v", path, next)
		}
	}
	if got := NextRepairSteps(repairCase()); !reflect.DeepEqual(got, []string{StepFaultConfirmed, StepFaultNotFound}) {
		t.Errorf("first steps %v", got)
	}
	if got := NextRepairSteps(walk(t, repairCase(), StepFaultConfirmed, StepPhoneUnsolved)); !reflect.DeepEqual(got, []string{StepVisit, StepNoVisit}) {
		t.Errorf("after phone guidance %v", got)
	}
	if got := NextRepairSteps(newCase()); got != nil {
		t.Errorf("a damage case offers repair steps %v", got)
	}
}

// rule: REP-6
func TestRepairStepOutOfOrderIsRefused(t *testing.T) {
	resolved := repairCase()
	resolved.Status = Resolved
	tests := []struct {
		name  string
		c     Case
		steps []string // taken first
		step  string
		code  Code
		says  string
	}{
		{"parts before the fault is confirmed", repairCase(), nil, StepPartsOrdered, Conflict, "next is fault_confirmed or fault_not_found"},
		{"visit before phone guidance", repairCase(), []string{StepFaultConfirmed}, StepVisit, Conflict, "visit cannot follow fault_confirmed"},
		{"choice before the visit question", repairCase(), []string{StepFaultConfirmed, StepPhoneUnsolved}, StepChoseRepair, Conflict, "next is visit or no_visit"},
		{"fee before parts", repairCase(), []string{StepFaultConfirmed, StepPhoneUnsolved, StepVisit, StepChoseRepair}, StepFeeAgreed, Conflict, "parts_ordered or no_parts"},
		{"a step twice", repairCase(), []string{StepFaultConfirmed}, StepFaultConfirmed, Conflict, "cannot follow"},
		{"after done", repairCase(), []string{StepFaultNotFound, StepDone}, StepFaultConfirmed, Conflict, "done already"},
		{"unknown step", repairCase(), nil, "teleport", Invalid, "want one of"},
		{"empty step", repairCase(), nil, "", Invalid, "want one of"},
		{"not a repair case", newCase(), nil, StepFaultConfirmed, Conflict, "repair cases"},
		{"resolved case", resolved, nil, StepFaultConfirmed, Conflict, "reopen"},
	}
	for _, tt := range tests {
		c := tt.c
		if tt.steps != nil {
			c = walk(t, c, tt.steps...)
		}
		before := c.clone()
		got, effects, err := Decide(c, Action{Verb: RepairStep, Value: tt.step}, clerk, now, policy())
		if ErrorCode(err) != tt.code || !strings.Contains(ErrorMessage(err), tt.says) {
			t.Errorf("%s: %v (%s), want %s saying %q", tt.name, err, ErrorCode(err), tt.code, tt.says)
		}
		if effects != nil || !reflect.DeepEqual(got, before) {
			t.Errorf("%s: changed %+v / %+v", tt.name, got, effects)
		}
	}
}

func returnCase() Case {
	c := newCase()
	c.Kind = config.KindReturnExchange
	return c
}

// rule: RET-7
func TestApproveReturnSendsTheInstructions(t *testing.T) {
	c, effects, err := Decide(returnCase(), Action{Verb: ApproveReturn, Value: "  上海市闵行区 仓库 张三 021-5555 "}, clerk, now, policy())
	if err != nil {
		t.Fatal(err)
	}
	if c.Details[DetailReturnStatus] != "approved" || c.Details[DetailReturnAddress] != "上海市闵行区 仓库 张三 021-5555" || c.Remedy != "return" {
		t.Errorf("case %+v", c)
	}
	want := []Effect{Record{Event: string(ApproveReturn), Detail: "send to: 上海市闵行区 仓库 张三 021-5555",
		Key: "staff.life.return_address", Args: map[string]any{"Address": "上海市闵行区 仓库 张三 021-5555"}},
		Record{Event: config.EvRemedy, Detail: "return"}, ReturnInstructions{Address: "上海市闵行区 仓库 张三 021-5555"}}
	if !reflect.DeepEqual(effects, want) {
		t.Errorf("effects %+v, want %+v", effects, want)
	}
	noChat := returnCase()
	noChat.ChatID = ""
	for name, tt := range map[string]struct {
		c    Case
		a    Action
		code Code
	}{
		"twice":          {c, Action{Verb: ApproveReturn, Value: "X"}, Conflict},
		"no address":     {returnCase(), Action{Verb: ApproveReturn, Value: "  "}, Invalid},
		"not a return":   {repairCase(), Action{Verb: ApproveReturn, Value: "X"}, Conflict},
		"no chat to say": {noChat, Action{Verb: ApproveReturn, Value: "X"}, Conflict},
		"huge address":   {returnCase(), Action{Verb: ApproveReturn, Value: strings.Repeat("路", 400)}, Invalid},
	} {
		if _, effects, err := Decide(tt.c, tt.a, clerk, now, policy()); ErrorCode(err) != tt.code || effects != nil {
			t.Errorf("%s: %v, effects %+v", name, err, effects)
		}
	}
}

// rule: RET-7
func TestReturnTrackingIsKept(t *testing.T) {
	c, effects, err := Decide(returnCase(), Action{Verb: ReturnTracking, Value: " sf1234567890 "}, Actor{Name: "customer", Role: System}, now, policy())
	if err != nil || c.Details[DetailReturnTracking] != "SF1234567890" || len(effects) != 1 ||
		!reflect.DeepEqual(effects[0], Record{Event: string(ReturnTracking), Detail: "SF1234567890"}) {
		t.Fatalf("%+v %+v %v", c.Details, effects, err)
	}
	c, effects, _ = Decide(c, Action{Verb: ReturnTracking, Value: "YT-998877"}, clerk, now, policy())
	if c.Details[DetailReturnTracking] != "YT-998877" || effects[0].(Record).Detail != "YT-998877 (was SF1234567890)" {
		t.Errorf("corrected: %+v %+v", c.Details, effects)
	}
	for _, bad := range []string{"", "12", "<script>", "SF 123 456", strings.Repeat("9", 41)} {
		if _, _, err := Decide(returnCase(), Action{Verb: ReturnTracking, Value: bad}, clerk, now, policy()); ErrorCode(err) != Invalid {
			t.Errorf("%q: %v", bad, err)
		}
	}
	if _, _, err := Decide(repairCase(), Action{Verb: ReturnTracking, Value: "SF123456"}, clerk, now, policy()); ErrorCode(err) != Conflict {
		t.Errorf("on a repair case: %v", err)
	}
}
