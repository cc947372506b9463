package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"frontdesk/bot"
	"frontdesk/internal/outbox"
	"frontdesk/store"
)

// contactLabel is the reply-keyboard button that shares the customer's
// phone contact.
var contactLabel = "📱 分享手机号 / Share my phone number"

// Send implements outbox.Channel, within Telegram's limits (Config.Limits):
// a message over a limit is not sent now but handed back with a retry
// time, so the outbox keeps every chat in order without blocking the
// others.
func (c *Channel) Send(ctx context.Context, m store.OutboxMessage) error {
	chatID, err := strconv.ParseInt(m.Recipient, 10, 64)
	if err != nil {
		return outbox.Permanent(fmt.Errorf("telegram: bad chat id %q", m.Recipient))
	}
	var msg bot.Message
	if err := json.Unmarshal(m.Payload, &msg); err != nil {
		return outbox.Permanent(fmt.Errorf("telegram: bad payload: %w", err))
	}
	if wait := c.limit.Reserve(strconv.FormatInt(chatID, 10), c.now()); wait > 0 {
		return outbox.Paced(wait, "telegram: rate limit")
	}
	switch {
	case msg.Replaces != "":
		return c.secrets.Error(c.sendEdit(ctx, m, chatID, msg))
	case msg.Photo != "":
		return c.secrets.Error(c.sendPhoto(ctx, m, chatID, msg))
	}
	out := tgbotapi.NewMessage(chatID, msg.Text)
	switch {
	case msg.RequestContact:
		out.ReplyMarkup = tgbotapi.NewOneTimeReplyKeyboard(tgbotapi.NewKeyboardButtonRow(tgbotapi.NewKeyboardButtonContact(contactLabel)))
	case len(msg.Buttons) > 0:
		out.ReplyMarkup = inlineKeyboard(msg)
	}
	sent, err := c.api.Send(out)
	if err == nil && !msg.Aside {
		c.asked(ctx, m.Recipient, sent.MessageID, len(msg.Buttons) > 0)
	}
	return c.secrets.Error(c.sendError(ctx, m, err))
}

// inlineKeyboard is the message's buttons as Telegram's inline keyboard;
// an empty one when it has none (an edit that takes the buttons away).
func inlineKeyboard(msg bot.Message) tgbotapi.InlineKeyboardMarkup {
	rows := make([][]tgbotapi.InlineKeyboardButton, 0, len(msg.Buttons))
	for _, row := range msg.Buttons {
		var r []tgbotapi.InlineKeyboardButton
		for _, b := range row {
			r = append(r, tgbotapi.NewInlineKeyboardButtonData(b.Label, b.Data))
		}
		rows = append(rows, r)
	}
	return tgbotapi.InlineKeyboardMarkup{InlineKeyboard: rows}
}

// sendError turns a failed send into the outbox's terms; Send redacts
// what it returns.
func (c *Channel) sendError(ctx context.Context, m store.OutboxMessage, err error) error {
	if err == nil {
		return nil
	}
	var tgErr *tgbotapi.Error
	if !errors.As(err, &tgErr) {
		return fmt.Errorf("telegram: send: %w", err)
	}
	switch {
	case tgErr.Code == 429:
		return outbox.RetryLater(time.Duration(max(tgErr.RetryAfter, 1))*time.Second, "telegram: flood control (429)")
	case tgErr.Code == 403:
		// The customer blocked the bot: no retry storm; the open cases of
		// this chat say so, once, so staff know to phone instead.
		marked, merr := c.desk.MarkUnreachable(ctx, ChannelName, m.Recipient)
		if merr != nil {
			c.log.Error("telegram: mark unreachable", "err", merr)
		}
		if len(marked) > 0 {
			c.log.Warn("telegram: customer unreachable", "chat", m.Recipient, "cases", marked)
		}
		return outbox.Permanent(fmt.Errorf("telegram: 403 %s", tgErr.Message))
	case tgErr.Code == 400:
		return outbox.Permanent(fmt.Errorf("telegram: 400 %s", tgErr.Message))
	}
	return fmt.Errorf("telegram: %d %s", tgErr.Code, tgErr.Message)
}
