package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"frontdesk/bot"
	"frontdesk/store"
)

// One bad update never holds back the others. An update is taken in one of
// three ways, and the offset moves past it only once it is:
//   - handled;
//   - refused for good when its own content can never be handled (a Bot
//     API 400 for its file, a file that is gone, an update that does not
//     parse): recorded with the reason and the customer asked to send it
//     again;
//   - parked in the store when the failure may pass (the network, a 5xx or
//     429, the store or the dialog state unavailable), and retried by the
//     channel itself with a capped backoff, the chat's later updates parked
//     behind it so that a chat's messages stay in order while other chats
//     go on. After giveUpAfter of failures it is refused like the first kind.
// The desk drops an update it handled already (its update_id is the
// event's id), so fetching one again after a crash is safe.

// Retry timing of parked updates.
const (
	retryFirst  = time.Second      // the first retry; doubled each time
	retryMax    = time.Minute      // the longest wait between two tries
	giveUpAfter = 10 * time.Minute // failing this long, an update is refused
	retryFloor  = 50 * time.Millisecond
)

// Parking is what the channel needs of the desk for updates it cannot
// handle now: refuse one for good, or keep it to retry in order per chat.
type Parking interface {
	RefuseUpdate(ctx context.Context, r bot.RefusedUpdate) error
	ParkUpdate(ctx context.Context, p store.ParkedUpdate) (bool, error)
	HasParked(ctx context.Context, channel, chatID string) (bool, error)
	ParkedHeads(ctx context.Context, channel string) ([]store.ParkedUpdate, error)
	NextParked(ctx context.Context, channel, chatID string) (store.ParkedUpdate, error)
	DeferParked(ctx context.Context, p store.ParkedUpdate) error
	UnparkUpdate(ctx context.Context, channel string, updateID int64) error
}

// parking is the channel's side of the retries: one lock per chat, so a
// chat's updates are tried one at a time, and a wake-up for the retry loop.
// Its zero value is ready.
type parking struct {
	once  sync.Once
	wake  chan struct{}
	mu    sync.Mutex
	chats map[string]*chatLock
}

type chatLock struct {
	sync.Mutex
	users int
}

func (p *parking) woken() <-chan struct{} {
	p.once.Do(func() { p.wake = make(chan struct{}, 1) })
	return p.wake
}

// poke wakes the retry loop: something was parked, or (in tests) the clock
// moved.
func (p *parking) poke() {
	p.woken()
	select {
	case p.wake <- struct{}{}:
	default:
	}
}

// lock takes a chat's lock; with try, only when it is free at once (ok
// false otherwise). unlock gives it back.
func (p *parking) lock(chat string, try bool) (unlock func(), ok bool) {
	p.mu.Lock()
	if p.chats == nil {
		p.chats = map[string]*chatLock{}
	}
	l := p.chats[chat]
	if l == nil {
		l = &chatLock{}
		p.chats[chat] = l
	}
	l.users++
	p.mu.Unlock()
	release := func() {
		p.mu.Lock()
		if l.users--; l.users == 0 {
			delete(p.chats, chat)
		}
		p.mu.Unlock()
	}
	if try {
		if !l.TryLock() {
			release()
			return nil, false
		}
	} else {
		l.Lock()
	}
	return func() { l.Unlock(); release() }, true
}

// permanentError is a failure of the update's own content: no retry mends
// it.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

func permanentf(format string, args ...any) error {
	return &permanentError{err: fmt.Errorf(format, args...)}
}

// isPermanent reports a failure no retry can mend. The only Bot API call
// whose error reaches here is getFile: a 400 there is about the update's own
// file (gone, wrong id, too big for the Bot API).
func isPermanent(err error) bool {
	var p *permanentError
	if errors.As(err, &p) {
		return true
	}
	var tg *tgbotapi.Error
	return errors.As(err, &tg) && tg.Code == http.StatusBadRequest
}

// downloadFailed is a file download answered with status: gone for good,
// unless the server is busy or broken.
func downloadFailed(status int) error {
	err := fmt.Errorf("telegram: file download: status %d", status)
	if status == http.StatusTooManyRequests || status == http.StatusRequestTimeout || status >= 500 {
		return err
	}
	return &permanentError{err: err}
}

// backoff is the wait before the next try of an update after its attempts
// failures: doubled from retryFirst up to retryMax, and never shorter than
// a retry_after Telegram asked for.
func backoff(attempts int, err error) time.Duration {
	d := retryMax
	if attempts < 10 {
		d = min(retryFirst<<max(attempts-1, 0), retryMax)
	}
	var tg *tgbotapi.Error
	if errors.As(err, &tg) && time.Duration(tg.RetryAfter)*time.Second > d {
		d = time.Duration(tg.RetryAfter) * time.Second
	}
	return d
}

