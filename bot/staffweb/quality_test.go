package staffweb

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"frontdesk/store"
)

// The quality page: the week's spot-check tasks with the customer's
// contact; a supervisor records a result once (a problem shows its new
// case); a clerk may not, a second result is refused, and nothing changes.
// rule: QLT-1
func TestSpotChecksOnTheQualityPage(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	// Last week (the clock is Tue 2026-11-24): one visit finished.
	if err := h.db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.AddVisit(store.Visit{ID: "V-9", OrderNo: "SO-1", Kind: "install", CompletedAt: h.clock.Now().AddDate(0, 0, -5)})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if n, err := h.desk.DrawSpotChecks(ctx); err != nil || n != 1 {
		t.Fatalf("draw %d %v", n, err)
	}
	tasks, _ := h.db.SpotTasks(ctx, "")
	path := fmt.Sprintf("/staff/quality/spot/%d", tasks[0].ID)
	h.login("li", clerkPW)
	status, body := h.get("/staff/quality")
	if status != 200 || !strings.Contains(body, "V-9") || !strings.Contains(body, "13800001234") || !strings.Contains(body, "质量抽检任务") {
		t.Fatalf("clerk's page %d: %.2000s", status, body)
	}
	if strings.Contains(body, `action="`+path+`"`) {
		t.Fatal("a clerk is offered the result form")
	}
	if status, body := h.post(path, url.Values{"result": {"fine"}, "method": {"call"}}); status != 403 || !strings.Contains(body, "supervisor") {
		t.Fatalf("clerk's result: %d %.500s", status, body)
	}
	sup := h.as("zhou", supPW)
	if _, body := h.getWith(sup, "/staff/quality"); !strings.Contains(body, `action="`+path+`"`) {
		t.Fatalf("the supervisor has no form: %.2000s", body)
	}
	if status, body := h.postWith(sup, path, url.Values{"result": {"problem"}, "method": {"visit"}, "note": {""}}, nil); status != 400 || !strings.Contains(body, "note") {
		t.Fatalf("problem without a note: %d %.500s", status, body)
	}
	status, body = h.postWith(sup, path, url.Values{"result": {"problem"}, "method": {"visit"}, "note": {"安装后柜门不平"}}, nil)
	if status != 200 || !strings.Contains(body, "安装后柜门不平") || !strings.Contains(body, "/staff/case/AS-") {
		t.Fatalf("problem: %d %.2000s", status, body)
	}
	if status, body := h.postWith(sup, path, url.Values{"result": {"fine"}, "method": {"call"}}, nil); status != 409 || !strings.Contains(body, "not open") {
		t.Fatalf("second result: %d %.500s", status, body)
	}
	if status, _ := h.postWith(sup, "/staff/quality/spot/abc", url.Values{"result": {"fine"}}, nil); status != 404 {
		t.Fatalf("bad id: %d", status)
	}
	after, _ := h.db.SpotTasks(ctx, "")
	if after[0].Status != "problem" || after[0].Note != "安装后柜门不平" || after[0].Checker != "周主管" {
		t.Fatalf("task: %+v", after[0])
	}
}

// A corrective action opened on the page, with a bad department refused by
// name; its progress notes and "carried out" show on the board.
// rule: QLT-4
func TestCorrectiveActionsOnTheQualityPage(t *testing.T) {
	h := newHarness(t)
	h.login("li", clerkPW)
	form := url.Values{"source_kind": {"report"}, "source": {"周报 SF-300 ×4"}, "sku": {"SF-300"}, "problem": {"沙发腿松动"},
		"owner": {"王工"}, "department": {"marketing"}, "due_on": {"2026-12-15"}}
	if status, body := h.post("/staff/quality/actions", form); status != 400 || !strings.Contains(body, "department") {
		t.Fatalf("bad department: %d %.500s", status, body)
	}
	if list, _ := h.db.Correctives(context.Background(), true); len(list) != 0 {
		t.Fatalf("saved: %+v", list)
	}
	form.Set("department", "production")
	status, body := h.post("/staff/quality/actions", form)
	if status != 200 || !strings.Contains(body, "沙发腿松动") || !strings.Contains(body, "生产") || !strings.Contains(body, "进行中") {
		t.Fatalf("open: %d %.2000s", status, body)
	}
	list, _ := h.db.Correctives(context.Background(), false)
	path := fmt.Sprintf("/staff/quality/actions/%d", list[0].ID)
	if status, body = h.post(path, url.Values{"action": {"note"}, "note": {"已更换螺丝供应商"}}); status != 200 || !strings.Contains(body, "已更换螺丝供应商") {
		t.Fatalf("note: %d %.2000s", status, body)
	}
	if status, body = h.post(path, url.Values{"action": {"done"}}); status != 200 || !strings.Contains(body, "待效果验证") {
		t.Fatalf("done: %d %.2000s", status, body)
	}
	if status, _ = h.post(path, url.Values{"action": {"done"}}); status != 409 {
		t.Fatalf("done twice: %d", status)
	}
}

// The monthly figures, once posted to the managers, are on the digest page
// and the quality page.
// rule: QLT-5
func TestMonthlyFiguresOnTheStaffPages(t *testing.T) {
	h := newHarness(t)
	h.login("wu", dutyPW)
	if _, body := h.get("/staff/quality"); !strings.Contains(body, "本月统计尚未生成") {
		t.Fatalf("before any: %.1500s", body)
	}
	if _, err := h.desk.PostToManagers(context.Background(), "monthly:2026-10", "Monthly figures 2026-10\n  1. quality_defect 封边胶水不足 8", nil); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/staff/quality", "/staff/digest"} {
		if status, body := h.get(path); status != 200 || !strings.Contains(body, "Monthly figures 2026-10") || !strings.Contains(body, "封边胶水不足") {
			t.Fatalf("%s: %d %.1500s", path, status, body)
		}
	}
}
