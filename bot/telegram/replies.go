package telegram

import (
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// oldReplyAfter is how old a quoted message of the bot's may be for a reply
// to it to count as an answer to the current question: a customer who
// quotes the question just asked answers it; one who quotes a message from
// earlier may be answering a question that is over (issue 19, bad input).
const oldReplyAfter = 10 * time.Minute

// oldReply reports whether m quotes a message of the bot's sent more than
// oldReplyAfter before it. A reply to the customer's own message, or one
// without dates, is read as usual.
func oldReply(m *tgbotapi.Message) bool {
	q := m.ReplyToMessage
	if q == nil || q.From == nil || !q.From.IsBot || q.Date == 0 || m.Date == 0 {
		return false
	}
	return time.Duration(m.Date-q.Date)*time.Second > oldReplyAfter
}
