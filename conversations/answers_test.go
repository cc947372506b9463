package conversations

import (
	"strings"
	"testing"
	"time"
)

// TestAnswersAreLabelled shows the dialog's answers with the question's
// label and the answer in words, in the order staff read them; details
// that are no answer stay out, and free text is shown as written.
// rule: INT-3
func TestAnswersAreLabelled(t *testing.T) {
	details := map[string]string{"found_at": "home", "same_place": "unsure", "batch_no": "B2026-07", "on_wall": "yes",
		"compensation_requested": "yes", "quantity": "2", "contact_phone": "13700001111", "help": "visit",
		"preferred_time": "周六上午", "remedy_ladder": "touch_up > repair", "approval": "pending"}
	tests := []struct {
		lang Lang
		want []string // label: text, in order
	}{
		{ZhHans, []string{"发现时间: 拆包后在家中发现", "包装破损位置是否一致: 看不出来", "批号: B2026-07", "是否已上墙: 是",
			"顾客提出赔偿: 是", "数量: 2", "联系电话: 13700001111", "电话指导还是上门: 直接上门维修", "希望的时间: 周六上午"}},
		{En, []string{"When found: " + T(En, "found.home"), "Packaging damaged at the same place: " + T(En, "same.unsure"),
			"Batch number: B2026-07", "Already on the wall: yes", "Customer asked for compensation: yes", "Quantity: 2",
			"Contact phone: 13700001111", "Phone guidance or visit: " + T(En, "help.visit"), "Preferred time: 周六上午"}},
	}
	for _, tt := range tests {
		var got []string
		for _, a := range Answers(tt.lang, details) {
			if a.Label == "" || strings.Contains(a.Label, "staff.answer") {
				t.Errorf("%s: %s shows a raw key: %+v", tt.lang, a.Key, a)
			}
			got = append(got, a.Label+": "+a.Text)
		}
		if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s answers:\n%s\nwant\n%s", tt.lang, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
	if got := Answers(ZhHans, map[string]string{"remedy_ladder": "x", "found_at": ""}); len(got) != 0 {
		t.Errorf("no answers, yet %+v", got)
	}
	// A value no label names is shown as written, not dropped.
	if got := Answers(ZhHans, map[string]string{"found_at": "on_the_stairs"}); len(got) != 1 || got[0].Text != "on_the_stairs" {
		t.Errorf("an unknown value: %+v", got)
	}
	if IntakeLabel(ZhHans, "phone") != "电话" || IntakeLabel(En, "fax") != "fax" || IntakeLabel(ZhHans, "") != "" {
		t.Errorf("intake labels: %q %q", IntakeLabel(ZhHans, "phone"), IntakeLabel(En, "fax"))
	}
}

// TestStatusDatesInShopZone lists a case opened at 23:30 UTC on the 19th
// (07:30 on the 20th in Shanghai) under the shop's date, not UTC's.
// rule: CMD-1
func TestStatusDatesInShopZone(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	lookup := testLookup
	lookup.cases = map[string][]Case{"13800001234": {{Number: "AS-20261120-0001", Kind: "repair", Status: "open",
		CreatedAt: time.Date(2026, 11, 19, 23, 30, 0, 0, time.UTC)}}}
	for _, tt := range []struct {
		loc  *time.Location
		want string
	}{{shanghai, "2026-11-20"}, {time.UTC, "2026-11-19"}} {
		c := newChat(t, ZhHans)
		c.env.Lookup, c.env.Location = lookup, tt.loc
		c.text("/status")
		c.text("SO-1002")
		r := c.text("1234")
		if !strings.Contains(r.Text, tt.want) {
			t.Errorf("%s: status %q lacks the date %s", tt.loc, r.Text, tt.want)
		}
	}
}
