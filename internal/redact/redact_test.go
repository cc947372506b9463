package redact

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const token = "123456:AAH-secret_Token"

// An error of the HTTP client names the URL, and a Bot API URL holds the
// token: the message and the *url.Error itself lose it, and the chain is
// kept for errors.Is and errors.As.
func TestErrorKeepsTheChainAndLosesTheSecret(t *testing.T) {
	s := New(token, "", "whsec-2")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", "http://127.0.0.1:1/bot"+token+"/getUpdates", nil)
	_, cause := http.DefaultClient.Do(req)
	if cause == nil || !strings.Contains(cause.Error(), token) {
		t.Fatalf("the client's error does not show the URL: %v", cause)
	}
	err := s.Error(fmt.Errorf("telegram: getUpdates: %w", cause))
	if strings.Contains(err.Error(), token) || !strings.Contains(err.Error(), "/bot"+Mark+"/getUpdates") {
		t.Fatalf("message: %v", err)
	}
	var ue *url.Error
	if !errors.As(err, &ue) || strings.Contains(ue.Error(), token) || strings.Contains(ue.URL, token) {
		t.Fatalf("the *url.Error in the chain: %v", ue)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("errors.Is lost the cause: %v", err)
	}
	if got := fmt.Sprintf("%+v %#v", err, err.Error()); strings.Contains(got, token) {
		t.Fatalf("formatted: %s", got)
	}
}

func TestErrorForms(t *testing.T) {
	s := New(token, "a b/c")
	joined := errors.Join(&url.Error{Op: "Get", URL: "http://x/a%20b%2Fc", Err: errors.New("EOF")},
		fmt.Errorf("timeout after %v: %s", time.Second, token))
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"nil", nil, ""},
		{"no secret: the same error", errors.New("plain"), "plain"},
		{"raw", errors.New("bad " + token), "bad " + Mark},
		{"query-escaped", errors.New("q=" + url.QueryEscape("a b/c")), "q=" + Mark},
		{"joined", joined, "Get \"http://x/" + Mark + "\": EOF\ntimeout after 1s: " + Mark},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := s.Error(tt.err)
			if tt.err == nil {
				if got != nil {
					t.Fatalf("nil became %v", got)
				}
				return
			}
			if got.Error() != tt.want {
				t.Fatalf("got %q, want %q", got.Error(), tt.want)
			}
			if !errors.Is(got, tt.err) {
				t.Fatal("the original is not in the chain")
			}
		})
	}
	if plain := errors.New("plain"); s.Error(plain) != plain {
		t.Fatal("an error without a secret was wrapped")
	}
	var zero Secrets
	if e := errors.New(token); zero.Error(e) != e || zero.String(token) != token {
		t.Fatal("the zero Secrets changed something")
	}
}

// A secret that contains another is replaced whole.
func TestStringLongestFirst(t *testing.T) {
	s := New("abc", "abcdef")
	if got := s.String("x abcdef y abc"); got != "x "+Mark+" y "+Mark {
		t.Fatalf("got %q", got)
	}
}
