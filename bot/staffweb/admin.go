package staffweb

import (
	"net/http"
	"slices"
	"strings"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/conversations"
	"frontdesk/internal/jsonhttp"
	"frontdesk/internal/password"
	"frontdesk/store"
)

// The accounts page at /staff/admin, for admins only: every account with
// its role, language, Slack member ID and state, and a form to add one.

func (p *Page) adminPage(w http.ResponseWriter, r *http.Request, me staff) {
	p.showAdmin(w, r, me, http.StatusOK, "", "")
}

func (p *Page) showAdmin(w http.ResponseWriter, r *http.Request, me staff, status int, notice, problem string) {
	accounts, err := p.Desk.Accounts(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	// ?done=LOGIN after a change: said only of an account that exists, so
	// that a link cannot put words on the page.
	if done := r.URL.Query().Get("done"); notice == "" && problem == "" && done != "" &&
		slices.ContainsFunc(accounts, func(a store.Account) bool { return a.Login == done }) {
		notice = me.L.T("staff.admin.done", "Login", done)
	}
	langs := make([]string, len(conversations.Langs))
	for i, l := range conversations.Langs {
		langs[i] = string(l)
	}
	p.render(w, status, "admin.html", map[string]any{"Me": me, "Staff": me.Name, "L": me.L, "Accounts": accounts,
		"Roles": cases.Roles, "Langs": langs, "Notice": notice, "Error": problem})
}

// adminAct applies one change from the accounts page. A password made up
// here is shown on the answer page once, never in a URL or a log.
func (p *Page) adminAct(w http.ResponseWriter, r *http.Request, me staff) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	ctx := r.Context()
	login := bot.NormalizeLogin(r.PostFormValue("login"))
	pw := r.PostFormValue("password")
	made := ""
	if pw == "" && (r.PostFormValue("action") == "add" || r.PostFormValue("action") == "passwd") {
		pw = password.Generate()
		made = pw
	}
	var err error
	switch r.PostFormValue("action") {
	case "add":
		role, rerr := bot.ParseRole(r.PostFormValue("role"))
		if err = rerr; err == nil {
			_, err = p.Desk.AddAccount(ctx, me.Name, bot.NewAccount{Login: login, Name: r.PostFormValue("name"), Role: role,
				Password: pw, Lang: r.PostFormValue("lang"), SlackUserID: r.PostFormValue("slack")})
		}
	case "passwd":
		err = p.Desk.SetPassword(ctx, me.Name, login, pw)
	case "role":
		role, rerr := bot.ParseRole(r.PostFormValue("role"))
		if err = rerr; err == nil {
			err = p.Desk.SetRole(ctx, me.Name, login, role)
		}
	case "disable":
		err = p.Desk.SetDisabled(ctx, me.Name, login, true)
	case "enable":
		err = p.Desk.SetDisabled(ctx, me.Name, login, false)
	case "slack":
		err = p.Desk.LinkSlack(ctx, me.Name, login, r.PostFormValue("slack"))
	case "lang":
		err = p.Desk.SetStaffLang(ctx, me.Name, login, r.PostFormValue("lang"))
	default:
		err = cases.Errorf(cases.Invalid, "unknown action %q", r.PostFormValue("action"))
	}
	switch code := cases.ErrorCode(err); {
	case err == nil && made != "":
		p.showAdmin(w, r, me, http.StatusOK, me.L.T("staff.admin.new_password", "Login", login, "Password", made), "")
	case err == nil:
		http.Redirect(w, r, "/staff/admin?done="+login, http.StatusSeeOther)
	case code == cases.Internal || code == cases.Unavailable:
		p.fail(w, err)
	default:
		p.showAdmin(w, r, me, jsonhttp.Status(code), "", strings.TrimSpace(cases.ErrorMessage(err)))
	}
}
