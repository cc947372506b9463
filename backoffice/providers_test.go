package backoffice

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"frontdesk/internal/testkit"
)

// rule: PRV-1, PRV-4
// A provider carries its regions, phone, company or individual, agreed
// prices and hours; a region that is not known, a price for an unknown job
// or bad hours is a 400 naming the field, and nothing is saved.
func TestProviderRecordByAPI(t *testing.T) {
	h := newHarness(t, token)
	r := h.do("POST", "/api/v1/providers", `{"name":"安心安装公司","region":"上海","regions":["上海","上海/浦东新区"],
		"phone":"021-55550101","kind":"company","prices":{"install":150,"repair":120},"hours":"08:00-20:00"}`)
	p, _ := r.body["provider"].(map[string]any)
	if r.status != 200 || p["kind"] != "company" || p["phone"] != "021-55550101" || p["hours"] != "08:00-20:00" ||
		p["first_time"] != true || p["flagged"] != false || fmt.Sprint(p["regions"]) != "[上海 上海/浦东新区]" ||
		fmt.Sprint(p["prices"]) != "map[install:150 repair:120]" {
		t.Fatalf("provider: %d %s", r.status, r.raw)
	}
	for _, tt := range []struct{ body, field string }{
		{`{"name":"火星师傅","regions":["火星"]}`, "regions[0]"},
		{`{"name":"x","regions":["上海","上海/"]}`, "regions[1]"},
		{`{"name":"x","kind":"gang"}`, "kind"},
		{`{"name":"x","prices":{"massage":50}}`, "prices.massage"},
		{`{"name":"x","prices":{"install":-5}}`, "prices.install"},
		{`{"name":"x","hours":"9 to 5"}`, "hours"},
		{`{"name":"x","phone":"12"}`, "phone"},
		{`{"name":"x","stars":5}`, ""},
	} {
		r := h.do("POST", "/api/v1/providers", tt.body)
		if r.status != 400 || (tt.field != "" && r.field() != tt.field) {
			t.Errorf("%s: %d %s", tt.body, r.status, r.raw)
		}
	}
	if ps, _ := h.db.Providers(context.Background()); len(ps) != 1 {
		t.Fatalf("a refused provider was saved: %+v", ps)
	}
}

// rule: PRV-1
// Orders carry their address and a known region; a provider CSV with a
// region that is not known is refused whole, naming the line.
func TestOrderRegionAndProviderCSV(t *testing.T) {
	h := newHarness(t, token)
	body := strings.Replace(orderJSON, `"items"`, `"address":"上海市浦东新区张杨路 500 号","region":"上海/浦东新区","items"`, 1)
	if r := h.do("POST", "/api/v1/orders", body); r.status != 201 {
		t.Fatalf("order: %d %s", r.status, r.raw)
	}
	r := h.do("GET", "/api/v1/orders/SO-7001", "")
	if o, _ := r.body["order"].(map[string]any); o["region"] != "上海/浦东新区" || o["address"] != "上海市浦东新区张杨路 500 号" {
		t.Fatalf("order: %s", r.raw)
	}
	bad := strings.Replace(orderJSON, `"items"`, `"region":"亚特兰蒂斯","items"`, 1)
	if r := h.do("POST", "/api/v1/orders", strings.Replace(bad, "SO-7001", "SO-7002", 1)); r.status != 400 || r.field() != "region" {
		t.Fatalf("unknown region: %d %s", r.status, r.raw)
	}
	ctx := context.Background()
	db := testkit.OpenStore(t)
	csv := "name,regions,phone,kind,prices,hours\n张师傅,上海/浦东新区;上海/徐汇区,13700001111,individual,install=120;repair=100,08:00-19:00\n" +
		"火星队,火星,13700002222,company,,\n"
	rep, err := Import(ctx, db, "providers", strings.NewReader(csv), shanghai, now, false)
	if !errors.Is(err, ErrRejected) || len(rep.Errors) != 1 || rep.Errors[0].Line != 3 || !strings.Contains(fmt.Sprint(rep.Errors[0]), "火星") {
		t.Fatalf("unknown region in the CSV: %+v %v", rep.Errors, err)
	}
	if ps, _ := db.Providers(ctx); len(ps) != 0 {
		t.Fatalf("the refused CSV saved %+v", ps)
	}
	good := "name,regions,phone,kind,prices,hours\n张师傅,上海/浦东新区;上海/徐汇区,13700001111,individual,install=120;repair=100,08:00-19:00\n"
	if _, err := Import(ctx, db, "providers", strings.NewReader(good), shanghai, now, false); err != nil {
		t.Fatal(err)
	}
	ps, _ := db.Providers(ctx)
	if len(ps) != 1 || len(ps[0].Regions) != 2 || ps[0].Prices["repair"] != 100 || ps[0].Hours != "08:00-19:00" || ps[0].Company {
		t.Fatalf("imported: %+v", ps)
	}
}

