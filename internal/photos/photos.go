// Package photos keeps customer photos (and the digest charts) on disk,
// content-addressed, where no browser and no other customer can reach them.
package photos

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"frontdesk/conversations"
	"frontdesk/internal/fsmode"
)

// Errors of Store.Save; a channel turns them into the matching
// conversations.Rejection so the customer hears why.
var (
	ErrNotImage = errors.New("photos: not an image")
	ErrTooLarge = errors.New("photos: file too large")
)

// Store keeps customer photos under a folder, content-addressed by
// SHA-256 (the same photo sent twice is stored once), and never anywhere a
// browser or another customer could reach it.
type Store struct {
	Dir      string
	MaxBytes int64

	mu      sync.Mutex
	pending map[string]*pending // uploads not yet kept or discarded, by hash
}

// pending is one photo whose uploads are not decided yet: whether the first
// of them wrote the file, and whether any of them was kept.
type pending struct {
	holds int
	fresh bool
	kept  bool
}

// imageTypes are the formats accepted, by sniffed content, not by name.
var imageTypes = map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}

// sniffLen is how much http.DetectContentType looks at.
const sniffLen = 512

// Save reads r to the end (at most MaxBytes), checks that it is an image and
// keeps it. Nothing is kept when it fails.
func (p *Store) Save(r io.Reader) (conversations.Photo, error) {
	u, err := p.Receive(r)
	if err != nil {
		return conversations.Photo{}, err
	}
	u.Keep()
	return u.Photo, nil
}

// Upload is a photo received and stored but not yet taken by anyone: the
// caller keeps it (a dialog took it) or discards it (no dialog did), once.
type Upload struct {
	conversations.Photo
	store *Store
	done  bool
}

// Receive streams r to a temporary file (at most MaxBytes, never all in
// memory), checks its type from the first bytes, and stores it under its
// hash. Nothing is left behind when it fails. The returned upload must be
// kept or discarded.
func (p *Store) Receive(r io.Reader) (*Upload, error) {
	if err := fsmode.MkdirAll(p.Dir); err != nil {
		return nil, fmt.Errorf("photos: photo folder: %w", err)
	}
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(r, head)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, fmt.Errorf("photos: read photo: %w", err)
	}
	head = head[:n]
	if int64(n) > p.MaxBytes {
		return nil, ErrTooLarge
	}
	mime := http.DetectContentType(head)
	if _, ok := imageTypes[mime]; !ok || n == 0 {
		return nil, ErrNotImage
	}
	tmp, err := os.CreateTemp(p.Dir, ".upload-*")
	if err != nil {
		return nil, fmt.Errorf("photos: store photo: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once it is renamed into place
	// Readable by the desk's user only, whatever the umask.
	if err := tmp.Chmod(fsmode.File); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("photos: store photo: %w", err)
	}
	sum := sha256.New()
	w := io.MultiWriter(tmp, sum)
	size, err := io.Copy(w, io.MultiReader(bytes.NewReader(head), io.LimitReader(r, p.MaxBytes+1-int64(n))))
	if err == nil && size > p.MaxBytes {
		err = ErrTooLarge
	} else if err != nil {
		err = fmt.Errorf("photos: read photo: %w", err)
	}
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("photos: store photo: %w", cerr)
	}
	if err != nil {
		return nil, err
	}
	photo := conversations.Photo{SHA256: hex.EncodeToString(sum.Sum(nil)), MIME: mime, Size: size}
	if err := p.place(tmp.Name(), photo); err != nil {
		return nil, err
	}
	return &Upload{Photo: photo, store: p}, nil
}

