package cases

import (
	"regexp"
	"strings"
)

// CannedPlaceholders are what a canned reply may hold (STF-4), filled in
// from the case when a clerk uses it.
var CannedPlaceholders = []string{"{case}", "{customer}", "{order}", "{staff}"}

var placeholder = regexp.MustCompile(`\{[^{}\s]*\}`)

// CheckCanned refuses a canned reply with a placeholder it does not know,
// naming it; an empty or oversized body is refused too.
func CheckCanned(body string) error {
	switch n := len([]rune(strings.TrimSpace(body))); {
	case n == 0:
		return Refuse(Invalid, "staff.refuse.canned_empty", nil, "body: the reply is empty")
	case n > 2000:
		return Refuse(Invalid, "staff.refuse.canned_long", []any{"Max", 2000, "Got", n}, "body: at most 2000 characters, got %d", n)
	}
	for _, p := range placeholder.FindAllString(body, -1) {
		if !known(p) {
			all := strings.Join(CannedPlaceholders, " ")
			return Refuse(Invalid, "staff.refuse.canned_placeholder", []any{"Placeholder", p, "Known", all},
				"body: unknown placeholder %s (known: %s)", p, all)
		}
	}
	return nil
}

func known(p string) bool {
	for _, k := range CannedPlaceholders {
		if p == k {
			return true
		}
	}
	return false
}

// ExpandCanned fills a canned reply's placeholders from the case and the
// staff member using it.
func ExpandCanned(body string, c Case, staff string) (string, error) {
	if err := CheckCanned(body); err != nil {
		return "", err
	}
	return strings.NewReplacer("{case}", c.Number, "{customer}", c.CustomerName, "{order}", c.OrderNo,
		"{staff}", staff).Replace(body), nil
}
