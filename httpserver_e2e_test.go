package main

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// withConfig writes a FRONTDESK_CONFIG file into env.
func withConfig(t *testing.T, env map[string]string, json string) {
	t.Helper()
	env["FRONTDESK_CONFIG"] = filepath.Join(t.TempDir(), "config.json")
	if err := os.WriteFile(env["FRONTDESK_CONFIG"], []byte(json), 0o600); err != nil {
		t.Fatal(err)
	}
}

// closedWithin reports whether the server closes conn within d.
func closedWithin(conn net.Conn, d time.Duration) bool {
	closed := make(chan struct{})
	go func() {
		io.Copy(io.Discard, conn) // returns when the server closes
		close(closed)
	}()
	select {
	case <-closed:
		return true
	case <-time.After(d):
		return false
	}
}

// A client that sends its headers a byte at a time (a slowloris), or keeps
// an idle connection, is dropped after the configured timeouts, while a web
// chat long poll longer than both still gets its answer.
func TestSlowAndIdleClientsAreDropped(t *testing.T) {
	env := freshEnv(t)
	withConfig(t, env, `{"http": {"read_header_timeout": "300ms", "read_timeout": "1s", "idle_timeout": "500ms"}}`)
	fd := start(t, env)
	addr := strings.TrimPrefix(fd.base, "http://")

	slow, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer slow.Close()
	go func() {
		for _, b := range []byte("GET /healthz HTTP/1.1\r\nHost: desk\r\nX-Padding: " + strings.Repeat("a", 200)) {
			if _, err := slow.Write([]byte{b}); err != nil {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	began := time.Now()
	if !closedWithin(slow, 3*time.Second) {
		t.Fatal("a client sending its headers a byte at a time is still connected after 3s")
	}
	t.Logf("the slow client was dropped after %v", time.Since(began).Round(time.Millisecond))

	idle, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer idle.Close()
	io.WriteString(idle, "GET /healthz HTTP/1.1\r\nHost: desk\r\n\r\n")
	res, err := http.ReadResponse(bufio.NewReader(idle), nil)
	if err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("healthz on a kept-alive connection: %v %v", err, res)
	}
	io.Copy(io.Discard, res.Body)
	if !closedWithin(idle, 3*time.Second) {
		t.Fatal("an idle kept-alive connection is still open after 3s")
	}

	s := fd.newSession()
	began = time.Now()
	status, body := fd.get("/chat/api/messages?session=" + s + "&wait=2")
	if status != http.StatusOK || !strings.Contains(body, `"messages"`) || time.Since(began) < 2*time.Second {
		t.Fatalf("long poll past the read timeouts: %d %s after %v", status, body, time.Since(began))
	}
}

var metricsLine = regexp.MustCompile(`metrics:\s+(http://\S+/metrics)`)

// fetch GETs target, with a bearer token when given, and returns the
// status and the body.
func fetch(t *testing.T, target, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", target, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// /metrics moves to an address of its own with FRONTDESK_METRICS_ADDR (and
// is gone from the main one), and asks for a bearer token with
// FRONTDESK_METRICS_TOKEN.
func TestMetricsOnItsOwnAddressOrBehindAToken(t *testing.T) {
	t.Run("own address", func(t *testing.T) {
		env := freshEnv(t)
		env["FRONTDESK_METRICS_ADDR"] = "127.0.0.1:0"
		fd := start(t, env)
		m := metricsLine.FindStringSubmatch(fd.stdout.String())
		if m == nil || strings.HasPrefix(m[1], fd.base) {
			t.Fatalf("start-up does not say where the metrics are:\n%s", fd.stdout.String())
		}
		if status, _ := fd.get("/metrics"); status != http.StatusNotFound {
			t.Fatalf("/metrics on the main address: %d", status)
		}
		if status, body := fetch(t, m[1], ""); status != http.StatusOK || !strings.Contains(body, "frontdesk_outbox_backlog") {
			t.Fatalf("/metrics on its own address: %d %.300s", status, body)
		}
		if status, _ := fetch(t, strings.TrimSuffix(m[1], "/metrics")+"/chat", ""); status != http.StatusNotFound {
			t.Fatalf("the metrics address serves the chat: %d", status)
		}
	})
	t.Run("token", func(t *testing.T) {
		env := freshEnv(t)
		env["FRONTDESK_METRICS_TOKEN"] = "scrape-me"
		fd := start(t, env)
		for _, token := range []string{"", "wrong"} {
			status, body := fetch(t, fd.base+"/metrics", token)
			if status != http.StatusUnauthorized || !strings.Contains(body, "Authorization: Bearer") || strings.Contains(body, "frontdesk_") {
				t.Fatalf("/metrics with token %q: %d %s", token, status, body)
			}
		}
		if status, body := fetch(t, fd.base+"/metrics", "scrape-me"); status != http.StatusOK || !strings.Contains(body, "frontdesk_outbox_backlog") {
			t.Fatalf("/metrics with the token: %d %.300s", status, body)
		}
		if strings.Contains(fd.stdout.String(), "scrape-me") {
			t.Fatal("the start-up shows the token")
		}
	})
}
