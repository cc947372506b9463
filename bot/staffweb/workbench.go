package staffweb

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/store"
)

// The workbench (STF-2, STF-3, STF-4): the list with search, filters and
// counts, live updates by server-sent events, the unread marker, assigning
// a case to a colleague and the canned replies.

// Workbench is what the list and the live updates read, and where the
// canned replies are kept. The store has it; a Page whose Cases has it
// needs no more wiring.
type Workbench interface {
	Workbench(ctx context.Context, q store.WorkbenchQuery) ([]store.WorkbenchRow, error)
	WorkbenchCounts(ctx context.Context, me string, now time.Time) (store.WorkbenchCounts, error)
	MarkSeen(ctx context.Context, login string, caseID int64) error
	Changes(ctx context.Context) (string, error)
	CannedReplies(ctx context.Context) ([]store.CannedReply, error)
	CannedReply(ctx context.Context, id int64) (store.CannedReply, error)
	AddCannedReply(ctx context.Context, r store.CannedReply) (store.CannedReply, error)
	DeleteCannedReply(ctx context.Context, id int64) error
}

var _ Workbench = (*store.DB)(nil)

//go:embed workbench.js
var workbenchJS []byte

//go:embed favicon.svg
var favicon []byte

// liveEvery is how often the event stream looks for a change.
const liveEvery = 250 * time.Millisecond

// workbenchRoutes registers the list's helpers: the event stream, the
// script, the icon and the canned replies.
func (p *Page) workbenchRoutes(handle func(string, http.HandlerFunc)) {
	if p.Bench == nil {
		p.Bench, _ = p.Cases.(Workbench)
	}
	handle("GET /staff/events", p.auth(p.events))
	handle("GET /staff/workbench.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(workbenchJS)
	})
	handle("GET /staff/favicon.svg", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Header().Set("Cache-Control", "max-age=86400")
		w.Write(favicon)
	})
	handle("GET /staff/digest/chart", p.auth(p.digestChart))
	handle("GET /staff/canned", p.auth(p.cannedPage))
	handle("POST /staff/canned", p.auth(p.admin(p.cannedAct)))
}

// listRow is one case of the list, with how urgent it is.
type listRow struct {
	store.WorkbenchRow
	Due     string // overdue, soon (within the hour) or ""
	Channel string // the channel's name
}

// filterLink is a filter with its count, and whether it is the one shown.
type filterLink struct {
	Label, URL string
	Count      int
	On         bool
}

// workbench is the list of cases (STF-3).
func (p *Page) workbench(w http.ResponseWriter, r *http.Request, me staff) {
	if p.Bench == nil {
		p.list(w, r, me)
		return
	}
	v := r.URL.Query()
	now := p.Now()
	q := store.WorkbenchQuery{Search: strings.TrimSpace(v.Get("q")), Kind: v.Get("kind"), Status: v.Get("status"),
		Channel: v.Get("channel"), Assignee: v.Get("assignee"), Overdue: v.Get("overdue") == "1",
		Unassigned: v.Get("unassigned") == "1", Viewer: me.Login, Now: now}
	view := v.Get("view")
	if view == "mine" || q.Status == "mine" { // "mine" was a status before the filters came
		q.Status, q.Assignee, view = "", me.Name, "mine"
	}
	data := map[string]any{"Me": me, "Staff": me.Name, "L": me.L, "Q": q, "View": view, "Mark": p.mark(r.Context()),
		"Kinds": kindOptions(me), "Statuses": statusOptions(me), "Channels": channelOptions(me)}
	status := http.StatusOK
	var problem string
	for _, check := range []struct{ field, value string }{{"overdue", v.Get("overdue")}, {"unassigned", v.Get("unassigned")}} {
		if check.value != "" && check.value != "1" {
			problem = me.L.T("staff.wb.bad_flag", "Field", check.field, "Value", check.value)
		}
	}
	if problem == "" {
		problem = filterProblem(me, q)
	}
	var rows []listRow
	if problem == "" {
		list, err := p.Bench.Workbench(r.Context(), q)
		if err != nil {
			p.fail(w, err)
			return
		}
		for _, c := range list {
			rows = append(rows, listRow{WorkbenchRow: c, Due: dueClass(c.Case, now), Channel: me.L.Channel(c.Case)})
		}
	} else {
		status = http.StatusBadRequest
		q.Search = "" // a 10 000-character search is not echoed back
		data["Q"] = q
	}
	counts, err := p.Bench.WorkbenchCounts(r.Context(), me.Name, now)
	if err != nil {
		p.fail(w, err)
		return
	}
	accounts, _ := p.Desk.Accounts(r.Context())
	var names []string
	for _, a := range accounts {
		if !a.Disabled && a.Role != cases.Admin {
			names = append(names, a.Name)
		}
	}
	data["Rows"], data["Error"], data["Counts"], data["Assignees"] = rows, problem, counts, names
	data["Views"] = []filterLink{
		{me.L.T("staff.wb.view_active"), "/staff", counts.Active, view == "" && q.Status == "" && !q.Overdue && !q.Unassigned && q.Kind == ""},
		{me.L.T("staff.wb.view_mine"), "/staff?view=mine", counts.Mine, view == "mine"},
		{me.L.T("staff.wb.view_unassigned"), "/staff?unassigned=1", counts.Unassigned, q.Unassigned && view == ""},
		{me.L.T("staff.wb.view_overdue"), "/staff?overdue=1", counts.Overdue, q.Overdue && view == ""},
	}
	var kinds []filterLink
	for _, k := range config.CaseKinds {
		if n := counts.Kinds[string(k)]; n > 0 {
			kinds = append(kinds, filterLink{me.L.Kind(string(k)), "/staff?kind=" + string(k), n, q.Kind == string(k)})
		}
	}
	data["KindCounts"] = kinds
	p.render(w, status, "list.html", data)
}

