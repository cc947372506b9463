package webchat

import (
	"net/http"

	"frontdesk/internal/jsonhttp"
)

func writeJSON(w http.ResponseWriter, status int, v any) { jsonhttp.Write(w, status, v) }

func writeError(w http.ResponseWriter, status int, code, message string) {
	jsonhttp.Error(w, status, code, "", message)
}

// decodeJSON reads one JSON object of at most maxJSONBody bytes with no
// unknown fields, answering a 4xx that names the problem when it cannot.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	return jsonhttp.Decode(w, r, v, maxJSONBody)
}
