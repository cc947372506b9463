// Package jsonhttp holds the JSON request and error conventions the desk's
// HTTP APIs share (the web chat's and the back office's): one object in,
// no unknown fields, a size limit, and errors as
// {"error": {"code", "message", "field"}} with a 4xx that names the problem.
package jsonhttp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Write answers v as JSON with status.
func Write(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// Error answers an error; field may be empty.
func Error(w http.ResponseWriter, status int, code, field, message string) {
	e := map[string]string{"code": code, "message": message}
	if field != "" {
		e["field"] = field
	}
	Write(w, status, map[string]any{"error": e})
}

// Decode reads one JSON object of at most maxBytes with no unknown fields
// into v. On failure it has answered with a 4xx naming the problem (the
// field path of a wrong type or an unknown field) and returns false.
func Decode(w http.ResponseWriter, r *http.Request, v any, maxBytes int64) bool {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		Error(w, http.StatusUnsupportedMediaType, "bad_content_type", "", "send Content-Type: application/json")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBytes))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value in the body")
	}
	if err == nil {
		return true
	}
	var tooBig *http.MaxBytesError
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &tooBig):
		Error(w, http.StatusRequestEntityTooLarge, "too_large", "", fmt.Sprintf("the body is over %d bytes", maxBytes))
	case errors.As(err, &typeErr):
		Error(w, http.StatusBadRequest, "bad_type", typeErr.Field, fmt.Sprintf("%s: want %s, got %s", typeErr.Field, typeErr.Type, typeErr.Value))
	case errors.As(err, &syntaxErr), errors.Is(err, io.ErrUnexpectedEOF):
		Error(w, http.StatusBadRequest, "bad_json", "", "the body is not valid JSON: "+err.Error())
	case errors.Is(err, io.EOF):
		Error(w, http.StatusBadRequest, "empty_body", "", "the body is empty; send a JSON object")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		field := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		Error(w, http.StatusBadRequest, "unknown_field", field, "unknown field "+strconv.Quote(field))
	default:
		Error(w, http.StatusBadRequest, "bad_request", "", err.Error())
	}
	return false
}
