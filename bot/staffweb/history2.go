package staffweb

import (
	"strings"

	"frontdesk/bot"
	"frontdesk/conversations"
)

// historyWords says a history line the lifecycle wrote with its catalog key
// in the page's language (STF-2). A mention of the whole channel, live in
// Slack, is a word on the page.
func (t texts) historyWords(key string, args map[string]any) string {
	return strings.ReplaceAll(bot.StaffWords(t.lang, key, args), "<!channel>", conversations.T(t.lang, "staff.life.everyone"))
}
