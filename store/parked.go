package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// ParkedUpdate is an inbound update a channel could not handle yet, kept
// until it is handled or refused for good, so that the channel moves on to
// other chats meanwhile and a restart loses nothing.
type ParkedUpdate struct {
	Channel  string
	UpdateID int64 // the channel's id; a chat's updates are handled in its order
	ChatID   string
	Payload  []byte // the update as the channel sent it
	ParkedAt time.Time
	// FailingSince is the update's first failure; zero while it only waits
	// behind an earlier update of its chat.
	FailingSince time.Time
	Attempts     int
	NextAt       time.Time // not tried again before
	LastError    string    // why the last attempt failed, for the log; never a secret
}

const parkedColumns = "channel, update_id, chat_id, payload, parked_at, failing_since, attempts, next_at, last_error"

func scanParked(s scanner) (ParkedUpdate, error) {
	var p ParkedUpdate
	var parked, next int64
	var failing sql.NullInt64
	err := s.Scan(&p.Channel, &p.UpdateID, &p.ChatID, &p.Payload, &parked, &failing, &p.Attempts, &next, &p.LastError)
	p.ParkedAt, p.FailingSince, p.NextAt = fromMillis(parked), fromNullMillis(failing), fromMillis(next)
	return p, err
}

// ParkUpdate keeps an update to retry later. It reports false when the
// update was parked already (a channel that fetched it again after a
// restart), which changes nothing.
func (db *DB) ParkUpdate(ctx context.Context, p ParkedUpdate) (bool, error) {
	var added bool
	err := db.Update(ctx, func(tx *Tx) error {
		res, err := tx.exec(`INSERT INTO parked_updates (`+parkedColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO NOTHING`, p.Channel, p.UpdateID, p.ChatID, p.Payload, millis(p.ParkedAt),
			nullMillis(p.FailingSince), p.Attempts, millis(p.NextAt), p.LastError)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		added = n > 0
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("store: park update: %w", err)
	}
	return added, nil
}

// HasParked reports whether a chat has updates waiting: a newer update of
// that chat must wait behind them.
func (db *DB) HasParked(ctx context.Context, channel, chatID string) (bool, error) {
	var one int
	err := db.queryRow(ctx, "SELECT 1 FROM parked_updates WHERE channel = ? AND chat_id = ? LIMIT 1", channel, chatID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, coded(fmt.Errorf("store: parked updates: %w", err))
	}
	return true, nil
}

// ParkedHeads returns the oldest parked update of every chat of a channel,
// soonest due first: only a chat's oldest may be tried.
func (db *DB) ParkedHeads(ctx context.Context, channel string) ([]ParkedUpdate, error) {
	rows, err := db.query(ctx, "SELECT "+parkedColumns+` FROM parked_updates p WHERE channel = ?
		AND update_id = (SELECT MIN(update_id) FROM parked_updates q WHERE q.channel = p.channel AND q.chat_id = p.chat_id)
		ORDER BY next_at, update_id`, channel)
	return collect(rows, err, "parked heads", scanParked)
}

// NextParked returns the oldest parked update of a chat, or ErrNotFound.
func (db *DB) NextParked(ctx context.Context, channel, chatID string) (ParkedUpdate, error) {
	p, err := scanParked(db.queryRow(ctx, "SELECT "+parkedColumns+` FROM parked_updates
		WHERE channel = ? AND chat_id = ? ORDER BY update_id LIMIT 1`, channel, chatID))
	if errors.Is(err, sql.ErrNoRows) {
		return ParkedUpdate{}, notFound("no parked update of chat %s", chatID)
	}
	if err != nil {
		return ParkedUpdate{}, coded(fmt.Errorf("store: next parked: %w", err))
	}
	return p, nil
}

// DeferParked records a failed attempt of a parked update: its attempts,
// first failure, last error and when to try again.
func (db *DB) DeferParked(ctx context.Context, p ParkedUpdate) error {
	return db.change(ctx, "defer parked update", `UPDATE parked_updates SET failing_since = ?, attempts = ?, next_at = ?, last_error = ?
		WHERE channel = ? AND update_id = ?`, nullMillis(p.FailingSince), p.Attempts, millis(p.NextAt), p.LastError,
		p.Channel, p.UpdateID)
}

// UnparkUpdate forgets a parked update that was handled or refused.
func (db *DB) UnparkUpdate(ctx context.Context, channel string, updateID int64) error {
	return db.change(ctx, "unpark update", "DELETE FROM parked_updates WHERE channel = ? AND update_id = ?", channel, updateID)
}
