package slack

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/conversations"
)

// rule: STF-2
// A refusal one staff member alone reads speaks their language: a linked
// account set to English reads it in English, one without a language in
// the channel's (zh-Hans by default); no internal codes either way.
func TestRefusalsInTheStaffMembersLanguage(t *testing.T) {
	h := newHarness(t, Config{})
	if _, err := h.desk.AddAccount(context.Background(), "test", bot.NewAccount{Login: "amy", Name: "Amy", Role: cases.Clerk,
		SlackUserID: "U45", Lang: "en", Password: "a long password"}); err != nil {
		t.Fatal(err)
	}
	c := h.reportDamage()
	h.interact(blockAction(c.Number, actClaim, c.Number, ""))
	h.interact(blockAction(c.Number, actRemedy, "", c.Number+"|compensation")) // ¥800: waits for approval
	h.deliver()
	h.interact(blockActionBy("U45", c.Number, actApprove, c.Number, ""))
	if eph := h.fake.Ephemeral(); len(eph) != 1 || eph[0].User != "U45" || eph[0].Text != "Your role (Clerk) may not do this." {
		t.Fatalf("the English clerk's approve: %+v", eph)
	}
	// A quality case is resolved only with its cause and action (CAS-1):
	// the refusal names the kind by its name.
	h.interact(blockActionBy("U44", c.Number, actResolve, c.Number, ""))
	eph := h.fake.Ephemeral()
	want := "服务单 " + c.Number + "（质量问题）须按“问题 → 原因 → 措施”结案：请先填写原因和采取的措施。"
	if last := eph[len(eph)-1]; last.User != "U44" || last.Text != want {
		t.Fatalf("the duty manager's resolve: %+v", last)
	}
	for _, e := range eph {
		for _, code := range []string{"transport_damage", "duty_manager", "forbidden", "invalid"} {
			if strings.Contains(e.Text, code) {
				t.Errorf("a refusal shows the code %q: %q", code, e.Text)
			}
		}
	}
}

func sorted(s []string) []string { slices.Sort(s); return s }

// visibleTexts are the texts a person reads on blocks: every "text" of the
// JSON (option values and action ids are not among them).
func visibleTexts(t *testing.T, blocks []slack.Block) []string {
	t.Helper()
	b, err := json.Marshal(blocks)
	if err != nil {
		t.Fatal(err)
	}
	return visibleTextsJSON(t, string(b))
}

// rule: STF-2
// The case card speaks the channel's language: zh-Hans by default, English
// when configured; kinds, remedies, statuses and severity by name, no
// codes, the customer's words escaped for Slack markup.
func TestCardInTheChannelsLanguage(t *testing.T) {
	c := cases.Case{Number: "AS-20261124-0001", Kind: "transport_damage", Severity: cases.Major, Status: cases.Claimed,
		CustomerName: "王芳", Phone: "13800001234", OrderNo: "SO-1", Assignee: "小李", Remedy: "touch_up_paint",
		Classification: "quality_defect", Cause: "包装 <薄>", Action: "补漆 & 道歉", Description: "<!channel> 桌腿断了 & 划痕",
		Details: map[string]string{"lines": "2"}}
	zh := strings.Join(visibleTexts(t, CardIn(c, nil, conversations.ZhHans)), "\n")
	for _, want := range []string{"AS-20261124-0001 · 运输损坏", "*类型*\n运输损坏", "*严重程度*\n严重", "*状态*\n已认领", "*处理方案*\n补漆",
		"归类： 质量问题", "原因： 包装 &lt;薄&gt;", "&lt;!channel&gt; 桌腿断了 &amp; 划痕", "认领", "解决", "标为严重", "SO-1（第 2 行）", "138****1234"} {
		if !strings.Contains(zh, want) {
			t.Errorf("zh-Hans card lacks %q:\n%s", want, zh)
		}
	}
	en := strings.Join(visibleTexts(t, CardIn(c, nil, conversations.En)), "\n")
	for _, want := range []string{"AS-20261124-0001 · transport damage", "*Kind*\ntransport damage", "*Remedy*\nTouch-up paint", "Claim", "Mark major"} {
		if !strings.Contains(en, want) {
			t.Errorf("English card lacks %q:\n%s", want, en)
		}
	}
	for lang, text := range map[string]string{"zh-Hans": zh, "en": en} {
		for _, code := range []string{"transport_damage", "touch_up_paint", "quality_defect", "claimed", "compensation_rolls", "<!channel>"} {
			if strings.Contains(text, code) {
				t.Errorf("%s card shows %q:\n%s", lang, code, text)
			}
		}
	}
	if got, want := visibleTexts(t, Card(c, nil)), visibleTexts(t, CardIn(c, nil, conversations.ZhHans)); !slices.Equal(sorted(got), sorted(want)) {
		t.Error("Card is not the zh-Hans card")
	}
}

// An English staff channel (FRONTDESK_STAFF_LANG=en) gets English cards.
func TestCardOfAnEnglishChannel(t *testing.T) {
	h := newHarness(t, Config{Lang: conversations.En})
	h.reportDamage()
	posts := h.fake.Posts()
	if len(posts) == 0 || !strings.Contains(posts[0].Blocks, "Claim") || strings.Contains(posts[0].Blocks, "认领") {
		t.Fatalf("English channel card: %+v", posts)
	}
}