// filterProblem says in the staff member's words which filter is wrong.
func filterProblem(me staff, q store.WorkbenchQuery) string {
	if err := q.Validate(); err != nil {
		switch {
		case len([]rune(q.Search)) > store.MaxSearch:
			return me.L.T("staff.wb.search_too_long", "Max", store.MaxSearch)
		case q.Kind != "" && !config.CaseKind(q.Kind).Valid():
			return me.L.T("staff.wb.bad_filter", "Field", me.L.T("staff.wb.kind"), "Value", q.Kind)
		case q.Channel != "":
			return me.L.T("staff.wb.bad_filter", "Field", me.L.T("staff.wb.channel"), "Value", q.Channel)
		case q.Status != "":
			return me.L.T("staff.wb.bad_filter", "Field", me.L.T("staff.wb.status"), "Value", q.Status)
		}
		return cases.ErrorMessage(err)
	}
	return ""
}

// dueClass is how urgent the case's next clock is: overdue, soon (within
// the hour) or "".
func dueClass(c cases.Case, now time.Time) string {
	switch {
	case c.Status == cases.Resolved || c.DeadlineAt.IsZero():
		return ""
	case !c.DeadlineAt.After(now):
		return "overdue"
	case c.DeadlineAt.Sub(now) <= time.Hour:
		return "soon"
	}
	return ""
}

func kindOptions(me staff) []option {
	var o []option
	for _, k := range config.CaseKinds {
		o = append(o, option{string(k), me.L.Kind(string(k))})
	}
	return o
}

func statusOptions(me staff) []option {
	o := []option{{"", me.L.T("staff.wb.status_active")}}
	for _, s := range []string{"open", "claimed", "resolved"} {
		o = append(o, option{s, me.L.Status(s)})
	}
	return append(o, option{"all", me.L.T("staff.wb.status_all")})
}

func channelOptions(me staff) []option {
	var o []option
	for _, c := range store.WorkbenchChannels {
		o = append(o, option{c, me.L.channelName(c)})
	}
	return o
}

// mark is the store's change mark when the page was made: the page's
// script compares it with the live stream's, so a change in between (or a
// restart) is caught at once.
func (p *Page) mark(ctx context.Context) string {
	if p.Bench == nil {
		return ""
	}
	m, err := p.Bench.Changes(ctx)
	if err != nil {
		return ""
	}
	return m
}

// events streams the store's change mark to the workbench (server-sent
// events): the page fetches itself again when it moves.
func (p *Page) events(w http.ResponseWriter, r *http.Request, me staff) {
	if p.Bench == nil {
		http.NotFound(w, r)
		return
	}
	rc := http.NewResponseController(w)
	rc.SetWriteDeadline(time.Time{}) // the server's WriteTimeout would cut the stream
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	last, quiet := "", 0
	tick := time.NewTicker(liveEvery)
	defer tick.Stop()
	for {
		m, err := p.Bench.Changes(r.Context())
		if err != nil && r.Context().Err() == nil {
			p.Log.Warn("staffweb: live updates", "err", err)
		}
		if err == nil && m != last {
			last, quiet = m, 0
			fmt.Fprintf(w, "event: change\ndata: %s\n\n", m)
		} else if quiet++; quiet*int(liveEvery/time.Millisecond) >= 15000 {
			quiet = 0
			fmt.Fprint(w, ": still here\n\n") // keeps proxies from closing an idle stream
		}
		if err := rc.Flush(); err != nil {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-tick.C:
		}
	}
}

