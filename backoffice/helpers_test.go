package backoffice

import (
	"path/filepath"
	"testing"

	"frontdesk/internal/testkit/base"
	"frontdesk/store"
)

// storeWithOrders is a store in a folder of its own (path, the file a test
// reopens or reads raw) holding the orders of an orders file of rows rows
// (customers 客户…): where most import tests start.
func storeWithOrders(tb testing.TB, rows int) (dir, path string, db *store.DB) {
	tb.Helper()
	dir = tb.TempDir()
	path = filepath.Join(dir, "fd.db")
	db = base.ReopenStore(tb, path)
	if _, err := importFile(tb, db, "orders", writeOrdersFile(tb, dir, rows, "客户"), Options{}); err != nil {
		tb.Fatal(err)
	}
	return dir, path, db
}
