// Package slack is the staff desk in Slack: one parent message per case in
// the staff channel, kept up to date with chat.update, its thread carrying
// the conversation, and the actions (claim, classify, remedy, resolve,
// reopen, major) as Block Kit buttons and menus. Events arrive by Socket Mode
// or over HTTP with signing-secret verification.
package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/conversations"
	"frontdesk/internal/outbox"
	"frontdesk/internal/photos"
	"frontdesk/internal/ratelimit"
	"frontdesk/internal/redact"
	"frontdesk/store"
)

// Desk is what Slack needs of the desk: staff actions applied, a staff
// message handled once, a case's parent message recorded, and the staff
// account a Slack user acts as.
type Desk interface {
	Staff(ctx context.Context, a bot.StaffAction) (cases.Case, error)
	// StaffBySlackUser is the enabled account linked to a Slack user;
	// NotFound for a user no admin has linked.
	StaffBySlackUser(ctx context.Context, slackUserID string) (store.Account, error)
	SeenEvent(ctx context.Context, channel, id string) (bool, error)
	ForgetEvent(ctx context.Context, channel, id string) error
	SetSlackTS(ctx context.Context, caseID int64, ts string) error
}

// Config sets up the Slack desk.
type Config struct {
	BotToken        string
	AppToken        string // Socket Mode when set
	SigningSecret   string // HTTP mode
	StaffChannel    string
	ManagersChannel string
	APIURL          string // SLACK_API_URL, ending in "/"; Slack's own when empty
	// NoteByDefault makes a thread message an internal note unless it starts
	// with "reply:"; otherwise it goes to the customer unless it starts with
	// "note:" (or "//").
	NoteByDefault bool
	Limits        ratelimit.Limits // ratelimit.Slack when zero: a short burst, then about one a second per channel
	Location      *time.Location   // the shop's zone, for times on the card
	// Lang is the staff channel's language (FRONTDESK_STAFF_LANG): the
	// cards and posts; zh-Hans when empty (lang.go).
	Lang conversations.Lang
}

// Slack is the Slack staff desk.
type Slack struct {
	cfg    Config
	api    *slack.Client
	desk   Desk
	cases  bot.CaseReader
	photos *photos.Store
	log    *slog.Logger
	now    func() time.Time
	limit  *ratelimit.Limiter // cfg.Limits
	// secrets are the tokens and the signing secret: the errors of the
	// Slack library are redacted with them before they are returned (the
	// outbox keeps them) or logged.
	secrets redact.Secrets
}

// New builds the Slack desk; it reads cases from cases.
func New(cfg Config, desk Desk, cases bot.CaseReader, pics *photos.Store, log *slog.Logger, now func() time.Time) *Slack {
	opts := []slack.Option{}
	if cfg.APIURL != "" {
		url := cfg.APIURL
		if !strings.HasSuffix(url, "/") {
			url += "/"
		}
		opts = append(opts, slack.OptionAPIURL(url))
	}
	if cfg.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	if cfg.Limits.PerKey.Every == 0 {
		cfg.Limits = ratelimit.Slack
	}
	return &Slack{cfg: cfg, api: slack.New(cfg.BotToken, opts...), desk: desk, cases: cases, photos: pics, log: log,
		now: now, limit: ratelimit.New(cfg.Limits), secrets: redact.New(cfg.BotToken, cfg.AppToken, cfg.SigningSecret)}
}

// Send implements outbox.Channel for the staff outbox channel.
func (s *Slack) Send(ctx context.Context, m store.OutboxMessage) error {
	var p bot.StaffPost
	if err := json.Unmarshal(m.Payload, &p); err != nil {
		return outbox.Permanent(fmt.Errorf("slack: bad post: %w", err))
	}
	channel := s.cfg.StaffChannel
	if m.Recipient == bot.ManagersRecipient && s.cfg.ManagersChannel != "" {
		channel = s.cfg.ManagersChannel
	}
	if wait := s.limit.Reserve(channel, s.now()); wait > 0 {
		return outbox.Paced(wait, "slack: rate limit")
	}
	err := s.post(ctx, channel, m.Recipient, p)
	var rl *slack.RateLimitedError
	if errors.As(err, &rl) {
		return outbox.RetryLater(max(rl.RetryAfter, time.Second), "slack: 429")
	}
	return s.secrets.Error(err)
}

