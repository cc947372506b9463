// Package staffweb is the built-in staff desk at /staff, used when no Slack
// token is set: the case list, each case's thread and the same actions as in
// Slack (claim, classify, remedy, reply, note, resolve, reopen). It needs a
// login: the staff password from the configuration, or one made up at start.
package staffweb

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/internal/photos"
	"frontdesk/store"
)

//go:embed templates/*.html
var templates embed.FS

var pages = template.Must(template.New("").Funcs(template.FuncMap{
	"when": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Local().Format("01-02 15:04")
	},
}).ParseFS(templates, "templates/*.html"))

// Desk is what the staff page needs of the desk: staff actions applied,
// and the managers' latest digest and weekly report.
type Desk interface {
	Staff(ctx context.Context, a bot.StaffAction) (cases.Case, error)
	LatestManagersPost(ctx context.Context, kind string) (bot.StaffPost, bool, error)
}

// Page serves /staff.
type Page struct {
	Desk     Desk
	Cases    bot.CaseReader
	Photos   *photos.Store
	Password string
	Log      *slog.Logger
	Now      func() time.Time
	Location *time.Location // the shop's zone, for the times shown

	key   []byte
	pages *template.Template
}

// NewPassword makes a password for a desk started without one.
func NewPassword() string {
	b := make([]byte, 9)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Routes registers the pages on mux.
func (p *Page) Routes(mux *http.ServeMux) {
	p.key = make([]byte, 32)
	rand.Read(p.key)
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
	mux.HandleFunc("GET /staff/login", p.loginForm)
	mux.HandleFunc("POST /staff/login", p.login)
	mux.HandleFunc("POST /staff/logout", p.logout)
	mux.HandleFunc("GET /staff", p.auth(p.list))
	mux.HandleFunc("GET /staff/{$}", p.auth(p.list))
	mux.HandleFunc("GET /staff/case/{no}", p.auth(p.caseView))
	mux.HandleFunc("POST /staff/case/{no}", p.auth(p.act))
	mux.HandleFunc("GET /staff/photo/{id}", p.auth(p.photo))
	mux.HandleFunc("GET /staff/digest", p.auth(p.digest))
	mux.HandleFunc("GET /staff/chart/{sha}", p.auth(p.chart))
	p.deadRoutes(mux) // dead.go: the undelivered messages
}

// Send implements outbox.Channel: the page reads the cases from the store, so
// a staff post is delivered once it is written.
func (p *Page) Send(context.Context, store.OutboxMessage) error { return nil }

const cookieName = "fd_staff"

// session is who is logged in, signed so it cannot be forged.
func (p *Page) sign(name string, until time.Time) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(name)) + "." + strconv.FormatInt(until.Unix(), 10)
	mac := hmac.New(sha256.New, p.key)
	mac.Write([]byte(payload))
	return payload + "." + hex.EncodeToString(mac.Sum(nil))
}

func (p *Page) staffName(r *http.Request) (string, bool) {
	c, err := r.Cookie(cookieName)
	if err != nil {
		return "", false
	}
	parts := strings.Split(c.Value, ".")
	if len(parts) != 3 {
		return "", false
	}
	name, err := base64.RawURLEncoding.DecodeString(parts[0])
	until, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || err2 != nil || p.Now().Unix() > until {
		return "", false
	}
	if subtle.ConstantTimeCompare([]byte(p.sign(string(name), time.Unix(until, 0))), []byte(c.Value)) != 1 {
		return "", false
	}
	return string(name), true
}

// csrf is a token bound to the session, carried by every form.
func (p *Page) csrf(r *http.Request) string {
	c, _ := r.Cookie(cookieName)
	if c == nil {
		return ""
	}
	mac := hmac.New(sha256.New, p.key)
	mac.Write([]byte("csrf:" + c.Value))
	return hex.EncodeToString(mac.Sum(nil))[:32]
}

func (p *Page) auth(h func(w http.ResponseWriter, r *http.Request, staff string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		name, ok := p.staffName(r)
		if !ok {
			http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost && subtle.ConstantTimeCompare([]byte(r.FormValue("csrf")), []byte(p.csrf(r))) != 1 {
			http.Error(w, "the form is stale; reload the page", http.StatusForbidden)
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("X-Frame-Options", "DENY")
		h(w, r, name)
	}
}

func (p *Page) loginForm(w http.ResponseWriter, r *http.Request) {
	p.render(w, "login.html", map[string]any{"Error": r.URL.Query().Get("e")})
}

func (p *Page) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	name := strings.TrimSpace(r.FormValue("name"))
	pass := r.FormValue("password")
	if name == "" || len(name) > 40 || subtle.ConstantTimeCompare([]byte(pass), []byte(p.Password)) != 1 {
		time.Sleep(200 * time.Millisecond) // slows guessing
		http.Redirect(w, r, "/staff/login?e=1", http.StatusSeeOther)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: p.sign(name, p.Now().Add(12*time.Hour)), Path: "/staff",
		HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(w, r, "/staff", http.StatusSeeOther)
}

func (p *Page) logout(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: cookieName, Value: "", Path: "/staff", MaxAge: -1})
	http.Redirect(w, r, "/staff/login", http.StatusSeeOther)
}

