package staffweb

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/store"
)

// The visit panel of the case page (PRV-1 … PRV-5): the providers the desk
// proposes for the order's region, a dispatch elsewhere with its reason,
// the visit with its payment way, appointment, service record and
// acceptance, and the one-time code that links the provider's own chat.

// ProviderDesk is what the panel asks of the desk.
type ProviderDesk interface {
	ProposeProviders(ctx context.Context, caseNo string) ([]cases.Provider, string, error)
	CaseVisit(ctx context.Context, caseID int64) (store.VisitRecord, error)
	NewProviderCode(ctx context.Context, providerID int64, actor string) (string, error)
}

type visitView struct {
	Region   string
	Proposed []cases.Provider
	Others   []cases.Provider // the others that may be sent, elsewhere with a reason
	Visit    *store.VisitRecord
	Code     string // a link code just made
}

func (p *Page) providerDesk() (ProviderDesk, bool) {
	pd, ok := p.Desk.(ProviderDesk)
	return pd, ok
}

// proposals are the providers the case page offers (000 §4.1): local, at
// least three stars, companies and the nearest first, none flagged.
func (p *Page) proposals(ctx context.Context, c cases.Case) []cases.Provider {
	pd, ok := p.providerDesk()
	if !ok {
		return nil
	}
	ps, _, err := pd.ProposeProviders(ctx, c.Number)
	if err != nil {
		p.Log.Warn("staffweb: proposals", "case", c.Number, "err", err)
	}
	return ps
}

func (p *Page) visitView(ctx context.Context, c cases.Case, code string) *visitView {
	pd, ok := p.providerDesk()
	if !ok || c.OrderNo == "" {
		return nil
	}
	v := &visitView{Code: code}
	v.Proposed, v.Region, _ = pd.ProposeProviders(ctx, c.Number)
	all, _ := p.Cases.Providers(ctx)
	proposed := map[int64]bool{}
	for _, pr := range v.Proposed {
		proposed[pr.ID] = true
	}
	for _, pr := range all { // SRV-7 holds elsewhere too
		if !pr.Flagged && !proposed[pr.ID] && (!pr.Rated() || pr.Stars >= bot.MinProviderStars) {
			v.Others = append(v.Others, pr)
		}
	}
	if rec, err := pd.CaseVisit(ctx, c.ID); err == nil {
		v.Visit = &rec
	}
	return v
}

// providerCode makes a one-time code for the case's provider to link its
// chat (PRV-2), shown once on the page.
func (p *Page) providerCode(w http.ResponseWriter, r *http.Request, me staff) {
	c, err := p.Cases.CaseByNumber(r.Context(), r.PathValue("no"))
	if errors.Is(err, store.ErrNotFound) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		p.fail(w, err)
		return
	}
	id, err := strconv.ParseInt(c.Details["provider_id"], 10, 64)
	pd, ok := p.providerDesk()
	if err != nil || !ok {
		p.showCase(w, r, me, http.StatusConflict, "case "+c.Number+" has no dispatched provider")
		return
	}
	code, err := pd.NewProviderCode(r.Context(), id, me.Name)
	if err != nil {
		p.fail(w, err)
		return
	}
	r = r.WithContext(context.WithValue(r.Context(), codeKey{}, code))
	p.showCase(w, r, me, http.StatusOK, "")
}

type codeKey struct{}

func codeOf(r *http.Request) string {
	s, _ := r.Context().Value(codeKey{}).(string)
	return s
}

var _ ProviderDesk = (*bot.Desk)(nil)

// dispatchElsewhere turns the form of a dispatch outside the proposals into
// the dispatch's value "id reason" (PRV-1).
func dispatchElsewhere(r *http.Request, kind, value string) (string, string) {
	if kind != "dispatch_elsewhere" {
		return kind, value
	}
	return bot.ActDispatch, r.FormValue("provider") + " " + r.FormValue("reason")
}
