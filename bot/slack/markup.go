package slack

import (
	"regexp"
	"strings"
)

// Slack reads <…> in a message as a mention or a link and & as the start of
// an entity, so text that is not the desk's own (what a customer wrote,
// order data from the back office, names, reasons) is escaped before it is
// posted: "<!channel>" from a customer arrives as those ten characters and
// calls no one. The desk's own markup stays live: the mentions a post names
// on purpose (bot.StaffPost.Mentions) and, on the card and in /case, the
// staff user mentions the desk wrote itself (assignee, remedy, audit actor).

var (
	escaper   = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	unescaper = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&")
	// mention is a Slack user mention as the desk writes it (with no
	// label), or a call to the whole channel.
	mention = regexp.MustCompile(`^<(@[UW][A-Z0-9]+|!channel|!here)>$`)
	// userMention is a user mention, as it stands in escaped text.
	userMention = regexp.MustCompile(`&lt;@[UW][A-Z0-9]+&gt;`)
)

// escape makes text show as written in Slack.
func escape(text string) string { return escaper.Replace(text) }

// unescape turns the text of a Slack message back into what was typed:
// Slack sends "<" typed by a person as "&lt;".
func unescape(text string) string { return unescaper.Replace(text) }

// mrkdwn escapes text except for the mentions in ours that are real
// mentions (a user or the channel); anything else listed is escaped too.
// A foreign copy of one of ours in the same text becomes live as well: it
// can only call someone the post calls anyway.
func mrkdwn(text string, ours []string) string {
	out := escape(text)
	for _, m := range ours {
		if mention.MatchString(m) {
			out = strings.ReplaceAll(out, escape(m), m)
		}
	}
	return out
}

// isUserMention reports whether s is one user mention and nothing else.
func isUserMention(s string) bool {
	return mention.MatchString(s) && strings.HasPrefix(s, "<@")
}

// staffText escapes text the desk wrote from staff names (the assignee,
// the remedy with who decided it, an audit actor), keeping the user
// mentions in it live so that Slack shows them as names; links and calls
// to the channel are escaped.
func staffText(text string) string {
	return userMention.ReplaceAllStringFunc(escape(text), unescape)
}
