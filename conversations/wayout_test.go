package conversations

import (
	"strings"
	"testing"
)

// The digits step takes the four digits or a whole phone number, written
// as people write them; anything else is asked again.
func TestLastFourOfAWholeNumber(t *testing.T) {
	for in, want := range map[string]string{"1234": "1234", "13800001234": "1234", "+86 138-0000-1234": "1234",
		"(021) 6543 2109": "2109", "0086 13800005678": "5678"} {
		if got, ok := lastFourOf(in); !ok || got != want {
			t.Errorf("lastFourOf(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, bad := range []string{"123", "12345", "12a4", "１２３４", "", "1234567890123456", "138 0000 1234 ext 5"} {
		if got, ok := lastFourOf(bad); ok {
			t.Errorf("lastFourOf(%q) = %q, accepted", bad, got)
		}
	}
}

// A text is bounded in characters as the customer counts them: 1 000
// Chinese characters (3 000 bytes) pass, 1 001 do not, and the answer says
// characters.
func TestTextLimitInCharacters(t *testing.T) {
	lim := Limits{MaxTextBytes: 4096}
	if _, refused := checkInput(lim, ZhHans, Inbound{Text: strings.Repeat("长", DefaultMaxTextChars)}); refused {
		t.Fatal("1000 characters refused")
	}
	r, refused := checkInput(lim, ZhHans, Inbound{Text: strings.Repeat("a", DefaultMaxTextChars+1)})
	if !refused || !strings.Contains(r.Text, "1000 个字") {
		t.Fatalf("1001 characters: %v %q", refused, r.Text)
	}
	if r, _ := checkInput(Limits{MaxTextChars: 20}, En, Inbound{Text: strings.Repeat("é", 21)}); !strings.Contains(r.Text, "20 characters") {
		t.Fatalf("configured limit: %q", r.Text)
	}
}
