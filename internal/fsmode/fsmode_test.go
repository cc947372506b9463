package fsmode

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// withUmask runs f with the process umask set to mask.
func withUmask(t *testing.T, mask int, f func()) {
	t.Helper()
	old := syscall.Umask(mask)
	defer syscall.Umask(old)
	f()
}

func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

// Whatever the umask, new folders are 0700 and files made private are
// 0600; a folder that exists keeps its mode.
func TestModesWhateverTheUmask(t *testing.T) {
	for _, mask := range []int{0, 0o022, 0o277} {
		root := t.TempDir()
		existing := filepath.Join(root, "existing")
		if err := os.Mkdir(existing, 0o750); err != nil {
			t.Fatal(err)
		}
		os.Chmod(existing, 0o750)
		dir := filepath.Join(existing, "a", "b")
		file := filepath.Join(dir, "f")
		withUmask(t, mask, func() {
			if err := MkdirAll(dir); err != nil {
				t.Fatalf("umask %o: %v", mask, err)
			}
			if err := MkdirAll(dir); err != nil {
				t.Fatalf("umask %o, again: %v", mask, err)
			}
			if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
				t.Fatalf("umask %o: the new folder cannot be written: %v", mask, err)
			}
			if err := Private(file); err != nil {
				t.Fatal(err)
			}
			if err := Private(filepath.Join(dir, "missing")); err != nil {
				t.Fatalf("a missing file: %v", err)
			}
		})
		for path, want := range map[string]os.FileMode{existing: 0o750, filepath.Dir(dir): Dir, dir: Dir, file: File} {
			if got := mode(t, path); got != want {
				t.Errorf("umask %o: %s is %o, want %o", mask, path, got, want)
			}
		}
	}
}
