package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// LoadDialog returns the stored dialog state of key and its version; a
// missing or expired key is version 0 with no data.
func (db *DB) LoadDialog(ctx context.Context, key string, now time.Time) ([]byte, int64, error) {
	var data []byte
	var version int64
	err := db.queryRow(ctx, "SELECT data, version FROM dialog_state WHERE key = ? AND expires_at > ?",
		key, millis(now)).Scan(&data, &version)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("store: load dialog: %w", err)
	}
	return data, version, nil
}

// SaveDialog stores data as version+1 if the stored version is still
// version (0 for a new or expired key); otherwise it returns ErrConflict.
func (db *DB) SaveDialog(ctx context.Context, key string, data []byte, version int64, now time.Time, ttl time.Duration) error {
	return db.Update(ctx, func(tx *Tx) error { return tx.SaveDialog(key, data, version, now, ttl) })
}

// SaveDialog is SaveDialog inside the transaction that commits the step's
// effects: the dialog's state and what it caused are recorded together.
func (tx *Tx) SaveDialog(key string, data []byte, version int64, now time.Time, ttl time.Duration) error {
	// One statement, its condition the version check: reading the version
	// first was a statement more per message on the desk's one writer.
	var res sql.Result
	var err error
	if version == 0 {
		// New, or expired: a live row (its version is 1 or more) is a conflict.
		res, err = tx.exec(`INSERT INTO dialog_state (key, version, data, expires_at) VALUES (?, 1, ?, ?)
			ON CONFLICT(key) DO UPDATE SET version = 1, data = excluded.data, expires_at = excluded.expires_at
			WHERE dialog_state.expires_at <= ?`, key, data, millis(now.Add(ttl)), millis(now))
	} else {
		res, err = tx.exec(`UPDATE dialog_state SET version = version + 1, data = ?, expires_at = ?
			WHERE key = ? AND version = ? AND expires_at > ?`, data, millis(now.Add(ttl)), key, version, millis(now))
	}
	if err != nil {
		return fmt.Errorf("store: save dialog: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: save dialog: %w", err)
	} else if n == 0 {
		return ErrConflict
	}
	return nil
}
