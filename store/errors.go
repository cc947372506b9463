package store

import (
	"database/sql"
	"errors"
	"fmt"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"frontdesk/cases"
)

// The store's errors are *cases.Error: a code the edges translate once (an
// HTTP status, a reply, a log line) and a message for a person, without the
// "store: " prefix; the prefix is in the wrapping, for the log.

// invalid is a validation error of the store: the input is wrong, and the
// message says how.
func invalid(format string, args ...any) error {
	return fmt.Errorf("store: %w", cases.Errorf(cases.Invalid, format, args...))
}

// notFound is ErrNotFound with a message naming what was looked for;
// errors.Is(err, ErrNotFound) holds.
func notFound(format string, args ...any) error {
	return fmt.Errorf("store: %w", &cases.Error{Code: cases.NotFound, Message: fmt.Sprintf(format, args...), Err: ErrNotFound})
}

// missingRef is a write that refers to a record that does not exist (a
// foreign key violation): the input is wrong, so the code is Invalid, and
// errors.Is(err, ErrNotFound) holds for callers that say which record.
func missingRef(format string, args ...any) error {
	return fmt.Errorf("store: %w", &cases.Error{Code: cases.Invalid, Message: fmt.Sprintf(format, args...), Err: ErrNotFound})
}

// sqliteCode returns the extended result code of the SQLite error in err's
// chain (modernc.org/sqlite turns extended codes on), and false when there
// is none.
func sqliteCode(err error) (int, bool) {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return 0, false
	}
	return e.Code(), true
}

// isUniqueViolation reports a UNIQUE or PRIMARY KEY constraint failure.
func isUniqueViolation(err error) bool {
	code, ok := sqliteCode(err)
	return ok && (code == sqlite3.SQLITE_CONSTRAINT_UNIQUE || code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY)
}

// isForeignKeyViolation reports a reference to a record that does not exist.
func isForeignKeyViolation(err error) bool {
	code, ok := sqliteCode(err)
	return ok && code == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

// coded gives a driver error its code, keeping it as the cause: a full
// disk, a read-only file, an I/O error or a lock held too long is
// Unavailable (the desk may succeed later, once someone frees space or the
// disk returns); a duplicate key is Conflict; a reference to a missing
// record is Invalid. An error that has a code already, or is not the
// driver's, is returned as it is (its code is Internal).
func coded(err error) error {
	if err == nil {
		return nil
	}
	var ce *cases.Error
	if errors.As(err, &ce) {
		return err
	}
	code, ok := sqliteCode(err)
	if !ok {
		return err
	}
	with := func(c cases.Code, message string) error { return &cases.Error{Code: c, Message: message, Err: err} }
	switch code {
	case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return with(cases.Conflict, "a record with the same key exists already")
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return with(cases.Invalid, "it refers to a record that does not exist")
	}
	// The primary code is the low byte of an extended one
	// (SQLITE_IOERR_WRITE is SQLITE_IOERR | 3<<8).
	switch code & 0xff {
	case sqlite3.SQLITE_FULL:
		return with(cases.Unavailable, "the desk's disk is full, so nothing can be saved until space is freed; try again later")
	case sqlite3.SQLITE_READONLY:
		return with(cases.Unavailable, "the desk's database is read-only, so nothing can be saved; try again later")
	case sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CANTOPEN:
		return with(cases.Unavailable, "the desk cannot read or write its database right now; try again later")
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return with(cases.Unavailable, "the desk's database is busy; try again in a moment")
	}
	return err
}

// orNotFound answers a lookup of one row: no row is ErrNotFound (and the
// zero value), anything else is passed on as it is.
func orNotFound[T any](v T, err error) (T, error) {
	if errors.Is(err, sql.ErrNoRows) {
		var zero T
		return zero, ErrNotFound
	}
	return v, err
}
