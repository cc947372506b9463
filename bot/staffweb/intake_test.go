package staffweb

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"frontdesk/store"
)

func phoneForm(fields ...string) url.Values {
	form := url.Values{"kind": {"repair"}, "channel": {"phone"}, "customer_name": {"王芳"}, "phone": {"138 0000 1234"},
		"order_no": {"SO-1"}, "items": {"沙发 ×1\n\n坐垫"}, "description": {"扶手松动，顾客来电"}, "severity": {"normal"}}
	for i := 0; i+1 < len(fields); i += 2 {
		form.Set(fields[i], fields[i+1])
	}
	return form
}

// The new-case form offers kinds and channels by name, in select boxes,
// and opens the case; its page shows the intake channel, the whole phone
// and the items.
// rule: INT-1, INT-3
func TestNewCaseFormOpensAPhoneCase(t *testing.T) {
	h := newHarness(t)
	h.login("li", clerkPW)
	status, body := h.get("/staff/new")
	for _, want := range []string{`<select name="kind"`, `<option value="repair">维修</option>`, `<select name="channel"`,
		`<option value="phone" selected>电话</option>`, `<option value="fax">传真</option>`, "顾客手机号", `href="/staff/new"`} {
		if want == `href="/staff/new"` {
			_, body = h.get("/staff")
		}
		if status != 200 || !strings.Contains(body, want) {
			t.Fatalf("the form lacks %s: %d %.2000s", want, status, body)
		}
	}
	status, body = h.post("/staff/new", phoneForm())
	if status != 200 || !strings.Contains(body, "已建立服务单 AS-20261124-0001") {
		t.Fatalf("opened: %d %.3000s", status, body)
	}
	for _, want := range []string{"受理渠道", "电话", "13800001234", "沙发 ×1、坐垫", "扶手松动，顾客来电", "SO-1"} {
		if !strings.Contains(body, want) {
			t.Errorf("the case page lacks %q", want)
		}
	}
	c, err := h.db.CaseByNumber(context.Background(), "AS-20261124-0001")
	if err != nil || c.Intake != "phone" || c.Assignee != "" || c.Kind != "repair" {
		t.Fatalf("case %+v %v", c, err)
	}
	trail, _ := h.db.AuditTrail(context.Background(), c.Number)
	if len(trail) != 1 || trail[0].Actor != "小李" {
		t.Errorf("audit: %+v", trail)
	}
}

// A refused form comes back as typed, with the problem and its field
// marked, and nothing saved; text the page shows is escaped.
// rule: INT-1
func TestNewCaseFormRefusesBadInput(t *testing.T) {
	h := newHarness(t)
	if err := h.db.UpsertOrder(context.Background(), store.Order{No: "SO-2", CustomerName: "李雷", Phone: "13900005678",
		Items: []store.Item{{Name: "浴室柜", Quantity: 1, Category: "bathroom"}}}, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	h.login("li", clerkPW)
	tests := []struct {
		name   string
		form   url.Values
		status int
		field  string
	}{
		{"unknown kind", phoneForm("kind", "refund"), 400, "kind"},
		{"unknown channel", phoneForm("channel", "email"), 400, "channel"},
		{"no phone and no order", phoneForm("phone", "", "order_no", ""), 400, "phone"},
		{"another customer's order", phoneForm("order_no", "SO-2"), 400, "order_no"},
		{"oversized name", phoneForm("customer_name", strings.Repeat("王", 51)), 400, "customer_name"},
		{"hostile name", phoneForm("customer_name", `<script>alert("x")</script>`), 400, "customer_name"},
		{"oversized description", phoneForm("description", strings.Repeat("长", 2001)), 400, "description"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := h.post("/staff/new", tt.form)
			if status != tt.status || !strings.Contains(body, `id="intake-error">`+tt.field) ||
				!strings.Contains(body, `name="`+tt.field+`"`) || strings.Contains(body, "<script>alert") {
				t.Fatalf("%d %.3000s", status, body)
			}
			if strings.Count(body, `class="bad"`) != 1 {
				t.Errorf("not one field marked")
			}
		})
	}
	if _, body := h.post("/staff/new", phoneForm("kind", "refund", "description", "还要<b>加粗</b>")); !strings.Contains(body, "还要&lt;b&gt;加粗&lt;/b&gt;") {
		t.Errorf("what was typed is not kept, escaped: %.3000s", body)
	}
	all, _ := h.db.Cases(context.Background(), store.CaseFilter{Limit: 10})
	if len(all) != 0 {
		t.Fatalf("saved: %+v", all)
	}
	// Text a customer gave is shown escaped on the case page.
	status, body := h.post("/staff/new", phoneForm("description", `<img src=x onerror=alert(1)>`))
	if status != 200 || strings.Contains(body, "<img src=x") || !strings.Contains(body, "&lt;img src=x onerror=alert(1)&gt;") {
		t.Errorf("description not escaped: %d", status)
	}
}

// The case page of a chat case shows every answer labelled, the items by
// name, the whole phone, and the customer's other open cases and orders.
// rule: INT-3, INT-4
func TestCasePageShowsEverythingTheCustomerGave(t *testing.T) {
	h := newHarness(t)
	chat := h.openCase()
	h.login("li", clerkPW)
	_, body := h.post("/staff/new", phoneForm("kind", "inquiry", "channel", "store"))
	other, _ := h.db.CasesByPhone(context.Background(), "13800001234", true)
	if len(other) != 2 {
		t.Fatalf("cases: %+v", other)
	}
	_, body = h.get("/staff/case/" + chat.Number)
	for _, want := range []string{"顾客提供的信息", "发现时间", "拆包后在家中发现", "包装破损位置是否一致", "对不上（那里的包装完好）",
		"13800001234", "沙发 ×1", "该顾客的其他未结服务单", `href="/staff/case/` + other[0].Number + `"`, "该顾客的订单", "SO-1"} {
		if !strings.Contains(body, want) {
			t.Errorf("the case page lacks %q", want)
		}
	}
	if strings.Contains(body, "found_at") || strings.Contains(body, "same_place") {
		t.Errorf("raw keys on the page")
	}
	// Resolved, it is no longer among the customer's open cases.
	h.act(other[0].Number, "action", "resolve")
	if _, body = h.get("/staff/case/" + chat.Number); strings.Contains(body, `href="/staff/case/`+other[0].Number+`"`) {
		t.Errorf("a resolved case is still linked as open")
	}
}
