package staffweb

import (
	"context"
	"net/http"
	"strings"

	"frontdesk/config"
)

// From a resolved case to the knowledge base (ARC-4): the case page of a
// resolved case offers a form that writes its answer as a question and
// answer in zh-Hans, zh-Hant and English; the chat answers from it next
// time.

// KnowledgeAdder is what the knowledge form needs of the desk.
type KnowledgeAdder interface {
	AddKnowledge(ctx context.Context, e config.KBEntry, by string) error
}

func (p *Page) knowledgeRoutes(handle func(pattern string, h http.HandlerFunc)) {
	handle("POST /staff/case/{no}/knowledge", p.auth(p.addKnowledge))
}

// addKnowledge adds the entry written from the case; a refusal (a language
// without an answer, a case not resolved) shows the case again with the
// problem, and nothing is saved.
func (p *Page) addKnowledge(w http.ResponseWriter, r *http.Request, me staff) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	adder, ok := p.Desk.(KnowledgeAdder)
	if !ok {
		http.NotFound(w, r)
		return
	}
	e := config.KBEntry{ID: strings.TrimSpace(r.FormValue("id")), Category: config.Category(r.FormValue("category")),
		FromCase: r.PathValue("no"), Question: map[string]string{}, Answer: map[string]string{}}
	for _, k := range strings.FieldsFunc(r.FormValue("keywords"), func(c rune) bool { return c == ',' || c == '，' || c == '、' }) {
		if k = strings.TrimSpace(k); k != "" {
			e.Keywords = append(e.Keywords, k)
		}
	}
	for _, l := range config.KBLangs {
		if v := strings.TrimSpace(r.FormValue("q_" + l)); v != "" {
			e.Question[l] = v
		}
		if v := strings.TrimSpace(r.FormValue("a_" + l)); v != "" {
			e.Answer[l] = v
		}
	}
	if err := adder.AddKnowledge(r.Context(), e, me.Name); err != nil {
		p.showCase(w, r, me, http.StatusBadRequest, me.L.T("staff.kb.refused", "Problem", err.Error()))
		return
	}
	http.Redirect(w, r, "/staff/case/"+r.PathValue("no")+"?kb=added", http.StatusSeeOther)
}
