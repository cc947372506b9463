package backoffice

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"frontdesk/internal/testkit"
	"frontdesk/store"
)

const phoneCase = `{"kind":"repair","channel":"phone","customer_name":"王芳","phone":"138 0000 1234","order_no":"SO-1001",
 "items":["布艺沙发 ×1"],"description":"扶手松动，顾客来电","severity":"normal"}`

// A case opened by API for a phone call: 201 with its number, once per
// Idempotency-Key, and the customer, who has a chat, is told.
// rule: INT-1, INT-2
func TestPostCaseOpensAnIntakeCase(t *testing.T) {
	h := newHarness(t, token)
	h.desk.Seed().Orders().Chat(testkit.Phone, "web", "c1")
	r := h.do("POST", "/api/v1/cases", phoneCase, "Idempotency-Key", "call-1")
	no, _ := r.body["number"].(string)
	if r.status != 201 || !strings.HasPrefix(no, "AS-20261124-") || r.body["customer_told"] != true || r.body["intake_channel"] != "phone" {
		t.Fatalf("open: %d %s", r.status, r.raw)
	}
	again := h.do("POST", "/api/v1/cases", phoneCase, "Idempotency-Key", "call-1")
	if again.status != 201 || again.body["number"] != no || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("replay: %d %s", again.status, again.raw)
	}
	all, _ := h.db.Cases(context.Background(), store.CaseFilter{Limit: 10})
	if len(all) != 1 || all[0].Intake != "phone" || all[0].Phone != testkit.Phone {
		t.Fatalf("cases: %+v", all)
	}
	if texts := h.desk.Texts("web", "c1"); len(texts) != 1 || !strings.Contains(texts[0], no) {
		t.Errorf("the customer was not told: %q", texts)
	}
	// Without a phone, the order's customer.
	r = h.do("POST", "/api/v1/cases", `{"kind":"complaint","channel":"letter","order_no":"SO-2001","description":"来信投诉"}`)
	c, _ := r.body["case"].(map[string]any)
	if r.status != 201 || r.body["customer_told"] != false || c["phone"] != "13900005678" || c["customer_name"] != "李雷" {
		t.Fatalf("by order: %d %s", r.status, r.raw)
	}
}