// reason says why an update failed, for the log and the audit trail: the
// error without the bot token (a library error may carry a URL with it).
func (c *Channel) reason(err error) string {
	s := err.Error()
	if tok := c.cfg.Token; tok != "" {
		for _, form := range []string{tok, url.PathEscape(tok), url.QueryEscape(tok)} {
			s = strings.ReplaceAll(s, form, "<token>")
		}
	}
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// chatOf is the chat an update belongs to ("" when it names none): the
// updates of one chat are handled in order.
func chatOf(u tgbotapi.Update) string {
	if q := u.CallbackQuery; q != nil {
		if q.Message != nil && q.Message.Chat != nil {
			return strconv.FormatInt(q.Message.Chat.ID, 10)
		}
		return ""
	}
	if m := messageOf(u); m != nil && m.Chat != nil {
		return strconv.FormatInt(m.Chat.ID, 10)
	}
	return ""
}

func messageOf(u tgbotapi.Update) *tgbotapi.Message {
	if u.Message != nil {
		return u.Message
	}
	if u.EditedMessage != nil {
		return u.EditedMessage
	}
	if u.CallbackQuery != nil {
		return u.CallbackQuery.Message
	}
	return nil
}

// notice is what the customer is told when their update is refused: a photo
// to send again, or a message; nothing outside a private chat.
func notice(u tgbotapi.Update) (chatID, key, lang string) {
	m := messageOf(u)
	if m == nil || m.Chat == nil || !m.Chat.IsPrivate() {
		return "", "", ""
	}
	if q := u.CallbackQuery; q != nil && q.From != nil {
		lang = q.From.LanguageCode
	} else if m.From != nil {
		lang = m.From.LanguageCode
	}
	key = "bad.message_lost"
	if u.CallbackQuery == nil && (len(m.Photo) > 0 || m.Document != nil && strings.HasPrefix(m.Document.MimeType, "image/")) {
		key = "bad.photo_lost"
	}
	return strconv.FormatInt(m.Chat.ID, 10), key, lang
}

// decodeUpdate reads one update. One with a value of an unexpected type is
// still read as far as it goes (encoding/json goes on past such a value), so
// its id and chat are known and the customer can be told; it comes back
// with a permanent error. Not JSON at all, its id is 0.
func decodeUpdate(raw []byte) (tgbotapi.Update, error) {
	var u tgbotapi.Update
	if err := json.Unmarshal(raw, &u); err != nil {
		return u, permanentf("telegram: update does not parse: %w", err)
	}
	return u, nil
}

// takeBatch takes the updates of one getUpdates answer in order, moving the
// offset past each one taken. It stops at an update that could be neither
// handled, refused nor parked (the store unavailable): polling then waits
// and fetches it again.
func (c *Channel) takeBatch(ctx context.Context, raws []json.RawMessage) error {
	unconfirmed := false
	defer c.markAlbums(raws)()
	for _, raw := range raws {
		u, derr := decodeUpdate(raw)
		if u.UpdateID == 0 {
			// Nothing to record it under; a later update's offset confirms
			// it.
			c.log.Warn("telegram: update refused", "reason", c.reason(derr))
			unconfirmed = true
			continue
		}
		if err := c.take(ctx, raw, u, derr); err != nil {
			return err
		}
		if err := c.desk.SaveOffset(ctx, offsetKey, u.UpdateID+1); err != nil {
			return err
		}
		unconfirmed = false
	}
	if unconfirmed {
		// Telegram sends it again: polling waits instead of spinning.
		return errors.New("telegram: the last update has no update_id")
	}
	return nil
}

// take handles one update, refuses it for good, or parks it to retry
// later; it fails only when none of these could be done. An update of a
// chat that has updates parked is parked behind them, so that the chat's
// messages keep their order. derr is decodeUpdate's error: such an update
// is refused, in its turn.
func (c *Channel) take(ctx context.Context, raw []byte, u tgbotapi.Update, derr error) error {
	chat := chatOf(u)
	unlock, ok := c.parking.lock(chat, true)
	if !ok {
		// The retry loop is trying this chat's parked updates right now;
		// waiting for it would hold back every other chat.
		return c.park(ctx, raw, u, chat, nil)
	}
	defer unlock()
	waiting, err := c.desk.HasParked(ctx, ChannelName, chat)
	if err != nil {
		return err
	}
	if waiting {
		return c.park(ctx, raw, u, chat, nil)
	}
	err = derr
	if err == nil {
		err = c.handle(ctx, u)
	}
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		return ctx.Err()
	case isPermanent(err):
		return c.refuse(ctx, u, c.reason(err))
	}
	return c.park(ctx, raw, u, chat, err)
}

