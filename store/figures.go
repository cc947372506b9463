package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// DayFigures are the chart's figures of one shop day: the cases opened by
// kind, and of the clocks due that day how many were met.
type DayFigures struct {
	NewByKind map[string]int `json:"new"`
	Met       int            `json:"met"`
	Total     int            `json:"total"`
}

// ClosedDay returns the figures kept for the day [start, end), and false
// when none are kept.
func (db *DB) ClosedDay(ctx context.Context, start, end time.Time) (DayFigures, bool, error) {
	var f DayFigures
	var raw string
	err := db.queryRow(ctx, "SELECT figures FROM daily_figures WHERE day_start = ? AND day_end = ?", millis(start), millis(end)).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return f, false, nil
	}
	if err != nil {
		return f, false, coded(fmt.Errorf("store: daily figures: %w", err))
	}
	if err := json.Unmarshal([]byte(raw), &f); err != nil {
		return f, false, fmt.Errorf("store: daily figures of %v: %w", start, err)
	}
	return f, true, nil
}

// CloseDay keeps the figures of the day [start, end), which is over; the
// first figures kept stay.
func (db *DB) CloseDay(ctx context.Context, start, end time.Time, f DayFigures, now time.Time) error {
	raw, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("store: daily figures: %w", err)
	}
	_, err = db.write.ExecContext(ctx, `INSERT INTO daily_figures (day_start, day_end, figures, closed_at) VALUES (?, ?, ?, ?)
		ON CONFLICT(day_start) DO NOTHING`, millis(start), millis(end), string(raw), millis(now))
	if err != nil {
		return coded(fmt.Errorf("store: close day: %w", err))
	}
	return nil
}
