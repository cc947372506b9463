package store

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"frontdesk/cases"
)

func TestInstallIDIsMadeOnceAndKept(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "fd.db")
	db := mustOpenAt(t, path)
	id, err := db.InstallID(ctx)
	if err != nil || len(id) != 16 {
		t.Fatalf("install id %q, %v", id, err)
	}
	db.Close()
	if again, _ := mustOpenAt(t, path).InstallID(ctx); again != id {
		t.Fatalf("install id changed across a restart: %q → %q", id, again)
	}
	other := MustOpen(t)
	if theirs, _ := other.InstallID(ctx); theirs == id {
		t.Fatal("two installations share an id")
	}
}

func TestOneServingDeskPerFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fd.db")
	first, err := LockServe(path)
	if err != nil {
		t.Fatal(err)
	}
	_, err = LockServe(path)
	if cases.ErrorCode(err) != cases.Conflict || !strings.Contains(err.Error(), "another frontdesk") {
		t.Fatalf("a second desk on one file: %v", err)
	}
	if err := first.Release(); err != nil {
		t.Fatal(err)
	}
	again, err := LockServe(path)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	again.Release()
}