// park keeps an update for the retry loop: after a failure (cause), or
// behind its chat's earlier updates (cause nil).
func (c *Channel) park(ctx context.Context, raw []byte, u tgbotapi.Update, chat string, cause error) error {
	now := c.now()
	p := store.ParkedUpdate{Channel: ChannelName, UpdateID: int64(u.UpdateID), ChatID: chat, Payload: raw, ParkedAt: now, NextAt: now}
	if cause != nil {
		wait := backoff(1, cause)
		p.FailingSince, p.Attempts, p.NextAt, p.LastError = now, 1, now.Add(wait), c.reason(cause)
		c.log.Warn("telegram: update failed; parked to try again", "update_id", u.UpdateID, "reason", p.LastError, "retry_in", wait)
	}
	if _, err := c.desk.ParkUpdate(ctx, p); err != nil {
		return err
	}
	c.parking.poke()
	return nil
}

// refuse records an update that will never be handled and tells the
// customer to send it again. Refused before, it tells nobody twice.
func (c *Channel) refuse(ctx context.Context, u tgbotapi.Update, reason string) error {
	c.log.Warn("telegram: update refused", "update_id", u.UpdateID, "reason", reason)
	chat, key, lang := notice(u)
	err := c.desk.RefuseUpdate(ctx, bot.RefusedUpdate{Channel: ChannelName, ChatID: chat, ExternalID: strconv.Itoa(u.UpdateID),
		LangHint: lang, Reason: reason, Notice: key})
	if errors.Is(err, bot.ErrDuplicate) {
		return nil
	}
	return err
}

// retry tries the parked updates until ctx ends: each chat's oldest once it
// is due, and the chat's next ones right after it. It sleeps until the next
// one is due, or until something is parked.
func (c *Channel) retry(ctx context.Context) {
	for ctx.Err() == nil {
		wait := c.retryDue(ctx)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-c.parking.woken():
		case <-t.C:
		}
		t.Stop()
	}
}

// retryDue tries every chat whose oldest parked update is due, and returns
// how long until the next one is.
func (c *Channel) retryDue(ctx context.Context) time.Duration {
	heads, err := c.desk.ParkedHeads(ctx, ChannelName)
	if err != nil {
		if ctx.Err() == nil {
			c.log.Warn("telegram: parked updates unavailable", "err", err)
		}
		return retryFirst
	}
	wait := retryMax
	for _, p := range heads {
		if ctx.Err() != nil {
			break
		}
		wait = min(wait, c.retryChat(ctx, p.ChatID))
	}
	return max(wait, retryFloor)
}

// retryChat tries a chat's parked updates in order until one fails again,
// is not due yet, or none is left; it returns how long until the chat needs
// trying again.
func (c *Channel) retryChat(ctx context.Context, chat string) time.Duration {
	unlock, _ := c.parking.lock(chat, false)
	defer unlock()
	for ctx.Err() == nil {
		p, err := c.desk.NextParked(ctx, ChannelName, chat)
		if errors.Is(err, store.ErrNotFound) {
			return retryMax
		}
		if err != nil {
			c.log.Warn("telegram: parked updates unavailable", "err", err)
			return retryFirst
		}
		now := c.now()
		if wait := p.NextAt.Sub(now); wait > 0 {
			return wait
		}
		u, err := decodeUpdate(p.Payload)
		if err == nil {
			err = c.handle(ctx, u)
		}
		u.UpdateID = int(p.UpdateID)
		if err != nil && ctx.Err() != nil {
			return 0
		}
		var refusal string
		switch {
		case err == nil:
		case isPermanent(err):
			refusal = c.reason(err)
		default:
			if p.FailingSince.IsZero() {
				p.FailingSince = now
			}
			p.Attempts++
			p.LastError = c.reason(err)
			if failing := now.Sub(p.FailingSince); failing >= giveUpAfter {
				refusal = fmt.Sprintf("gave up after %d attempts in %s: %s", p.Attempts, failing.Round(time.Second), p.LastError)
				break
			}
			wait := backoff(p.Attempts, err)
			p.NextAt = now.Add(wait)
			c.log.Warn("telegram: parked update failed again", "update_id", p.UpdateID, "attempts", p.Attempts,
				"reason", p.LastError, "retry_in", wait)
			if err := c.desk.DeferParked(ctx, p); err != nil {
				c.log.Warn("telegram: parked updates unavailable", "err", err)
				return retryFirst
			}
			return wait
		}
		if refusal != "" {
			if err := c.refuse(ctx, u, refusal); err != nil {
				c.log.Warn("telegram: refusal not recorded", "update_id", p.UpdateID, "err", err)
				return retryFirst
			}
		}
		if err := c.desk.UnparkUpdate(ctx, ChannelName, p.UpdateID); err != nil {
			c.log.Warn("telegram: parked updates unavailable", "err", err)
			return retryFirst
		}
	}
	return 0
}
