package conversations

import "unicode"

// Bad input that no step can use (issue 19 "Bad input"): each gets a short
// answer in the customer's language and changes nothing.

// RejectOldReply is a reply that quotes an earlier message of the bot's:
// it may answer a question that is over, so nothing is read from it.
const RejectOldReply Rejection = "old_reply"

// emojiOnlyReply answers a message of emoji alone outside a handoff (a
// colleague reading the chat may well take a 👍): no question takes one as
// an answer, and a description of "😭😭" would open a case that says
// nothing.
func emojiOnlyReply(st State, in Inbound) (Reply, bool) {
	if st.HandedOff || in.Choice != "" || in.Photo != nil || in.Contact != nil || !emojiOnly(in.Text) {
		return Reply{}, false
	}
	return Reply{Text: T(st.Lang, "bad.emoji_only")}, true
}

// emojiOnly reports whether s holds at least one emoji and nothing else
// but their joiners, modifiers and spaces.
func emojiOnly(s string) bool {
	seen := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), r == 0x200D, r == 0xFE0F, r == 0xFE0E, r == 0x20E3,
			r >= 0x1F3FB && r <= 0x1F3FF, r >= 0xE0020 && r <= 0xE007F: // joiner, variation, keycap, skin tone, tag
		case isEmoji(r):
			seen = true
		default:
			return false
		}
	}
	return seen
}

func isEmoji(r rune) bool {
	return (r >= 0x1F000 && r <= 0x1FAFF) || (r >= 0x2600 && r <= 0x27BF) || (r >= 0x2B00 && r <= 0x2BFF) ||
		(r >= 0x1F1E6 && r <= 0x1F1FF) || r == 0x2122 || r == 0x2139 || (r >= 0x2194 && r <= 0x21AA) ||
		(r >= 0x231A && r <= 0x23FF) || r == 0x3030 || r == 0x303D || r == 0x3297 || r == 0x3299 ||
		(unicode.Is(unicode.So, r) && r > 0x2000)
}

// photoAlreadySent reports whether the draft holds this picture for this
// step already: the same picture sent twice counts once. (The same picture
// for another step is taken: a customer may well show the whole item and
// the damage in one shot.)
func (d *dialog) photoAlreadySent(step, sha string) bool {
	for _, p := range d.draft().Photos {
		if p.Step == step && p.Photo.SHA256 == sha {
			return true
		}
	}
	return false
}