// bench is what the case page shows of the workbench: the colleagues to
// assign to, the canned replies, a canned reply filled in, and the case's
// version for the forms.
type bench struct {
	Colleagues []string
	Canned     []store.CannedReply
	Reply      string // the reply box's text: a canned reply filled in
	Problem    string
	Version    string
	Photos     []int64
}

// benchView marks the case seen by me and gathers what its page needs.
func (p *Page) benchView(r *http.Request, c cases.Case, me staff, events []store.CaseEvent) bench {
	b := bench{Version: version(c)}
	for _, e := range events {
		if e.PhotoID != 0 {
			b.Photos = append(b.Photos, e.PhotoID)
		}
	}
	if p.Bench == nil {
		return b
	}
	if err := p.Bench.MarkSeen(r.Context(), me.Login, c.ID); err != nil {
		p.Log.Warn("staffweb: mark seen", "case", c.Number, "err", err)
	}
	if accounts, err := p.Desk.Accounts(r.Context()); err == nil {
		for _, a := range accounts {
			if !a.Disabled && a.Role != cases.Admin && a.Name != c.Assignee {
				b.Colleagues = append(b.Colleagues, a.Name)
			}
		}
	}
	b.Canned, _ = p.Bench.CannedReplies(r.Context())
	if id := r.URL.Query().Get("canned"); id != "" {
		n, _ := strconv.ParseInt(id, 10, 64)
		cr, err := p.Bench.CannedReply(r.Context(), n)
		if err != nil {
			b.Problem = me.L.T("staff.canned.gone")
			return b
		}
		text, err := cases.ExpandCanned(cr.Body, c, me.Name)
		if err != nil {
			b.Problem = me.L.T("staff.canned.bad", "Error", conversations.Refusal(me.L.lang, err))
			return b
		}
		b.Reply = text
	}
	return b
}

// version is what the case page's forms carry of the case they were made
// from: an action on a case changed since is refused (changed meanwhile).
func version(c cases.Case) string { return strconv.FormatInt(c.UpdatedAt.UnixMilli(), 10) }

// overwrites are the actions that replace what someone else may have just
// set: they are refused on a case changed since the page was made.
var overwrites = map[string]bool{bot.ActClaim: true, bot.ActAssign: true, bot.ActClassify: true, bot.ActRemedy: true,
	bot.ActResolve: true, bot.ActReopen: true}

// changedMeanwhile reports, in the staff member's words, that the case was
// changed after the page the form came from was made, and by whom; "" when
// it was not or the form does not say (forms of other panels).
func (p *Page) changedMeanwhile(r *http.Request, me staff, no, kind string) string {
	seen := r.FormValue("version")
	if seen == "" || !overwrites[kind] {
		return ""
	}
	c, err := p.Cases.CaseByNumber(r.Context(), no)
	if err != nil || version(c) == seen {
		return ""
	}
	who := c.Assignee
	if events, err := p.Cases.CaseEvents(r.Context(), c.ID); err == nil && len(events) > 0 {
		who = events[len(events)-1].Actor
	}
	if who == "" || who == me.Name {
		who = me.L.T("staff.wb.someone")
	}
	return me.L.T("staff.wb.changed_meanwhile", "Who", who)
}

// cannedPage lists the canned replies; admins add and remove them.
func (p *Page) cannedPage(w http.ResponseWriter, r *http.Request, me staff) {
	p.showCanned(w, r, me, http.StatusOK, "", "", store.CannedReply{Lang: string(me.L.lang)})
}

func (p *Page) showCanned(w http.ResponseWriter, r *http.Request, me staff, status int, notice, problem string, draft store.CannedReply) {
	if p.Bench == nil {
		http.NotFound(w, r)
		return
	}
	list, err := p.Bench.CannedReplies(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, status, "canned.html", map[string]any{"Me": me, "Staff": me.Name, "L": me.L, "Replies": list, "Notice": notice,
		"Error": problem, "Draft": draft, "Langs": conversations.Langs, "Placeholders": strings.Join(cases.CannedPlaceholders, " ")})
}

