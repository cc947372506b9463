package photos

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
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

// Before lists the stored photos and half-written uploads last written
// before a time, and nothing else in the folder; Remove leaves a file
// written again since it was listed.
func TestBeforeListsOldFilesAndRemoveSparesOnesSentAgain(t *testing.T) {
	s := &Store{Dir: t.TempDir(), MaxBytes: 1 << 10}
	if files, err := (&Store{Dir: filepath.Join(s.Dir, "none")}).Before(time.Now()); err != nil || len(files) != 0 {
		t.Fatalf("a missing folder: %v %v", files, err)
	}
	old, recent := time.Now().Add(-48*time.Hour), time.Now().Add(-time.Hour)
	a, err := s.Save(bytes.NewReader(pngBytes))
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Save(bytes.NewReader(append(pngBytes, 2)))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(s.Path(a.SHA256, a.MIME))
	upload := filepath.Join(dir, ".upload-123")
	other := filepath.Join(dir, "notes.txt")
	for _, f := range []string{upload, other} {
		if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for path, at := range map[string]time.Time{s.Path(a.SHA256, a.MIME): old, s.Path(b.SHA256, b.MIME): recent, upload: old, other: old} {
		if err := os.Chtimes(path, at, at); err != nil {
			t.Fatal(err)
		}
	}
	files, err := s.Before(time.Now().Add(-24 * time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range files {
		got[filepath.Base(f.Path)] = f.Hash
	}
	if len(got) != 2 || got[filepath.Base(s.Path(a.SHA256, a.MIME))] != a.SHA256 || got[".upload-123"] != "" {
		t.Fatalf("listed %v", got)
	}
	// a is sent again before it is removed: it is new again and stays.
	if _, err := s.Save(bytes.NewReader(pngBytes)); err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		removed, err := s.Remove(f)
		if err != nil || removed != (f.Hash == "") {
			t.Fatalf("remove %s: %v %v", f.Path, removed, err)
		}
	}
	if _, err := os.Stat(s.Path(a.SHA256, a.MIME)); err != nil {
		t.Fatalf("the photo sent again was removed: %v", err)
	}
	if _, err := os.Stat(upload); !os.IsNotExist(err) {
		t.Fatalf("the old upload stays: %v", err)
	}
}

// countingReader is an endless stream that counts what was read of it.
type countingReader struct {
	head []byte
	read int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n := copy(b, c.head[min(int64(len(c.head)), c.read):])
	for i := n; i < len(b); i++ {
		b[i] = 0
	}
	c.read += int64(len(b))
	return len(b), nil
}

func TestReceiveStreamsAndSniffsFromTheFirstBytes(t *testing.T) {
	s := &Store{Dir: t.TempDir(), MaxBytes: 1 << 20}
	// Not an image: refused after the first bytes, the rest never read.
	pdf := &countingReader{head: []byte("%PDF-1.4")}
	if _, err := s.Receive(pdf); !errors.Is(err, ErrNotImage) || pdf.read > sniffLen {
		t.Fatalf("pdf: %v after reading %d bytes", err, pdf.read)
	}
	// Too large: refused after MaxBytes+1 bytes, not at the end of the stream.
	big := &countingReader{head: pngBytes}
	if _, err := s.Receive(big); !errors.Is(err, ErrTooLarge) || big.read > 2<<20 {
		t.Fatalf("endless png: %v after reading %d bytes", err, big.read)
	}
	if n := files(t, s.Dir); n != 0 {
		t.Fatalf("refused uploads left %d files", n)
	}
}

func TestDiscardRemovesOnlyWhatNothingElseHolds(t *testing.T) {
	s := &Store{Dir: t.TempDir(), MaxBytes: 1 << 10}
	u, err := s.Receive(bytes.NewReader(pngBytes))
	if err != nil {
		t.Fatal(err)
	}
	path := s.Path(u.SHA256, u.MIME)
	if err := u.Discard(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a discarded upload stayed: %v", err)
	}

	// Kept once, the file outlives a later upload of the same photo that is
	// discarded: another record holds it.
	kept, _ := s.Save(bytes.NewReader(pngBytes))
	again, _ := s.Receive(bytes.NewReader(pngBytes))
	again.Discard()
	if _, err := os.Stat(s.Path(kept.SHA256, kept.MIME)); err != nil {
		t.Fatalf("discarding a second upload removed the kept photo: %v", err)
	}

	// Two undecided uploads of one new photo: the file goes only when
	// neither was kept.
	other := append(append([]byte{}, pngBytes...), 2)
	a, _ := s.Receive(bytes.NewReader(other))
	b, _ := s.Receive(bytes.NewReader(other))
	a.Discard()
	b.Keep()
	if _, err := os.Stat(s.Path(a.SHA256, a.MIME)); err != nil {
		t.Fatalf("one upload discarded, the other kept: %v", err)
	}
	third := append(append([]byte{}, pngBytes...), 3)
	a, _ = s.Receive(bytes.NewReader(third))
	b, _ = s.Receive(bytes.NewReader(third))
	a.Discard()
	if _, err := os.Stat(s.Path(a.SHA256, a.MIME)); err != nil {
		t.Fatalf("removed while another upload was undecided: %v", err)
	}
	b.Discard()
	if _, err := os.Stat(s.Path(a.SHA256, a.MIME)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("both discarded, the file stayed: %v", err)
	}
	if n := files(t, s.Dir); n != 2 {
		t.Fatalf("want the two kept photos on disk, found %d files", n)
	}
}

// files counts the files under dir, temporary ones included.
func files(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n++
		}
		return nil
	})
	return n
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
