package bot

import "context"

// Remembered is a small note a channel keeps across restarts under key
// (the Telegram chat's current question); "" when none.
func (d *Desk) Remembered(ctx context.Context, key string) (string, error) {
	return d.Store.Setting(ctx, key)
}

// Remember keeps a channel's note under key.
func (d *Desk) Remember(ctx context.Context, key, value string) error {
	return d.Store.SetSetting(ctx, key, value)
}
