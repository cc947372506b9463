// Package staffweb is the built-in staff desk at /staff, used when no Slack
// token is set: the case list, each case's thread and the same actions as in
// Slack (claim, classify, remedy, approve, reply, note, resolve, reopen).
// Each staff member logs in with an own account (STF-1); admins manage the
// accounts at /staff/admin. Sessions live in the store, known there by the
// hash of their cookie token; cross-origin form posts are refused by
// net/http's CrossOriginProtection.
package staffweb

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/jsonhttp"
	"frontdesk/internal/photos"
	"frontdesk/store"
)

//go:embed templates/*.html
var templates embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return "" },
}).ParseFS(templates, "templates/*.html"))

// Desk is what the staff page needs of the desk: staff actions applied, the
// managers' latest digest and weekly report, logins and sessions, and the
// staff accounts.
type Desk interface {
	Staff(ctx context.Context, a bot.StaffAction) (cases.Case, error)
	LatestManagersPost(ctx context.Context, kind string) (bot.StaffPost, bool, error)

	Login(ctx context.Context, login, password, addr string) (token string, a store.Account, err error)
	StaffSession(ctx context.Context, token string) (store.Account, error)
	Logout(ctx context.Context, token string) error

	Accounts(ctx context.Context) ([]store.Account, error)
	AddAccount(ctx context.Context, by string, n bot.NewAccount) (store.Account, error)
	SetPassword(ctx context.Context, by, login, password string) error
	SetRole(ctx context.Context, by, login string, role cases.Role) error
	SetDisabled(ctx context.Context, by, login string, disabled bool) error
	LinkSlack(ctx context.Context, by, login, slackUserID string) error
	SetStaffLang(ctx context.Context, by, login, lang string) error
}

// Page serves /staff.
type Page struct {
	Desk     Desk
	Cases    bot.CaseReader
	Photos   *photos.Store
	Log      *slog.Logger
	Now      func() time.Time
	Location *time.Location // the shop's zone, for the times shown
	Bench    Workbench      // workbench.go: the list, live updates, canned replies; Cases when it has them
	Digests  Digests        // workbench.go: the digest of any day on demand; nil shows only the posted ones

	pages  *template.Template
	cross  *http.CrossOriginProtection
	checks chan struct{} // password checks running at once
}

// concurrentLogins bounds the password checks running at once: each takes
// tens of milliseconds of a core and 19 MiB, so a flood of logins waits
// here instead of starving the desk.
const concurrentLogins = 4

// Routes registers the pages on mux. Every route is behind
// CrossOriginProtection: a browser's POST from another site is refused
// before it reaches a handler (the session cookie is also SameSite=Lax).
func (p *Page) Routes(mux *http.ServeMux) {
	loc := p.Location
	if loc == nil {
		loc = time.Local
	}
	p.pages = template.Must(pages.Clone()).Funcs(template.FuncMap{"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(loc).Format("01-02 15:04")
	}})
	p.cross = http.NewCrossOriginProtection()
	p.cross.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "cross-origin request refused: use the staff page itself", http.StatusForbidden)
	}))
	p.checks = make(chan struct{}, concurrentLogins)
	handle := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, p.cross.Handler(h)) }
	handle("GET /staff/login", p.loginForm)
	handle("POST /staff/login", p.login)
	handle("POST /staff/logout", p.logout)
	handle("GET /staff", p.auth(p.workbench))
	handle("GET /staff/{$}", p.auth(p.workbench))
	handle("GET /staff/case/{no}", p.auth(p.caseView))
	handle("POST /staff/case/{no}", p.auth(p.act))
	handle("GET /staff/photo/{id}", p.auth(p.photo))
	handle("GET /staff/digest", p.auth(p.digest))
	handle("GET /staff/chart/{sha}", p.auth(p.chart))
	handle("GET /staff/admin", p.auth(p.admin(p.adminPage)))
	handle("POST /staff/admin", p.auth(p.admin(p.adminAct)))
	p.deadRoutes(handle) // dead.go: the undelivered messages
	// intake.go: a new case for a call, a visit, a letter or a fax
	p.intakeRoutes(handle)
	// approvals.go: the managers' queue
	p.approvalRoutes(handle)
	handle("POST /staff/case/{no}/provider-code", p.auth(p.providerCode)) // providers.go
	// quality.go: spot checks, corrective actions, monthly figures
	p.qualityRoutes(handle)
	p.knowledgeRoutes(handle) // knowledge.go: a resolved case's answer into the knowledge base
	p.workbenchRoutes(handle) // workbench.go: live updates, canned replies, the icon
}

// Send implements outbox.Channel: the page reads the cases from the store, so
// a staff post is delivered once it is written.
func (p *Page) Send(context.Context, store.OutboxMessage) error { return nil }

const cookieName = "fd_staff"

// staff is who is logged in, and how the pages speak to them.
type staff struct {
	store.Account
	L texts
}

// texts renders the catalog's staff texts in one language.
type texts struct{ lang conversations.Lang }

