package slackfake

import (
	"encoding/json"
	"io"
	"net/http"
)

// View is a modal the app opened with views.open.
type View struct {
	TriggerID       string
	CallbackID      string
	PrivateMetadata string
	JSON            string // the view as the app sent it
}

// viewsOpen records a views.open call (a JSON body). A trigger id is
// good once, as Slack's: a second use answers exchanged_trigger_id.
func (s *Server) viewsOpen(w http.ResponseWriter, r *http.Request) {
	var req struct {
		TriggerID string          `json:"trigger_id"`
		View      json.RawMessage `json:"view"`
	}
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, &req); err != nil || req.TriggerID == "" {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"ok":false,"error":"invalid_arguments"}`)
		return
	}
	var v struct {
		CallbackID      string `json:"callback_id"`
		PrivateMetadata string `json:"private_metadata"`
	}
	json.Unmarshal(req.View, &v)
	s.mu.Lock()
	for _, seen := range s.views {
		if seen.TriggerID == req.TriggerID {
			s.mu.Unlock()
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"ok":false,"error":"exchanged_trigger_id"}`)
			return
		}
	}
	s.seq++
	s.views = append(s.views, View{TriggerID: req.TriggerID, CallbackID: v.CallbackID, PrivateMetadata: v.PrivateMetadata, JSON: string(req.View)})
	s.mu.Unlock()
	ok(w, map[string]any{"view": map[string]any{"id": "V" + req.TriggerID, "type": "modal", "callback_id": v.CallbackID}})
}

// Views returns every modal opened.
func (s *Server) Views() []View { return snapshot(&s.mu, &s.views) }
