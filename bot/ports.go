package bot

import (
	"context"

	"frontdesk/store"
)

// What the desk offers the pieces around it beyond the dialog loop: the
// outbox sender's hook, and what the channel adapters need of the store,
// which they reach only through the desk.

// AfterSend is the outbox sender's hook after a delivery: a staff reply that
// reached the customer is marked in the case's staff thread.
func (d *Desk) AfterSend(ctx context.Context, m store.OutboxMessage) error {
	return receiptAfterSend(ctx, d.Store, m, d.Now())
}
