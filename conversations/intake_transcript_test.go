package conversations

import (
	"fmt"
	"testing"
)

// TestGoldenIntakeTranscripts writes the customer's side of a case staff
// opened for a phone call (INT-2): the desk tells the number in the chat
// the customer verified. Run with -update to rewrite, like
// TestGoldenTranscripts.
// rule: INT-2
func TestGoldenIntakeTranscripts(t *testing.T) {
	for _, lang := range []Lang{ZhHans, En} {
		name := fmt.Sprintf("intake-phone-case-told-in-chat.%s.txt", lang)
		t.Run(name, func(t *testing.T) {
			header := runScript(t, script{name: "intake-phone-case-told-in-chat", verify: true}, lang)
			got := header + "\n(the desk tells the customer: staff opened a case for their phone call)\n" +
				renderEffect(Reply{Text: IntakeNotice(lang, "phone", "repair", "AS-20261124-0001")})
			goldenFile(t, name, got)
		})
	}
}
