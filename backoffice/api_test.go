package backoffice

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

const token = "s3cret-token"

type harness struct {
	t    *testing.T
	srv  *httptest.Server
	db   *store.DB
	desk *testkit.Desk
	api  *API
}

func newHarness(t *testing.T, apiToken string) *harness {
	t.Helper()
	desk := testkit.NewDesk(t, testkit.WithClock(testkit.ClockAt(now)), testkit.WithLocation(shanghai))
	api := &API{Store: desk.Store, Desk: desk.Desk, Token: apiToken, Location: shanghai, Now: desk.Clock.Now, Log: desk.Log,
		PhotoBody: func(sha, mime string) ([]byte, error) { return []byte("jpeg-bytes-" + sha), nil }}
	srv := testkit.Serve(t, api.Routes)
	return &harness{t: t, srv: srv, db: desk.Store, desk: desk, api: api}
}

type resp struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (r resp) code() string {
	e, _ := r.body["error"].(map[string]any)
	s, _ := e["code"].(string)
	return s
}
func (r resp) field() string {
	e, _ := r.body["error"].(map[string]any)
	s, _ := e["field"].(string)
	return s
}

func (h *harness) do(method, path, body string, headers ...string) resp {
	h.t.Helper()
	req, _ := http.NewRequest(method, h.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
			continue
		}
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var m map[string]any
	json.Unmarshal(raw, &m)
	return resp{res.StatusCode, res.Header, m, string(raw)}
}

const orderJSON = `{"order_no":"SO-7001","customer_name":"陈静","phone":"+86 137-0000-4321","paid_on":"2026-11-20",
 "promised_delivery":"2026-12-15","urgency":"urgent","installation_included":true,
 "items":[{"name":"浴室柜","sku":"BC-80","quantity":1,"category":"bathroom","warranty_months":24,"glass":true},
          {"name":"壁纸","quantity":6,"category":"wallpaper","batch_no":"B2611"}]}`

const shipmentJSON = `{"order_no":"SO-7001","carrier":"德邦物流","tracking_no":"DPK7001","carrier_phone":"95353","packages":2,
 "pieces":7,"volume_m3":0.9,"freight_fee":120.5,"packaging_fee":30,"contains_glass":true,"shipped_on":"2026-11-24",
 "expected_arrival":"2026-11-27T00:00:00+08:00"}`

func TestTokenGuardsTheAPI(t *testing.T) {
	off := newHarness(t, "")
	if r := off.do("GET", "/api/v1/cases", ""); r.status != 404 || r.code() != "api_off" {
		t.Fatalf("no token configured: %d %s", r.status, r.raw)
	}
	h := newHarness(t, token)
	if r := h.do("GET", "/api/v1/cases", "", "Authorization", ""); r.status != 401 || r.code() != "unauthorized" {
		t.Fatalf("missing token: %d", r.status)
	}
	if r := h.do("GET", "/api/v1/cases", "", "Authorization", "Bearer wrong"); r.status != 401 {
		t.Fatalf("wrong token: %d", r.status)
	}
	if r := h.do("POST", "/api/v1/orders", orderJSON, "Authorization", "Basic czNjcmV0"); r.status != 401 {
		t.Fatalf("basic auth: %d", r.status)
	}
	if _, err := h.db.Order(context.Background(), "SO-7001"); err == nil {
		t.Fatal("an unauthorised request saved an order")
	}
	if r := h.do("GET", "/api/v1/cases", ""); r.status != 200 {
		t.Fatalf("right token: %d %s", r.status, r.raw)
	}
}

func TestOrdersUpsertIdempotently(t *testing.T) {
	h := newHarness(t, token)
	if r := h.do("POST", "/api/v1/orders", orderJSON); r.status != 201 || r.body["changed"] != true {
		t.Fatalf("create: %d %s", r.status, r.raw)
	}
	before, _ := h.db.Order(context.Background(), "SO-7001")
	if r := h.do("POST", "/api/v1/orders", orderJSON); r.status != 200 || r.body["changed"] != false {
		t.Fatalf("again: %d %s", r.status, r.raw)
	}
	after, _ := h.db.Order(context.Background(), "SO-7001")
	if !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Fatal("the same order twice touched the record")
	}
	changed := strings.Replace(orderJSON, `"quantity":6`, `"quantity":8`, 1)
	if r := h.do("POST", "/api/v1/orders", changed); r.status != 200 || r.body["changed"] != true {
		t.Fatalf("update: %d %s", r.status, r.raw)
	}
	r := h.do("GET", "/api/v1/orders/SO-7001", "")
	o, _ := r.body["order"].(map[string]any)
	items, _ := o["items"].([]any)
	if r.status != 200 || o["phone"] != "13700004321" || o["urgency"] != "urgent" || len(items) != 2 {
		t.Fatalf("get: %s", r.raw)
	}
	if r := h.do("GET", "/api/v1/orders/SO-404", ""); r.status != 404 || r.code() != "unknown_order" {
		t.Fatalf("unknown order: %d", r.status)
	}
}

