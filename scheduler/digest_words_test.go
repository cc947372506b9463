package scheduler

import (
	"regexp"
	"strings"
	"testing"

	"frontdesk/cases"
	"frontdesk/conversations"
)

// rule: STF-2
// The digest says a low-rated provider's last visit and a flagged
// provider's reason from their parts in the channel's language, whatever
// shape the store keeps them in: the visit's kind and the customer's
// verdict by name, no English and no codes in zh-Hans.
func TestDigestSaysStoredLinesInTheChannelsLanguage(t *testing.T) {
	d := fullDigest()
	d.LowRated = []cases.Provider{
		{Name: "慢师傅", Region: "浦东", Stars: 2.0, Visits: 3, LastSummary: "2026-11-23 repair: unsatisfied, late"},
		{Name: "新师傅", Region: "闵行", Stars: 2.5, Visits: 2, LastSummary: "2026-11-24 install: basic, on time true, 2.5 stars"},
		{Name: "种子师傅", Region: "徐汇", Stars: 2.8, Visits: 1, LastSummary: "seeded"},
	}
	d.Flagged = []cases.Provider{{Name: "投诉多师傅", FlagNote: "3 complaints or low scores in 5 visits since 2026-11-01 (over 20 %)"},
		{Name: "旧标记", FlagNote: "2 complaints or low scores in 10 visits"}}
	for lang, want := range map[conversations.Lang][]string{
		conversations.ZhHans: {"慢师傅（浦东）2.0★ · 上门 3 次 · 2026-11-23 维修：不满意，迟到",
			"2026-11-24 安装：基本满意，准时，2.5★", "种子师傅（徐汇）2.8★ · 上门 1 次\n",
			"🚩 投诉多师傅：自 2026-11-01 起 5 次上门中有 3 次投诉或低分（超过 20 %）", "🚩 旧标记：10 次上门中有 2 次投诉或低分"},
		conversations.En: {"2026-11-23 repair: Unsatisfied, late", "2026-11-24 installation: Basically satisfied, on time, 2.5★",
			"3 complaints or low scores in 5 visits since 2026-11-01 (over 20 %)"},
	} {
		text := d.TextIn(lang)
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s digest lacks %q:\n%s", lang, w, text)
			}
		}
		if strings.Contains(text, "seeded") {
			t.Errorf("%s digest shows a seed's code:\n%s", lang, text)
		}
		if lang == conversations.ZhHans {
			if en := regexp.MustCompile(`unsatisfied|late|stars|visits|complaints|on time`).FindString(text); en != "" {
				t.Errorf("zh-Hans digest speaks English (%q):\n%s", en, text)
			}
		}
	}
}

// A summary written by hand, or hostile, is shown as written (the channel
// post escapes it), and a near miss of the desk's shape is not misread.
func TestLastVisitOfAnotherShape(t *testing.T) {
	for in, want := range map[string]string{
		"":                                     "",
		"师傅态度很好":                               "师傅态度很好",
		"<!channel> 2026-11-23 repair: bad":    "<!channel> 2026-11-23 repair: bad",
		"2026-11-23 repair: unsatisfied, soon": "2026-11-23 repair: unsatisfied, soon",
		strings.Repeat("很长", 2500):             strings.Repeat("很长", 2500),
		"seeded":                               "", // a seed's code, not a summary
		"2026-11-23 repair: fair":              "2026-11-23 维修：比较满意",
	} {
		if got := lastVisitIn(conversations.ZhHans, in); got != want {
			t.Errorf("%.40q: %.60q, want %.60q", in, got, want)
		}
	}
}
