package bot_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

func accountDesk(t *testing.T) (*testkit.Desk, *testkit.Clock) {
	t.Helper()
	d := testkit.NewDesk(t)
	return d, d.Clock
}

func mustAdd(t *testing.T, d *testkit.Desk, login, name string, role cases.Role, pw string) store.Account {
	t.Helper()
	a, err := d.AddAccount(context.Background(), "test", bot.NewAccount{Login: login, Name: name, Role: role, Password: pw})
	if err != nil {
		t.Fatalf("add %s: %v", login, err)
	}
	return a
}

// rule: STF-1
func TestAccountsRefuseBadInputAndChangeNothing(t *testing.T) {
	ctx := context.Background()
	d, _ := accountDesk(t)
	li := mustAdd(t, d, "Li.Na", "李娜", cases.Clerk, "correct horse 1")
	if li.Login != "li.na" || li.Lang != "zh-Hans" || li.PasswordHash == "" || strings.Contains(li.PasswordHash, "horse") {
		t.Fatalf("added %+v", li)
	}
	if err := d.LinkSlack(ctx, "test", "li.na", "U042"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		n    bot.NewAccount
		code cases.Code
		says string
	}{
		{bot.NewAccount{Login: "wang", Name: "王强", Role: "boss", Password: "long enough pw"}, cases.Invalid, "unknown role \"boss\""},
		{bot.NewAccount{Login: "wang", Name: "王强", Role: cases.Clerk, Password: "short"}, cases.Invalid, "at least 10"},
		{bot.NewAccount{Login: "w", Name: "王强", Role: cases.Clerk, Password: "long enough pw"}, cases.Invalid, "2 to 32"},
		{bot.NewAccount{Login: "wang qiang", Name: "王强", Role: cases.Clerk, Password: "long enough pw"}, cases.Invalid, "login"},
		{bot.NewAccount{Login: "wang", Name: " ", Role: cases.Clerk, Password: "long enough pw"}, cases.Invalid, "name"},
		{bot.NewAccount{Login: "wang", Name: "王强", Role: cases.Clerk, Password: "long enough pw", Lang: "fr"}, cases.Invalid, "zh-Hans"},
		{bot.NewAccount{Login: "wang", Name: "王强", Role: cases.Clerk, Password: "long enough pw", SlackUserID: "li"}, cases.Invalid, "member ID"},
		{bot.NewAccount{Login: "LI.NA", Name: "王强", Role: cases.Clerk, Password: "long enough pw"}, cases.Conflict, "login \"li.na\" is taken"},
		{bot.NewAccount{Login: "wang", Name: "李娜", Role: cases.Clerk, Password: "long enough pw"}, cases.Conflict, "name \"李娜\" is taken by the account li.na"},
		{bot.NewAccount{Login: "wang", Name: "王强", Role: cases.Clerk, Password: "long enough pw", SlackUserID: "U042"}, cases.Conflict, "Slack user"},
	} {
		_, err := d.AddAccount(ctx, "test", tc.n)
		if cases.ErrorCode(err) != tc.code || !strings.Contains(cases.ErrorMessage(err), tc.says) {
			t.Errorf("%+v: %v (%s), want %s saying %q", tc.n, err, cases.ErrorCode(err), tc.code, tc.says)
		}
	}
	for name, err := range map[string]error{
		"passwd unknown":  d.SetPassword(ctx, "test", "nobody", "long enough pw"),
		"passwd short":    d.SetPassword(ctx, "test", "li.na", "short"),
		"role unknown":    d.SetRole(ctx, "test", "li.na", "boss"),
		"role nobody":     d.SetRole(ctx, "test", "nobody", cases.Supervisor),
		"disable nobody":  d.SetDisabled(ctx, "test", "nobody", true),
		"slack bad":       d.LinkSlack(ctx, "test", "li.na", "not an id"),
		"slack nobody":    d.LinkSlack(ctx, "test", "nobody", "U043"),
		"language French": d.SetStaffLang(ctx, "test", "li.na", "fr"),
	} {
		if err == nil || cases.ErrorCode(err) == cases.Internal {
			t.Errorf("%s: %v", name, err)
		}
	}
	all, _ := d.Accounts(ctx)
	if len(all) != 1 || all[0].Role != cases.Clerk || all[0].PasswordHash != li.PasswordHash || all[0].SlackUserID != "U042" || all[0].Lang != "zh-Hans" {
		t.Fatalf("bad input changed the accounts: %+v", all)
	}
	trail, _ := d.Store.AuditTrail(ctx, "staff:li.na")
	if len(trail) != 2 || trail[0].Action != "staff_account_added" || trail[1].Action != "staff_slack_linked" {
		t.Fatalf("audit: %+v", trail)
	}
}