func TestBadRequestsAreRefusedWithTheFieldNamed(t *testing.T) {
	h := newHarness(t, token)
	tests := []struct {
		name, path, body string
		status           int
		code, field      string
	}{
		{"malformed", "/api/v1/orders", `{"order_no":`, 400, "bad_json", ""},
		{"empty", "/api/v1/orders", ``, 415, "bad_content_type", ""},
		{"wrong type", "/api/v1/orders", strings.Replace(orderJSON, `"quantity":1`, `"quantity":"one"`, 1), 400, "bad_type", "items.quantity"},
		{"unknown field", "/api/v1/orders", strings.Replace(orderJSON, `"urgency"`, `"urgent_flag":1,"urgency"`, 1), 400, "unknown_field", "urgent_flag"},
		{"missing name", "/api/v1/orders", strings.Replace(orderJSON, `"陈静"`, `""`, 1), 400, "invalid", "customer_name"},
		{"bad date", "/api/v1/orders", strings.Replace(orderJSON, `"2026-12-15"`, `"15/12/2026"`, 1), 400, "invalid", "promised_delivery"},
		{"date without zone", "/api/v1/orders", strings.Replace(orderJSON, `"2026-12-15"`, `"2026-12-15T10:00:00"`, 1), 400, "invalid", "promised_delivery"},
		{"bad category", "/api/v1/orders", strings.Replace(orderJSON, `"bathroom"`, `"toys"`, 1), 400, "invalid", "items[0].category"},
		{"bad urgency", "/api/v1/orders", strings.Replace(orderJSON, `"urgent"`, `"asap"`, 1), 400, "invalid", "urgency"},
		{"no items", "/api/v1/orders", `{"order_no":"X","customer_name":"a","phone":"13700004321","items":[]}`, 400, "invalid", "items"},
		{"oversized", "/api/v1/orders", `{"order_no":"` + strings.Repeat("x", 2<<20) + `"}`, 413, "too_large", ""},
		{"shipment for unknown order", "/api/v1/shipments", strings.Replace(shipmentJSON, "SO-7001", "SO-404", 1), 422, "unknown_order", "order_no"},
		{"negative fee", "/api/v1/shipments", strings.Replace(shipmentJSON, `120.5`, `-1`, 1), 400, "invalid", "freight_fee"},
		{"arrival before shipping", "/api/v1/shipments", strings.Replace(shipmentJSON, `"2026-11-27T00:00:00+08:00"`, `"2026-11-01"`, 1), 400, "invalid", "expected_arrival"},
		{"visit without completion", "/api/v1/visits", `{"visit_id":"V1","order_no":"SO-7001","kind":"install"}`, 400, "invalid", "completed_at"},
		{"visit time without zone", "/api/v1/visits", `{"visit_id":"V1","order_no":"SO-7001","kind":"install","completed_at":"2026-11-24 15:00"}`, 400, "invalid", "completed_at"},
		{"visit kind", "/api/v1/visits", `{"visit_id":"V1","order_no":"SO-7001","kind":"paint","completed_at":"2026-11-24T15:00:00+08:00"}`, 400, "invalid", "kind"},
		{"provider without name", "/api/v1/providers", `{"region":"浦东"}`, 400, "invalid", "name"},
		{"no such endpoint", "/api/v1/invoices", `{}`, 404, "not_found", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := []string{}
			if tt.body == "" {
				headers = []string{"Content-Type", "text/plain"}
			}
			r := h.do("POST", tt.path, tt.body, headers...)
			if r.status != tt.status || r.code() != tt.code || (tt.field != "" && r.field() != tt.field) {
				t.Fatalf("got %d %s field %q: %s", r.status, r.code(), r.field(), r.raw)
			}
		})
	}
	if cases, _ := h.db.Cases(context.Background(), store.CaseFilter{}); len(cases) != 0 {
		t.Fatal("bad requests left records")
	}
	if _, err := h.db.Order(context.Background(), "X"); err == nil {
		t.Fatal("a refused order was saved")
	}
}

