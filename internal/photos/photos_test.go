package photos

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

var pngBytes = []byte("\x89PNG\r\n\x1a\n" + strings.Repeat("\x01", 64))

func TestSaveKeepsAnImageOnceByContent(t *testing.T) {
	s := &Store{Dir: t.TempDir(), MaxBytes: 1 << 10}
	p, err := s.Save(bytes.NewReader(pngBytes))
	if err != nil {
		t.Fatal(err)
	}
	if p.MIME != "image/png" || p.Size != int64(len(pngBytes)) || len(p.SHA256) != 64 {
		t.Fatalf("photo = %+v", p)
	}
	again, err := s.Save(bytes.NewReader(pngBytes))
	if err != nil || again != p {
		t.Fatalf("the same photo twice: %+v, %v", again, err)
	}
	got, err := s.Read(p.SHA256, p.MIME)
	if err != nil || !bytes.Equal(got, pngBytes) {
		t.Fatalf("Read = %d bytes, %v", len(got), err)
	}
	if filepath.Dir(filepath.Dir(s.Path(p.SHA256, p.MIME))) != s.Dir || filepath.Ext(s.Path(p.SHA256, p.MIME)) != ".png" {
		t.Fatalf("path %s", s.Path(p.SHA256, p.MIME))
	}
}

func TestSaveRefusesWhatIsNotAnImageOrTooLarge(t *testing.T) {
	s := &Store{Dir: t.TempDir(), MaxBytes: 32}
	if _, err := s.Save(strings.NewReader("just some text, no picture")); !errors.Is(err, ErrNotImage) {
		t.Fatalf("text: %v", err)
	}
	if _, err := s.Save(strings.NewReader("")); !errors.Is(err, ErrNotImage) {
		t.Fatalf("empty: %v", err)
	}
	if _, err := s.Save(bytes.NewReader(pngBytes)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("too large: %v", err)
	}
	entries, _ := os.ReadDir(s.Dir)
	if len(entries) != 0 {
		t.Fatalf("a refused file left %d entries", len(entries))
	}
}

func TestReadRefusesABadHash(t *testing.T) {
	s := &Store{Dir: t.TempDir(), MaxBytes: 1 << 10}
	if _, err := s.Read("../../etc/passwd", "image/png"); err == nil {
		t.Fatal("a path as hash was read")
	}
}

// Photos and their folders are the desk user's only (0600, 0700), even
// under a umask that would let everyone read them.
func TestPhotosArePrivate(t *testing.T) {
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	s := &Store{Dir: filepath.Join(t.TempDir(), "photos"), MaxBytes: 1 << 10}
	p, err := s.Save(bytes.NewReader(pngBytes))
	if err != nil {
		t.Fatal(err)
	}
	file := s.Path(p.SHA256, p.MIME)
	for path, want := range map[string]os.FileMode{s.Dir: 0o700, filepath.Dir(file): 0o700, file: 0o600} {
		st, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s is %o, want %o", path, got, want)
		}
	}
}
