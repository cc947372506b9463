// Package telegram is the desk's Telegram channel: updates from long
// polling or a webhook become the desk's channel-neutral events, and outbox
// messages become Telegram messages. It uses go-telegram-bot-api for the
// wire format but owns the loop: the library's polling loop cannot be
// stopped, ignores retry_after and builds file URLs that ignore a custom
// endpoint.
package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"frontdesk/bot"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/photos"
	"frontdesk/internal/ratelimit"
	"frontdesk/internal/redact"
)

// ChannelName is the outbox channel of Telegram.
const ChannelName = "telegram"

// DefaultEndpoint is Telegram's own Bot API server.
const DefaultEndpoint = "https://api.telegram.org"

// Desk is what the channel needs of the desk: the customer's events in,
// its place in the update stream kept, a group told off, a customer who
// blocked the bot recorded, an update that cannot be handled now refused or
// parked (failures.go).
type Desk interface {
	Parking
	Handle(ctx context.Context, in conversations.Inbound) error
	Offset(ctx context.Context, key string) (int, error)
	SaveOffset(ctx context.Context, key string, offset int) error
	Tell(ctx context.Context, channel, chatID string, m bot.Message) error
	MarkUnreachable(ctx context.Context, channel, chatID string) ([]string, error)
	// Remembered and Remember keep a small note across restarts: a chat's
	// current question (tgedit.go).
	Remembered(ctx context.Context, key string) (string, error)
	Remember(ctx context.Context, key, value string) error
}

// Config sets up a Channel.
type Config struct {
	Token         string
	Endpoint      string // TELEGRAM_API_ENDPOINT, e.g. http://127.0.0.1:8081; DefaultEndpoint when empty
	WebhookURL    string // webhook mode when set
	WebhookSecret string
	PollTimeout   time.Duration
	// Limits pace the sends (ratelimit.Telegram when zero): a short burst
	// per chat, then about one a second; 30 a second overall; 20 a minute
	// in a group.
	Limits ratelimit.Limits
}

// Channel is the Telegram channel.
type Channel struct {
	cfg    Config
	api    *tgbotapi.BotAPI // sends, answers, downloads
	poller *tgbotapi.BotAPI // getUpdates only, tied to Run's context
	desk   Desk
	photos *photos.Store
	log    *slog.Logger
	now    func() time.Time
	client *http.Client
	ctx    *ctxTransport
	limit  *ratelimit.Limiter // cfg.Limits
	// secrets are the token and the webhook secret: every error that
	// comes out of the Bot API library or our own requests is redacted
	// with them before it is returned or logged (the request URL holds
	// the token).
	secrets redact.Secrets

	parking parking // updates to retry (failures.go)

	// questions caches each chat's current question (tgedit.go).
	questionsMu sync.Mutex
	questions   map[string]string
	// albumFollowed holds the update ids of album photos that more photos
	// of their album follow in the same batch (album.go).
	albumFollowed sync.Map
}

// redactingClient is the library's HTTP client with the token taken out
// of its errors, so that not even the library's own error values hold it.
type redactingClient struct {
	client  *http.Client
	secrets redact.Secrets
}

func (c redactingClient) Do(r *http.Request) (*http.Response, error) {
	res, err := c.client.Do(r)
	return res, c.secrets.Error(err)
}

// ctxTransport ties every request of the library to our context, so that a
// long poll in progress ends at once on shutdown (the library takes none).
type ctxTransport struct {
	base http.RoundTripper
	mu   sync.Mutex
	ctx  context.Context
}

func (t *ctxTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	t.mu.Lock()
	ctx := t.ctx
	t.mu.Unlock()
	return t.base.RoundTrip(r.WithContext(ctx))
}

func (t *ctxTransport) set(ctx context.Context) { t.mu.Lock(); t.ctx = ctx; t.mu.Unlock() }

