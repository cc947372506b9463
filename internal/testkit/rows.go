package testkit

import (
	"database/sql"
	"testing"

	"frontdesk/internal/testkit/base"
)

// RowValues scans the current row of rows into one value a column (see
// base.RowValues).
func RowValues(tb testing.TB, rows *sql.Rows) []any { tb.Helper(); return base.RowValues(tb, rows) }