func TestShipmentsAndVisitsAreRecordedOnce(t *testing.T) {
	h := newHarness(t, token)
	h.do("POST", "/api/v1/orders", orderJSON)
	r := h.do("POST", "/api/v1/shipments", shipmentJSON)
	s, _ := r.body["shipment"].(map[string]any)
	if r.status != 201 || r.body["notice"] != "waiting_for_customer_chat" || s["freight_fee"] != 120.5 || s["expected_arrival"] != "2026-11-27" {
		t.Fatalf("shipment: %d %s", r.status, r.raw)
	}
	if r := h.do("POST", "/api/v1/shipments", shipmentJSON); r.status != 200 || r.body["created"] != false {
		t.Fatalf("again: %d %s", r.status, r.raw)
	}
	h.do("POST", "/api/v1/orders", strings.Replace(orderJSON, "SO-7001", "SO-7002", 1))
	if r := h.do("POST", "/api/v1/shipments", strings.Replace(shipmentJSON, `"order_no":"SO-7001"`, `"order_no":"SO-7002"`, 1)); r.status != 409 {
		t.Fatalf("tracking number of another order: %d %s", r.status, r.raw)
	}
	visit := `{"visit_id":"V-1","order_no":"SO-7001","kind":"install","completed_at":"2026-11-24T15:00:00+08:00"}`
	if r := h.do("POST", "/api/v1/visits", visit); r.status != 201 || r.body["survey"] != "waiting_for_customer_chat" {
		t.Fatalf("visit: %d %s", r.status, r.raw)
	}
	if r := h.do("POST", "/api/v1/visits", visit); r.status != 200 || r.body["created"] != false {
		t.Fatalf("visit again: %d %s", r.status, r.raw)
	}
	if r := h.do("POST", "/api/v1/visits", strings.Replace(visit, "SO-7001", "SO-7002", 1)); r.status != 409 {
		t.Fatalf("a visit id reused for another order: %d %s", r.status, r.raw)
	}
	unknown := strings.NewReplacer("SO-7001", "SO-404", "V-1", "V-2").Replace(visit)
	if r := h.do("POST", "/api/v1/visits", unknown); r.status != 422 {
		t.Fatalf("visit of unknown order: %d %s", r.status, r.raw)
	}
}

func TestIdempotencyKeyReplaysTheFirstAnswer(t *testing.T) {
	h := newHarness(t, token)
	first := h.do("POST", "/api/v1/orders", orderJSON, "Idempotency-Key", "k-1")
	again := h.do("POST", "/api/v1/orders", orderJSON, "Idempotency-Key", "k-1")
	if first.status != 201 || again.status != 201 || again.header.Get("Idempotent-Replayed") != "true" || again.raw != first.raw {
		t.Fatalf("replay: %d %d %q", first.status, again.status, again.header.Get("Idempotent-Replayed"))
	}
	other := strings.Replace(orderJSON, "陈静", "陈晶", 1)
	if r := h.do("POST", "/api/v1/orders", other, "Idempotency-Key", "k-1"); r.status != 422 || r.code() != "idempotency_key_reused" {
		t.Fatalf("key reused for another body: %d %s", r.status, r.raw)
	}
	if o, _ := h.db.Order(context.Background(), "SO-7001"); o.CustomerName != "陈静" {
		t.Fatal("a reused key changed the order")
	}
}

func TestProviders(t *testing.T) {
	h := newHarness(t, token)
	r := h.do("POST", "/api/v1/providers", `{"name":"张师傅安装队","region":"浦东"}`)
	p, _ := r.body["provider"].(map[string]any)
	if r.status != 200 || p["id"] == nil {
		t.Fatalf("create: %s", r.raw)
	}
	id := jsonNumber(p["id"])
	if r := h.do("PUT", "/api/v1/providers/"+id, `{"name":"张师傅安装服务","region":"浦东"}`); r.status != 200 {
		t.Fatalf("rename: %d %s", r.status, r.raw)
	}
	if r := h.do("PUT", "/api/v1/providers/999", `{"name":"x"}`); r.status != 404 {
		t.Fatalf("unknown provider: %d", r.status)
	}
	if r := h.do("PUT", "/api/v1/providers/abc", `{"name":"x"}`); r.status != 400 {
		t.Fatalf("bad id: %d", r.status)
	}
	list := h.do("GET", "/api/v1/providers", "")
	ps, _ := list.body["providers"].([]any)
	if len(ps) != 1 || ps[0].(map[string]any)["name"] != "张师傅安装服务" || ps[0].(map[string]any)["stars"] == nil {
		t.Fatalf("list: %s", list.raw)
	}
}