// rule: PRV-1, PRV-6
// Dispatch by API: a bad body names its field; an unknown case or provider
// is told apart; a flagged provider is cleared only with a note.
func TestDispatchAndClearByAPI(t *testing.T) {
	h := newHarness(t, token)
	body := strings.Replace(orderJSON, `"items"`, `"region":"上海/浦东新区","items"`, 1)
	h.do("POST", "/api/v1/orders", body)
	r := h.do("POST", "/api/v1/cases", `{"kind":"repair","channel":"phone","customer_name":"陈静","phone":"13700004321","order_no":"SO-7001"}`)
	no, _ := r.body["number"].(string)
	if r.status != 201 {
		t.Fatalf("case: %d %s", r.status, r.raw)
	}
	r = h.do("POST", "/api/v1/providers", `{"name":"张师傅","regions":["上海/浦东新区"],"phone":"13700001111"}`)
	id := int(r.body["provider"].(map[string]any)["id"].(float64))
	if r := h.do("GET", "/api/v1/cases/"+no+"/providers", ""); r.status != 200 || !strings.Contains(r.raw, "张师傅") {
		t.Fatalf("proposals: %d %s", r.status, r.raw)
	}
	for _, tt := range []struct {
		path, body string
		status     int
		field      string
	}{
		{"/api/v1/cases/" + no + "/dispatch", `{"actor":"小王"}`, 400, "provider_id"},
		{"/api/v1/cases/" + no + "/dispatch", fmt.Sprintf(`{"provider_id":%d}`, id), 400, "actor"},
		{"/api/v1/cases/" + no + "/dispatch", fmt.Sprintf(`{"provider_id":%d,"actor":"x","reason":"a\nb"}`, id), 400, "reason"},
		{"/api/v1/cases/" + no + "/dispatch", `{"provider_id":999,"actor":"小王"}`, 422, "provider_id"},
		{"/api/v1/cases/AS-19990101-0001/dispatch", fmt.Sprintf(`{"provider_id":%d,"actor":"小王"}`, id), 404, "no"},
		{"/api/v1/cases/" + no + "/dispatch", fmt.Sprintf(`{"provider_id":%d,"actor":"小王","extra":1}`, id), 400, ""},
		{fmt.Sprintf("/api/v1/providers/%d/clear", id), `{"note":"","actor":"李主管"}`, 400, "note"},
		{fmt.Sprintf("/api/v1/providers/%d/clear", id), `{"note":"已约谈","actor":"李主管"}`, 409, ""},
		{"/api/v1/providers/999/clear", `{"note":"已约谈","actor":"李主管"}`, 404, "id"},
		{"/api/v1/providers/999/code", ``, 404, "id"},
	} {
		r := h.do("POST", tt.path, tt.body)
		if r.status != tt.status || (tt.field != "" && r.field() != tt.field) {
			t.Errorf("%s %s: %d %s", tt.path, tt.body, r.status, r.raw)
		}
	}
	if got, _ := h.db.CaseByNumber(context.Background(), no); got.Details["provider_id"] != "" {
		t.Fatalf("a refused dispatch changed the case: %v", got.Details)
	}
	if r := h.do("POST", "/api/v1/cases/"+no+"/dispatch", fmt.Sprintf(`{"provider_id":%d,"actor":"小王"}`, id)); r.status != 200 {
		t.Fatalf("dispatch: %d %s", r.status, r.raw)
	}
	r = h.do("GET", "/api/v1/visits/"+no+"-V1", "")
	if v, _ := r.body["visit"].(map[string]any); r.status != 200 || v["payment"] != "customer_refund" || v["acceptance"] != "" {
		t.Fatalf("visit: %d %s", r.status, r.raw)
	}
	if r := h.do("POST", fmt.Sprintf("/api/v1/providers/%d/code", id), ""); r.status != 201 || len(r.body["code"].(string)) != 6 {
		t.Fatalf("code: %d %s", r.status, r.raw)
	}
}
