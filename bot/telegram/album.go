package telegram

import (
	"encoding/json"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// Albums: Telegram delivers an album as one update per photo, sharing a
// media_group_id, usually in one getUpdates answer. Every photo is kept, but
// only the last of its album in the batch is acknowledged (with the count);
// the dialog acknowledges an album once even when its photos arrive in
// several batches (conversations: Draft.Albums).

// markAlbums notes, for the batch, which album photos more photos of their
// album follow; the returned func forgets the batch.
func (c *Channel) markAlbums(raws []json.RawMessage) (forget func()) {
	type item struct {
		id    int
		group string
	}
	var items []item
	for _, raw := range raws {
		var u tgbotapi.Update
		if json.Unmarshal(raw, &u) != nil || u.Message == nil || u.Message.MediaGroupID == "" {
			continue
		}
		items = append(items, item{u.UpdateID, u.Message.MediaGroupID})
	}
	var marked []int
	for i, it := range items {
		for _, later := range items[i+1:] {
			if later.group == it.group {
				c.albumFollowed.Store(it.id, true)
				marked = append(marked, it.id)
				break
			}
		}
	}
	return func() {
		for _, id := range marked {
			c.albumFollowed.Delete(id)
		}
	}
}

// albumContinues reports whether more photos of this update's album follow
// it in the batch being taken.
func (c *Channel) albumContinues(updateID int) bool {
	_, ok := c.albumFollowed.Load(updateID)
	return ok
}
