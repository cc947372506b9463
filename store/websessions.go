package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// WebSession is a web-chat session the desk issued. The session id is a
// bearer secret, so only its SHA-256 (IDHash) is kept.
type WebSession struct {
	IDHash    string
	CreatedAt time.Time
	LastSeen  time.Time
	EndedAt   time.Time // zero while the session is open
}

// Ended reports whether the session was ended ("end chat").
func (s WebSession) Ended() bool { return !s.EndedAt.IsZero() }

// KeepSetting returns the value kept under key, keeping value first when
// there is none: of two desks that start at once on one database, both get
// the value that was kept first (a secret made once per install).
func (db *DB) KeepSetting(ctx context.Context, key, value string) (string, error) {
	err := db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING", key, value)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("store: keep setting %s: %w", key, err)
	}
	kept, err := db.Setting(ctx, key)
	if err != nil {
		return "", fmt.Errorf("store: keep setting %s: %w", key, err)
	}
	return kept, nil
}

// CreateWebSession records a new session.
func (db *DB) CreateWebSession(ctx context.Context, idHash string, now time.Time) error {
	return db.change(ctx, "create web session", "INSERT INTO web_sessions (id_hash, created_at, last_seen) VALUES (?, ?, ?)",
		idHash, millis(now), millis(now))
}

// WebSession returns a session by the hash of its id, or ErrNotFound.
func (db *DB) WebSession(ctx context.Context, idHash string) (WebSession, error) {
	var s WebSession
	var created, seen int64
	var ended sql.NullInt64
	err := db.queryRow(ctx, "SELECT id_hash, created_at, last_seen, ended_at FROM web_sessions WHERE id_hash = ?", idHash).
		Scan(&s.IDHash, &created, &seen, &ended)
	if errors.Is(err, sql.ErrNoRows) {
		return WebSession{}, notFound("no such web session")
	}
	if err != nil {
		return WebSession{}, fmt.Errorf("store: web session: %w", err)
	}
	s.CreatedAt, s.LastSeen, s.EndedAt = fromMillis(created), fromMillis(seen), fromNullMillis(ended)
	return s, nil
}

// TouchWebSession records that an open session was used at now.
func (db *DB) TouchWebSession(ctx context.Context, idHash string, now time.Time) error {
	return db.change(ctx, "touch web session", "UPDATE web_sessions SET last_seen = ? WHERE id_hash = ? AND ended_at IS NULL AND last_seen < ?",
		millis(now), idHash, millis(now))
}

// EndWebSession ends a session for good; ending an ended session keeps its
// first end. A session never issued is ErrNotFound.
func (db *DB) EndWebSession(ctx context.Context, idHash string, now time.Time) error {
	return db.Update(ctx, func(tx *Tx) error {
		res, err := tx.exec("UPDATE web_sessions SET ended_at = COALESCE(ended_at, ?) WHERE id_hash = ?", millis(now), idHash)
		if err != nil {
			return fmt.Errorf("store: end web session: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("no such web session")
		}
		return nil
	})
}

// CountWebUpload counts one upload on an open session and reports whether
// it is within limit uploads per window (counted from the window's first
// upload); over the limit, or on a session that is not open, nothing is
// counted and it reports false.
func (db *DB) CountWebUpload(ctx context.Context, idHash string, limit int, window time.Duration, now time.Time) (bool, error) {
	var counted bool
	err := db.Update(ctx, func(tx *Tx) error {
		cutoff := millis(now.Add(-window))
		res, err := tx.exec(`UPDATE web_sessions SET
			uploads = CASE WHEN uploads_since <= ? THEN 1 ELSE uploads + 1 END,
			uploads_since = CASE WHEN uploads_since <= ? THEN ? ELSE uploads_since END
			WHERE id_hash = ? AND ended_at IS NULL AND (uploads_since <= ? OR uploads < ?)`,
			cutoff, cutoff, millis(now), idHash, cutoff, limit)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		counted = n == 1
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: count web upload: %w", err)
	}
	return counted, nil
}

// UnbindChat forgets that a chat belongs to a customer: proactive messages
// no longer go there.
func (db *DB) UnbindChat(ctx context.Context, channel, chatID string) error {
	return db.change(ctx, "unbind chat", "DELETE FROM customer_chats WHERE channel = ? AND chat_id = ?", channel, chatID)
}

// PhotoReferenced reports whether any photo record holds the picture with
// this hash (the files are content-addressed, so one file may serve many).
func (db *DB) PhotoReferenced(ctx context.Context, sha256 string) (bool, error) {
	var n int
	if err := db.queryRow(ctx, "SELECT COUNT(*) FROM photos WHERE sha256 = ?", sha256).Scan(&n); err != nil {
		return false, fmt.Errorf("store: photo referenced: %w", err)
	}
	return n > 0, nil
}
