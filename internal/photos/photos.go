// Package photos keeps customer photos (and the digest charts) on disk,
// content-addressed, where no browser and no other customer can reach them.
package photos

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"frontdesk/conversations"
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
}

// imageTypes are the formats accepted, by sniffed content, not by name.
var imageTypes = map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}

// Save reads r to the end (at most MaxBytes), checks that it is an image and
// stores it. Nothing is kept when it fails.
func (p *Store) Save(r io.Reader) (conversations.Photo, error) {
	data, err := io.ReadAll(io.LimitReader(r, p.MaxBytes+1))
	if err != nil {
		return conversations.Photo{}, fmt.Errorf("photos: read photo: %w", err)
	}
	if int64(len(data)) > p.MaxBytes {
		return conversations.Photo{}, ErrTooLarge
	}
	mime := http.DetectContentType(data)
	if _, ok := imageTypes[mime]; !ok || len(data) == 0 {
		return conversations.Photo{}, ErrNotImage
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	path := p.Path(hash, mime)
	if _, err := os.Stat(path); err == nil {
		// Sent again: the file is new to this dialog, so it must not look
		// like an upload left behind long ago (see Before).
		now := time.Now()
		if err := os.Chtimes(path, now, now); err != nil {
			return conversations.Photo{}, fmt.Errorf("photos: store photo: %w", err)
		}
		return conversations.Photo{SHA256: hash, MIME: mime, Size: int64(len(data))}, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return conversations.Photo{}, fmt.Errorf("photos: photo folder: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".upload-*")
	if err != nil {
		return conversations.Photo{}, fmt.Errorf("photos: store photo: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return conversations.Photo{}, fmt.Errorf("photos: store photo: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return conversations.Photo{}, fmt.Errorf("photos: store photo: %w", err)
	}
	// Renaming makes the file appear whole or not at all.
	if err := os.Rename(tmp.Name(), path); err != nil {
		return conversations.Photo{}, fmt.Errorf("photos: store photo: %w", err)
	}
	return conversations.Photo{SHA256: hash, MIME: mime, Size: int64(len(data))}, nil
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
