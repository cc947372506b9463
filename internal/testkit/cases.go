package testkit

import (
	"context"
	"testing"

	"frontdesk/cases"
	"frontdesk/store"
)

// OpenCases are the open cases of the customer with phone in db, failing
// the test if the store cannot say.
func OpenCases(tb testing.TB, db *store.DB, phone string) []cases.Case {
	tb.Helper()
	open, err := db.CasesByPhone(context.Background(), phone, true)
	if err != nil {
		tb.Fatal(err)
	}
	return open
}
