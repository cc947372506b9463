package base

import (
	"database/sql"
	"testing"
)

// RowValues scans the current row of rows, whatever its columns, into one
// value a column (the driver's types: []byte for a blob, nil for NULL).
func RowValues(tb testing.TB, rows *sql.Rows) []any {
	tb.Helper()
	cols, err := rows.Columns()
	if err != nil {
		tb.Fatal(err)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	if err := rows.Scan(ptrs...); err != nil {
		tb.Fatal(err)
	}
	return vals
}
