package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// The steps the end-to-end tests share: a clerk account, a staff member
// logged in on /staff, a form posted there, the back-office API called.

// e2ePassword is the password of every account the end-to-end tests add.
const e2ePassword = "e2e password"

// addClerk adds the clerk 小王 (login wang) with the e2e password.
func addClerk(t *testing.T, env map[string]string) {
	t.Helper()
	if _, err := staff(t, env, e2ePassword+"\n", "add", "wang", "--name", "小王", "--role", "clerk", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
}

// staffClient logs login in on /staff with the e2e password and returns
// the client that keeps the session, and the page the login led to; a
// refused login fails the test.
func (in *instance) staffClient(t *testing.T, login string) (*http.Client, string) {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	res, err := client.PostForm(in.base+"/staff/login", url.Values{"login": {login}, "password": {e2ePassword}})
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("login %s: %v %v", login, res, err)
	}
	defer res.Body.Close()
	page, _ := io.ReadAll(res.Body)
	return client, string(page)
}

// postForm posts fields to path of the instance with client and returns
// the status and the page after it.
func (in *instance) postForm(t *testing.T, client *http.Client, path string, fields url.Values) (int, string) {
	t.Helper()
	res, err := client.PostForm(in.base+path, fields)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	page, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(page)
}

// apiCaller returns a function that calls the back-office API with token
// and a JSON body, and returns the status and the decoded answer. With a
// keyPrefix each call carries a fresh Idempotency-Key made from it.
func (in *instance) apiCaller(t *testing.T, token, keyPrefix string) func(method, path, body string) (int, map[string]any) {
	calls := 0
	return func(method, path, body string) (int, map[string]any) {
		t.Helper()
		calls++
		req, _ := http.NewRequest(method, in.base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if keyPrefix != "" {
			req.Header.Set("Idempotency-Key", keyPrefix+strconv.Itoa(calls))
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var m map[string]any
		json.NewDecoder(res.Body).Decode(&m)
		return res.StatusCode, m
	}
}
