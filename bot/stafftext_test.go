package bot

import (
	"testing"
	"time"

	"frontdesk/conversations"
)

// rule: STF-2
// The bot's posts to staff speak the staff channels' language: zh-Hans by
// default, English when configured; kinds, clocks and durations by name,
// and a post without a key keeps its text.
func TestStaffPostsInTheStaffLanguage(t *testing.T) {
	args := map[string]any{"Clock": "first_response", "Case": "AS-1", "Kind": "transport_damage", "Customer": "王芳",
		"Due": "11-24 10:00", "Assignee": "", "Who": "<!channel>", "Ago": 26*time.Hour + 5*time.Minute}
	zh := (&Desk{}).staffText("fallback", "staff.post.far_overdue", args)
	if zh != "🚨 严重超时：服务单 AS-1（运输损坏，王芳）的“首次响应”已于 11-24 10:00 到期；负责人 无人。" {
		t.Errorf("zh-Hans: %q", zh)
	}
	en := (&Desk{StaffLang: conversations.En}).staffText("fallback", "staff.post.overdue", args)
	if en != "⏰ <!channel>: first response of case AS-1 was due 11-24 10:00 (1 d 2 h ago)." {
		t.Errorf("en: %q", en)
	}
	if got := (&Desk{}).staffText("as written", "", nil); got != "as written" {
		t.Errorf("no key: %q", got)
	}
	for d, want := range map[time.Duration]string{20 * time.Second: "0 分钟", 90 * time.Minute: "1 小时 30 分钟", 48 * time.Hour: "2 天", -5 * time.Minute: "5 分钟"} {
		if got := durationIn(conversations.ZhHans, d); got != want {
			t.Errorf("%v: %q, want %q", d, got, want)
		}
	}
}
