package bot

import (
	"context"
	"fmt"
	"time"

	"frontdesk/conversations"
	"frontdesk/store"
)

// WebSessions keeps the web chat's sessions: the ones issued (by the hash
// of their id), when each was last used and whether it was ended, the
// uploads of each, and the install's signing secret.
type WebSessions interface {
	KeepSetting(ctx context.Context, key, value string) (string, error)
	CreateWebSession(ctx context.Context, idHash string, now time.Time) error
	WebSession(ctx context.Context, idHash string) (store.WebSession, error)
	TouchWebSession(ctx context.Context, idHash string, now time.Time) error
	EndWebSession(ctx context.Context, idHash string, now time.Time) error
	CountWebUpload(ctx context.Context, idHash string, limit int, window time.Duration, now time.Time) (bool, error)
}

var _ WebSessions = (*store.DB)(nil)

// ForgetChat forgets a chat on a shared device ("end chat", ID-7): its
// dialog state goes (the verification, any flow in progress), and so does
// its binding to the customer, so that no proactive message is written to
// it any more. A case it handed off stays open for staff.
func (d *Desk) ForgetChat(ctx context.Context, channel, chatID string) error {
	key := channel + ":" + chatID
	defer d.lock(key)()
	// The empty state is committed as the conversation's next version, in
	// the store and its fast copy alike.
	forget := func(context.Context, conversations.Env, conversations.State) (conversations.State, []conversations.Effect, error) {
		return conversations.State{}, nil, nil
	}
	if err := d.run(ctx, key, conversations.Inbound{Channel: channel, ChatID: chatID}, forget); err != nil {
		return fmt.Errorf("bot: forget chat: %w", err)
	}
	if err := d.Store.UnbindChat(ctx, channel, chatID); err != nil {
		return fmt.Errorf("bot: forget chat: %w", err)
	}
	return nil
}

// PhotoInUse reports whether a photo is held by the chat's dialog (the
// draft of a flow in progress) or by any record (a case's photos): a
// channel keeps an upload only then.
func (d *Desk) PhotoInUse(ctx context.Context, channel, chatID, sha256 string) (bool, error) {
	st, _, err := d.State.Load(ctx, channel+":"+chatID)
	if err != nil {
		return false, err
	}
	if st.Draft != nil {
		for _, p := range st.Draft.Photos {
			if p.Photo.SHA256 == sha256 {
				return true, nil
			}
		}
	}
	return d.Store.PhotoReferenced(ctx, sha256)
}
