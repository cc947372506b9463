package bot

import (
	"context"
	"encoding/json"
	"time"

	"frontdesk/conversations"
	"frontdesk/store"
)

// Remembered is a small note a channel keeps across restarts under key
// (the Telegram chat's current question); "" when none.
func (d *Desk) Remembered(ctx context.Context, key string) (string, error) {
	return d.Store.Setting(ctx, key)
}

// Remember keeps a channel's note under key.
func (d *Desk) Remember(ctx context.Context, key, value string) error {
	return d.Store.SetSetting(ctx, key, value)
}

// problemPhotoSteps are the steps whose photos show the problem (the ones
// providerJob counts): a provider's own photos of its work are not among
// them.
var problemPhotoSteps = []string{"", "item", "closeup", "packaging", "message", "problem"}

// photosToProvider sends the case's problem photos to a provider's linked
// chat, after its briefing and in order with it (one chat's outbox is
// delivered in order). Only the photos of this case, which was dispatched
// to this provider, are sent (PRV-2: a provider never sees another's job).
func photosToProvider(tx *store.Tx, pc store.ProviderChat, caseNo string, pics []store.Photo, now time.Time) error {
	lang := langOf(pc)
	for i, p := range pics {
		m := Message{Text: conversations.ProviderPhotoCaption(lang, caseNo, i+1, len(pics)), Photo: p.SHA256, PhotoMIME: p.MIME}
		payload, err := json.Marshal(m)
		if err != nil {
			return err
		}
		if _, err := tx.Enqueue(store.OutboxMessage{Channel: pc.Channel, Recipient: pc.ChatID, Payload: payload}, now); err != nil {
			return err
		}
	}
	return nil
}
