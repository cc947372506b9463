package backoffice

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"frontdesk/store"
)

// rule: PRV-6
// A dispatch by API to a flagged provider is refused (409, the field
// named) and changes nothing: no provider on the case, no visit; once
// staff clear it with a note, the same dispatch goes through.
func TestDispatchToAFlaggedProviderByAPIChangesNothing(t *testing.T) {
	h := newHarness(t, token)
	ctx := context.Background()
	h.do("POST", "/api/v1/orders", strings.Replace(orderJSON, `"items"`, `"region":"上海/浦东新区","items"`, 1))
	r := h.do("POST", "/api/v1/cases", `{"kind":"repair","channel":"phone","customer_name":"陈静","phone":"13700004321","order_no":"SO-7001"}`)
	no, _ := r.body["number"].(string)
	r = h.do("POST", "/api/v1/providers", `{"name":"投诉多师傅","regions":["上海/浦东新区"],"phone":"13700001111"}`)
	id := int64(r.body["provider"].(map[string]any)["id"].(float64))
	if err := h.db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.FlagProvider(id, "5 complaints or low scores in 20 visits", now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	before, _ := h.db.CaseByNumber(ctx, no)
	if r := h.do("GET", "/api/v1/cases/"+no+"/providers", ""); strings.Contains(r.raw, "投诉多师傅") {
		t.Fatalf("a flagged provider is proposed: %s", r.raw)
	}
	dispatch := fmt.Sprintf(`{"provider_id":%d,"actor":"小王","reason":"顾客指定"}`, id)
	if r := h.do("POST", "/api/v1/cases/"+no+"/dispatch", dispatch); r.status != 409 {
		t.Fatalf("dispatch to a flagged provider: %d %s", r.status, r.raw)
	}
	after, _ := h.db.CaseByNumber(ctx, no)
	if after.Details["provider_id"] != "" || after.Status != before.Status {
		t.Fatalf("the refused dispatch changed the case: %+v", after.Details)
	}
	if r := h.do("GET", "/api/v1/visits/"+no+"-V1", ""); r.status != 404 {
		t.Fatalf("a visit was made: %d %s", r.status, r.raw)
	}
	if r := h.do("POST", fmt.Sprintf("/api/v1/providers/%d/clear", id), `{"note":"已约谈，承诺改进","actor":"李主管"}`); r.status != 200 {
		t.Fatalf("clear: %d %s", r.status, r.raw)
	}
	if r := h.do("POST", "/api/v1/cases/"+no+"/dispatch", dispatch); r.status != 200 {
		t.Fatalf("dispatch after the clear: %d %s", r.status, r.raw)
	}
}
