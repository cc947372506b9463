package backoffice

import (
	"context"
	"strings"
	"testing"

	"frontdesk/bot"
	"frontdesk/config"
	"frontdesk/conversations"
)

const kbEntryJSON = `{"id":"invoice","keywords":["发票","invoice"],
 "question":{"zh-Hans":"怎么开发票？","zh-Hant":"怎麼開發票？","en":"How do I get an invoice?"},
 "answer":{"zh-Hans":"请把抬头和税号发给客服。","zh-Hant":"請把抬頭和稅號發給客服。","en":"Send the company name and tax number to our staff."}%s}`

// TestKnowledgeAPI: the knowledge base is listed with its figures; an
// entry is added in the three languages, from a resolved case; a missing
// language, an unknown field, a bad category or a case not resolved is
// refused with the field named and nothing saved.
// rule: ARC-4
func TestKnowledgeAPI(t *testing.T) {
	h := newHarness(t, token)
	h.api.Knowledge = config.DefaultKnowledge()
	ctx := context.Background()

	r := h.do("GET", "/api/v1/knowledge", "")
	entries, _ := r.body["entries"].([]any)
	if r.status != 200 || len(entries) != len(config.DefaultKnowledge()) {
		t.Fatalf("list: %d %s", r.status, r.raw)
	}

	bad := []struct{ body, field string }{
		{strings.Replace(strings.Replace(kbEntryJSON, `,"en":"Send the company name and tax number to our staff."`, "", 1), "%s", "", 1), "answer.en"},
		{strings.Replace(kbEntryJSON, "%s", `,"category":"cars"`, 1), "category"},
		{strings.Replace(kbEntryJSON, "%s", `,"colour":"red"`, 1), "colour"},
		{strings.Replace(kbEntryJSON, "%s", `,"keywords":[]`, 1), "keywords"},
		{strings.Replace(kbEntryJSON, "%s", `,"next":["teleport"]`, 1), "next[0]"},
		{strings.Replace(kbEntryJSON, "%s", `,"from_case":"AS-NOPE"`, 1), "from_case"},
	}
	for _, b := range bad {
		r := h.do("POST", "/api/v1/knowledge", b.body)
		if r.status/100 != 4 || r.field() != b.field {
			t.Errorf("%s: %d %s", b.field, r.status, r.raw)
		}
	}
	// A case still open is no source of an answer.
	h.desk.Seed().Orders()
	c := h.desk.ReportDamage("w1", "SO-1001", "扶手掉漆")
	r = h.do("POST", "/api/v1/knowledge", strings.Replace(kbEntryJSON, "%s", `,"from_case":"`+c.Number+`"`, 1))
	if r.status != 409 || r.field() != "from_case" {
		t.Errorf("open case: %d %s", r.status, r.raw)
	}
	if added, _ := h.db.KBEntries(ctx); len(added) != 0 {
		t.Fatalf("a refused entry was saved: %+v", added)
	}
	for _, a := range []bot.StaffAction{{Kind: bot.ActCause, Value: "运输颠簸"}, {Kind: bot.ActAction, Value: "上门补漆"}, {Kind: bot.ActResolve}} {
		a.Case, a.Actor = c.Number, "张敏"
		if _, err := h.desk.Staff(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	r = h.do("POST", "/api/v1/knowledge", strings.Replace(kbEntryJSON, "%s", `,"from_case":"`+c.Number+`"`, 1))
	if r.status != 201 {
		t.Fatalf("add: %d %s", r.status, r.raw)
	}
	// The chat answers from it, and the list shows it with its figures.
	h.desk.Say("web", "w2", conversations.Inbound{Text: "能开发票吗"})
	texts := h.desk.Texts("web", "w2")
	if !strings.Contains(texts[len(texts)-1], "请把抬头和税号发给客服") {
		t.Fatalf("not answered from the added entry: %q", texts)
	}
	r = h.do("GET", "/api/v1/knowledge", "")
	entries, _ = r.body["entries"].([]any)
	last, _ := entries[len(entries)-1].(map[string]any)
	if len(entries) != len(config.DefaultKnowledge())+1 || last["source"] != "added" || last["offered"] != float64(1) {
		t.Errorf("list after add: %s", r.raw)
	}
}
