package backoffice

import (
	"context"
	"strings"
	"testing"
	"time"

	"frontdesk/config"
	"frontdesk/store"
)

// withCalendar gives the API the default opening hours (Mon–Fri, Shanghai)
// and the customer of SO-7001 (…4321) a verified web chat w1.
func withCalendar(t *testing.T, h *harness) {
	t.Helper()
	cal := config.Default().Calendar
	if err := cal.Compile(); err != nil {
		t.Fatal(err)
	}
	h.api.Calendar = &cal
	h.desk.Seed().Chat("13700004321", "web", "w1")
}

// rule: DLV-8
// rule: DLV-9
// PUT /api/v1/orders/{no}/deadline moves the promised date with its
// history; bad input gets a 4xx naming the field and changes nothing.
func TestPutDeadlineMovesTheDateWithItsHistory(t *testing.T) {
	h := newHarness(t, token)
	withCalendar(t, h)
	if r := h.do("POST", "/api/v1/orders", orderJSON); r.status != 201 {
		t.Fatalf("order: %d %s", r.status, r.raw)
	}
	long := strings.Repeat("长", 501)
	for _, tc := range []struct {
		name, path, body string
		status           int
		code, field      string
	}{
		{"unknown order", "/api/v1/orders/SO-404/deadline", `{"deadline":"2026-12-20","reason":"x"}`, 404, "unknown_order", "no"},
		{"in the past", "/api/v1/orders/SO-7001/deadline", `{"deadline":"2026-11-01","reason":"x"}`, 400, "invalid", "deadline"},
		{"malformed", "/api/v1/orders/SO-7001/deadline", `{"deadline":"20/12/2026","reason":"x"}`, 400, "invalid", "deadline"},
		{"not a day", "/api/v1/orders/SO-7001/deadline", `{"deadline":"2026-02-30","reason":"x"}`, 400, "invalid", "deadline"},
		{"missing date", "/api/v1/orders/SO-7001/deadline", `{"reason":"x"}`, 400, "invalid", "deadline"},
		{"missing reason", "/api/v1/orders/SO-7001/deadline", `{"deadline":"2026-12-20"}`, 400, "invalid", "reason"},
		{"oversized reason", "/api/v1/orders/SO-7001/deadline", `{"deadline":"2026-12-20","reason":"` + long + `"}`, 400, "invalid", "reason"},
		{"oversized by", "/api/v1/orders/SO-7001/deadline", `{"deadline":"2026-12-20","reason":"x","by":"` + strings.Repeat("b", 101) + `"}`, 400, "invalid", "by"},
		{"unknown field", "/api/v1/orders/SO-7001/deadline", `{"deadline":"2026-12-20","reason":"x","when":"now"}`, 400, "", ""},
		{"wrong type", "/api/v1/orders/SO-7001/deadline", `{"deadline":20261220,"reason":"x"}`, 400, "", ""},
	} {
		r := h.do("PUT", tc.path, tc.body)
		if r.status != tc.status || (tc.code != "" && r.code() != tc.code) || (tc.field != "" && r.field() != tc.field) {
			t.Errorf("%s: %d %s", tc.name, r.status, r.raw)
		}
	}
	if o, _ := h.db.Order(context.Background(), "SO-7001"); o.Deadline != "2026-12-15" {
		t.Fatalf("refused requests changed the date to %s", o.Deadline)
	}
	if hist, _ := h.db.DeadlineHistory(context.Background(), "SO-7001"); len(hist) != 0 {
		t.Fatalf("refused requests left history: %+v", hist)
	}

	// A delay risk before the date: the customer is told with the new date.
	r := h.do("PUT", "/api/v1/orders/SO-7001/deadline", `{"deadline":"2026-12-22T10:00:00+08:00","reason":"工厂排产推迟","by":"跟单小王","risk":true}`)
	order, _ := r.body["order"].(map[string]any)
	if r.status != 200 || r.body["changed"] != true || order["promised_delivery"] != "2026-12-22" {
		t.Fatalf("risk: %d %s", r.status, r.raw)
	}
	hist, _ := order["deadline_history"].([]any)
	if len(hist) != 1 || !strings.Contains(r.raw, `"old":"2026-12-15"`) || !strings.Contains(r.raw, `"kind":"risk"`) ||
		!strings.Contains(r.raw, `"by":"跟单小王"`) || !strings.Contains(r.raw, `"reason":"工厂排产推迟"`) {
		t.Fatalf("history: %s", r.raw)
	}
	told := h.desk.Texts("web", "w1")
	if len(told) == 0 || !strings.Contains(told[len(told)-1], "2026-12-22") || !strings.Contains(told[len(told)-1], "2026-12-15") {
		t.Fatalf("the customer was not told: %q", told)
	}
	// The same date again changes nothing.
	r = h.do("PUT", "/api/v1/orders/SO-7001/deadline", `{"deadline":"2026-12-22","reason":"again"}`)
	if r.status != 200 || r.body["changed"] != false || len(h.desk.Texts("web", "w1")) != len(told) {
		t.Fatalf("the same date: %d %s", r.status, r.raw)
	}
	// After the date, a risk is a conflict; a date agreed is fine.
	h.api.Now = func() time.Time { return time.Date(2026, 12, 23, 10, 0, 0, 0, shanghai) }
	h.desk.Clock.Set(h.api.Now())
	if r := h.do("PUT", "/api/v1/orders/SO-7001/deadline", `{"deadline":"2026-12-30","reason":"x","risk":true}`); r.status != 409 || r.field() != "deadline" {
		t.Fatalf("risk after the date: %d %s", r.status, r.raw)
	}
	if r := h.do("PUT", "/api/v1/orders/SO-7001/deadline", `{"deadline":"2026-12-30","reason":"客户同意30号"}`); r.status != 200 {
		t.Fatalf("agreed: %d %s", r.status, r.raw)
	}
	// GET shows the history, and a date the order system changes joins it.
	changed := strings.Replace(orderJSON, `"2026-12-15"`, `"2027-01-05"`, 1)
	if r := h.do("POST", "/api/v1/orders", changed); r.status != 200 {
		t.Fatalf("update: %d %s", r.status, r.raw)
	}
	r = h.do("GET", "/api/v1/orders/SO-7001", "")
	order, _ = r.body["order"].(map[string]any)
	hist, _ = order["deadline_history"].([]any)
	if len(hist) != 3 || !strings.Contains(r.raw, `"kind":"back_office"`) || !strings.Contains(r.raw, `"new":"2027-01-05"`) ||
		order["delivered_on"] != "" {
		t.Fatalf("GET: %s", r.raw)
	}
}