// cannedAct adds or removes a canned reply (admins only); a bad one is
// refused with its field named and nothing kept.
func (p *Page) cannedAct(w http.ResponseWriter, r *http.Request, me staff) {
	if p.Bench == nil {
		http.NotFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		p.showCanned(w, r, me, http.StatusRequestEntityTooLarge, "", me.L.T("staff.canned.too_large"), store.CannedReply{})
		return
	}
	switch r.PostFormValue("action") {
	case "delete":
		id, _ := strconv.ParseInt(r.PostFormValue("id"), 10, 64)
		if err := p.Bench.DeleteCannedReply(r.Context(), id); errors.Is(err, store.ErrNotFound) {
			p.showCanned(w, r, me, http.StatusNotFound, "", me.L.T("staff.canned.gone"), store.CannedReply{})
			return
		} else if err != nil {
			p.fail(w, err)
			return
		}
		http.Redirect(w, r, "/staff/canned", http.StatusSeeOther)
	case "add":
		draft := store.CannedReply{Title: strings.TrimSpace(r.PostFormValue("title")), Lang: r.PostFormValue("lang"),
			Body: strings.TrimSpace(r.PostFormValue("body")), CreatedBy: me.Name, CreatedAt: p.Now()}
		problem := ""
		switch n := len([]rune(draft.Title)); {
		case n == 0 || n > 60:
			problem = me.L.T("staff.canned.bad_title")
		case conversations.NormalizeLang(draft.Lang) == "" || string(conversations.NormalizeLang(draft.Lang)) != draft.Lang:
			problem = me.L.T("staff.canned.bad_lang", "Value", draft.Lang)
		default:
			if err := cases.CheckCanned(draft.Body); err != nil {
				problem = me.L.T("staff.canned.bad", "Error", conversations.Refusal(me.L.lang, err))
			}
		}
		if problem != "" {
			p.showCanned(w, r, me, http.StatusBadRequest, "", problem, draft)
			return
		}
		if _, err := p.Bench.AddCannedReply(r.Context(), draft); err != nil {
			p.fail(w, err)
			return
		}
		http.Redirect(w, r, "/staff/canned?added="+url.QueryEscape(draft.Title), http.StatusSeeOther)
	default:
		p.showCanned(w, r, me, http.StatusBadRequest, "", me.L.T("staff.canned.bad_action"), store.CannedReply{})
	}
}

// Kind is a case kind's name (STF-2).
func (t texts) Kind(k any) string { return conversations.Label(t.lang, "kind.", fmt.Sprint(k)) }

// Ladder names the steps of a remedy ladder written as codes ("a > b").
func (t texts) Ladder(s string) string {
	for _, r := range config.RemedyLadder {
		s = strings.ReplaceAll(s, r, t.Remedy(r))
	}
	return s
}

// Status is a case status's name.
func (t texts) Status(s any) string {
	return conversations.Label(t.lang, "staff.status.", fmt.Sprint(s))
}

// Remedy is a remedy's name; a remedy written out (a compensation and who
// decided it) stays as it is.
func (t texts) Remedy(r string) string {
	if s := conversations.Label(t.lang, "staff.remedy.", r); s != r {
		return s
	}
	return t.deskWords(r) // deskwords.go: a compensation and who decided it
}

// Event is the name of an entry of the case's history.
func (t texts) Event(kind string) string {
	if s := conversations.Label(t.lang, "staff.event.", kind); s != kind {
		return s
	}
	return conversations.T(t.lang, "staff.event.other")
}

// Severity is a severity's name.
func (t texts) Severity(s any) string {
	if fmt.Sprint(s) == cases.Major {
		return conversations.T(t.lang, "staff.intake.severity_major")
	}
	return conversations.T(t.lang, "staff.intake.severity_normal")
}

// Channel is how the case reached the shop: the chat, or how staff took it in.
func (t texts) Channel(c cases.Case) string {
	if c.Intake != "" {
		return conversations.IntakeLabel(t.lang, c.Intake)
	}
	return t.channelName(c.Channel)
}

func (t texts) channelName(c string) string {
	switch c {
	case "":
		return ""
	case "web", "telegram":
		return conversations.T(t.lang, "channel."+c)
	}
	return conversations.IntakeLabel(t.lang, c)
}

// Who is an actor's name: the customer and the desk itself by name.
func (t texts) Who(actor string) string {
	switch actor {
	case "customer", "system", "scheduler", "desk", "bot", "frontdesk":
		return conversations.T(t.lang, "staff.who."+actor)
	}
	return actor
}

