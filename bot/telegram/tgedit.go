package telegram

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"frontdesk/bot"
	"frontdesk/conversations"
	"frontdesk/internal/outbox"
	"frontdesk/store"
)

// Edits in place, photos out, and the buttons that expired.
//
// A question answered in place (a multi-choice question's ticks) comes as a
// message that replaces the one its button was on: its keyboard is edited
// with editMessageReplyMarkup instead of a new message being sent. A photo
// of a case (the problem photos a provider is briefed with) is sent with
// sendPhoto, from the desk's own copy.
//
// The chat's current question is the last message the desk sent to it, when
// that message had buttons; a tap on any other message's button has
// expired: it is answered "this button has expired" in the customer's
// language, its keyboard is taken away, and nothing else happens.

// sendEdit updates the buttons of the message msg replaces. An edit
// Telegram refuses (the message is too old, or gone) is sent as a new
// message instead, so the customer still sees the question; "message is
// not modified" is no failure.
func (c *Channel) sendEdit(ctx context.Context, m store.OutboxMessage, chatID int64, msg bot.Message) error {
	msgID, err := strconv.Atoi(msg.Replaces)
	if err == nil {
		edit := tgbotapi.NewEditMessageReplyMarkup(chatID, msgID, inlineKeyboard(msg))
		_, err = c.api.Request(edit)
		var tgErr *tgbotapi.Error
		switch {
		case err == nil:
			c.asked(ctx, m.Recipient, msgID, len(msg.Buttons) > 0)
			return nil
		case errors.As(err, &tgErr) && strings.Contains(tgErr.Message, "not modified"):
			return nil
		case !errors.As(err, &tgErr) || tgErr.Code != 400:
			return c.sendError(ctx, m, err)
		}
	}
	out := tgbotapi.NewMessage(chatID, msg.Text)
	if len(msg.Buttons) > 0 {
		out.ReplyMarkup = inlineKeyboard(msg)
	}
	sent, err := c.api.Send(out)
	if err == nil {
		c.asked(ctx, m.Recipient, sent.MessageID, len(msg.Buttons) > 0)
	}
	return c.sendError(ctx, m, err)
}

// sendPhoto sends a photo kept by the desk (its SHA-256), with the
// message's text as its caption. A photo the desk no longer has is not
// sent again and again: the delivery fails for good.
func (c *Channel) sendPhoto(ctx context.Context, m store.OutboxMessage, chatID int64, msg bot.Message) error {
	data, err := c.photos.Read(msg.Photo, msg.PhotoMIME)
	if err != nil {
		return outbox.Permanent(fmt.Errorf("telegram: photo %.12s: %w", msg.Photo, err))
	}
	out := tgbotapi.NewPhoto(chatID, tgbotapi.FileBytes{Name: "photo" + photoExt(msg.PhotoMIME), Bytes: data})
	out.Caption = msg.Text
	sent, err := c.api.Send(out)
	if err == nil {
		c.asked(ctx, m.Recipient, sent.MessageID, false)
	}
	return c.sendError(ctx, m, err)
}

func photoExt(mime string) string {
	switch mime {
	case "image/png":
		return ".png"
	case "image/webp":
		return ".webp"
	case "image/gif":
		return ".gif"
	}
	return ".jpg"
}

// questionKey keeps a chat's current question: the Telegram id of the last
// message sent to it when that had buttons, noQuestion when it had none
// ("" is a chat the desk has not written to since it kept these).
func questionKey(chat string) string { return "telegram.question." + chat }

const noQuestion = "none"

// asked records what the chat's current question is after a send, writing
// only when it changed.
func (c *Channel) asked(ctx context.Context, chat string, msgID int, buttons bool) {
	ref := noQuestion
	if buttons {
		ref = strconv.Itoa(msgID)
	}
	c.questionsMu.Lock()
	last, known := c.questions[chat]
	c.questionsMu.Unlock()
	if known && last == ref {
		return
	}
	if err := c.desk.Remember(ctx, questionKey(chat), ref); err != nil {
		// A tap on this question may then be taken as stale, or an old one
		// as current: the dialog still checks what it is given.
		c.log.Warn("telegram: keep the current question", "chat", chat, "err", err)
		return
	}
	c.questionsMu.Lock()
	c.questions[chat] = ref
	c.questionsMu.Unlock()
}

// currentQuestion is the chat's current question's message id (noQuestion
// when none, "" when unknown).
func (c *Channel) currentQuestion(ctx context.Context, chat string) (string, error) {
	c.questionsMu.Lock()
	ref, known := c.questions[chat]
	c.questionsMu.Unlock()
	if known {
		return ref, nil
	}
	return c.desk.Remembered(ctx, questionKey(chat))
}

// staleTap reports whether a tap was on a button of a message that is not
// the chat's current question; such a tap is answered that the button has
// expired, its keyboard is taken away, and it goes no further.
func (c *Channel) staleTap(ctx context.Context, q *tgbotapi.CallbackQuery, lang string) (bool, error) {
	chat := strconv.FormatInt(q.Message.Chat.ID, 10)
	current, err := c.currentQuestion(ctx, chat)
	if err != nil {
		return false, err
	}
	if current == "" || q.Message.MessageID == 0 || current == strconv.Itoa(q.Message.MessageID) {
		return false, nil // unknown: the dialog still refuses an answer to no question
	}
	l := conversations.NormalizeLang(lang)
	if l == "" {
		l = conversations.ZhHans
	}
	answer := tgbotapi.NewCallback(q.ID, conversations.T(l, "stale.button_expired"))
	if _, err := c.api.Request(answer); err != nil {
		c.log.Warn("telegram: answerCallbackQuery", "err", c.secrets.Error(err))
	}
	// Taking the old keyboard away is a courtesy, within the chat's limits.
	if wait := c.limit.Reserve(chat, c.now()); wait == 0 {
		clear := tgbotapi.NewEditMessageReplyMarkup(q.Message.Chat.ID, q.Message.MessageID,
			tgbotapi.InlineKeyboardMarkup{InlineKeyboard: [][]tgbotapi.InlineKeyboardButton{}})
		if _, err := c.api.Request(clear); err != nil {
			c.log.Debug("telegram: clear an expired keyboard", "err", c.secrets.Error(err))
		}
	}
	return true, nil
}

// answerTap answers a tap with no text, so the button's spinner stops.
func (c *Channel) answerTap(q *tgbotapi.CallbackQuery) {
	if _, err := c.api.Request(tgbotapi.NewCallback(q.ID, "")); err != nil {
		c.log.Warn("telegram: answerCallbackQuery", "err", c.secrets.Error(err))
	}
}
