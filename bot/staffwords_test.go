package bot

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"frontdesk/cases"
	"frontdesk/conversations"
)

// sampleWordArgs are values like the lifecycle's for each argument name.
var sampleWordArgs = map[string]any{
	"Kind": "quality_defect", "OldKind": "transport_damage", "NewKind": "quality_defect", "Clock": "first_response",
	"Remedy": "touch_up_paint", "Cause": "installation", "Side": "duty_manager", "Roles": "duty_manager,general_manager",
	"Money": "compensation:800:0:0", "Limit": "compensation:500:0:0", "Assignee": "", "Provider": "", "Order": "",
	"Ago": float64(90 * time.Minute), "Who": "王芳", "Case": "AS-20261124-0007", "By": "李经理", "Reason": "超出保修",
	"At": "2026-11-25 10:00", "Due": "2026-12-01", "Customer": "张三", "AfterSales": "小王", "Sales": "小李",
	"Product": "老张", "CallBy": "11-25 10:00", "SolutionBy": "11-25 10:00", "Parts": "120.00", "Service": "50.00",
	"Total": "170.00", "Amount": "120.00", "Returned": 12, "Good": 10, "Bad": 2, "From": "", "To": "2026-12-03",
	"Address": "上海市闵行区 仓库", "Regions": "上海/浦东新区", "Stars": "4.5", "Region": "上海/闵行区", "Done": "更换柜门铰链",
	"Result": "已修好", "SKU": "HW-HINGE-35", "Name": "铰链", "Qty": 2, "Fee": "40.00", "Each": "20.00", "Ref": "WX-0001",
	"Date": "2026-11-26", "Tracking": "SF1234567",
}

var snakeCode = regexp.MustCompile(`[a-z]+_[a-z_]+`)

// Every line the lifecycle can emit reads as words in zh-Hans and English:
// no placeholder left, no internal code, no handbook reference.
// rule: STF-2
func TestStaffWordsSayEveryLifecycleLine(t *testing.T) {
	for key, names := range cases.WordKeys {
		args := map[string]any{}
		for _, n := range names {
			v, ok := sampleWordArgs[n]
			if !ok {
				t.Fatalf("%s: no sample for %s", key, n)
			}
			args[n] = v
		}
		for _, lang := range []conversations.Lang{conversations.ZhHans, conversations.En} {
			got := StaffWords(lang, key, args)
			if got == key || strings.Contains(got, "<no value>") || strings.Contains(got, "{{") {
				t.Errorf("%s %s: %q", key, lang, got)
			}
			if code := snakeCode.FindString(got); code != "" {
				t.Errorf("%s %s shows the code %q: %q", key, lang, code, got)
			}
			if strings.Contains(got, "§") || strings.Contains(got, "四(四)") {
				t.Errorf("%s %s shows a handbook reference: %q", key, lang, got)
			}
			if lang == conversations.ZhHans && !regexp.MustCompile(`\p{Han}`).MatchString(got) {
				t.Errorf("%s zh-Hans is not Chinese: %q", key, got)
			}
		}
	}
}

// A history line read back from the store (numbers as JSON gives them)
// is said as well as the lifecycle's own values.
func TestStaffWordsFromJSONArgs(t *testing.T) {
	got := StaffWords(conversations.ZhHans, "staff.life.awaiting", map[string]any{"Money": "compensation:800:0:0", "Roles": "duty_manager"})
	if got != "已申请审批：赔偿 ¥800，待值班经理审批" {
		t.Errorf("got %q", got)
	}
	got = StaffWords(conversations.ZhHans, "staff.post.overdue", map[string]any{"Who": "王芳", "Clock": "first_response",
		"Case": "AS-1", "Due": "11-24 10:00", "Ago": float64(90 * time.Minute)})
	if !strings.Contains(got, "首次响应") || !strings.Contains(got, "1 小时 30 分") {
		t.Errorf("got %q", got)
	}
}