// New connects to the Bot API (the library calls getMe here).
func New(cfg Config, desk Desk, pics *photos.Store, log *slog.Logger, now func() time.Time) (*Channel, error) {
	if cfg.Endpoint == "" {
		cfg.Endpoint = DefaultEndpoint
	}
	base, err := config.TelegramEndpointBase(cfg.Endpoint)
	if err != nil {
		return nil, err
	}
	cfg.Endpoint = base
	if cfg.PollTimeout == 0 {
		cfg.PollTimeout = 25 * time.Second
	}
	if cfg.Limits.PerKey.Every == 0 {
		cfg.Limits = ratelimit.Telegram
	}
	secrets := redact.New(cfg.Token, cfg.WebhookSecret)
	// Bot API calls answer in well under a second; one that hangs ends at
	// callTimeout, before the outbox's own send timeout, so the message is
	// retried instead of holding its chat (the library takes no context).
	// Downloads of up to 20 MB get longer.
	client := &http.Client{Timeout: 30 * time.Second}
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, cfg.Endpoint+"/bot%s/%s",
		redactingClient{&http.Client{Timeout: callTimeout}, secrets})
	if err != nil {
		return nil, secrets.Error(fmt.Errorf("telegram: connect (getMe): %w", err))
	}
	// Polling has a client of its own whose requests end with Run's
	// context, so a shutdown does not wait for a long poll, while sends
	// and downloads in flight finish.
	tr := &ctxTransport{base: http.DefaultTransport, ctx: context.Background()}
	poller, err := tgbotapi.NewBotAPIWithClient(cfg.Token, cfg.Endpoint+"/bot%s/%s",
		redactingClient{&http.Client{Transport: tr, Timeout: cfg.PollTimeout + 15*time.Second}, secrets})
	if err != nil {
		return nil, secrets.Error(fmt.Errorf("telegram: connect (getMe): %w", err))
	}
	return &Channel{cfg: cfg, api: api, poller: poller, desk: desk, photos: pics, log: log, now: now,
		client: client, ctx: tr, limit: ratelimit.New(cfg.Limits), secrets: secrets, questions: map[string]string{}}, nil
}

// BotName is the bot's username, from getMe.
func (c *Channel) BotName() string { return c.api.Self.UserName }

// callTimeout bounds one Bot API call (not the long poll, not a download).
const callTimeout = 10 * time.Second

// offsetKey keeps the next update to ask for across restarts.
const offsetKey = "telegram.offset"

// Run receives updates until ctx ends: by long polling, or, in webhook
// mode, by registering the webhook (updates then arrive at ServeHTTP). In
// both modes it retries the updates that were parked (failures.go).
func (c *Channel) Run(ctx context.Context) error {
	c.ctx.set(ctx)
	if c.cfg.WebhookURL != "" {
		_, err := c.api.MakeRequest("setWebhook", tgbotapi.Params{"url": c.cfg.WebhookURL,
			"secret_token": c.cfg.WebhookSecret, "allowed_updates": `["message","edited_message","callback_query"]`})
		if err != nil {
			return c.secrets.Error(fmt.Errorf("telegram: setWebhook: %w", err))
		}
		c.retry(ctx)
		return nil
	}
	if _, err := c.api.MakeRequest("deleteWebhook", nil); err != nil {
		return c.secrets.Error(fmt.Errorf("telegram: deleteWebhook: %w", err))
	}
	retried := make(chan struct{})
	go func() { defer close(retried); c.retry(ctx) }()
	defer func() { <-retried }()
	return c.poll(ctx)
}

func (c *Channel) poll(ctx context.Context) error {
	backoff := time.Second
	for ctx.Err() == nil {
		offset, err := c.offset(ctx)
		if err != nil {
			c.log.Warn("telegram: read offset", "err", err, "retry_in", backoff)
			sleep(ctx, backoff)
			backoff = min(backoff*2, time.Minute)
			continue
		}
		updates, err := c.getUpdates(offset)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			err = c.secrets.Error(err)
			wait := backoff
			var tgErr *tgbotapi.Error
			if errors.As(err, &tgErr) && tgErr.RetryAfter > 0 {
				wait = time.Duration(tgErr.RetryAfter) * time.Second
			}
			c.log.Warn("telegram: getUpdates failed", "err", err, "retry_in", wait)
			sleep(ctx, wait)
			backoff = min(backoff*2, time.Minute)
			continue
		}
		// Every update is handled, refused or parked (failures.go), so one
		// that fails holds back no other chat. Only when even that fails
		// (the store unavailable) does the offset stay, and polling waits.
		if err := c.takeBatch(ctx, updates); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			c.log.Error("telegram: update neither handled nor parked", "err", err, "retry_in", backoff)
			sleep(ctx, backoff)
			backoff = min(backoff*2, time.Minute)
			continue
		}
		backoff = time.Second
	}
	return nil
}

