package bot

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"frontdesk/cases"
	"frontdesk/conversations"
	"frontdesk/internal/password"
	"frontdesk/store"
)

// Staff accounts (STF-1): each staff member logs in with an own login and
// password and acts with the role of the account. The staff page, the Slack
// desk and `frontdesk staff` all change accounts through these methods, so
// that the rules and the audit trail are the same everywhere.

// Sessions of the /staff page end after SessionIdle without a request, and
// SessionMax after the login whatever the activity.
const (
	SessionIdle = 12 * time.Hour
	SessionMax  = 24 * time.Hour
)

// The login throttles. Per account: five failures lock the login for
// 15 minutes, and each further failure within the day doubles the lock (30
// min, 1 h, … at most a day); a login with the right password starts the
// count again. Per client address, across every login typed there: twenty
// failures in an hour lock the address the same way (higher, because a
// shop's clerks may share one address). A locked login is refused without
// looking at the password, and the refusal is not counted.
var (
	loginAccountThrottle = store.Throttle{Limit: 5, Window: 24 * time.Hour, Lock: 15 * time.Minute}
	loginAddrThrottle    = store.Throttle{Limit: 20, Window: time.Hour, Lock: 15 * time.Minute}
)

// FirstAdminLogin is the account made at the first start, when there is
// none.
const FirstAdminLogin = "admin"

// ErrLoginFailed is a login refused for a wrong login or password; it says
// no more than that.
var ErrLoginFailed = &cases.Error{Code: cases.Forbidden, Message: "login or password not accepted"}

// ErrAccountDisabled is the right password of a disabled account.
var ErrAccountDisabled = &cases.Error{Code: cases.Forbidden, Message: "this account is disabled; ask an admin"}

// ErrNoSession is a session token that is unknown, ended or expired.
var ErrNoSession = &cases.Error{Code: cases.Forbidden, Message: "not logged in, or the session has ended"}

// LoginLocked is a login refused because the account or the client address
// failed too often; Until says when to try again.
type LoginLocked struct{ Until time.Time }

func (e *LoginLocked) Error() string {
	return "too many failed logins; try again after " + e.Until.Format(time.RFC3339)
}

// NewAccount is a staff account to add.
type NewAccount struct {
	Login       string
	Name        string
	Role        cases.Role
	Password    string // at least password.MinLength characters
	Lang        string // "" for zh-Hans
	SlackUserID string // "" for none
}

