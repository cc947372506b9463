package scheduler

import (
	"strings"
	"testing"
	"time"

	"frontdesk/cases"
	"frontdesk/conversations"
	"frontdesk/store"
)

// fullDigest has something in every section of the digest.
func fullDigest() Digest {
	d := allKindsDigest()
	d.NewByKind = map[string]int{"transport_damage": 2, "quality_defect": 1, "installation_help": 3, "low_survey_score": 1}
	d.Open, d.Overdue, d.SLA = 12, 2, Ratio{Met: 9, Total: 10}
	d.Targets = []Target{{Name: "Complaints handled on time", Value: Ratio{Met: 8, Total: 10}, Target: 90}}
	d.Surveys = map[string]int{"fair": 1}
	d.Flagged = []cases.Provider{{Name: "慢师傅", FlagNote: "投诉率 5 %"}}
	d.Calls = []store.CallSummary{{Kind: "callback", Sent: 4, Answered: 2, AvgProduct: 4.5, AvgService: 4}, {Kind: "questionnaire", Sent: 3}}
	d.Actions = []cases.Corrective{{ID: 7, SKU: "SF-300", Problem: "封边开胶", Owner: "王工", DueOn: "2026-12-01", Status: cases.ActionOpen},
		{ID: 8, SKU: "TB-120", Problem: "玻璃划痕", Owner: "李工", Status: cases.ActionChecking, CheckAt: time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC)}}
	return d
}

// rule: STF-2
// The digest posted to the managers speaks zh-Hans by default and English
// when configured: every kind, call kind and state by name, no codes.
func TestDigestTextInTheStaffLanguage(t *testing.T) {
	d := fullDigest()
	for lang, want := range map[conversations.Lang][]string{
		conversations.ZhHans: {"经理日报 2026-11-24", "运输损坏：2", "安装服务：3", "投诉按时处理：80 % (8/10)", "🚩 慢师傅",
			"电话回访：发出 4，回复 2：产品 4.5/5，服务 4.0/5", "满意度问卷：发出 3，回复 0：尚无回复",
			"#7 SF-300：封边开胶（王工，进行中，2026-12-01 前完成）", "已落实，2026-12-05 检查效果"},
		conversations.En: {"Daily digest 2026-11-24", "transport damage: 2", "Complaints handled on time: 80 % (8/10)",
			"Call-backs: sent 4, answered 2: product 4.5/5, service 4.0/5", "open, due 2026-12-01", "effect check 2026-12-05"},
	} {
		text := d.TextIn(lang)
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("%s digest lacks %q:\n%s", lang, w, text)
			}
		}
		for _, code := range []string{"transport_damage", "installation_help", "low_survey_score", "callback", "questionnaire", "checking"} {
			if lang != conversations.En && strings.Contains(text, code) || strings.Contains(code, "_") && strings.Contains(text, code) {
				t.Errorf("%s digest shows the code %q:\n%s", lang, code, text)
			}
		}
	}
}

// The jobs speak the configured language: zh-Hans when it is empty.
func TestJobsLanguage(t *testing.T) {
	if l := (&Jobs{}).lang(); l != conversations.ZhHans {
		t.Errorf("default %q", l)
	}
	if o := (&Jobs{Lang: conversations.En, ChartFont: "/x.ttc"}).chartOptions(); o.Lang != conversations.En || o.FontPath != "/x.ttc" {
		t.Errorf("chart options %+v", o)
	}
}

// The monthly figures name kinds and visit kinds in the channel's language.
func TestMonthlyTextInTheStaffLanguage(t *testing.T) {
	m := Monthly{Month: "2026-10", Top: []store.ComplaintCause{{Kind: "quality_defect", Cause: "封边胶水不足", Count: 2}, {Kind: "complaint", Count: 1}},
		Areas: []store.AreaCount{{Area: "上海", Kind: "install", Count: 3}, {Kind: "repair", Count: 1}},
		Staff: []store.StaffFigures{{Name: "小李", Handled: 4, FirstResponses: 4, FirstResponseMin: 30}}}
	zh := m.TextIn(conversations.ZhHans)
	for _, w := range []string{"月度数据 2026-10", "质量问题 · 封边胶水不足：2 件", "投诉 · 未记录原因：1 件", "上海 · 安装：3", "（无服务商） · 维修：1",
		"小李：处理 4", "平均 30 分钟（4 次）"} {
		if !strings.Contains(zh, w) {
			t.Errorf("monthly lacks %q:\n%s", w, zh)
		}
	}
	if strings.Contains(zh, "quality_defect") || strings.Contains(zh, "install\n") {
		t.Errorf("monthly shows a code:\n%s", zh)
	}
	if en := m.TextIn(conversations.En); !strings.Contains(en, "Monthly figures 2026-10") || !strings.Contains(en, "quality defect · 封边胶水不足: 2") {
		t.Errorf("English monthly:\n%s", en)
	}
}
