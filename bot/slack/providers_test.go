package slack

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"frontdesk/cases"
	"frontdesk/store"
)

// rule: PRV-1, SRV-7
// The card's dispatch menu offers the providers of the order's region with
// at least three stars, the company first; choosing one dispatches it, and
// a provider from the menu's past that no longer qualifies is refused.
func TestDispatchMenuInSlack(t *testing.T) {
	h := newHarness(t, Config{})
	ctx := context.Background()
	var co, low, far int64
	h.db.Update(ctx, func(tx *store.Tx) (err error) {
		if err := tx.SetOrderPlace("SO-1", store.OrderPlace{Address: "上海市浦东新区张杨路 500 号", Region: "上海/浦东新区"}); err != nil {
			return err
		}
		add := func(p cases.Provider, stars float64) int64 {
			id, e := tx.UpsertProvider(p)
			if e == nil {
				e = tx.RateProvider(id, stars, "seeded")
			}
			if e != nil {
				err = e
			}
			return id
		}
		add(cases.Provider{Name: "浦东张师傅", Regions: []string{"上海/浦东新区"}}, 4.9)
		co = add(cases.Provider{Name: "安心安装公司", Regions: []string{"上海"}, Company: true}, 3.5)
		low = add(cases.Provider{Name: "慢师傅", Regions: []string{"上海"}}, 2)
		far = add(cases.Provider{Name: "哈尔滨维修队", Regions: []string{"哈尔滨"}}, 5)
		return err
	})
	c := h.reportDamage()
	posts := h.fake.Posts()
	card := posts[0].Blocks
	if !strings.Contains(card, `"action_id":"dispatch"`) || !strings.Contains(card, "上海/浦东新区") {
		t.Fatalf("no dispatch menu on the card: %s", card)
	}
	ci, li := strings.Index(card, "安心安装公司"), strings.Index(card, "浦东张师傅")
	if ci < 0 || li < 0 || ci > li || strings.Contains(card, "慢师傅") || strings.Contains(card, "哈尔滨维修队") {
		t.Fatalf("the menu: %s", card)
	}
	if code := h.interact(blockAction(c.Number, actDispatch, "", fmt.Sprintf("%s|%d", c.Number, low))); code == 200 {
		if got, _ := h.db.CaseByNumber(ctx, c.Number); got.Details["provider_id"] != "" {
			t.Fatalf("a two-star provider was sent: %v", got.Details)
		}
	}
	if code := h.interact(blockAction(c.Number, actDispatch, "", fmt.Sprintf("%s|%d", c.Number, far))); code == 200 {
		if got, _ := h.db.CaseByNumber(ctx, c.Number); got.Details["provider_id"] != "" {
			t.Fatalf("a provider from 哈尔滨 was sent without a reason: %v", got.Details)
		}
	}
	if code := h.interact(blockAction(c.Number, actDispatch, "", fmt.Sprintf("%s|%d", c.Number, co))); code != 200 {
		t.Fatalf("dispatch: %d", code)
	}
	got, _ := h.db.CaseByNumber(ctx, c.Number)
	if got.Details["provider"] != "安心安装公司" {
		t.Fatalf("dispatch from the menu: %v", got.Details)
	}
}