var (
	loginPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,31}$`)
	slackPattern = regexp.MustCompile(`^[UW][A-Z0-9]{1,31}$`)
)

// NormalizeLogin is a login as it is stored: trimmed, lower case.
func NormalizeLogin(login string) string { return strings.ToLower(strings.TrimSpace(login)) }

func invalidf(format string, args ...any) error { return cases.Errorf(cases.Invalid, format, args...) }

func checkLogin(login string) error {
	if !loginPattern.MatchString(login) {
		return invalidf("login %q: use 2 to 32 letters, digits, '.', '_' or '-', starting with a letter or digit", login)
	}
	return nil
}

func checkName(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || utf8.RuneCountInString(name) > 40 {
		return "", invalidf("name %q: give the name colleagues know, 1 to 40 characters", name)
	}
	if strings.IndexFunc(name, unicode.IsControl) >= 0 || strings.Contains(name, "<@") {
		return "", invalidf("name %q: no control characters or Slack mentions", name)
	}
	return name, nil
}

// ParseRole reads a role as staff type it ("duty-manager", "Duty_Manager").
func ParseRole(s string) (cases.Role, error) {
	r := cases.Role(strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_"))
	if !r.Valid() {
		names := make([]string, len(cases.Roles))
		for i, v := range cases.Roles {
			names[i] = string(v)
		}
		return "", invalidf("unknown role %q: want one of %s", s, strings.Join(names, ", "))
	}
	return r, nil
}

// ParseStaffLang reads a staff language: zh-Hans (the default, for ""),
// zh-Hant or en.
func ParseStaffLang(s string) (string, error) {
	if strings.TrimSpace(s) == "" {
		return string(conversations.ZhHans), nil
	}
	for _, l := range conversations.Langs {
		if strings.EqualFold(strings.TrimSpace(s), string(l)) {
			return string(l), nil
		}
	}
	return "", invalidf("language %q: want zh-Hans, zh-Hant or en", s)
}

func checkSlackUser(id string) (string, error) {
	id = strings.TrimSpace(id)
	if id != "" && !slackPattern.MatchString(id) {
		return "", invalidf("Slack user %q: want a Slack member ID such as U024BE7LH (profile → ⋮ → Copy member ID)", id)
	}
	return id, nil
}

func checkPassword(pw string) error {
	if err := password.Check(pw); err != nil {
		return cases.Wrap(cases.Invalid, err, err.Error())
	}
	return nil
}

// AddAccount adds a staff account; by is who adds it (an admin's name, or
// the command line). Bad input is Invalid, a taken login, name or Slack user
// a Conflict, and then nothing is added.
func (d *Desk) AddAccount(ctx context.Context, by string, n NewAccount) (store.Account, error) {
	a := store.Account{Login: NormalizeLogin(n.Login), Role: n.Role}
	if err := checkLogin(a.Login); err != nil {
		return store.Account{}, err
	}
	var err error
	if a.Name, err = checkName(n.Name); err != nil {
		return store.Account{}, err
	}
	if !a.Role.Valid() {
		if _, err := ParseRole(string(a.Role)); err != nil {
			return store.Account{}, err
		}
	}
	if a.Lang, err = ParseStaffLang(n.Lang); err != nil {
		return store.Account{}, err
	}
	if a.SlackUserID, err = checkSlackUser(n.SlackUserID); err != nil {
		return store.Account{}, err
	}
	if err := checkPassword(n.Password); err != nil {
		return store.Account{}, err
	}
	if a.PasswordHash, err = password.Hash(n.Password); err != nil {
		return store.Account{}, err
	}
	err = d.Store.Update(ctx, func(tx *store.Tx) error {
		now := d.Now()
		if a, err = tx.AddAccount(a, now); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{At: now, Actor: by, Action: "staff_account_added", Subject: "staff:" + a.Login,
			Detail: fmt.Sprintf("%s, %s", a.Name, a.Role)})
	})
	if err != nil {
		return store.Account{}, err
	}
	return a, nil
}

// FirstAdmin makes the admin account at the very first start, when the
// store has no account at all: with pw when it is given, else a generated
// password, returned as made so that the start-up can print it once. It
// returns made == "" and created == false when any account exists.
func (d *Desk) FirstAdmin(ctx context.Context, pw string) (created bool, made string, err error) {
	if pw == "" {
		made = password.Generate()
		pw = made
	}
	if err := checkPassword(pw); err != nil {
		return false, "", err
	}
	err = d.Store.Update(ctx, func(tx *store.Tx) error {
		all, _, err := tx.CountAccounts(cases.Admin)
		if err != nil || all > 0 {
			return err
		}
		hash, err := password.Hash(pw)
		if err != nil {
			return err
		}
		now := d.Now()
		a := store.Account{Login: FirstAdminLogin, Name: "Admin", Role: cases.Admin, PasswordHash: hash, Lang: string(conversations.ZhHans)}
		if _, err := tx.AddAccount(a, now); err != nil {
			return err
		}
		created = true
		return tx.Audit(store.AuditEntry{At: now, Actor: "frontdesk", Action: "staff_account_added", Subject: "staff:" + a.Login,
			Detail: "the first admin, made at the first start"})
	})
	if err != nil || !created {
		return false, "", err
	}
	return true, made, nil
}

// changeAccount applies change to the account login in one transaction,
// keeps one enabled admin, ends the account's sessions when revoke says so,
// and writes the audit line.
func (d *Desk) changeAccount(ctx context.Context, by, login, action string, change func(a *store.Account) (detail string, revoke bool, err error)) error {
	login = NormalizeLogin(login)
	return d.Store.Update(ctx, func(tx *store.Tx) error {
		a, err := tx.AccountInTx(login)
		if err != nil {
			return err
		}
		wasAdmin := a.Role == cases.Admin && !a.Disabled
		detail, revoke, err := change(&a)
		if err != nil {
			return err
		}
		now := d.Now()
		if err := tx.SaveAccount(a, now); err != nil {
			return err
		}
		if wasAdmin && (a.Role != cases.Admin || a.Disabled) {
			if _, admins, err := tx.CountAccounts(cases.Admin); err != nil {
				return err
			} else if admins == 0 {
				return cases.Errorf(cases.Conflict, "%s is the last enabled admin; make another admin first", a.Login)
			}
		}
		if revoke {
			if _, err := tx.DeleteSessions(a.ID); err != nil {
				return err
			}
		}
		return tx.Audit(store.AuditEntry{At: now, Actor: by, Action: action, Subject: "staff:" + a.Login, Detail: detail})
	})
}

// SetPassword gives an account a new password and ends its sessions.
func (d *Desk) SetPassword(ctx context.Context, by, login, pw string) error {
	if err := checkPassword(pw); err != nil {
		return err
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	return d.changeAccount(ctx, by, login, "staff_password_set", func(a *store.Account) (string, bool, error) {
		a.PasswordHash = hash
		return "", true, nil
	})
}

// SetRole changes an account's role; its next action is decided by it.
func (d *Desk) SetRole(ctx context.Context, by, login string, role cases.Role) error {
	if _, err := ParseRole(string(role)); err != nil {
		return err
	}
	return d.changeAccount(ctx, by, login, "staff_role_changed", func(a *store.Account) (string, bool, error) {
		detail := fmt.Sprintf("%s → %s", a.Role, role)
		a.Role = role
		return detail, false, nil
	})
}

// SetDisabled disables an account, ending its sessions at once, or enables
// it again.
func (d *Desk) SetDisabled(ctx context.Context, by, login string, disabled bool) error {
	action := "staff_enabled"
	if disabled {
		action = "staff_disabled"
	}
	return d.changeAccount(ctx, by, login, action, func(a *store.Account) (string, bool, error) {
		a.Disabled = disabled
		return "", disabled, nil
	})
}

// LinkSlack links an account to a Slack user ("" unlinks it): in Slack that
// user acts as the account.
func (d *Desk) LinkSlack(ctx context.Context, by, login, slackUserID string) error {
	id, err := checkSlackUser(slackUserID)
	if err != nil {
		return err
	}
	return d.changeAccount(ctx, by, login, "staff_slack_linked", func(a *store.Account) (string, bool, error) {
		a.SlackUserID = id
		return orDash(id), false, nil
	})
}

// SetStaffLang sets the language the staff pages speak to an account.
func (d *Desk) SetStaffLang(ctx context.Context, by, login, lang string) error {
	l, err := ParseStaffLang(lang)
	if err != nil {
		return err
	}
	return d.changeAccount(ctx, by, login, "staff_lang_set", func(a *store.Account) (string, bool, error) {
		a.Lang = l
		return l, false, nil
	})
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// Accounts lists the staff accounts by login.
func (d *Desk) Accounts(ctx context.Context) ([]store.Account, error) { return d.Store.Accounts(ctx) }

// StaffBySlackUser is the enabled account linked to a Slack user; an
// unlinked or disabled one is NotFound.
func (d *Desk) StaffBySlackUser(ctx context.Context, slackUserID string) (store.Account, error) {
	a, err := d.Store.AccountBySlackUser(ctx, slackUserID)
	if err != nil {
		return store.Account{}, err
	}
	if a.Disabled {
		return store.Account{}, fmt.Errorf("bot: %w", &cases.Error{Code: cases.NotFound, Message: "the account linked to this Slack user is disabled", Err: store.ErrNotFound})
	}
	return a, nil
}

func loginAccountKey(login string) string { return "login:account:" + login }

// loginAddrKey is the throttle key of a client address: an IPv6 client is
// counted by its /64, which one subscriber usually has whole.
func loginAddrKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return "login:addr:" + addr
	}
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return "login:addr:" + p.String()
	}
	return "login:addr:" + ip.String()
}

// Login checks a staff login from the client address addr and, when it is
// right, starts a session: token goes into the cookie, only its hash into
// the store. A wrong login or password is ErrLoginFailed, a locked login
// *LoginLocked, the right password of a disabled account
// ErrAccountDisabled.
func (d *Desk) Login(ctx context.Context, login, pw, addr string) (token string, acct store.Account, err error) {
	login = NormalizeLogin(login)
	keys := []string{loginAccountKey(login), loginAddrKey(addr)}
	if until, err := d.loginLocked(ctx, nil, keys); err != nil || !until.IsZero() {
		return "", store.Account{}, lockedOr(until, err)
	}
	// The password is checked outside the write transaction (it takes tens
	// of milliseconds); the transaction checks the lock again, so that
	// guesses sent all at once learn nothing once the lock is set.
	a, err := d.Store.Account(ctx, login)
	known := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", store.Account{}, err
	}
	var right bool
	if known {
		right = password.Verify(a.PasswordHash, pw)
	} else {
		right = password.VerifyNothing(pw)
	}
	token = newToken()
	err = d.Store.Update(ctx, func(tx *store.Tx) error {
		now := d.Now()
		if until, err := d.loginLocked(ctx, tx, keys); err != nil || !until.IsZero() {
			return lockedOr(until, err)
		}
		if !right {
			if _, err := tx.Fail(loginAccountThrottle, now, keys[0]); err != nil {
				return err
			}
			if _, err := tx.Fail(loginAddrThrottle, now, keys[1]); err != nil {
				return err
			}
			return tx.Audit(store.AuditEntry{At: now, Actor: addr, Action: "staff_login_failed", Subject: "staff:" + login})
		}
		current, err := tx.AccountInTx(login)
		if err != nil || current.PasswordHash != a.PasswordHash {
			return ErrLoginFailed // changed meanwhile
		}
		if current.Disabled {
			return ErrAccountDisabled
		}
		if err := tx.Forgive(keys[0]); err != nil {
			return err
		}
		if _, err := tx.PurgeSessions(now, now.Add(-SessionIdle)); err != nil {
			return err
		}
		if err := tx.AddSession(store.Session{TokenHash: tokenHash(token), AccountID: current.ID, CreatedAt: now, LastSeen: now,
			ExpiresAt: now.Add(SessionMax)}); err != nil {
			return err
		}
		acct = current
		return tx.Audit(store.AuditEntry{At: now, Actor: current.Name, Action: "staff_login", Subject: "staff:" + login, Detail: addr})
	})
	if err != nil {
		return "", store.Account{}, err
	}
	if !right {
		// The failure is committed; it may have set the lock.
		if until, err := d.loginLocked(ctx, nil, keys); err != nil || !until.IsZero() {
			return "", store.Account{}, lockedOr(until, err)
		}
		return "", store.Account{}, ErrLoginFailed
	}
	return token, acct, nil
}

// loginLocked returns when the latest lock on keys ends, zero when none
// holds; inside tx when it is given.
func (d *Desk) loginLocked(ctx context.Context, tx *store.Tx, keys []string) (time.Time, error) {
	now := d.Now()
	var until time.Time
	for i, th := range []store.Throttle{loginAccountThrottle, loginAddrThrottle} {
		var st store.ThrottleState
		var err error
		if tx != nil {
			st, err = tx.ThrottledInTx(th, now, keys[i])
		} else {
			st, err = d.Store.Throttled(ctx, th, now, keys[i])
		}
		if err != nil {
			return time.Time{}, err
		}
		if st.Locked(now) && st.LockedUntil.After(until) {
			until = st.LockedUntil
		}
	}
	return until, nil
}

func lockedOr(until time.Time, err error) error {
	if err != nil {
		return err
	}
	return &LoginLocked{Until: until}
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// touchEvery is how stale a session's last activity may be before a request
// writes it again (a write per page view would be wasted).
const touchEvery = time.Minute

// StaffSession is the account of a session token: ErrNoSession when the
// token is unknown, logged out, idle for SessionIdle, past SessionMax, or
// its account is disabled.
func (d *Desk) StaffSession(ctx context.Context, token string) (store.Account, error) {
	if token == "" || len(token) > 128 {
		return store.Account{}, ErrNoSession
	}
	h := tokenHash(token)
	s, a, err := d.Store.SessionAccount(ctx, h)
	if errors.Is(err, store.ErrNotFound) {
		return store.Account{}, ErrNoSession
	}
	if err != nil {
		return store.Account{}, err
	}
	now := d.Now()
	if a.Disabled || !now.Before(s.ExpiresAt) || now.Sub(s.LastSeen) >= SessionIdle {
		return store.Account{}, ErrNoSession
	}
	if now.Sub(s.LastSeen) >= touchEvery {
		if err := d.Store.TouchSession(ctx, h, now); err != nil {
			return store.Account{}, err
		}
	}
	return a, nil
}

// Logout ends the session of token at once.
func (d *Desk) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	h := tokenHash(token)
	s, a, err := d.Store.SessionAccount(ctx, h)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	return d.Store.Update(ctx, func(tx *store.Tx) error {
		if err := tx.DeleteSession(s.TokenHash); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{At: d.Now(), Actor: a.Name, Action: "staff_logout", Subject: "staff:" + a.Login})
	})
}

// MayApprove reports whether the account may press Approve or Reject on
// the case's pending compensation.
func MayApprove(c cases.Case, a store.Account) bool {
	return slices.Contains(cases.ApproverRoles(c), a.Role)
}
