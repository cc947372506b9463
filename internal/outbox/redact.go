package outbox

import (
	"net/url"
	"regexp"
	"strings"
)

var (
	// A URL keeps its scheme and host: a platform's API puts its token in
	// the path (Telegram: /bot<token>/sendMessage) or the query.
	urlPattern = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://[^\s"'<>]+`)
	// Tokens that may stand alone: Telegram bot tokens, Slack tokens,
	// bearer credentials, key=value secrets.
	secretPatterns = []*regexp.Regexp{
		regexp.MustCompile(`\b\d{5,}:[A-Za-z0-9_-]{30,}`),
		regexp.MustCompile(`\bx(?:ox[a-z]|app)-[A-Za-z0-9-]{8,}`),
		regexp.MustCompile(`(?i)\bbearer\s+[^\s"']+`),
		regexp.MustCompile(`(?i)\b(token|secret|password|key)=[^\s&"']+`),
	}
)

// maxReason is how much of an error is kept for staff to read.
const maxReason = 300

// Redact returns a delivery error as staff may read it and the store may
// keep it: URLs cut to their scheme and host, tokens and credentials
// replaced by "[redacted]", at most a few hundred bytes.
func Redact(s string) string {
	s = urlPattern.ReplaceAllStringFunc(s, func(raw string) string {
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" {
			return "[url]"
		}
		return u.Scheme + "://" + u.Hostname()
	})
	for _, p := range secretPatterns {
		s = p.ReplaceAllString(s, "[redacted]")
	}
	s = strings.TrimSpace(s)
	if len(s) > maxReason {
		cut := maxReason
		for cut > 0 && !utf8Start(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// utf8Start reports whether b begins a UTF-8 character (is no continuation
// byte), so a cut there leaves valid text.
func utf8Start(b byte) bool { return b&0xC0 != 0x80 }
