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
		return conversations.Photo{SHA256: hash, MIME: mime, Size: int64(len(data))}, nil
	}
	if err := fsmode.MkdirAll(filepath.Dir(path)); err != nil {
		return conversations.Photo{}, fmt.Errorf("photos: photo folder: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".upload-*")
	if err != nil {
		return conversations.Photo{}, fmt.Errorf("photos: store photo: %w", err)
	}
	defer os.Remove(tmp.Name())
	// Readable by the desk's user only, whatever the umask.
	if err := tmp.Chmod(fsmode.File); err != nil {
		tmp.Close()
		return conversations.Photo{}, fmt.Errorf("photos: store photo: %w", err)
	}
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
	if len(hash) != 64 || strings.Trim(hash, "0123456789abcdef") != "" {
		return nil, fmt.Errorf("photos: bad photo hash")
	}
	return os.ReadFile(p.Path(hash, mime))
}
