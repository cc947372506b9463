package slackfake

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/slack-go/slack"
)

// Sign signs the way slack-go verifies.
func TestSignMatchesSlackVerification(t *testing.T) {
	body := []byte(`{"type":"event_callback"}`)
	ts, sig := Sign("s3cret", time.Now(), body)
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", ts)
	h.Set("X-Slack-Signature", sig)
	v, err := slack.NewSecretsVerifier(h, "s3cret")
	if err != nil {
		t.Fatal(err)
	}
	v.Write(body)
	if err := v.Ensure(); err != nil {
		t.Fatalf("our signature is not Slack's: %v", err)
	}
	s := New(t)
	api := slack.New("xoxb", slack.OptionAPIURL(s.URL))
	_, ts1, err := api.PostMessage("C1", slack.MsgOptionText("a", false))
	_, ts2, _ := api.PostMessage("C1", slack.MsgOptionText("b", false))
	if err != nil || ts1 == ts2 || len(s.Posts()) != 2 {
		t.Fatalf("posts: %v %q %q", err, ts1, ts2)
	}
}

// SignedPost sends what slack-go's verifier accepts, with its content type.
func TestSignedPostIsVerified(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v, err := slack.NewSecretsVerifier(r.Header, "s3cret")
		if err != nil {
			http.Error(w, err.Error(), 401)
			return
		}
		io.Copy(&v, r.Body)
		if v.Ensure() != nil || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "unverified", 401)
		}
	}))
	defer srv.Close()
	for secret, want := range map[string]int{"s3cret": 200, "other": 401} {
		res, err := SignedPost(srv.URL, secret, "application/json", []byte(`{"type":"event_callback"}`), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != want {
			t.Errorf("signed with %q: %d, want %d", secret, res.StatusCode, want)
		}
	}
}

// Down fails every request the way it is told, until Up.
func TestServerOutage(t *testing.T) {
	s := New(t)
	api := slack.New("xoxb", slack.OptionAPIURL(s.URL))
	s.Down(Status500)
	if _, _, err := api.PostMessage("C1", slack.MsgOptionText("a", false)); err == nil {
		t.Fatal("Status500: posted")
	}
	s.Down(Hangup)
	if _, _, err := api.PostMessage("C1", slack.MsgOptionText("b", false)); err == nil {
		t.Fatal("Hangup: posted")
	}
	if n := s.Refused(); n < 2 {
		t.Fatalf("refused %d requests", n)
	}
	s.Up()
	if _, _, err := api.PostMessage("C1", slack.MsgOptionText("c", false)); err != nil || len(s.Posts()) != 1 {
		t.Fatalf("after Up: %v %+v", err, s.Posts())
	}
}
