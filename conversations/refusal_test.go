package conversations

import (
	"errors"
	"fmt"
	"testing"

	"frontdesk/cases"
)

// rule: STF-2
// Lifecycle refusals are said in the viewer's language from the catalog:
// roles and kinds by name; an error without a key by its kind of problem,
// with the detail; anything else without its internals.
func TestRefusalInTheViewersLanguage(t *testing.T) {
	role := cases.Refuse(cases.Forbidden, "staff.refuse.role", []any{"Role", "duty_manager"}, "a duty manager may not x a case")
	cause := fmt.Errorf("bot: %w", cases.Refuse(cases.Invalid, "staff.refuse.root_cause_cause", []any{"Case", "AS-1", "Kind", "transport_damage"}, "x"))
	approver := cases.Refuse(cases.Forbidden, "staff.refuse.approver", []any{"Roles", "supervisor,duty_manager", "Role", "clerk"}, "x")
	for _, tt := range []struct {
		lang Lang
		err  error
		want string
	}{
		{ZhHans, role, "您的角色（值班经理）不能执行这个操作。"},
		{En, role, "Your role (Duty manager) may not do this."},
		{ZhHans, cause, "服务单 AS-1（运输损坏）须按“问题 → 原因 → 措施”结案：请先填写原因。"},
		{ZhHans, approver, "这笔赔偿需要 业务主管、值班经理 审批，您的角色（客服专员）不能审批。"},
		{ZhHans, cases.Errorf(cases.Conflict, "case AS-1 is resolved"), "该记录已被更改或当前状态不允许此操作，请刷新后再试。（case AS-1 is resolved）"},
		{ZhHans, cases.Refuse(cases.Invalid, "staff.refuse.no_such_key", nil, "odd"), "输入有误。（odd）"},
		{ZhHans, errors.New("sql: connection refused at 10.0.0.1"), "系统出错，请稍后再试或联系管理员。"},
		{ZhHans, cases.Wrap(cases.Internal, errors.New("disk full"), "cannot save"), "系统出错，请稍后再试或联系管理员。"},
		{ZhHans, nil, ""},
	} {
		if got := Refusal(tt.lang, tt.err); got != tt.want {
			t.Errorf("%s %v:\n got %q\nwant %q", tt.lang, tt.err, got, tt.want)
		}
	}
}
