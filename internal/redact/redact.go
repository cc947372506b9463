// Package redact keeps secrets (bot tokens, signing secrets) out of error
// messages, and so out of logs and the outbox's last_error: the HTTP
// client puts the request URL in its errors, and a Telegram Bot API URL
// holds the bot token.
package redact

import (
	"net/url"
	"sort"
	"strings"
)

// Mark stands where a secret was.
const Mark = "<redacted>"

// Secrets replaces a set of secret values wherever they appear. The zero
// value replaces nothing.
type Secrets struct {
	r *strings.Replacer
}

// New returns the Secrets of values; empty values are skipped. Each value is
// also replaced as it appears escaped in a URL path or query.
func New(values ...string) Secrets {
	seen := map[string]bool{}
	var forms []string
	for _, v := range values {
		if v == "" {
			continue
		}
		for _, f := range []string{v, url.PathEscape(v), url.QueryEscape(v)} {
			if !seen[f] {
				seen[f] = true
				forms = append(forms, f)
			}
		}
	}
	if len(forms) == 0 {
		return Secrets{}
	}
	// The longest first, so that a secret holding another is replaced
	// whole.
	sort.Slice(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	pairs := make([]string, 0, 2*len(forms))
	for _, f := range forms {
		pairs = append(pairs, f, Mark)
	}
	return Secrets{r: strings.NewReplacer(pairs...)}
}

// String returns text with every secret replaced by Mark.
func (s Secrets) String(text string) string {
	if s.r == nil {
		return text
	}
	return s.r.Replace(text)
}

// Error returns err with every secret replaced by Mark in its message and in
// the URL of every *url.Error in its chain (so that code that unwraps it to
// the *url.Error does not find the secret either). errors.Is and errors.As
// see the same chain as before. A nil err stays nil.
func (s Secrets) Error(err error) error {
	if err == nil || s.r == nil {
		return err
	}
	scrubURLs(err, s)
	msg := err.Error()
	if clean := s.String(msg); clean != msg {
		return &redacted{err: err, msg: clean}
	}
	return err
}

// scrubURLs replaces the secrets in the URL of every *url.Error in err's
// chain. The errors are the caller's own (made for the request that
// failed), so they are changed in place.
func scrubURLs(err error, s Secrets) {
	for err != nil {
		if ue, ok := err.(*url.Error); ok {
			ue.URL = s.String(ue.URL)
		}
		switch u := err.(type) {
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				scrubURLs(e, s)
			}
			return
		case interface{ Unwrap() error }:
			err = u.Unwrap()
		default:
			return
		}
	}
}

// redacted is an error whose message had a secret in it.
type redacted struct {
	err error
	msg string
}

func (e *redacted) Error() string { return e.msg }
func (e *redacted) Unwrap() error { return e.err }