func (s *Slack) post(ctx context.Context, channel, recipient string, p bot.StaffPost) error {
	if p.Kind == "approval" {
		return s.postApproval(ctx, channel, p)
	}
	if p.Kind == "managers" || recipient == bot.ChannelRecipient {
		if p.PhotoSH != "" { // the digest with its chart
			data, err := s.photos.Read(p.PhotoSH, p.PhotoMT)
			if err != nil {
				return outbox.Permanent(fmt.Errorf("slack: chart: %w", err))
			}
			_, err = s.api.UploadFileContext(ctx, slack.UploadFileParameters{Reader: bytes.NewReader(data), FileSize: len(data),
				Filename: "digest.png", Title: conversations.T(s.lang(), "staff.thread.digest_title"), Channel: channel, InitialComment: "```\n" + escape(p.Text) + "```"})
			return err
		}
		_, _, err := s.api.PostMessageContext(ctx, channel, slack.MsgOptionText(mrkdwn(p.Text, p.Mentions), false))
		return err
	}
	c, err := s.cases.CaseByNumber(ctx, recipient)
	if err != nil {
		return outbox.Permanent(fmt.Errorf("slack: case %s: %w", recipient, err))
	}
	ts, err := s.cases.SlackTS(ctx, c.ID)
	if err != nil {
		return err
	}
	switch p.Kind {
	case "card":
		card, err := s.withFacts(ctx, c, CardIn(c, s.cfg.Location, s.lang())) // intake.go: what the customer gave
		if err != nil {
			return err
		}
		card = s.withDispatch(ctx, c, card) // providers.go: the dispatch menu
		blocks := slack.MsgOptionBlocks(card...)
		fallback := slack.MsgOptionText(fmt.Sprintf("%s %s %s", c.Number, conversations.Label(s.lang(), "kind.", string(c.Kind)),
			conversations.Label(s.lang(), "staff.status.", string(c.Status))), false)
		if ts != "" {
			_, _, _, err := s.api.UpdateMessageContext(ctx, channel, ts, blocks, fallback)
			return err
		}
		_, newTS, err := s.api.PostMessageContext(ctx, channel, blocks, fallback)
		if err != nil {
			return err
		}
		return s.desk.SetSlackTS(ctx, c.ID, newTS)
	}
	if ts == "" {
		return fmt.Errorf("slack: case %s has no parent message yet", c.Number)
	}
	switch p.Kind {
	case "thread":
		if p.PhotoSH != "" {
			return s.upload(ctx, channel, ts, c, p)
		}
		who := map[string]string{"customer": conversations.T(s.lang(), "staff.thread.customer"),
			"bot": conversations.T(s.lang(), "staff.thread.desk")}[p.From]
		if who == "" {
			who = escape(p.From)
		}
		text := escape(p.Text) // the customer's words, as written
		if p.From != "customer" {
			text = mrkdwn(p.Text, p.Mentions)
		}
		_, _, err := s.api.PostMessageContext(ctx, channel, slack.MsgOptionTS(ts), slack.MsgOptionText(who+": "+text, false))
		return err
	case "receipt":
		// Staff see exactly what reached the customer.
		if p.StaffTS != "" {
			err := s.api.AddReactionContext(ctx, "white_check_mark", slack.NewRefToMessage(channel, p.StaffTS))
			if err == nil || strings.Contains(err.Error(), "already_reacted") {
				return nil
			}
			return err
		}
		_, _, err := s.api.PostMessageContext(ctx, channel, slack.MsgOptionTS(ts),
			slack.MsgOptionBlocks(slack.NewContextBlock("", slack.NewTextBlockObject(slack.MarkdownType, escape(conversations.T(s.lang(), "staff.thread.sent"))+" "+escape(p.Text), false, false))))
		return err
	}
	return outbox.Permanent(fmt.Errorf("slack: unknown post %q", p.Kind))
}

// upload puts a customer photo into the case thread, and only there (ID-5).
func (s *Slack) upload(ctx context.Context, channel, ts string, c cases.Case, p bot.StaffPost) error {
	data, err := s.photos.Read(p.PhotoSH, p.PhotoMT)
	if err != nil {
		return outbox.Permanent(fmt.Errorf("slack: photo of %s: %w", c.Number, err))
	}
	_, err = s.api.UploadFileContext(ctx, slack.UploadFileParameters{Reader: bytes.NewReader(data), FileSize: len(data),
		Filename: p.PhotoSH[:12] + extension(p.PhotoMT), Title: c.Number + " " + p.Text, Channel: channel, ThreadTimestamp: ts})
	return err
}

func extension(mime string) string {
	return map[string]string{"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif", "image/webp": ".webp"}[mime]
}