func jsonNumber(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestCasesListPagesAndDetails(t *testing.T) {
	h := newHarness(t, token)
	ctx := context.Background()
	h.do("POST", "/api/v1/orders", orderJSON)
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, shanghai)
	var last cases.Case
	for i := 0; i < 5; i++ {
		kind := config.KindRepair
		if i%2 == 0 {
			kind = config.KindComplaint
		}
		err := h.db.Update(ctx, func(tx *store.Tx) (err error) {
			last, err = tx.OpenCase(cases.Case{Kind: kind, OrderNo: "SO-7001", Phone: "13700004321", Description: "=HYPERLINK(\"x\")"}, now, shanghai)
			if err != nil {
				return err
			}
			pid, err := tx.AddPhoto(store.Photo{CaseID: last.ID, SHA256: "ab12", MIME: "image/jpeg", Size: 5, Step: "closeup", CreatedAt: now})
			if err != nil {
				return err
			}
			_, err = tx.AddCaseEvent(store.CaseEvent{CaseID: last.ID, At: now, Actor: "customer", Kind: "photo", PhotoID: pid})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	page := h.do("GET", "/api/v1/cases?limit=2&kind=complaint", "")
	cases, _ := page.body["cases"].([]any)
	cursor, _ := page.body["next_cursor"].(string)
	if len(cases) != 2 || cursor == "" {
		t.Fatalf("first page: %s", page.raw)
	}
	next := h.do("GET", "/api/v1/cases?limit=2&kind=complaint&cursor="+cursor, "")
	rest, _ := next.body["cases"].([]any)
	if len(rest) != 1 || next.body["next_cursor"] != nil {
		t.Fatalf("second page: %s", next.raw)
	}
	for _, q := range []string{"cursor=zzz", "limit=0", "since=yesterday", "status=lost"} {
		if r := h.do("GET", "/api/v1/cases?"+q, ""); r.status != 400 {
			t.Errorf("?%s: %d", q, r.status)
		}
	}
	plain := h.do("GET", "/api/v1/cases/"+last.Number, "")
	c, _ := plain.body["case"].(map[string]any)
	photos, _ := c["photos"].([]any)
	if plain.status != 200 || len(photos) != 1 || photos[0].(map[string]any)["data_base64"] != nil || c["events"] == nil {
		t.Fatalf("case: %s", plain.raw)
	}
	with := h.do("GET", "/api/v1/cases/"+last.Number+"?photos=include", "")
	c, _ = with.body["case"].(map[string]any)
	photos, _ = c["photos"].([]any)
	if photos[0].(map[string]any)["data_base64"] == nil {
		t.Fatalf("photos asked for: %s", with.raw)
	}
	if r := h.do("GET", "/api/v1/cases/AS-19990101-0001", ""); r.status != 404 {
		t.Fatalf("unknown case: %d", r.status)
	}
}

// The OpenAPI document lists exactly the routes the API serves.
func TestOpenAPIMatchesTheRoutes(t *testing.T) {
	h := newHarness(t, token)
	res, err := http.Get(h.srv.URL + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.NewDecoder(res.Body).Decode(&doc); err != nil || !strings.HasPrefix(doc.OpenAPI, "3.") {
		t.Fatalf("document: %v %q", err, doc.OpenAPI)
	}
	var documented, served []string
	for path, ops := range doc.Paths {
		for method := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
		}
	}
	for _, rt := range routes {
		served = append(served, rt.method+" "+rt.path)
		// Each served route answers (not 405/404 from the mux).
		r := h.do(rt.method, strings.NewReplacer("{no}", "X", "{id}", "1").Replace(rt.path), "{}")
		if r.status == 405 || r.code() == "not_found" {
			t.Errorf("%s %s is not routed: %d", rt.method, rt.path, r.status)
		}
	}
	sort.Strings(documented)
	sort.Strings(served)
	if strings.Join(documented, "\n") != strings.Join(served, "\n") {
		t.Fatalf("documented:\n%s\nserved:\n%s", strings.Join(documented, "\n"), strings.Join(served, "\n"))
	}
}

// rule: SRV-1
// A visit posted at night gets its survey in opening hours (the scheduler
// sends it); one posted by day gets it at once.
func TestSurveyWaitsForOpeningHours(t *testing.T) {
	h := newHarness(t, token)
	cal := config.Default().Calendar
	if err := cal.Compile(); err != nil {
		t.Fatal(err)
	}
	h.api.Calendar = &cal
	h.do("POST", "/api/v1/orders", orderJSON)
	h.api.Now = func() time.Time { return time.Date(2026, 11, 24, 22, 0, 0, 0, shanghai) }
	r := h.do("POST", "/api/v1/visits", `{"visit_id":"V-N","order_no":"SO-7001","kind":"install","completed_at":"2026-11-24T21:00:00+08:00"}`)
	if r.status != 201 || r.body["survey"] != "scheduled_for_opening_hours" {
		t.Fatalf("night: %d %s", r.status, r.raw)
	}
	h.api.Now = func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, shanghai) }
	r = h.do("POST", "/api/v1/visits", `{"visit_id":"V-D","order_no":"SO-7001","kind":"install","completed_at":"2026-11-25T09:00:00+08:00"}`)
	if r.status != 201 || r.body["survey"] == "scheduled_for_opening_hours" {
		t.Fatalf("day: %d %s", r.status, r.raw)
	}
}
