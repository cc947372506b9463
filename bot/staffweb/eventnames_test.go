package staffweb

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"frontdesk/conversations"
)

// rule: STF-2
// Every kind of history line the code records has a name in every
// language: the case page never shows a bare "entry" for a line a clerk
// meets (the event kinds are read from the source of cases/, bot/ and
// config/, so a new kind without a name fails here).
func TestEveryEventKindHasAName(t *testing.T) {
	kinds := eventKindsInSource(t)
	if len(kinds) < 20 {
		t.Fatalf("found only %d event kinds in the source: %v", len(kinds), kinds)
	}
	// The catalog's own test checks that every key of zh-Hans exists in
	// every language; a zh-Hans name is never the code itself.
	for _, kind := range kinds {
		if conversations.Label(conversations.ZhHans, "staff.event.", kind) == kind {
			t.Errorf("the event %q has no name (staff.event.%s)", kind, kind)
		}
	}
}

var eventInSource = []*regexp.Regexp{
	regexp.MustCompile(`\brecord(?:Said)?\("([a-z_]+)"`),
	regexp.MustCompile(`Record\{Event: *"([a-z_]+)"`),
	regexp.MustCompile(`\bEv[A-Za-z]+ *= *"([a-z_]+)"`),
}

func eventKindsInSource(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	var kinds []string
	for _, dir := range []string{"../../cases", "../../bot", "../../config"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, re := range eventInSource {
				for _, m := range re.FindAllSubmatch(src, -1) {
					if k := string(m[1]); !seen[k] {
						seen[k] = true
						kinds = append(kinds, k)
					}
				}
			}
		}
	}
	return kinds
}
