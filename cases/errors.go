package cases

import (
	"errors"
	"fmt"
	"strings"
)

// Code classifies an error for the edges that translate it: an HTTP status
// and JSON error, a reply in the customer's or staff's language, a log line.
// The domain names what went wrong; each edge decides how to say it, once.
type Code string

// The error codes.
const (
	Invalid     Code = "invalid"     // the input is wrong; the message says how
	NotFound    Code = "not_found"   // no such record
	Conflict    Code = "conflict"    // the record is in a state that forbids this, or exists already
	Forbidden   Code = "forbidden"   // the actor's role may not do this
	Unavailable Code = "unavailable" // a dependency is down or full; try again later
	Internal    Code = "internal"    // anything else: a bug or an unexpected failure
)

// Error is an error with a code and a message meant for a person: the
// message says what is wrong and, where it can, what to do instead.
type Error struct {
	Code    Code
	Message string
	Err     error // the cause, if any, for the log
	// Key names the refusal in the staff's message catalog and Args its
	// values (refusal.go); empty for an error said only in Message.
	Key  string
	Args map[string]any
}

// Error is the message, followed by the cause for the log when the message
// does not already say it.
func (e *Error) Error() string {
	if e.Err != nil && !strings.Contains(e.Message, e.Err.Error()) {
		return e.Message + ": " + e.Err.Error()
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with code and a formatted message. A %w verb
// wraps its argument as the cause, and its text becomes part of the message
// a person reads: use Wrap for a cause whose text must stay in the log.
func Errorf(code Code, format string, args ...any) *Error {
	err := fmt.Errorf(format, args...)
	return &Error{Code: code, Message: err.Error(), Err: errors.Unwrap(err)}
}

// Wrap returns an *Error with code and a message for people whose cause,
// err, is kept for the log only (ErrorMessage leaves it out).
func Wrap(code Code, err error, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, Internal
// for any other error, and "" for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// ErrorMessage returns the person-readable message of the first *Error in
// err's chain, and a generic one for any other error (whose text may name
// internals that nobody outside should read).
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}