// rule: DLV-11
// A new order's customer gets the service preview at once in opening
// hours; at night it waits for the scheduler, and without a chat for one.
func TestANewOrderGetsItsServicePreviewInOpeningHours(t *testing.T) {
	h := newHarness(t, token)
	withCalendar(t, h)
	h.api.Now = func() time.Time { return time.Date(2026, 11, 24, 22, 0, 0, 0, shanghai) }
	r := h.do("POST", "/api/v1/orders", orderJSON)
	if r.status != 201 || r.body["preview"] != "scheduled_for_opening_hours" || len(h.desk.Texts("web", "w1")) != 0 {
		t.Fatalf("night: %d %s", r.status, r.raw)
	}
	h.api.Now = func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, shanghai) }
	r = h.do("POST", "/api/v1/orders", strings.Replace(orderJSON, "SO-7001", "SO-7002", 1))
	told := h.desk.Texts("web", "w1")
	if r.status != 201 || r.body["preview"] != "sent" || len(told) != 1 || !strings.Contains(told[0], "SO-7002") ||
		!strings.Contains(told[0], "2026-12-15") || !strings.Contains(told[0], "旧家具") {
		t.Fatalf("day: %d %s %q", r.status, r.raw, told)
	}
	other := strings.NewReplacer("SO-7001", "SO-7003", "+86 137-0000-4321", "13600009999").Replace(orderJSON)
	if r := h.do("POST", "/api/v1/orders", other); r.status != 201 || r.body["preview"] != "waiting_for_customer_chat" {
		t.Fatalf("no chat: %d %s", r.status, r.raw)
	}
	if sent, _ := h.db.PreviewSent(context.Background(), "SO-7003"); sent {
		t.Fatal("a preview nobody received is marked sent")
	}
}

// rule: DLV-12
// A shipment expected more than a week before the promised date asks the
// customer before it counts as agreed.
func TestAnEarlyShipmentAsksTheCustomer(t *testing.T) {
	h := newHarness(t, token)
	withCalendar(t, h)
	h.do("POST", "/api/v1/orders", orderJSON) // promised for 2026-12-15
	r := h.do("POST", "/api/v1/shipments", shipmentJSON)
	if r.status != 201 || r.body["early_delivery"] != store.ConsentAsked || r.body["notice"] != "sent" {
		t.Fatalf("early shipment: %d %s", r.status, r.raw)
	}
	msgs := h.desk.Messages("web", "w1")
	ask := msgs[len(msgs)-1]
	if !strings.Contains(ask.Text, "2026-11-27") || !strings.Contains(ask.Text, "2026-12-15") || ask.Buttons[0][0].Data != "ans:yes" {
		t.Fatalf("question: %+v", ask)
	}
	onTime := strings.NewReplacer("DPK7001", "DPK7002", "2026-11-27T00:00:00+08:00", "2026-12-12").Replace(shipmentJSON)
	if r := h.do("POST", "/api/v1/shipments", onTime); r.status != 201 || r.body["early_delivery"] != "not_needed" {
		t.Fatalf("in the delivery week: %d %s", r.status, r.raw)
	}
}
