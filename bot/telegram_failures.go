package bot

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"frontdesk/conversations"
	"frontdesk/store"
)

// What a channel needs when an inbound update cannot be handled: refuse it
// for good (recorded, the customer told), or park it to retry later without
// holding back other chats. Telegram uses these; they name no channel.

// RefusedUpdate is an inbound update a channel gives up on for good: its
// content can never be read (a photo whose file is gone, an update that does
// not parse), or it kept failing for too long.
type RefusedUpdate struct {
	Channel    string
	ChatID     string // "" when the update names no chat: nobody is told
	ExternalID string // the channel's id of the update
	LangHint   string // the language the channel reports, when the dialog has none yet
	Reason     string // for the audit trail; never a secret
	Notice     string // the catalog key of what the customer is told; "" for nothing
}

// RefuseUpdate records that an update will never be handled, in one
// transaction: it is marked as handled (a later delivery of it is dropped),
// the audit trail says why, and the customer is told in their language. It
// returns ErrDuplicate, and tells nobody, when the update was handled or
// refused already.
func (d *Desk) RefuseUpdate(ctx context.Context, r RefusedUpdate) error {
	if r.Channel == "" || r.ExternalID == "" {
		return errors.New("bot: refused update without channel or id")
	}
	key := r.Channel + ":" + r.ChatID
	defer d.lock(key)()
	now := d.Now()
	var payload []byte
	if r.ChatID != "" && r.Notice != "" {
		var err error
		payload, err = json.Marshal(Message{Text: conversations.T(d.chatLang(ctx, key, r.LangHint, now), r.Notice)})
		if err != nil {
			return err
		}
	}
	subject := "chat " + key
	if r.ChatID == "" {
		subject = "channel " + r.Channel
	}
	err := d.Store.Update(ctx, func(tx *store.Tx) error {
		if err := tx.MarkInbound(r.Channel, r.ExternalID, now); err != nil {
			return err
		}
		err := tx.Audit(store.AuditEntry{At: now, Actor: "channel " + r.Channel, Action: "update_refused", Subject: subject,
			Detail: "update " + r.ExternalID + ": " + r.Reason})
		if err != nil || payload == nil {
			return err
		}
		_, err = tx.Enqueue(store.OutboxMessage{Channel: r.Channel, Recipient: r.ChatID, Payload: payload}, now)
		return err
	})
	d.wake(err, payload != nil)
	return err
}

// chatLang is the language the chat's dialog speaks, else the channel's
// hint, else zh-Hans. A dialog state that cannot be read falls back to the
// hint: the customer is told anyway.
func (d *Desk) chatLang(ctx context.Context, key, hint string, now time.Time) conversations.Lang {
	if st, _, err := d.loadState(ctx, key, now, false); err == nil && st.Lang != "" {
		return st.Lang
	}
	if l := conversations.NormalizeLang(hint); l != "" {
		return l
	}
	return conversations.ZhHans
}

// ParkUpdate keeps an update the channel will retry itself; false when it
// was parked already.
func (d *Desk) ParkUpdate(ctx context.Context, p store.ParkedUpdate) (bool, error) {
	return d.Store.ParkUpdate(ctx, p)
}

// HasParked reports whether a chat has updates waiting to be retried.
func (d *Desk) HasParked(ctx context.Context, channel, chatID string) (bool, error) {
	return d.Store.HasParked(ctx, channel, chatID)
}

// ParkedHeads returns the oldest parked update of every chat of a channel.
func (d *Desk) ParkedHeads(ctx context.Context, channel string) ([]store.ParkedUpdate, error) {
	return d.Store.ParkedHeads(ctx, channel)
}

// NextParked returns the oldest parked update of a chat, or an error that
// is store.ErrNotFound.
func (d *Desk) NextParked(ctx context.Context, channel, chatID string) (store.ParkedUpdate, error) {
	return d.Store.NextParked(ctx, channel, chatID)
}

// DeferParked records a failed retry of a parked update.
func (d *Desk) DeferParked(ctx context.Context, p store.ParkedUpdate) error {
	return d.Store.DeferParked(ctx, p)
}

// UnparkUpdate forgets a parked update that was handled or refused.
func (d *Desk) UnparkUpdate(ctx context.Context, channel string, updateID int64) error {
	return d.Store.UnparkUpdate(ctx, channel, updateID)
}
