// Package fsmode keeps the desk's data (the SQLite database, the photos)
// private to the user it runs as, whatever the umask: folders 0700, files
// 0600, set with chmod after they are made, because the umask only takes
// permissions away and an odd one (0277) would leave a folder the desk
// cannot write to.
package fsmode

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// Modes of the desk's folders and files.
const (
	Dir  fs.FileMode = 0o700
	File fs.FileMode = 0o600
)

// MkdirAll makes dir and any missing parents with mode Dir. Folders that
// exist are left as they are: an operator may have given the data folder
// to a backup group on purpose.
func MkdirAll(dir string) error {
	var missing []string
	for d := filepath.Clean(dir); ; {
		_, err := os.Stat(d)
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		missing = append(missing, d)
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	for i := len(missing) - 1; i >= 0; i-- {
		d := missing[i]
		if err := os.Mkdir(d, Dir); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
		if err := os.Chmod(d, Dir); err != nil {
			return err
		}
	}
	return nil
}

// Private makes the file at path mode File if it exists.
func Private(path string) error {
	err := os.Chmod(path, File)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}