// seedRef is a reference to the handbooks, "(000 §2.2.3)": for the
// builders, never for the staff.
var seedRef = regexp.MustCompile(`\s*[(（]\d{3}\s*(§|[一二三四五六七八九十]|第)[^)）]*[)）]`)

// Plain is a text the desk wrote (a classification, an audit line) with
// the handbook references taken out and the codes it holds named.
func (t texts) Plain(s string) string {
	s = t.deskWords(seedRef.ReplaceAllString(s, "")) // deskwords.go
	for _, k := range config.CaseKinds {
		s = strings.ReplaceAll(s, string(k), t.Kind(string(k)))
	}
	return t.Ladder(s)
}

// Body is what a thread entry shows: a photo's step by name.
func (t texts) Body(e store.CaseEvent) string {
	if e.Kind == "photo" {
		return conversations.Label(t.lang, "group.", e.Body)
	}
	if e.Actor == "customer" {
		return e.Body
	}
	if e.Key != "" { // said from its catalog key (history2.go); older rows by deskWords
		return t.historyWords(e.Key, e.Args)
	}
	return t.Plain(e.Body)
}

// Order is an order status's name.
func (t texts) Order(s any) string { return conversations.Label(t.lang, "order.", fmt.Sprint(s)) }

// Actor is an audit entry's actor: a customer's chat address is not shown.
func (t texts) Actor(a string) string {
	if who, _, ok := strings.Cut(a, " "); ok && who == "customer" {
		return t.Who(who)
	}
	return t.Who(a)
}

// Code is the page's language as an HTML lang attribute.
func (t texts) Code() string { return string(t.lang) }

// Digests builds the managers' digest of a day on demand (STF-2): today so
// far, or any past day, in the staff member's language, with its chart.
type Digests interface {
	Digest(ctx context.Context, day time.Time, lang conversations.Lang) (text string, chart []byte, err error)
}

// digestDay is the day asked for (?day=2026-11-24), today when none; "" and
// false when it is not a date.
func (p *Page) digestDay(r *http.Request) (time.Time, string, bool) {
	loc := p.Location
	if loc == nil {
		loc = time.Local
	}
	s := r.URL.Query().Get("day")
	if s == "" {
		return p.Now().In(loc), p.Now().In(loc).Format(time.DateOnly), true
	}
	d, err := time.ParseInLocation(time.DateOnly, s, loc)
	return d, s, err == nil
}

// digest shows the digest of the day asked for, built now, and the
// managers' latest posted digest and weekly report (with no Slack, this is
// where managers read them).
func (p *Page) digest(w http.ResponseWriter, r *http.Request, me staff) {
	var posts []bot.StaffPost
	for _, kind := range []string{"digest", "weekly", "monthly", "parts"} { // monthly: quality figures (QLT-5); parts: parts counts (PRT-7)
		post, ok, err := p.Desk.LatestManagersPost(r.Context(), kind)
		if err != nil {
			p.fail(w, err)
			return
		}
		if ok {
			posts = append(posts, post)
		}
	}
	data := map[string]any{"Me": me, "Staff": me.Name, "L": me.L, "Posts": posts, "OnDemand": p.Digests != nil}
	status := http.StatusOK
	day, asked, ok := p.digestDay(r)
	if len([]rune(asked)) > 20 {
		asked = string([]rune(asked)[:20]) + "…"
	}
	data["Day"] = asked
	if p.Digests != nil {
		var text string
		var err error
		if ok {
			text, _, err = p.Digests.Digest(r.Context(), day, me.L.lang)
		}
		switch {
		case !ok || cases.ErrorCode(err) == cases.Invalid:
			status, data["Error"] = http.StatusBadRequest, me.L.T("staff.digest.bad_day", "Value", asked)
		case err != nil:
			p.fail(w, err)
			return
		default:
			data["Text"], data["Chart"] = text, "/staff/digest/chart?day="+url.QueryEscape(day.Format(time.DateOnly))
		}
	}
	p.render(w, status, "digest.html", data)
}

// digestChart is the chart of the digest of the day asked for.
func (p *Page) digestChart(w http.ResponseWriter, r *http.Request, me staff) {
	day, _, ok := p.digestDay(r)
	if p.Digests == nil || !ok {
		http.NotFound(w, r)
		return
	}
	_, chart, err := p.Digests.Digest(r.Context(), day, me.L.lang)
	if cases.ErrorCode(err) == cases.Invalid {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		p.fail(w, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Write(chart)
}