// Bad input gets a 4xx naming the field, and nothing is saved.
// rule: INT-1
func TestPostCaseRefusesBadInput(t *testing.T) {
	h := newHarness(t, token)
	h.desk.Seed().Orders()
	set := func(field, value string) string {
		var m map[string]any
		json.Unmarshal([]byte(phoneCase), &m)
		if value == "-" {
			delete(m, field)
		} else {
			var v any
			if err := json.Unmarshal([]byte(value), &v); err != nil {
				t.Fatal(err)
			}
			m[field] = v
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	noPhone := strings.Replace(set("phone", "-"), `"order_no":"SO-1001",`, "", 1)
	tests := []struct {
		name, body  string
		status      int
		code, field string
	}{
		{"unknown kind", set("kind", `"refund"`), 400, "invalid", "kind"},
		{"unknown channel", set("channel", `"email"`), 400, "invalid", "channel"},
		{"no phone and no order", noPhone, 400, "invalid", "phone"},
		{"another customer's order", set("order_no", `"SO-2001"`), 400, "invalid", "order_no"},
		{"no such order", set("order_no", `"SO-404"`), 400, "invalid", "order_no"},
		{"oversized description", set("description", `"`+strings.Repeat("长", 2001)+`"`), 400, "invalid", "description"},
		{"hostile name", set("customer_name", `"<script>alert(1)</script>"`), 400, "invalid", "customer_name"},
		{"control characters", set("customer_name", `"王\u0000芳"`), 400, "invalid", "customer_name"},
		{"items not a list", set("items", `"沙发"`), 400, "bad_type", "items"},
		{"unknown field", set("priority", `"high"`), 400, "unknown_field", "priority"},
		{"not JSON", `{"kind":`, 400, "bad_json", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := h.do("POST", "/api/v1/cases", tt.body)
			if r.status != tt.status || r.code() != tt.code || r.field() != tt.field {
				t.Errorf("%d %s, want %d %s field %q", r.status, r.raw, tt.status, tt.code, tt.field)
			}
		})
	}
	if r := h.do("POST", "/api/v1/cases", `{"description":"`+strings.Repeat("x", 1<<20)+`"}`); r.status != 413 {
		t.Errorf("a body over the limit: %d", r.status)
	}
	if all, _ := h.db.Cases(context.Background(), store.CaseFilter{Limit: 10}); len(all) != 0 {
		t.Errorf("saved: %+v", all)
	}
}

// GET /cases/{no} shows everything the customer gave, labelled, and the
// customer's other open cases and orders.
// rule: INT-3, INT-4
func TestGetCaseShowsEverythingTheCustomerGave(t *testing.T) {
	h := newHarness(t, token)
	h.desk.Seed().Orders()
	chatCase := h.desk.ReportDamage("c1", "SO-1001", "桌腿断了，要求赔偿")
	r := h.do("POST", "/api/v1/cases", phoneCase)
	phoneNo, _ := r.body["number"].(string)
	got := h.do("GET", "/api/v1/cases/"+chatCase.Number, "")
	c, _ := got.body["case"].(map[string]any)
	var answers []string
	list, _ := c["answers"].([]any)
	for _, a := range list {
		m := a.(map[string]any)
		answers = append(answers, m["label"].(string)+"="+m["text"].(string))
	}
	want := []string{"发现时间=拆包后在家中发现", "包装破损位置是否一致=对不上（那里的包装完好）", "顾客提出赔偿=是"}
	if strings.Join(answers, ";") != strings.Join(want, ";") {
		t.Errorf("answers %q, want %q", answers, want)
	}
	if items, _ := c["items"].([]any); len(items) != 1 || items[0] != "布艺沙发 ×1" {
		t.Errorf("items %v", c["items"])
	}
	if c["phone"] != testkit.Phone || c["intake_channel"] != "" {
		t.Errorf("phone %v intake %v", c["phone"], c["intake_channel"])
	}
	customer, _ := c["customer"].(map[string]any)
	open, _ := customer["other_open_cases"].([]any)
	orders, _ := customer["orders"].([]any)
	if len(open) != 1 || open[0].(map[string]any)["number"] != phoneNo {
		t.Errorf("other open cases %v, want %s", open, phoneNo)
	}
	if len(orders) != 1 || orders[0].(map[string]any)["order_no"] != "SO-1001" {
		t.Errorf("orders %v", orders)
	}
	got = h.do("GET", "/api/v1/cases/"+phoneNo, "")
	c, _ = got.body["case"].(map[string]any)
	customer, _ = c["customer"].(map[string]any)
	if open, _ := customer["other_open_cases"].([]any); c["intake_channel"] != "phone" || len(open) != 1 ||
		open[0].(map[string]any)["number"] != chatCase.Number {
		t.Errorf("the phone case: %s", got.raw)
	}
}

// The case export has a column for the intake channel, the items, each
// answer (in words) and the customer's other open cases.
// rule: INT-3, INT-4
func TestExportHasWhatTheCustomerGave(t *testing.T) {
	h := newHarness(t, token)
	h.desk.Seed().Orders()
	chatCase := h.desk.ReportDamage("c1", "SO-1001", "桌腿断了")
	r := h.do("POST", "/api/v1/cases", phoneCase)
	phoneNo, _ := r.body["number"].(string)
	var out bytes.Buffer
	if _, err := ExportCases(context.Background(), h.db, &out, time.Time{}, shanghai); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out.String(), "\xef\xbb\xbf"))).ReadAll()
	if err != nil || len(rows) != 3 {
		t.Fatalf("export: %v %q", err, out.String())
	}
	byNumber := map[string]map[string]string{}
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, col := range rows[0] {
			m[col] = row[i]
		}
		byNumber[m["number"]] = m
	}
	chat, phone := byNumber[chatCase.Number], byNumber[phoneNo]
	for col, want := range map[string]string{"intake_channel": "", "items": "布艺沙发 ×1", "found_at": "拆包后在家中发现",
		"same_place": "对不上（那里的包装完好）", "phone": testkit.Phone, "other_open_cases": phoneNo} {
		if chat[col] != want {
			t.Errorf("chat case %s = %q, want %q", col, chat[col], want)
		}
	}
	for col, want := range map[string]string{"intake_channel": "phone", "items": "布艺沙发 ×1", "found_at": "",
		"other_open_cases": chatCase.Number} {
		if phone[col] != want {
			t.Errorf("phone case %s = %q, want %q", col, phone[col], want)
		}
	}
}
