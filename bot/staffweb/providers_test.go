package staffweb

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"frontdesk/cases"
	"frontdesk/store"
)

// rule: PRV-1, PRV-2, PRV-5
// The case page proposes the provider of the order's region; one from
// another city is sent only with a reason, which the history keeps; the
// page makes the link code for the provider's chat and records the visit
// done with its service record.
func TestTheVisitPanel(t *testing.T) {
	h := newHarness(t)
	c := h.openCase()
	ctx := context.Background()
	var local, far int64
	h.db.Update(ctx, func(tx *store.Tx) (err error) {
		if err := tx.SetOrderPlace(c.OrderNo, store.OrderPlace{Address: "上海市浦东新区张杨路 500 号", Region: "上海/浦东新区"}); err != nil {
			return err
		}
		if local, err = tx.UpsertProvider(cases.Provider{Name: "浦东张师傅", Regions: []string{"上海/浦东新区"}, Phone: "13700001111"}); err != nil {
			return err
		}
		far, err = tx.UpsertProvider(cases.Provider{Name: "哈尔滨维修队", Regions: []string{"哈尔滨"}, Company: true})
		return err
	})
	h.login("li", clerkPW)
	_, page := h.get("/staff/case/" + c.Number)
	proposed := regexp.MustCompile(`(?s)name="value">(.*?)</select>`).FindAllStringSubmatch(page, -1)
	found := false
	for _, m := range proposed {
		if strings.Contains(m[1], "浦东张师傅") {
			found = true
			if strings.Contains(m[1], "哈尔滨维修队") {
				t.Fatal("the proposals offer a provider from another city")
			}
		}
	}
	if !found || !strings.Contains(page, "上海/浦东新区") {
		t.Fatalf("the visit panel does not propose the local provider:\n%s", page)
	}
	if after := h.act(c.Number, "action", "dispatch_elsewhere", "provider", strconv.FormatInt(far, 10), "reason", ""); !strings.Contains(after, "give the reason") {
		t.Fatal("a provider from another city was sent without a reason")
	}
	if got, _ := h.db.CaseByNumber(ctx, c.Number); got.Details["provider_id"] != "" {
		t.Fatalf("the refused dispatch changed the case: %v", got.Details)
	}
	h.act(c.Number, "action", "dispatch_elsewhere", "provider", strconv.FormatInt(far, 10), "reason", "本地师傅约满，顾客同意")
	got, _ := h.db.CaseByNumber(ctx, c.Number)
	if got.Details["provider"] != "哈尔滨维修队" || got.Details["dispatch_reason"] != "本地师傅约满，顾客同意" {
		t.Fatalf("dispatch elsewhere: %v", got.Details)
	}
	_, page = h.post("/staff/case/"+c.Number+"/provider-code", nil)
	if !regexp.MustCompile(`/link [A-Z0-9]{6}`).MatchString(page) {
		t.Fatal("no link code on the page")
	}
	h.act(c.Number, "action", "visit_done", "value", "更换坐垫 | 已修好 | 坐垫一个")
	_, page = h.get("/staff/case/" + c.Number)
	if !strings.Contains(page, "done: 更换坐垫") || !strings.Contains(page, "parts: 坐垫一个") || !strings.Contains(page, "customer_refund") {
		t.Fatalf("the visit on the page:\n%s", page)
	}
	if !strings.Contains(page, `<option value="`+strconv.FormatInt(local, 10)+`">浦东张师傅`) {
		t.Fatal("the local provider is not offered by its id")
	}
}
