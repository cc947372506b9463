// Package jsonhttp holds the JSON request and error conventions the desk's
// HTTP APIs share (the web chat's and the back office's): one object in,
// no unknown fields, a size limit, and errors as
// {"error": {"code", "message", "field"}} with a 4xx that names the problem,
// or for a coded error (cases.Error) the status its code says (WriteError).
package jsonhttp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"frontdesk/cases"
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

// RetryAfter is the Retry-After, in seconds, of a 503: long enough for a
// lock to clear, short enough that a client retries soon once space is
// freed or the disk is back.
const RetryAfter = 30

// internalMessage is all a client learns of an internal error.
const internalMessage = "the desk could not do that; try again"

// Status is the HTTP status that answers an error of code.
func Status(code cases.Code) int {
	switch code {
	case cases.Invalid:
		return http.StatusBadRequest
	case cases.NotFound:
		return http.StatusNotFound
	case cases.Conflict:
		return http.StatusConflict
	case cases.Forbidden:
		return http.StatusForbidden
	case cases.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// WriteError answers err by its code (cases.ErrorCode; see Status) as
// {"error": {"code", "message", "field"}}: the JSON code is the error's
// code ("invalid", "not_found" …), the message cases.ErrorMessage, and, for
// a 4xx, the field that of the first error in the chain with a
// Field() string method (see InField). A 503 says when to retry
// (Retry-After). An internal error gets a generic message: its detail goes
// to log, never to the client; an unavailable one is logged too, as the
// desk's operator has something to fix.
func WriteError(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	code := cases.ErrorCode(err)
	if code == "" { // a nil error is a bug of the caller
		code, err = cases.Internal, errors.New("jsonhttp: WriteError called with a nil error")
	}
	status := Status(code)
	message := cases.ErrorMessage(err)
	if log == nil {
		log = slog.Default()
	}
	switch code {
	case cases.Unavailable:
		w.Header().Set("Retry-After", strconv.Itoa(RetryAfter))
		log.WarnContext(r.Context(), "request failed: unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
	case cases.Invalid, cases.NotFound, cases.Conflict, cases.Forbidden:
	default:
		message = internalMessage
		log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var f interface{ Field() string }
	field := ""
	if status < 500 && errors.As(err, &f) {
		field = f.Field()
	}
	Error(w, status, string(code), field, message)
}

// InField names the request field err is about, for WriteError; err keeps
// its code and message.
func InField(field string, err error) error {
	if err == nil {
		return nil
	}
	return fieldErr{field: field, err: err}
}

type fieldErr struct {
	field string
	err   error
}

func (e fieldErr) Error() string { return e.field + ": " + e.err.Error() }
func (e fieldErr) Unwrap() error { return e.err }
func (e fieldErr) Field() string { return e.field }

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
