package staffweb

import (
	"regexp"
	"testing"

	"frontdesk/conversations"
)

// The lifecycle's English lines a clerk meets every day read in Chinese on
// a zh-Hans page, names joined the Chinese way; English pages and lines
// not known keep the words they have.
//
// rule: STF-2
func TestLifecycleLinesInThePagesLanguage(t *testing.T) {
	zh, en := texts{conversations.ZhHans}, texts{conversations.En}
	for line, want := range map[string]string{
		"compensation ¥900 awaiting manager approval":                                                                          "赔偿 ¥900，等待经理审批",
		"¥900 approved by 周主管; waiting for duty manager":                                                                       "周主管已批准 ¥900；还需值班经理审批",
		"compensation 3 rolls (approved by 周主管 and 吴经理)":                                                                       "赔偿 3 卷（周主管、吴经理批准）",
		"override of the bot's triage: transport_damage → quality_defect":                                                      "更正机器人的分类：运输损坏 → 质量问题",
		"staff: quality_defect (the bot said transport_damage)":                                                                "客服：质量问题（机器人判断为运输损坏）",
		"a reject needs a reason (1 to 500 characters): say why, for the clerk and the record":                                 "驳回需要填写理由（1 至 500 字）：请写明原因，客服和记录都会看到。",
		"this compensation needs the approval of business supervisor and duty manager, not a clerk":                            "这笔赔偿需要业务主管、值班经理审批，客服专员不能审批。",
		"case AS-1 (quality defect) is resolved only with fault → cause → action: record the cause and the action taken first": "服务单 AS-1（质量问题）须按“故障 → 原因 → 处理”结案：请先记录查明的原因、采取的处理。",
		"@小王 ✅ Compensation of ¥900 approved by 周主管 and 吴经理: go ahead.":                                                        "@小王 ✅ 赔偿 ¥900 已由周主管、吴经理批准：请继续处理。",
		"quality_defect: packaging intact where the item is damaged":                                                           "quality_defect: 外包装完好但商品损坏",
		"a clerk may not approve a case":                                                                                       "客服专员无权进行这项操作。",
		"something the page does not know":                                                                                     "something the page does not know",
		"compensation ¥{{.X}} awaiting manager approval":                                                                       "compensation ¥{{.X}} awaiting manager approval",
	} {
		if got := zh.deskWords(line); got != want {
			t.Errorf("zh-Hans %q:\n got %q\nwant %q", line, got, want)
		}
		if got := en.deskWords(line); got != line {
			t.Errorf("en %q became %q", line, got)
		}
	}
	// Plain names the codes left once the line is said.
	if got := zh.Plain("quality_defect: packaging intact where the item is damaged (000 §2.2.4)"); regexp.MustCompile(`[a-z]{3}`).MatchString(got) {
		t.Errorf("Plain: %q", got)
	}
}