// T is the text of key; args are name, value pairs.
func (t texts) T(key string, args ...any) string {
	if len(args) == 0 {
		return conversations.T(t.lang, key)
	}
	a := conversations.Args{}
	for i := 0; i+1 < len(args); i += 2 {
		a[args[i].(string)] = args[i+1]
	}
	return conversations.T(t.lang, key, a)
}

// Role is a role's name, never its code (STF-2).
func (t texts) Role(r cases.Role) string { return conversations.T(t.lang, "role."+string(r)) }

// Lang is the language's own name.
func (t texts) Lang(l string) string {
	return map[string]string{"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"}[l]
}

func langOf(s string) conversations.Lang {
	if l := conversations.NormalizeLang(s); l != "" {
		return l
	}
	return conversations.ZhHans
}

func secure(r *http.Request) bool {
	return r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

func (p *Page) auth(h func(w http.ResponseWriter, r *http.Request, me staff)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Frame-Options", "DENY")
		c, err := r.Cookie(cookieName)
		var a store.Account
		if err == nil {
			a, err = p.Desk.StaffSession(r.Context(), c.Value)
		}
		if errors.Is(err, bot.ErrNoSession) || errors.Is(err, http.ErrNoCookie) {
			http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
			return
		}
		if err != nil {
			p.fail(w, err)
			return
		}
		h(w, r, staff{Account: a, L: texts{langOf(a.Lang)}})
	}
}

// admin lets only admins through.
func (p *Page) admin(h func(w http.ResponseWriter, r *http.Request, me staff)) func(w http.ResponseWriter, r *http.Request, me staff) {
	return func(w http.ResponseWriter, r *http.Request, me staff) {
		if me.Role != cases.Admin {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(me.L.T("staff.admin.forbidden") + "\n"))
			return
		}
		h(w, r, me)
	}
}

// loginLang is the login page's language, before anyone is known: ?lang=,
// else the browser's first language, else zh-Hans.
func loginLang(r *http.Request) texts {
	if l := r.FormValue("lang"); l != "" {
		return texts{langOf(l)}
	}
	return texts{langOf(r.Header.Get("Accept-Language"))}
}

func (p *Page) loginForm(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "DENY")
	p.render(w, http.StatusOK, "login.html", map[string]any{"L": loginLang(r)})
}

func (p *Page) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8192)
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Frame-Options", "DENY")
	l := loginLang(r)
	login := r.PostFormValue("login")
	select {
	case p.checks <- struct{}{}:
		defer func() { <-p.checks }()
	case <-r.Context().Done():
		return
	}
	addr, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		addr = r.RemoteAddr
	}
	token, a, err := p.Desk.Login(r.Context(), login, r.PostFormValue("password"), addr)
	var locked *bot.LoginLocked
	status, msg := http.StatusOK, ""
	switch {
	case err == nil:
		http.SetCookie(w, &http.Cookie{Name: cookieName, Value: token, Path: "/staff", MaxAge: int(bot.SessionMax / time.Second),
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: secure(r)})
		p.Log.Info("staffweb: login", "login", a.Login, "role", a.Role)
		http.Redirect(w, r, "/staff", http.StatusSeeOther)
		return
	case errors.As(err, &locked):
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(locked.Until.Sub(p.Now()).Seconds()))))
		status, msg = http.StatusTooManyRequests, l.T("staff.login.locked", "Until", p.clock(locked.Until))
	case errors.Is(err, bot.ErrAccountDisabled):
		status, msg = http.StatusForbidden, l.T("staff.login.disabled")
	case errors.Is(err, bot.ErrLoginFailed):
		status, msg = http.StatusUnauthorized, l.T("staff.login.failed")
	default:
		p.fail(w, err)
		return
	}
	p.render(w, status, "login.html", map[string]any{"L": l, "Error": msg, "Login": login})
}

