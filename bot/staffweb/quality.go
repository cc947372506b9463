package staffweb

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/internal/jsonhttp"
	"frontdesk/store"
)

// Quality is what the quality page (/staff/quality) needs of the desk: the
// spot checks and their results (QLT-1), the corrective actions (QLT-4)
// and the latest monthly figures (QLT-5). A Desk that cannot has no page.
type Quality interface {
	QualityBoard(ctx context.Context) (bot.QualityBoard, error)
	RecordSpotCheck(ctx context.Context, id int64, by cases.Actor, verdict, method, note string) (store.SpotTask, error)
	OpenCorrective(ctx context.Context, by cases.Actor, in cases.Corrective) (cases.Corrective, error)
	ActOnCorrective(ctx context.Context, id int64, by cases.Actor, verb, note string) (cases.Corrective, error)
}

// qualityRoutes registers the quality page and its forms.
func (p *Page) qualityRoutes(handle func(string, http.HandlerFunc)) {
	handle("GET /staff/quality", p.auth(p.quality))
	handle("POST /staff/quality/spot/{id}", p.auth(p.spotResult))
	handle("POST /staff/quality/actions", p.auth(p.openCorrective))
	handle("POST /staff/quality/actions/{id}", p.auth(p.actOnCorrective))
}

func (p *Page) quality(w http.ResponseWriter, r *http.Request, me staff) {
	p.qualityPage(w, r, me, http.StatusOK, "", "")
}

// qualityPage shows the board, with a refusal and the form it belongs to
// when there is one.
func (p *Page) qualityPage(w http.ResponseWriter, r *http.Request, me staff, status int, problem, where string) {
	q, ok := p.Desk.(Quality)
	if !ok {
		http.NotFound(w, r)
		return
	}
	board, err := q.QualityBoard(r.Context())
	if err != nil {
		p.fail(w, err)
		return
	}
	p.render(w, status, "quality.html", map[string]any{"Me": me, "Staff": me.Name, "L": me.L, "Board": board,
		"Error": problem, "Where": where, "Departments": cases.Departments, "Supervisor": cases.MaySpotCheck(me.Role),
		"Saved": r.URL.Query().Get("saved")})
}

// qualityDone answers a quality form: back to the board when it went
// through, the board with the problem (and a 4xx) when the desk refused.
func (p *Page) qualityDone(w http.ResponseWriter, r *http.Request, me staff, where string, err error) {
	var fe *cases.FieldError
	switch {
	case err == nil:
		http.Redirect(w, r, "/staff/quality?saved="+where+"#"+where, http.StatusSeeOther)
	case cases.ErrorCode(err) == cases.Internal:
		p.fail(w, err)
	case errors.As(err, &fe):
		p.qualityPage(w, r, me, jsonhttp.Status(cases.ErrorCode(err)), fe.Field()+": "+cases.ErrorMessage(err), where)
	default:
		p.qualityPage(w, r, me, jsonhttp.Status(cases.ErrorCode(err)), cases.ErrorMessage(err), where)
	}
}

// formID reads the {id} of the path; a bad one is a 404.
func formID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		http.Error(w, "no such record: "+r.PathValue("id"), http.StatusNotFound)
		return 0, false
	}
	return id, true
}

func (p *Page) spotResult(w http.ResponseWriter, r *http.Request, me staff) {
	q, ok := p.Desk.(Quality)
	id, okID := formID(w, r)
	if !ok || !okID {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	_, err := q.RecordSpotCheck(r.Context(), id, cases.Actor{Name: me.Name, Role: me.Role},
		r.PostFormValue("result"), r.PostFormValue("method"), r.PostFormValue("note"))
	p.qualityDone(w, r, me, "spot-"+r.PathValue("id"), err)
}

func (p *Page) openCorrective(w http.ResponseWriter, r *http.Request, me staff) {
	q, ok := p.Desk.(Quality)
	if !ok {
		http.NotFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	in := cases.Corrective{SourceKind: r.PostFormValue("source_kind"), Source: r.PostFormValue("source"),
		SKU: strings.TrimSpace(r.PostFormValue("sku")), Problem: r.PostFormValue("problem"), Owner: r.PostFormValue("owner"),
		Department: r.PostFormValue("department"), DueOn: r.PostFormValue("due_on")}
	_, err := q.OpenCorrective(r.Context(), cases.Actor{Name: me.Name, Role: me.Role}, in)
	p.qualityDone(w, r, me, "new-action", err)
}

func (p *Page) actOnCorrective(w http.ResponseWriter, r *http.Request, me staff) {
	q, ok := p.Desk.(Quality)
	id, okID := formID(w, r)
	if !ok || !okID {
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	_, err := q.ActOnCorrective(r.Context(), id, cases.Actor{Name: me.Name, Role: me.Role}, r.PostFormValue("action"), r.PostFormValue("note"))
	p.qualityDone(w, r, me, "action-"+r.PathValue("id"), err)
}