// place renames the received file into place unless the photo is there
// already, and holds it until the upload is kept or discarded.
func (p *Store) place(tmp string, photo conversations.Photo) error {
	path := p.Path(photo.SHA256, photo.MIME)
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.pending == nil {
		p.pending = map[string]*pending{}
	}
	if pd, ok := p.pending[photo.SHA256]; ok {
		pd.holds++
		return nil
	}
	pd := &pending{holds: 1}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if err := fsmode.MkdirAll(filepath.Dir(path)); err != nil {
			return fmt.Errorf("photos: photo folder: %w", err)
		}
		// Renaming makes the file appear whole or not at all.
		if err := os.Rename(tmp, path); err != nil {
			return fmt.Errorf("photos: store photo: %w", err)
		}
		pd.fresh = true
	} else if err != nil {
		return fmt.Errorf("photos: store photo: %w", err)
	} else {
		// Sent again: the file is new to this dialog, so it must not look
		// like an upload left behind long ago (see Before).
		now := time.Now()
		if err := os.Chtimes(path, now, now); err != nil {
			return fmt.Errorf("photos: store photo: %w", err)
		}
	}
	p.pending[photo.SHA256] = pd
	return nil
}

// Keep keeps the file: a dialog took the photo.
func (u *Upload) Keep() { u.release(true) }

// Discard gives the photo up: no dialog took it. The file goes unless it was
// on disk before this upload (another record may hold it, the files being
// shared by content) or another upload of the same photo was kept or is
// still undecided.
func (u *Upload) Discard() error { return u.release(false) }

func (u *Upload) release(keep bool) error {
	p := u.store
	p.mu.Lock()
	defer p.mu.Unlock()
	if u.done {
		return nil
	}
	u.done = true
	pd := p.pending[u.SHA256]
	pd.holds--
	pd.kept = pd.kept || keep
	if pd.holds > 0 {
		return nil
	}
	delete(p.pending, u.SHA256)
	if !pd.fresh || pd.kept {
		return nil
	}
	if err := os.Remove(p.Path(u.SHA256, u.MIME)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("photos: discard photo: %w", err)
	}
	return nil
}

// Path is where the photo with this hash and type is kept.
func (p *Store) Path(hash, mime string) string {
	return filepath.Join(p.Dir, hash[:2], hash+imageTypes[mime])
}

// Read returns a stored photo's bytes.
func (p *Store) Read(hash, mime string) ([]byte, error) {
	if !isHash(hash) {
		return nil, fmt.Errorf("photos: bad photo hash")
	}
	return os.ReadFile(p.Path(hash, mime))
}

// File is a file under the photo folder.
type File struct {
	Hash    string // its SHA-256; "" for an upload a crash left half-written
	Path    string
	ModTime time.Time
}

// Before lists the files last written before t: stored photos and charts,
// and half-written uploads. Nothing else under the folder is listed.
func (p *Store) Before(t time.Time) ([]File, error) {
	var out []File
	err := filepath.WalkDir(p.Dir, func(path string, d os.DirEntry, err error) error {
		if errors.Is(err, os.ErrNotExist) && path == p.Dir {
			return filepath.SkipDir
		}
		if err != nil {
			return err
		}
		if d.IsDir() || filepath.Dir(filepath.Dir(path)) != filepath.Clean(p.Dir) || !d.Type().IsRegular() {
			return nil
		}
		name, hash := d.Name(), ""
		switch {
		case strings.HasPrefix(name, ".upload-"):
		case isHash(strings.TrimSuffix(name, filepath.Ext(name))) && name[:2] == filepath.Base(filepath.Dir(path)):
			hash = strings.TrimSuffix(name, filepath.Ext(name))
		default:
			return nil
		}
		info, err := d.Info()
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				return nil // removed meanwhile
			}
			return err
		}
		if info.ModTime().Before(t) {
			out = append(out, File{Hash: hash, Path: path, ModTime: info.ModTime()})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("photos: list files: %w", err)
	}
	return out, nil
}

// Remove deletes a file listed by Before, unless it was written again since
// (the same photo sent anew); removed says whether it did. A file gone
// already is no error.
func (p *Store) Remove(f File) (removed bool, err error) {
	info, err := os.Stat(f.Path)
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("photos: remove: %w", err)
	}
	if !info.ModTime().Equal(f.ModTime) {
		return false, nil
	}
	if err := os.Remove(f.Path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return false, nil
		}
		return false, fmt.Errorf("photos: remove: %w", err)
	}
	return true, nil
}

func isHash(s string) bool {
	return len(s) == 64 && strings.Trim(s, "0123456789abcdef") == ""
}
