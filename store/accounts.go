package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"frontdesk/cases"
)

// Account is a staff member's own login (STF-1). The rules (what a login,
// a name, a password may be; who may change what) are the desk's; the
// store keeps the rows and says which unique value is taken.
type Account struct {
	ID           int64
	Login        string
	Name         string
	Role         cases.Role
	PasswordHash string
	Disabled     bool
	SlackUserID  string // "" when not linked
	Lang         string
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

const accountColumns = "id, login, name, role, password_hash, disabled, COALESCE(slack_user_id, ''), lang, created_at, updated_at"

func scanAccount(row scanner) (Account, error) {
	var a Account
	var created, updated int64
	err := row.Scan(&a.ID, &a.Login, &a.Name, &a.Role, &a.PasswordHash, &a.Disabled, &a.SlackUserID, &a.Lang, &created, &updated)
	a.CreatedAt, a.UpdatedAt = fromMillis(created), fromMillis(updated)
	return a, err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// AddAccount inserts a new account; a login, name or Slack user that is
// taken already is a Conflict that names it.
func (tx *Tx) AddAccount(a Account, now time.Time) (Account, error) {
	if err := tx.taken(a); err != nil {
		return Account{}, err
	}
	err := tx.queryRow(`INSERT INTO staff_accounts (login, name, role, password_hash, disabled, slack_user_id, lang, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		a.Login, a.Name, a.Role, a.PasswordHash, boolInt(a.Disabled), nullString(a.SlackUserID), a.Lang, millis(now), millis(now)).Scan(&a.ID)
	if err != nil {
		return Account{}, coded(fmt.Errorf("store: add account %s: %w", a.Login, err))
	}
	a.CreatedAt, a.UpdatedAt = now.UTC(), now.UTC()
	return a, nil
}

// taken says which unique value of a belongs to another account already.
func (tx *Tx) taken(a Account) error {
	checks := []struct {
		column, value, what string
	}{{"login", a.Login, "login"}, {"name", a.Name, "name"}, {"slack_user_id", a.SlackUserID, "Slack user"}}
	for _, c := range checks {
		if c.value == "" {
			continue
		}
		var other string
		err := tx.queryRow("SELECT login FROM staff_accounts WHERE "+c.column+" = ? AND id != ?", c.value, a.ID).Scan(&other)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return fmt.Errorf("store: account %s: %w", c.what, err)
		}
		return fmt.Errorf("store: %w", cases.Errorf(cases.Conflict, "the %s %q is taken by the account %s", c.what, c.value, other))
	}
	return nil
}

// SaveAccount writes an account's name, role, password hash, disabled
// flag, Slack user and language.
func (tx *Tx) SaveAccount(a Account, now time.Time) error {
	if err := tx.taken(a); err != nil {
		return err
	}
	_, err := tx.exec(`UPDATE staff_accounts SET name = ?, role = ?, password_hash = ?, disabled = ?, slack_user_id = ?, lang = ?,
		updated_at = ? WHERE id = ?`,
		a.Name, a.Role, a.PasswordHash, boolInt(a.Disabled), nullString(a.SlackUserID), a.Lang, millis(now), a.ID)
	if err != nil {
		return coded(fmt.Errorf("store: save account %s: %w", a.Login, err))
	}
	return nil
}

// AccountInTx reads an account by login inside a write transaction.
func (tx *Tx) AccountInTx(login string) (Account, error) {
	a, err := scanAccount(tx.queryRow("SELECT "+accountColumns+" FROM staff_accounts WHERE login = ?", login))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, notFound("no staff account %q", login)
	}
	return a, err
}

// Account reads an account by login.
func (db *DB) Account(ctx context.Context, login string) (Account, error) {
	a, err := scanAccount(db.queryRow(ctx, "SELECT "+accountColumns+" FROM staff_accounts WHERE login = ?", login))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, notFound("no staff account %q", login)
	}
	return a, err
}

// AccountBySlackUser reads the account linked to a Slack user.
func (db *DB) AccountBySlackUser(ctx context.Context, slackUserID string) (Account, error) {
	if slackUserID == "" {
		return Account{}, notFound("no staff account for an empty Slack user")
	}
	a, err := scanAccount(db.queryRow(ctx, "SELECT "+accountColumns+" FROM staff_accounts WHERE slack_user_id = ?", slackUserID))
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, notFound("no staff account is linked to the Slack user %s", slackUserID)
	}
	return a, err
}

// Accounts lists every account by login.
func (db *DB) Accounts(ctx context.Context) ([]Account, error) {
	rows, err := db.query(ctx, "SELECT "+accountColumns+" FROM staff_accounts ORDER BY login")
	return collect(rows, err, "accounts", scanAccount)
}

// CountAccounts counts the accounts, and those enabled with role.
func (tx *Tx) CountAccounts(role cases.Role) (all, enabledWithRole int, err error) {
	err = tx.queryRow("SELECT COUNT(*), COALESCE(SUM(role = ? AND disabled = 0), 0) FROM staff_accounts", role).Scan(&all, &enabledWithRole)
	if err != nil {
		return 0, 0, fmt.Errorf("store: count accounts: %w", err)
	}
	return all, enabledWithRole, nil
}

// Session is a login on the /staff page, known by the hash of its token.
type Session struct {
	TokenHash string
	AccountID int64
	CreatedAt time.Time
	LastSeen  time.Time
	ExpiresAt time.Time
}

// AddSession records a new session.
func (tx *Tx) AddSession(s Session) error {
	_, err := tx.exec("INSERT INTO staff_sessions (token_hash, account_id, created_at, last_seen, expires_at) VALUES (?, ?, ?, ?, ?)",
		s.TokenHash, s.AccountID, millis(s.CreatedAt), millis(s.LastSeen), millis(s.ExpiresAt))
	if err != nil {
		return coded(fmt.Errorf("store: add session: %w", err))
	}
	return nil
}

// SessionAccount reads a session with its account.
func (db *DB) SessionAccount(ctx context.Context, tokenHash string) (Session, Account, error) {
	row := db.queryRow(ctx, `SELECT s.token_hash, s.account_id, s.created_at, s.last_seen, s.expires_at, `+accountColumnsOf("a")+`
		FROM staff_sessions s JOIN staff_accounts a ON a.id = s.account_id WHERE s.token_hash = ?`, tokenHash)
	var s Session
	var a Account
	var sc, sl, se, ac, au int64
	err := row.Scan(&s.TokenHash, &s.AccountID, &sc, &sl, &se,
		&a.ID, &a.Login, &a.Name, &a.Role, &a.PasswordHash, &a.Disabled, &a.SlackUserID, &a.Lang, &ac, &au)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, Account{}, notFound("no such session")
	}
	if err != nil {
		return Session{}, Account{}, coded(fmt.Errorf("store: session: %w", err))
	}
	s.CreatedAt, s.LastSeen, s.ExpiresAt = fromMillis(sc), fromMillis(sl), fromMillis(se)
	a.CreatedAt, a.UpdatedAt = fromMillis(ac), fromMillis(au)
	return s, a, nil
}

func accountColumnsOf(alias string) string {
	return alias + ".id, " + alias + ".login, " + alias + ".name, " + alias + ".role, " + alias + ".password_hash, " +
		alias + ".disabled, COALESCE(" + alias + ".slack_user_id, ''), " + alias + ".lang, " + alias + ".created_at, " + alias + ".updated_at"
}

// TouchSession moves a session's last activity to at.
func (db *DB) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	_, err := db.write.ExecContext(ctx, "UPDATE staff_sessions SET last_seen = ? WHERE token_hash = ? AND last_seen < ?",
		millis(at), tokenHash, millis(at))
	if err != nil {
		return coded(fmt.Errorf("store: touch session: %w", err))
	}
	return nil
}

// DeleteSession ends one session.
func (tx *Tx) DeleteSession(tokenHash string) error {
	if _, err := tx.exec("DELETE FROM staff_sessions WHERE token_hash = ?", tokenHash); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteSessions ends every session of an account and says how many.
func (tx *Tx) DeleteSessions(accountID int64) (int64, error) {
	res, err := tx.exec("DELETE FROM staff_sessions WHERE account_id = ?", accountID)
	if err != nil {
		return 0, fmt.Errorf("store: delete sessions: %w", err)
	}
	return res.RowsAffected()
}

// PurgeSessions forgets the sessions that ended: past their absolute end at
// now, or idle since before idleCutoff.
func (tx *Tx) PurgeSessions(now, idleCutoff time.Time) (int64, error) {
	res, err := tx.exec("DELETE FROM staff_sessions WHERE expires_at <= ? OR last_seen < ?", millis(now), millis(idleCutoff))
	if err != nil {
		return 0, fmt.Errorf("store: purge sessions: %w", err)
	}
	return res.RowsAffected()
}
