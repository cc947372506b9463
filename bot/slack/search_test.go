package slack

import (
	"strings"
	"testing"
)

// /case finds a case by the customer's phone (as typed), the order number
// or the start of the name, and names its kind and status in the staff
// member's language; nothing found still gives the usage.
// rule: STF-3
func TestCaseCommandSearches(t *testing.T) {
	h := newHarness(t, Config{})
	c := h.reportDamage()
	h.interact(blockAction(c.Number, actClaim, c.Number, ""))
	ask := func(text string) string { return h.ask("U42", text) }
	for _, q := range []string{"13800001234", "+86 138-0000-1234", "SO-1", "王"} {
		got := ask(q)
		if !strings.Contains(got, "*"+c.Number+"*") || !strings.Contains(got, "已认领") || !strings.Contains(got, "相符的服务单") {
			t.Errorf("/case %s: %s", q, got)
		}
		if strings.Contains(got, "claimed") || strings.Contains(got, "_damage") || strings.Contains(got, "quality_defect") {
			t.Errorf("/case %s shows codes: %s", q, got)
		}
	}
	if got := ask("13999999999"); !strings.Contains(got, "用法") || !strings.Contains(got, "没有找到“13999999999”") {
		t.Errorf("/case with no match: %s", got)
	}
	if got := ask(strings.Repeat("9", 10000)); !strings.Contains(got, "用法") || !strings.Contains(got, "太长") {
		t.Errorf("/case with a 10 000-character search: %.100s", got)
	}
}
