package staffweb

import (
	"context"
	"strings"
	"testing"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/conversations"
)

// A major complaint on the staff page: the queue lists it, the case page
// has the complaint panel, the task force is chosen from the staff in three
// choices, only the general manager records the call-back, and resolving
// without who was responsible and the prevention step is refused with the
// reason on the page.
// rule: CMP-4, CMP-5
func TestMajorComplaintOnTheStaffPage(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	if _, err := h.desk.AddAccount(ctx, "test", bot.NewAccount{Login: "chen", Name: "陈总", Role: cases.GeneralManager, Password: "general manager 5"}); err != nil {
		t.Fatal(err)
	}
	for _, in := range []conversations.Inbound{{Text: "/status"}, {Text: "SO-1"}, {Text: "1234"}, {Choice: "menu:complaint"},
		{Choice: "ans:SO-1"}, {Choice: "ans:regular"}, {Text: "送货师傅态度很差"}, {Choice: "ans:none"}} { // REP-7: no photos
		in.Channel, in.ChatID = "web", "w9"
		if err := h.desk.Handle(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	open, _ := h.db.CasesByPhone(ctx, "13800001234", true)
	if len(open) != 1 || open[0].Kind != "complaint" {
		t.Fatalf("cases %+v", open)
	}
	c := open[0]
	h.login("li", clerkPW)
	if _, queue := h.get("/staff/approvals"); strings.Contains(queue, c.Number) {
		t.Fatal("a regular complaint is in the managers' queue")
	}
	h.act(c.Number, "action", "major")
	if _, queue := h.get("/staff/approvals"); !strings.Contains(queue, c.Number) || !strings.Contains(queue, "未结的重大投诉") {
		t.Fatalf("the queue lacks the major complaint: %.2000s", queue)
	}
	page := h.act(c.Number, "action", "task_force", "tf_after_sales", "小李", "tf_sales", "周主管", "tf_product", "")
	if !strings.Contains(page, "task force product: give a staff member") {
		t.Fatalf("a task force without product: %.3000s", page)
	}
	page = h.act(c.Number, "action", "task_force", "tf_after_sales", "小李", "tf_sales", "周主管", "tf_product", "吴经理")
	if !strings.Contains(page, "售后 小李 · 销售 周主管 · 产品 吴经理") || !strings.Contains(page, "重大投诉") {
		t.Fatalf("the complaint panel: %.4000s", page)
	}
	if strings.Contains(page, `value="gm_callback"`) {
		t.Fatal("a clerk is offered the general manager's call-back")
	}
	if status, _ := h.actWith(h.client, c.Number, "action", "gm_callback", "value", "called"); status != 403 {
		t.Fatalf("a clerk records the call-back: %d", status)
	}
	gm := h.as("chen", "general manager 5")
	if _, page := h.getWith(gm, "/staff/case/"+c.Number); !strings.Contains(page, `value="gm_callback"`) {
		t.Fatal("the general manager is not offered the call-back")
	}
	if status, _ := h.actWith(gm, c.Number, "action", "gm_callback", "value", "已致电道歉"); status != 200 {
		t.Fatalf("the call-back: %d", status)
	}
	status, page := h.actWith(h.client, c.Number, "action", "resolve")
	if status != 400 || !strings.Contains(page, "missing: responsible, prevention") {
		t.Fatalf("resolve without responsible and prevention: %d %.2000s", status, page)
	}
	h.act(c.Number, "action", "responsible", "value", "送货班组")
	h.act(c.Number, "action", "prevention", "value", "送货前培训服务礼仪")
	h.act(c.Number, "action", "resolve")
	if got, _ := h.db.CaseByNumber(ctx, c.Number); got.Status != cases.Resolved || got.Details["gm_callback"] != "已致电道歉" {
		t.Fatalf("case %+v", got)
	}
}
