package bot

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"

	"frontdesk/cases"
	"frontdesk/store"
)

// What the desk offers the pieces around it beyond the dialog loop: the
// outbox sender's hook, and what the channel adapters need of the store.
// The adapters hold no *store.DB: they write through the desk's methods
// and read through the interfaces below, which *store.DB satisfies.

// CaseReader is the read side of the staff desks (Slack, the /staff page):
// cases with their history, photos and staff thread, and the providers.
type CaseReader interface {
	Cases(ctx context.Context, f store.CaseFilter) ([]cases.Case, error)
	CasesAssignedTo(ctx context.Context, assignee string) ([]cases.Case, error)
	CaseByNumber(ctx context.Context, number string) (cases.Case, error)
	CaseEvents(ctx context.Context, caseID int64) ([]store.CaseEvent, error)
	AuditTrail(ctx context.Context, subject string) ([]store.AuditEntry, error)
	PhotoByID(ctx context.Context, id int64) (store.Photo, error)
	Providers(ctx context.Context) ([]cases.Provider, error)
	// SlackTS is the case's parent message in Slack ("" before it is posted).
	SlackTS(ctx context.Context, caseID int64) (string, error)
	// CaseBySlackTS is the case whose parent message is ts.
	CaseBySlackTS(ctx context.Context, ts string) (cases.Case, error)
	// CaseLinks is what staff see beside a case: its items, the
	// customer's other open cases and orders (INT-3, INT-4).
	CaseLinks(ctx context.Context, c cases.Case) (store.CaseLinks, error)
}

// ChatHistory reads what the desk wrote to one chat, after a message id:
// the web chat serves its messages from the outbox.
type ChatHistory interface {
	OutboxAfter(ctx context.Context, channel, recipient string, afterID int64, limit int) ([]store.OutboxMessage, error)
}

var (
	_ CaseReader  = (*store.DB)(nil)
	_ ChatHistory = (*store.DB)(nil)
)

// AfterSend is the outbox sender's hook after a delivery: a staff reply that
// reached the customer is marked in the case's staff thread.
func (d *Desk) AfterSend(ctx context.Context, m store.OutboxMessage) error {
	return receiptAfterSend(ctx, d.Store, m, d.Now())
}

// SeenEvent marks an inbound event of a channel that does not go through
// Handle (a Slack staff message) as being handled, and reports true when it
// was marked before: checked and marked in one transaction, so that of two
// deliveries of one event exactly one goes on.
func (d *Desk) SeenEvent(ctx context.Context, channel, id string) (bool, error) {
	err := d.Store.Update(ctx, func(tx *store.Tx) error { return tx.MarkInbound(channel, id, d.Now()) })
	if errors.Is(err, store.ErrDuplicate) {
		return true, nil
	}
	return false, err
}

// ForgetEvent takes back SeenEvent's mark when the event could not be
// applied, so that the channel's retry of it is handled.
func (d *Desk) ForgetEvent(ctx context.Context, channel, id string) error {
	return d.Store.ForgetInbound(ctx, channel, id)
}

// Offset is a channel's place in its update stream, kept under key across
// restarts (Telegram's next update_id); 0 when none is kept.
func (d *Desk) Offset(ctx context.Context, key string) (int, error) {
	s, err := d.Store.Setting(ctx, key)
	if err != nil || s == "" {
		return 0, err
	}
	return strconv.Atoi(s)
}

// SaveOffset keeps a channel's place in its update stream under key.
func (d *Desk) SaveOffset(ctx context.Context, key string, offset int) error {
	return d.Store.SetSetting(ctx, key, strconv.Itoa(offset))
}

// Tell writes a message to a chat outside any dialog: a Telegram group is
// told, once per message, that the desk serves private chats only.
func (d *Desk) Tell(ctx context.Context, channel, chatID string, m Message) error {
	payload, err := json.Marshal(m)
	if err != nil {
		return err
	}
	err = d.Store.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.Enqueue(store.OutboxMessage{Channel: channel, Recipient: chatID, Payload: payload}, d.Now())
		return err
	})
	d.wake(err, true)
	return err
}

// MarkUnreachable records, once, on every open case of the chat that the
// customer cannot be reached there (they blocked the bot), and returns the
// numbers of the cases newly marked.
func (d *Desk) MarkUnreachable(ctx context.Context, channel, chatID string) ([]string, error) {
	return d.Store.MarkUnreachable(ctx, channel, chatID, d.Now())
}

// SetSlackTS records the case's parent message in Slack.
func (d *Desk) SetSlackTS(ctx context.Context, caseID int64, ts string) error {
	return d.Store.SetSlackTS(ctx, caseID, ts)
}

// latestManagersKey keeps the last post of each kind to the managers
// (PostToManagers), for the /staff digest page.
const latestManagersKey = "managers.latest."

// LatestManagersPost is the last post of a kind ("digest", "weekly") to the
// managers; ok is false when there is none yet.
func (d *Desk) LatestManagersPost(ctx context.Context, kind string) (post StaffPost, ok bool, err error) {
	raw, err := d.Store.Setting(ctx, latestManagersKey+kind)
	if err != nil || raw == "" {
		return StaffPost{}, false, err
	}
	if json.Unmarshal([]byte(raw), &post) != nil {
		return StaffPost{}, false, nil
	}
	return post, true, nil
}
