package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// staff runs `frontdesk staff args…` on env's data folder with stdin.
func staff(t *testing.T, env map[string]string, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := staffCmd(context.Background(), args, func(k string) string { return env[k] }, strings.NewReader(stdin), &out, io.Discard)
	return out.String(), err
}

var madePassword = regexp.MustCompile(`password \(shown this once\): (\S+)`)

// rule: STF-1
func TestStaffCommand(t *testing.T) {
	env := freshEnv(t)
	getenv := func(k string) string { return env[k] }
	var out bytes.Buffer
	// Through run, as from the shell: a made-up password is printed once.
	if err := run(context.Background(), []string{"staff", "add", "Li", "--name", "小李", "--role", "clerk"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	m := madePassword.FindStringSubmatch(out.String())
	if !strings.Contains(out.String(), "added li (小李, clerk, zh-Hans)") || m == nil || len(m[1]) < 10 {
		t.Fatalf("staff add: %s", out.String())
	}
	if got, err := staff(t, env, "a chosen password\n", "add", "zhou", "--name", "周主管", "--role", "Duty-Manager", "--lang", "en", "--password-stdin"); err != nil ||
		!strings.Contains(got, "added zhou (周主管, duty_manager, en)") || strings.Contains(got, "password") {
		t.Fatalf("staff add --password-stdin: %q %v", got, err)
	}
	if got, err := staff(t, env, "", "slack", "zhou", "U0ZHOU"); err != nil || !strings.Contains(got, "zhou is linked to the Slack user U0ZHOU") {
		t.Fatalf("staff slack: %q %v", got, err)
	}
	if got, err := staff(t, env, "", "role", "li", "supervisor"); err != nil || !strings.Contains(got, "li is now supervisor") {
		t.Fatalf("staff role: %q %v", got, err)
	}
	list := func() string {
		t.Helper()
		got, err := staff(t, env, "", "list")
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	before := list()
	for _, want := range []string{"LOGIN", "li ", "小李", "supervisor", "zhou", "duty_manager", "U0ZHOU", "en", "active"} {
		if !strings.Contains(before, want) {
			t.Fatalf("list lacks %q:\n%s", want, before)
		}
	}

	// Bad input: a clear error, and nothing changes.
	for _, tc := range []struct {
		stdin string
		args  []string
		says  string
	}{
		{"", []string{"add", "wang", "--name", "王强", "--role", "boss"}, `unknown role "boss": want one of clerk, supervisor, duty_manager, general_manager, admin`},
		{"short\n", []string{"add", "wang", "--name", "王强", "--role", "clerk", "--password-stdin"}, "at least 10"},
		{"\n", []string{"add", "wang", "--name", "王强", "--role", "clerk", "--password-stdin"}, "no password"},
		{"", []string{"add", "LI", "--name", "王强", "--role", "clerk"}, `login "li" is taken`},
		{"", []string{"add", "wang", "--name", "小李", "--role", "clerk"}, `name "小李" is taken by the account li`},
		{"", []string{"add", "wang w", "--name", "王强", "--role", "clerk"}, "2 to 32 letters"},
		{"", []string{"add", "wang", "--role", "clerk"}, "needs --name and --role"},
		{"", []string{"passwd", "nobody"}, `no staff account "nobody"`},
		{"short\n", []string{"passwd", "li", "--password-stdin"}, "at least 10"},
		{"", []string{"disable", "nobody"}, `no staff account "nobody"`},
		{"", []string{"role", "li", "boss"}, "unknown role"},
		{"", []string{"slack", "nobody", "U0X"}, `no staff account "nobody"`},
		{"", []string{"slack", "li", "U0ZHOU"}, "Slack user \"U0ZHOU\" is taken by the account zhou"},
		{"", []string{"slack", "li", "@li"}, "member ID"},
		{"", []string{"frobnicate"}, "unknown staff command"},
		{"", []string{"disable"}, "takes 1 argument"},
		{"", []string{"list", "--name", "x"}, "takes none of those flags"},
		{"", nil, "frontdesk staff add LOGIN"},
	} {
		got, err := staff(t, env, tc.stdin, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("staff %v: %v, want %q", tc.args, err, tc.says)
		}
		if strings.Contains(got, "password (shown") {
			t.Errorf("staff %v printed a password for nothing: %s", tc.args, got)
		}
	}
	if after := list(); after != before {
		t.Fatalf("bad input changed the accounts:\n%s\n%s", before, after)
	}

	got, err := staff(t, env, "", "passwd", "li")
	m2 := madePassword.FindStringSubmatch(got)
	if err != nil || m2 == nil || m2[1] == m[1] || !strings.Contains(got, "sessions have ended") {
		t.Fatalf("staff passwd: %q %v", got, err)
	}
	if got, err := staff(t, env, "", "disable", "li"); err != nil || !strings.Contains(got, "disabled li") {
		t.Fatalf("staff disable: %q %v", got, err)
	}
	if !strings.Contains(list(), "disabled") {
		t.Fatal("list does not show the disabled account")
	}
	if got, err := staff(t, env, "", "enable", "li"); err != nil || !strings.Contains(got, "enabled li") {
		t.Fatalf("staff enable: %q %v", got, err)
	}
	if got, err := staff(t, env, "", "slack", "zhou", "-"); err != nil || !strings.Contains(got, "no longer linked") || strings.Contains(list(), "U0ZHOU") {
		t.Fatalf("staff slack -: %q %v", got, err)
	}

	// The accounts made here log in on the staff page.
	fd := start(t, env)
	if strings.Contains(fd.stdout.String(), "first start") {
		t.Fatalf("an admin was made although accounts exist:\n%s", fd.stdout.String())
	}
	if status := fd.staffLogin(t, "li", m2[1]); status != http.StatusOK {
		t.Fatalf("login with the password from staff passwd: %d", status)
	}
}

// staffLogin posts the login form and returns the status of the page it
// leads to.
func (in *instance) staffLogin(t *testing.T, login, pw string) int {
	t.Helper()
	res, err := http.PostForm(in.base+"/staff/login", url.Values{"login": {login}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

var firstAdmin = regexp.MustCompile(`account admin \(role admin\) made with the password (\S+)`)

// rule: STF-1
func TestFirstAdminIsPrintedOnce(t *testing.T) {
	env := freshEnv(t)
	fd := start(t, env)
	m := firstAdmin.FindStringSubmatch(fd.stdout.String())
	if m == nil {
		t.Fatalf("no first admin on the start-up output:\n%s", fd.stdout.String())
	}
	if status := fd.staffLogin(t, "admin", m[1]); status != http.StatusOK {
		t.Fatalf("the printed password: %d", status)
	}
	if err := fd.stop(); err != nil {
		t.Fatal(err)
	}
	again := start(t, env)
	if out := again.stdout.String(); strings.Contains(out, m[1]) || strings.Contains(out, "first start") || !strings.Contains(out, "own account") {
		t.Fatalf("the second start:\n%s", out)
	}

	// With FRONTDESK_ADMIN_PASSWORD the first admin takes it, and it is not
	// printed.
	env = freshEnv(t)
	env["FRONTDESK_ADMIN_PASSWORD"] = "the chosen admin pw"
	fd = start(t, env)
	if out := fd.stdout.String(); !strings.Contains(out, "made with the password from FRONTDESK_ADMIN_PASSWORD") || strings.Contains(out, "the chosen admin pw") {
		t.Fatalf("start-up with FRONTDESK_ADMIN_PASSWORD:\n%s", out)
	}
	if status := fd.staffLogin(t, "admin", "the chosen admin pw"); status != http.StatusOK {
		t.Fatalf("the chosen password: %d", status)
	}
}

// rule: STF-1
func TestSharedStaffPasswordStopsTheStart(t *testing.T) {
	env := freshEnv(t)
	env["FRONTDESK_STAFF_PASSWORD"] = "old-shared"
	err := run(context.Background(), []string{"serve"}, func(k string) string { return env[k] }, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "FRONTDESK_STAFF_PASSWORD is no longer read") {
		t.Fatalf("start with the shared password: %v", err)
	}
}

// A restart keeps a staff session: the cookie of the first run works on
// the second, and logging out there ends it.
// rule: STF-1
func TestRestartKeepsStaffSessions(t *testing.T) {
	env := freshEnv(t)
	env["FRONTDESK_ADMIN_PASSWORD"] = "the chosen admin pw"
	fd := start(t, env)
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noRedirect.PostForm(fd.base+"/staff/login", url.Values{"login": {"admin"}, "password": {"the chosen admin pw"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if len(res.Cookies()) != 1 {
		t.Fatalf("login: %d %v", res.StatusCode, res.Cookies())
	}
	cookie := res.Cookies()[0]
	if err := fd.stop(); err != nil {
		t.Fatal(err)
	}
	again := start(t, env)
	get := func(path string) (int, string) {
		req, _ := http.NewRequest("GET", again.base+path, nil)
		req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
		res, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if status, page := get("/staff/admin"); status != 200 || !strings.Contains(page, "员工账号") {
		t.Fatalf("after a restart: %d %.300s", status, page)
	}
	req, _ := http.NewRequest("POST", again.base+"/staff/logout", nil)
	req.AddCookie(&http.Cookie{Name: cookie.Name, Value: cookie.Value})
	res, err = noRedirect.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if status, _ := get("/staff/admin"); status != http.StatusSeeOther {
		t.Fatalf("the old cookie after logout: %d", status)
	}
}