// clock is a time of day in the shop's zone, with the date.
func (p *Page) clock(t time.Time) string {
	loc := p.Location
	if loc == nil {
		loc = time.Local
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

func (p *Page) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(cookieName); err == nil {
		if err := p.Desk.Logout(r.Context(), c.Value); err != nil {
			p.fail(w, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/staff", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: secure(r)})
	http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
}

func (p *Page) list(w http.ResponseWriter, r *http.Request, me staff) {
	f := store.CaseFilter{Status: r.URL.Query().Get("status"), Limit: 200}
	if f.Status == "" {
		f.Status = "open"
	}
	var list []cases.Case
	var err error
	if f.Status == "mine" {
		list, err = p.Cases.CasesAssignedTo(r.Context(), me.Name)
	} else {
		if f.Status == "all" {
			f.Status = ""
		}
		list, err = p.Cases.Cases(r.Context(), f)
		if r.URL.Query().Get("status") == "" {
			claimed, _ := p.Cases.Cases(r.Context(), store.CaseFilter{Status: "claimed", Limit: 200})
			list = append(claimed, list...)
		}
	}
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, http.StatusOK, "list.html", map[string]any{"Me": me, "Staff": me.Name, "L": me.L, "Cases": list,
		"Status": r.URL.Query().Get("status")})
}

// approval is what the case page shows of a compensation waiting for
// approval (APR-1), and whether the viewer may decide it.
type approval struct {
	Amount  string
	Waiting string
	Mine    bool
}

func (p *Page) caseView(w http.ResponseWriter, r *http.Request, me staff) {
	p.showCase(w, r, me, http.StatusOK, "")
}

func (p *Page) showCase(w http.ResponseWriter, r *http.Request, me staff, status int, problem string) {
	c, err := p.Cases.CaseByNumber(r.Context(), r.PathValue("no"))
	if errors.Is(err, store.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		p.fail(w, err)
		return
	}
	events, err := p.Cases.CaseEvents(r.Context(), c.ID)
	if err != nil {
		p.fail(w, err)
		return
	}
	trail, _ := p.Cases.AuditTrail(r.Context(), c.Number)
	providers := p.proposals(r.Context(), c) // providers.go: only those that may be sent (000 §4.1, PRV-1)
	var ap *approval
	if c.Details["approval"] == "pending" {
		var names []string
		for _, role := range cases.ApproverRoles(c) {
			names = append(names, me.L.Role(role))
		}
		ap = &approval{Amount: c.Details["approval_yuan"], Waiting: strings.Join(names, " / "), Mine: bot.MayApprove(c, me.Account)}
	}
	fx, err := p.facts(r, c, me) // intake.go: what the customer gave, and who they are
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, status, "case.html", map[string]any{"Me": me, "Staff": me.Name, "L": me.L, "Case": c, "Events": events,
		"Audit": trail, "Providers": providers, "Kinds": bot.ClassifyKinds, "Ladder": config.RemedyLadder, "Error": problem,
		"Approval": ap, "Facts": fx, "Money": p.moneyView(c, me), "Complaint": p.complaintView(r.Context(), c, me),
		"Repairs": repairsPanel(c, me.L), "Parts": partsPanel(c, me), // repairs.go, parts.go
		"Visit": p.visitView(r.Context(), c, codeOf(r)), // providers.go
		"Bench": p.benchView(r, c, me, events), "Mark": p.mark(r.Context())})
}

func (p *Page) act(w http.ResponseWriter, r *http.Request, me staff) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	no := r.PathValue("no")
	amount, _ := strconv.Atoi(r.FormValue("amount"))
	kind := r.FormValue("action")
	value := complaintValue(r, kind, r.FormValue("value"))
	// providers.go: a dispatch outside the proposals, with its reason
	kind, value = dispatchElsewhere(r, kind, value)
	// parts.go: the fields of the parts forms make the value
	value = partsValue(r, kind, value)
	if kind == "message" { // the reply box: to the customer unless marked as a note
		kind = bot.ActReply
		if r.FormValue("internal") == "on" {
			kind = bot.ActNote
		}
	}
	rolls, _ := strconv.Atoi(r.FormValue("rolls"))
	claim, _ := strconv.Atoi(r.FormValue("claim"))
	if changed := p.changedMeanwhile(r, me, no, kind); changed != "" { // workbench.go: show the change, do not overwrite it
		p.showCase(w, r, me, http.StatusConflict, changed)
		return
	}
	_, err := p.Desk.Staff(r.Context(), bot.StaffAction{Case: no, Actor: me.Name, Role: me.Role, Kind: kind, Value: value, AmountYuan: amount,
		Rolls: rolls, ClaimYuan: claim})
	switch {
	case err == nil:
		http.Redirect(w, r, backTo(r, no), http.StatusSeeOther)
	case errors.Is(err, store.ErrNotFound):
		http.NotFound(w, r)
	case errors.Is(err, bot.ErrBadAction):
		// The refusal, in the lifecycle's words, on the page itself: a
		// clerk who presses Approve reads why not (APR-1).
		p.showCase(w, r, me, jsonhttp.Status(cases.ErrorCode(err)), me.L.refusal(err))
	default:
		p.fail(w, err)
	}
}

// photo serves a case photo to logged-in staff only (ID-5).
func (p *Page) photo(w http.ResponseWriter, r *http.Request, me staff) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	ph, err := p.Cases.PhotoByID(r.Context(), id)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	data, err := p.Photos.Read(ph.SHA256, ph.MIME)
	if err != nil {
		http.Error(w, "photo no longer kept", http.StatusGone)
		return
	}
	w.Header().Set("Content-Type", ph.MIME)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(data)
}

func (p *Page) render(w http.ResponseWriter, status int, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'")
	w.Header().Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	if err := p.pages.ExecuteTemplate(w, name, data); err != nil {
		p.Log.Error("staffweb: render", "page", name, "err", err)
	}
}

func (p *Page) fail(w http.ResponseWriter, err error) {
	p.Log.Error("staffweb: request failed", "err", err)
	http.Error(w, "the desk could not do that; try again", http.StatusInternalServerError)
}

// chart serves a digest chart to logged-in staff.
func (p *Page) chart(w http.ResponseWriter, r *http.Request, me staff) {
	data, err := p.Photos.Read(r.PathValue("sha"), "image/png")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(data)
}
