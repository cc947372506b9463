package backoffice

import (
	"errors"
	"net/http"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/store"
)

// The knowledge base through the back office (ARC-4): the entries the
// desk answers from, with how often each was offered and helped, and new
// entries or corrections in zh-Hans, zh-Hant and English.

// listKnowledge answers every entry: the configured ones and those added,
// an added entry replacing the configured one of its id.
func (a *API) listKnowledge(w http.ResponseWriter, r *http.Request) {
	added, err := a.Store.KBEntries(r.Context())
	if !a.ok(w, r, err) {
		return
	}
	stats, err := a.Store.KBStats(r.Context())
	if !a.ok(w, r, err) {
		return
	}
	out := []map[string]any{}
	entry := func(e config.KBEntry, source, by string) {
		s := stats[e.ID]
		out = append(out, map[string]any{"entry": e, "source": source, "added_by": by, "offered": s.Offered, "helped": s.Helped})
	}
	for _, e := range a.Knowledge {
		replaced := false
		for _, x := range added {
			replaced = replaced || x.ID == e.ID
		}
		if !replaced {
			entry(e, "config", "")
		}
	}
	for _, e := range added {
		entry(e.KBEntry, "added", e.AddedBy)
	}
	writeJSON(w, http.StatusOK, map[string]any{"entries": out})
}

// postKnowledge adds an entry, or replaces the one of its id: 201, or a
// 4xx naming the field that is wrong (an answer missing in a language, an
// unknown category, a case that is not resolved) and nothing saved.
func (a *API) postKnowledge(w http.ResponseWriter, r *http.Request) {
	var e config.KBEntry
	if !decode(w, r, &e) {
		return
	}
	var fe *config.FieldError
	if err := e.Validate(); errors.As(err, &fe) {
		writeError(w, http.StatusBadRequest, "invalid", fe.Field, fe.Error())
		return
	}
	if e.FromCase != "" {
		c, err := a.Store.CaseByNumber(r.Context(), e.FromCase)
		if !a.found(w, r, err, http.StatusBadRequest, "invalid", "from_case", "from_case: there is no case "+e.FromCase) {
			return
		}
		if c.Status != cases.Resolved {
			writeError(w, http.StatusConflict, "conflict", "from_case", "from_case: case "+e.FromCase+" is not resolved; an answer is written from a resolved case")
			return
		}
	}
	err := a.Store.Update(r.Context(), func(tx *store.Tx) error {
		if err := tx.PutKBEntry(e, "back office", a.Now()); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{At: a.Now(), Actor: "back office", Action: "knowledge_added", Subject: e.ID, Detail: e.FromCase})
	})
	if !a.ok(w, r, err) {
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"entry": e})
}
