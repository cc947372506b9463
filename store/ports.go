package store

import (
	"context"
	"fmt"
)

// ForgetInbound removes the dedupe mark of an update whose handling failed
// after it was marked, so that the channel's retry of it is handled.
func (db *DB) ForgetInbound(ctx context.Context, channel, externalID string) error {
	_, err := db.write.ExecContext(ctx, "DELETE FROM inbound_seen WHERE channel = ? AND external_id = ?", channel, externalID)
	if err != nil {
		return fmt.Errorf("store: forget inbound: %w", err)
	}
	return nil
}
