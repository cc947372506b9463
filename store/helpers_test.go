package store

import (
	"context"
	"testing"
)

// importOver stores the order o at t0 and begins an orders import over it
// at t0, closed when the test ends: where the tests of what an import does
// to an existing order start.
func importOver(tb testing.TB, db *DB, o Order) *ImportRun {
	tb.Helper()
	ctx := context.Background()
	if err := db.UpsertOrder(ctx, o, t0); err != nil {
		tb.Fatal(err)
	}
	run, err := db.BeginImport(ctx, Import{Kind: "orders"}, Pace{}, t0)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { run.Close() })
	return run
}
