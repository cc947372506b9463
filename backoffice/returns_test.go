package backoffice

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// rule: RET-5
// The back office tells the day the goods arrived; an order sent again
// without it keeps the day; a bad day is refused, naming the field, and
// changes nothing.
func TestOrderDeliveredOn(t *testing.T) {
	h := newHarness(t, token)
	with := strings.Replace(orderJSON, `"paid_on":"2026-11-20",`, `"paid_on":"2026-11-20","delivered_on":"2026-11-23",`, 1)
	if r := h.do("POST", "/api/v1/orders", with); r.status != 201 || !strings.Contains(r.raw, `"delivered_on":"2026-11-23"`) {
		t.Fatalf("with a delivery day: %d %s", r.status, r.raw)
	}
	if r := h.do("POST", "/api/v1/orders", orderJSON); r.status != 200 || !strings.Contains(r.raw, `"delivered_on":"2026-11-23"`) ||
		!strings.Contains(r.raw, `"changed":false`) {
		t.Fatalf("without it: %d %s", r.status, r.raw)
	}
	later := strings.Replace(with, "2026-11-23", "2026-11-24T09:00:00+08:00", 1)
	if r := h.do("POST", "/api/v1/orders", later); r.status != 200 || !strings.Contains(r.raw, `"delivered_on":"2026-11-24"`) {
		t.Fatalf("a new day: %d %s", r.status, r.raw)
	}
	for _, bad := range []string{"2026-13-01", "yesterday", "24/11/2026"} {
		r := h.do("POST", "/api/v1/orders", strings.Replace(with, "2026-11-23", bad, 1))
		if r.status != 400 || r.field() != "delivered_on" {
			t.Errorf("%s: %d %s", bad, r.status, r.raw)
		}
	}
	if o, err := h.db.Order(context.Background(), "SO-7001"); err != nil || o.DeliveredOn != "2026-11-24" {
		t.Errorf("kept: %+v %v", o, err)
	}
}

// rule: REP-5
// rule: REP-7
// A repair of an item with no warranty term recorded reads "to be checked"
// in the API, never expired; the customer's description and photos are on
// the case.
func TestRepairCaseInTheAPI(t *testing.T) {
	h := newHarness(t, token)
	h.desk.Seed().Order(store.Order{No: "SO-8001", PaidOn: "2026-11-01", Status: config.OrderInstalled,
		Items: []store.Item{{Name: "浴室柜", Quantity: 1, Category: config.Bathroom}}})
	ph, err := h.desk.Photos.Save(bytes.NewReader(testkit.PNG(1)))
	if err != nil {
		t.Fatal(err)
	}
	in := func(s string) conversations.Inbound {
		if strings.HasPrefix(s, "ans:") || strings.HasPrefix(s, "menu:") {
			return conversations.Inbound{Choice: s}
		}
		return conversations.Inbound{Text: s}
	}
	h.desk.Say("web", "r1", in("/status"), in("SO-8001"), in(testkit.Phone[7:]), in("menu:repair"), in("柜门铰链断了"),
		conversations.Inbound{Photo: &ph}, in("ans:done"), in("ans:none"), in("ans:phone"))
	open, err := h.db.CasesByPhone(context.Background(), testkit.Phone, true)
	if err != nil || len(open) != 1 {
		t.Fatalf("cases %+v %v", open, err)
	}
	r := h.do("GET", "/api/v1/cases/"+open[0].Number, "")
	c, _ := r.body["case"].(map[string]any)
	details, _ := c["details"].(map[string]any)
	if r.status != 200 || details["warranty"] != conversations.WarrantyUnknown || !strings.Contains(c["classification"].(string), "to be checked") ||
		strings.Contains(r.raw, "expired") || c["description"] != "柜门铰链断了" {
		t.Fatalf("case in the API: %d %s", r.status, r.raw)
	}
	if photos, _ := c["photos"].([]any); len(photos) != 1 || photos[0].(map[string]any)["step"] != "repair" {
		t.Errorf("photos: %v", c["photos"])
	}
}

// rule: RET-5
// The orders CSV takes the delivery day; a bad one is reported by line and
// column, and nothing is saved.
func TestImportOrdersWithDeliveredOn(t *testing.T) {
	db := testkit.OpenStore(t)
	file := "order_no,customer_name,phone,paid_on,item_name,quantity,category,delivered_on\n" +
		"SO-8101,王芳,13800001234,2026-10-01,定制衣柜,1,furniture,2026-11-20\n"
	rep, err := Import(context.Background(), db, "orders", strings.NewReader(file), shanghai, now, false)
	if err != nil || !rep.Committed {
		t.Fatalf("import: %+v %v", rep, err)
	}
	if o, _ := db.Order(context.Background(), "SO-8101"); o.DeliveredOn != "2026-11-20" {
		t.Fatalf("delivered_on %q", o.DeliveredOn)
	}
	bad := strings.Replace(strings.Replace(file, "SO-8101", "SO-8102", 1), "2026-11-20", "20.11.2026", 1)
	rep, err = Import(context.Background(), db, "orders", strings.NewReader(bad), shanghai, now, false)
	if err == nil || rep.Committed || !strings.Contains(fmt.Sprintf("%+v", rep.Errors), "delivered_on") {
		t.Fatalf("a bad day: %+v %v", rep, err)
	}
	if _, err := db.Order(context.Background(), "SO-8102"); err == nil {
		t.Fatal("a refused file saved an order")
	}
}
