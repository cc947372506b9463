package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"

	"frontdesk/cases"
)

// InstallID names this installation: made once, kept in the store. Keys a
// desk keeps outside its store (Redis dialog copies, job locks) are
// namespaced by it, so two desks sharing one Redis never read each other's.
func (db *DB) InstallID(ctx context.Context) (string, error) {
	b := make([]byte, 8)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	_, err := db.write.ExecContext(ctx, "INSERT INTO settings (key, value) VALUES ('install_id', ?) ON CONFLICT(key) DO NOTHING",
		hex.EncodeToString(b))
	if err != nil {
		return "", coded(fmt.Errorf("store: install id: %w", err))
	}
	return db.Setting(ctx, "install_id")
}

// pidLock is a flock on a file next to the database, holding the pid of
// the process that has it; the claim ends with release or with the process.
type pidLock struct{ f *os.File }

// claim takes the lock file path, or returns busy(pid of the holder) when
// another process has it.
func claim(path, what string, busy func(pid string) error) (*pidLock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, cases.Wrap(cases.Unavailable, err, "cannot open the "+what+" lock "+path)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		pid, _ := os.ReadFile(f.Name())
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, busy(strings.TrimSpace(string(pid)))
		}
		return nil, cases.Wrap(cases.Unavailable, err, "cannot take the "+what+" lock "+path)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &pidLock{f: f}, nil
}

func (l *pidLock) release() error {
	if l == nil || l.f == nil {
		return nil
	}
	syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	err := l.f.Close()
	l.f = nil
	return err
}

// ServeLock is one serving desk's claim on a database file: SQLite has one
// writer, and two desks on one file would deliver every message twice.
type ServeLock struct{ lock *pidLock }

// LockServe claims the database file at path for this process, or says
// which process has it. The claim ends with Release or with the process.
func LockServe(path string) (*ServeLock, error) {
	l, err := claim(path+".serve.lock", "serve", func(pid string) error {
		return cases.Errorf(cases.Conflict, "another frontdesk (pid %s) is serving from %s: one SQLite file takes one desk; stop it first, or run several replicas on PostgreSQL",
			pid, path)
	})
	if err != nil {
		return nil, err
	}
	return &ServeLock{lock: l}, nil
}

// Release ends the claim.
func (l *ServeLock) Release() error {
	if l == nil {
		return nil
	}
	return l.lock.release()
}