// rule: STF-1
func TestTheLastAdminStays(t *testing.T) {
	ctx := context.Background()
	d, _ := accountDesk(t)
	mustAdd(t, d, "boss", "老板", cases.Admin, "long enough pw")
	if err := d.SetDisabled(ctx, "test", "boss", true); cases.ErrorCode(err) != cases.Conflict {
		t.Fatalf("disabling the last admin: %v", err)
	}
	if err := d.SetRole(ctx, "test", "boss", cases.Clerk); cases.ErrorCode(err) != cases.Conflict {
		t.Fatalf("demoting the last admin: %v", err)
	}
	mustAdd(t, d, "it", "小张", cases.Admin, "long enough pw")
	if err := d.SetRole(ctx, "test", "boss", cases.GeneralManager); err != nil {
		t.Fatalf("with a second admin: %v", err)
	}
}

// rule: STF-1
func TestLoginAndSessions(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fd.db")
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	clock := testkit.NewClock()
	d := testkit.NewDesk(t, testkit.WithStore(db), testkit.WithClock(clock))
	mustAdd(t, d, "li", "李娜", cases.Clerk, "correct horse 1")
	mustAdd(t, d, "wang", "王强", cases.Supervisor, "correct horse 2")

	if _, _, err := d.Login(ctx, "li", "wrong password", "10.0.0.1"); !errors.Is(err, bot.ErrLoginFailed) {
		t.Fatalf("a wrong password: %v", err)
	}
	if _, _, err := d.Login(ctx, "nobody", "correct horse 1", "10.0.0.1"); !errors.Is(err, bot.ErrLoginFailed) {
		t.Fatalf("an unknown login: %v", err)
	}
	token, a, err := d.Login(ctx, " LI ", "correct horse 1", "10.0.0.1")
	if err != nil || a.Name != "李娜" || a.Role != cases.Clerk || len(token) < 40 {
		t.Fatalf("the right password: %q %+v %v", token, a, err)
	}
	if got, err := d.StaffSession(ctx, token); err != nil || got.Login != "li" {
		t.Fatalf("session: %+v %v", got, err)
	}
	if _, err := d.StaffSession(ctx, token+"x"); !errors.Is(err, bot.ErrNoSession) {
		t.Fatalf("a forged token: %v", err)
	}

	// A restart keeps the session: the store is reopened.
	db.Close()
	if db, err = store.Open(ctx, path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	d = testkit.NewDesk(t, testkit.WithStore(db), testkit.WithClock(clock))
	clock.Advance(time.Hour)
	if _, err := d.StaffSession(ctx, token); err != nil {
		t.Fatalf("after a restart: %v", err)
	}

	// Logout ends it at once.
	if err := d.Logout(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, err := d.StaffSession(ctx, token); !errors.Is(err, bot.ErrNoSession) {
		t.Fatalf("after logout: %v", err)
	}

	// Disabling the account ends its sessions at once, and its login.
	t1, _, _ := d.Login(ctx, "wang", "correct horse 2", "10.0.0.2")
	t2, _, _ := d.Login(ctx, "wang", "correct horse 2", "10.0.0.3")
	if err := d.SetDisabled(ctx, "admin", "wang", true); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{t1, t2} {
		if _, err := d.StaffSession(ctx, tok); !errors.Is(err, bot.ErrNoSession) {
			t.Fatalf("a disabled account's session: %v", err)
		}
	}
	if _, _, err := d.Login(ctx, "wang", "correct horse 2", "10.0.0.2"); !errors.Is(err, bot.ErrAccountDisabled) {
		t.Fatalf("a disabled account logs in: %v", err)
	}
	d.SetDisabled(ctx, "admin", "wang", false)

	// A new password ends the sessions too.
	t3, _, _ := d.Login(ctx, "wang", "correct horse 2", "10.0.0.2")
	d.SetPassword(ctx, "admin", "wang", "a new password")
	if _, err := d.StaffSession(ctx, t3); !errors.Is(err, bot.ErrNoSession) {
		t.Fatalf("a session outlived a password reset: %v", err)
	}

	// Idle for 12 hours ends a session; activity keeps it, up to 24 hours.
	t4, _, _ := d.Login(ctx, "li", "correct horse 1", "10.0.0.1")
	clock.Advance(bot.SessionIdle - time.Minute)
	if _, err := d.StaffSession(ctx, t4); err != nil {
		t.Fatalf("active within the idle time: %v", err)
	}
	clock.Advance(bot.SessionIdle - time.Minute)
	if _, err := d.StaffSession(ctx, t4); err != nil {
		t.Fatalf("kept alive by activity: %v", err)
	}
	clock.Advance(3 * time.Minute) // 24 h 1 min after the login
	if _, err := d.StaffSession(ctx, t4); !errors.Is(err, bot.ErrNoSession) {
		t.Fatalf("past the absolute end: %v", err)
	}
	t5, _, _ := d.Login(ctx, "li", "correct horse 1", "10.0.0.1")
	clock.Advance(bot.SessionIdle)
	if _, err := d.StaffSession(ctx, t5); !errors.Is(err, bot.ErrNoSession) {
		t.Fatalf("idle for 12 hours: %v", err)
	}
}

// rule: STF-1
func TestLoginLocksPerAccountAndPerAddress(t *testing.T) {
	ctx := context.Background()
	d, clock := accountDesk(t)
	mustAdd(t, d, "li", "李娜", cases.Clerk, "correct horse 1")
	mustAdd(t, d, "wang", "王强", cases.Clerk, "correct horse 2")
	t0 := clock.Now()

	// Per account: five wrong passwords from five addresses lock the login,
	// even for the right password, and say until when.
	for i := range 4 {
		if _, _, err := d.Login(ctx, "li", "guess", "10.0.1."+string(rune('1'+i))); !errors.Is(err, bot.ErrLoginFailed) {
			t.Fatalf("guess %d: %v", i+1, err)
		}
	}
	_, _, err := d.Login(ctx, "li", "guess", "10.0.1.9")
	var locked *bot.LoginLocked
	if !errors.As(err, &locked) || !locked.Until.Equal(t0.Add(15*time.Minute)) {
		t.Fatalf("the fifth failure: %v", err)
	}
	if _, _, err := d.Login(ctx, "li", "correct horse 1", "10.9.9.9"); !errors.As(err, &locked) {
		t.Fatalf("the right password during the lock: %v", err)
	}
	if _, _, err := d.Login(ctx, "wang", "correct horse 2", "10.0.1.9"); err != nil {
		t.Fatalf("another account from the same address: %v", err)
	}
	// After the lock, one more failure doubles it.
	clock.Advance(15 * time.Minute)
	if _, _, err := d.Login(ctx, "li", "guess", "10.0.1.1"); !errors.As(err, &locked) || !locked.Until.Equal(clock.Now().Add(30*time.Minute)) {
		t.Fatalf("a failure after the lock: %v", err)
	}
	clock.Advance(30 * time.Minute)
	if _, _, err := d.Login(ctx, "li", "correct horse 1", "10.0.1.1"); err != nil {
		t.Fatalf("the right password after the lock: %v", err)
	}
	// The right password starts the account's count again.
	if _, _, err := d.Login(ctx, "li", "guess", "10.0.1.1"); !errors.Is(err, bot.ErrLoginFailed) {
		t.Fatalf("after a good login: %v", err)
	}

	// Per address: twenty failures over many logins lock the address for
	// every login, the right ones too.
	for i := range 19 {
		if _, _, err := d.Login(ctx, "user"+string(rune('a'+i)), "guess", "2001:db8::1"); !errors.Is(err, bot.ErrLoginFailed) {
			t.Fatalf("address guess %d: %v", i+1, err)
		}
	}
	if _, _, err := d.Login(ctx, "usert", "guess", "2001:db8::2"); !errors.As(err, &locked) {
		t.Fatalf("the twentieth failure from the address (same /64): %v", err)
	}
	if _, _, err := d.Login(ctx, "wang", "correct horse 2", "2001:db8::3"); !errors.As(err, &locked) {
		t.Fatalf("a good login from a locked address: %v", err)
	}
	if _, _, err := d.Login(ctx, "wang", "correct horse 2", "2001:db9::3"); err != nil {
		t.Fatalf("a good login from another address: %v", err)
	}
	trail, _ := d.Store.AuditTrail(ctx, "staff:li")
	failed := testkit.CountWhere(trail, func(e store.AuditEntry) bool { return e.Action == "staff_login_failed" })
	if failed != 7 {
		t.Fatalf("%d failed logins in li's audit trail, want 7 (locked tries are not checked)", failed)
	}
}

// TestGuessRateIsBounded hammers one account from one address with a wrong
// password every 30 seconds for a simulated day and counts the guesses the
// desk actually checked (each is a failed login in the audit trail): the
// throttle's ceiling, against the 129 guesses a second that the shared
// staff password allowed.
// rule: STF-1
func TestGuessRateIsBounded(t *testing.T) {
	ctx := context.Background()
	d, clock := accountDesk(t)
	mustAdd(t, d, "li", "李娜", cases.Clerk, "correct horse 1")
	start := clock.Now()
	tries := 0
	for clock.Now().Sub(start) < 24*time.Hour {
		tries++
		_, _, err := d.Login(ctx, "li", "guess", "203.0.113.7")
		var locked *bot.LoginLocked
		if !errors.Is(err, bot.ErrLoginFailed) && !errors.As(err, &locked) {
			t.Fatalf("try %d: %v", tries, err)
		}
		clock.Advance(30 * time.Second)
	}
	trail, _ := d.Store.AuditTrail(ctx, "staff:li")
	checked := testkit.CountWhere(trail, func(e store.AuditEntry) bool { return e.Action == "staff_login_failed" })
	perSecond := float64(checked) / (24 * 3600)
	t.Logf("%d tries in 24 h against one account from one address, %d checked (%.6f a second, one per %.0f s)",
		tries, checked, perSecond, 1/perSecond)
	if checked == 0 || checked > 12 {
		t.Fatalf("%d guesses checked in a day", checked)
	}
}

// rule: STF-1
func TestFirstAdminIsMadeOnce(t *testing.T) {
	ctx := context.Background()
	d, _ := accountDesk(t)
	created, made, err := d.FirstAdmin(ctx, "")
	if err != nil || !created || len(made) < 10 {
		t.Fatalf("first start: %v %q %v", created, made, err)
	}
	if _, a, err := d.Login(ctx, "admin", made, "127.0.0.1"); err != nil || a.Role != cases.Admin {
		t.Fatalf("the first admin logs in: %+v %v", a, err)
	}
	created, again, err := d.FirstAdmin(ctx, "")
	if err != nil || created || again != "" {
		t.Fatalf("second start: %v %q %v", created, again, err)
	}
	d2, _ := accountDesk(t)
	if _, _, err := d2.FirstAdmin(ctx, "short"); cases.ErrorCode(err) != cases.Invalid {
		t.Fatalf("a short admin password: %v", err)
	}
	created, made, err = d2.FirstAdmin(ctx, "chosen admin pw")
	if err != nil || !created || made != "" {
		t.Fatalf("with a password given: %v %q %v", created, made, err)
	}
}
