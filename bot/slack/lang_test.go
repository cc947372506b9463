package slack

import (
	"context"
	"strings"
	"testing"

	"frontdesk/bot"
	"frontdesk/cases"
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
