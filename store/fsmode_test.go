package store

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// The data folder is made 0700 and the database with its -wal and -shm
// 0600, even under a umask that would let everyone read them; a database
// left readable by an older version is tightened when it opens.
func TestDatabaseFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "data")
	path := filepath.Join(dir, "frontdesk.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetSetting(ctx, "k", "v"); err != nil {
		t.Fatal(err)
	}
	want := map[string]os.FileMode{dir: 0o700, path: 0o600, path + "-wal": 0o600, path + "-shm": 0o600}
	check := func(when string) {
		t.Helper()
		for p, mode := range want {
			st, err := os.Stat(p)
			if err != nil {
				t.Fatalf("%s: %v", when, err)
			}
			if got := st.Mode().Perm(); got != mode {
				t.Errorf("%s: %s is %o, want %o", when, filepath.Base(p), got, mode)
			}
		}
	}
	check("new")
	db.Close()
	for p := range want {
		if p != dir {
			os.Chmod(p, 0o644)
		}
	}
	db, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	check("reopened")
}