func (p *Page) list(w http.ResponseWriter, r *http.Request, staff string) {
	f := store.CaseFilter{Status: r.URL.Query().Get("status"), Limit: 200}
	if f.Status == "" {
		f.Status = "open"
	}
	var cases []cases.Case
	var err error
	if f.Status == "mine" {
		cases, err = p.Cases.CasesAssignedTo(r.Context(), staff)
	} else {
		if f.Status == "all" {
			f.Status = ""
		}
		cases, err = p.Cases.Cases(r.Context(), f)
		if r.URL.Query().Get("status") == "" {
			claimed, _ := p.Cases.Cases(r.Context(), store.CaseFilter{Status: "claimed", Limit: 200})
			cases = append(claimed, cases...)
		}
	}
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, "list.html", map[string]any{"Staff": staff, "Cases": cases, "Status": r.URL.Query().Get("status"), "CSRF": p.csrf(r)})
}

func (p *Page) caseView(w http.ResponseWriter, r *http.Request, staff string) {
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
	all, _ := p.Cases.Providers(r.Context())
	var providers []cases.Provider // only those that may be sent (000 §4.1)
	for _, pr := range all {
		if pr.Visits == 0 || pr.Stars >= bot.MinProviderStars {
			providers = append(providers, pr)
		}
	}
	p.render(w, "case.html", map[string]any{"Staff": staff, "Case": c, "Events": events, "Audit": trail, "Providers": providers,
		"Kinds": bot.ClassifyKinds, "Ladder": config.RemedyLadder, "CSRF": p.csrf(r), "Error": r.URL.Query().Get("e")})
}

func (p *Page) act(w http.ResponseWriter, r *http.Request, staff string) {
	no := r.PathValue("no")
	amount, _ := strconv.Atoi(r.FormValue("amount"))
	kind := r.FormValue("action")
	value := r.FormValue("value")
	if kind == "message" { // the reply box: to the customer unless marked as a note
		kind = bot.ActReply
		if r.FormValue("internal") == "on" {
			kind = bot.ActNote
		}
	}
	_, err := p.Desk.Staff(r.Context(), bot.StaffAction{Case: no, Actor: staff, Kind: kind, Value: value, AmountYuan: amount})
	target := "/staff/case/" + no
	switch {
	case errors.Is(err, bot.ErrBadAction):
		target += "?e=" + urlQuery(strings.TrimPrefix(err.Error(), bot.ErrBadAction.Error()+": "))
	case errors.Is(err, store.ErrNotFound):
		http.NotFound(w, r)
		return
	case err != nil:
		p.fail(w, err)
		return
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

func urlQuery(s string) string {
	b, _ := json.Marshal(s)
	return template.URLQueryEscaper(strings.Trim(string(b), `"`))
}

// photo serves a case photo to logged-in staff only (ID-5).
func (p *Page) photo(w http.ResponseWriter, r *http.Request, staff string) {
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

func (p *Page) render(w http.ResponseWriter, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'self'; style-src 'unsafe-inline'; img-src 'self'")
	if err := p.pages.ExecuteTemplate(w, name, data); err != nil {
		p.Log.Error("staffweb: render", "page", name, "err", err)
	}
}

func (p *Page) fail(w http.ResponseWriter, err error) {
	p.Log.Error("staffweb: request failed", "err", err)
	http.Error(w, "the desk could not do that; try again", http.StatusInternalServerError)
}

// digest shows the managers' latest daily digest and weekly report, as
// they were posted (with no Slack, this is where managers read them).
func (p *Page) digest(w http.ResponseWriter, r *http.Request, staff string) {
	var posts []bot.StaffPost
	for _, kind := range []string{"digest", "weekly"} {
		post, ok, err := p.Desk.LatestManagersPost(r.Context(), kind)
		if err != nil {
			p.fail(w, err)
			return
		}
		if ok {
			posts = append(posts, post)
		}
	}
	p.render(w, "digest.html", map[string]any{"Staff": staff, "Posts": posts})
}

// chart serves a digest chart to logged-in staff.
func (p *Page) chart(w http.ResponseWriter, r *http.Request, staff string) {
	data, err := p.Photos.Read(r.PathValue("sha"), "image/png")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(data)
}