// getUpdates fetches the updates from offset on, each still in its JSON:
// one that does not parse is refused alone, instead of failing the batch
// (the library's GetUpdates would).
func (c *Channel) getUpdates(offset int) ([]json.RawMessage, error) {
	res, err := c.poller.Request(tgbotapi.UpdateConfig{Offset: offset, Timeout: int(c.cfg.PollTimeout.Seconds()),
		AllowedUpdates: []string{"message", "edited_message", "callback_query"}})
	if err != nil {
		return nil, err
	}
	var updates []json.RawMessage
	if err := json.Unmarshal(res.Result, &updates); err != nil {
		return nil, fmt.Errorf("telegram: getUpdates: %w", err)
	}
	return updates, nil
}

func (c *Channel) offset(ctx context.Context) (int, error) {
	return c.desk.Offset(ctx, offsetKey)
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// ServeHTTP takes webhook updates. A request without the right secret token
// is refused with 401 and changes nothing.
func (c *Channel) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
	if c.cfg.WebhookSecret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(c.cfg.WebhookSecret)) != 1 {
		http.Error(w, "wrong secret token", http.StatusUnauthorized)
		return
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	u, derr := decodeUpdate(raw)
	if err != nil || u.UpdateID == 0 {
		http.Error(w, "not an update", http.StatusBadRequest)
		return
	}
	// Telegram re-sends an update answered with anything but 200 and holds
	// back the updates behind it, so an update that fails is refused or
	// parked (failures.go) and answered 200; only one that could be
	// neither (the store unavailable) is left for Telegram to send again.
	if err := c.take(r.Context(), raw, u, derr); err != nil {
		c.log.Error("telegram: webhook update neither handled nor parked", "update_id", u.UpdateID, "err", err)
		http.Error(w, "try again", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// handle turns one update into the desk's event. Duplicates are dropped
// by the desk (the update_id is the event's id).
func (c *Channel) handle(ctx context.Context, u tgbotapi.Update) error {
	in, ok, err := c.inbound(ctx, u)
	if err != nil || !ok {
		return err
	}
	err = c.desk.Handle(ctx, in)
	if errors.Is(err, bot.ErrDuplicate) {
		return nil
	}
	return err
}

func (c *Channel) inbound(ctx context.Context, u tgbotapi.Update) (conversations.Inbound, bool, error) {
	in := conversations.Inbound{Channel: ChannelName, ExternalID: strconv.Itoa(u.UpdateID)}
	if q := u.CallbackQuery; q != nil {
		if q.From != nil {
			in.LangHint = q.From.LanguageCode
		}
		if q.Message == nil || q.Message.Chat == nil || !q.Message.Chat.IsPrivate() {
			c.answerTap(q)
			return in, false, nil
		}
		// A button of anything but the chat's current question has
		// expired: answered so, its keyboard taken away, nothing changed.
		if stale, err := c.staleTap(ctx, q, in.LangHint); stale || err != nil {
			return in, false, err
		}
		c.answerTap(q) // so the button's spinner stops
		in.ChatID, in.Choice = strconv.FormatInt(q.Message.Chat.ID, 10), q.Data
		// The question may be answered in place: its ticks edit this message.
		if q.Message.MessageID != 0 {
			in.ButtonRef = strconv.Itoa(q.Message.MessageID)
		}
		return in, true, nil
	}
	m := u.Message
	if m == nil {
		m, in.Edited = u.EditedMessage, true
	}
	if m == nil || m.Chat == nil {
		return in, false, nil
	}
	in.MessageRef = strconv.Itoa(m.MessageID)
	if m.MediaGroupID != "" {
		in.Album, in.AlbumLast = m.MediaGroupID, !c.albumContinues(u.UpdateID)
	}
	in.ChatID = strconv.FormatInt(m.Chat.ID, 10)
	if m.From != nil {
		in.LangHint = m.From.LanguageCode
	}
	if !m.Chat.IsPrivate() {
		return in, false, c.refuseGroup(ctx, m.Chat.ID, in.LangHint)
	}
	if in.Edited {
		// Only an edited text may correct an answer; nothing is fetched
		// again for an edited caption.
		in.Text = m.Text
		return in, true, nil
	}
	return in, true, c.fill(ctx, m, &in)
}

// fill reads what the message carries.
func (c *Channel) fill(ctx context.Context, m *tgbotapi.Message, in *conversations.Inbound) error {
	if oldReply(m) { // replies.go
		in.Rejected = conversations.RejectOldReply
		return nil
	}
	switch {
	case m.Contact != nil:
		own := m.From != nil && m.Contact.UserID == m.From.ID
		in.Contact = &conversations.Contact{Phone: m.Contact.PhoneNumber, Own: own}
	case len(m.Photo) > 0:
		largest := m.Photo[len(m.Photo)-1]
		in.Text = m.Caption
		return c.download(ctx, largest.FileID, int64(largest.FileSize), in)
	case m.Document != nil:
		in.Text = m.Caption
		if !strings.HasPrefix(m.Document.MimeType, "image/") {
			in.Rejected = conversations.RejectNotImage
			return nil
		}
		return c.download(ctx, m.Document.FileID, int64(m.Document.FileSize), in)
	case m.Text != "":
		in.Text = m.Text
	default: // a sticker, voice, video, location …
		in.Rejected = conversations.RejectUnsupported
	}
	return nil
}

// download fetches a file through getFile and the configured endpoint (the
// library's GetFileDirectURL would go to api.telegram.org whatever the
// endpoint) and keeps it if it is an image within the size limit. The URL
// holds the token: its errors are redacted.
func (c *Channel) download(ctx context.Context, fileID string, size int64, in *conversations.Inbound) error {
	if size > c.photos.MaxBytes {
		in.Rejected = conversations.RejectTooLarge
		return nil
	}
	f, err := c.api.GetFile(tgbotapi.FileConfig{FileID: fileID})
	if err != nil {
		return c.secrets.Error(fmt.Errorf("telegram: getFile: %w", err))
	}
	if int64(f.FileSize) > c.photos.MaxBytes {
		in.Rejected = conversations.RejectTooLarge
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.cfg.Endpoint+"/file/bot"+c.cfg.Token+"/"+f.FilePath, nil)
	if err != nil {
		return permanentf("telegram: bad file path")
	}
	res, err := c.client.Do(req)
	if err != nil {
		return c.secrets.Error(fmt.Errorf("telegram: file download: %w", err))
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return downloadFailed(res.StatusCode)
	}
	photo, err := c.photos.Save(res.Body)
	switch {
	case errors.Is(err, photos.ErrTooLarge):
		in.Rejected = conversations.RejectTooLarge
	case errors.Is(err, photos.ErrNotImage):
		in.Rejected = conversations.RejectNotImage
	case err != nil:
		return err
	default:
		in.Photo = &photo
	}
	io.Copy(io.Discard, res.Body)
	return nil
}

// groupRefusal is said once per message in a group chat: the desk serves
// private chats only, where nobody else reads the customer's data.
var groupRefusal = map[conversations.Lang]string{
	conversations.ZhHans: "为保护您的隐私，请私聊我办理售后服务。",
	conversations.ZhHant: "為保護您的隱私，請私訊我辦理售後服務。",
	conversations.En:     "To protect your privacy, please message me in a private chat.",
}

func (c *Channel) refuseGroup(ctx context.Context, chatID int64, lang string) error {
	l := conversations.NormalizeLang(lang)
	if l == "" {
		l = conversations.ZhHans
	}
	return c.desk.Tell(ctx, ChannelName, strconv.FormatInt(chatID, 10), bot.Message{Text: groupRefusal[l]})
}
