package conversations

import (
	"fmt"
	"os"
	"path/filepath"
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
			path := filepath.Join("testdata", "transcripts", name)
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run `go test ./conversations -run Golden -update` to write it)", err)
			}
			if got != string(want) {
				t.Errorf("transcript differs from %s (-update to accept):\n%s", path, firstDiff(string(want), got))
			}
		})
	}
}
