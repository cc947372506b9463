package slack

import (
	"strings"

	"frontdesk/cases"
	"frontdesk/conversations"
	"frontdesk/store"
)

// The Slack desk's language (STF-2). The staff channel is one shared room,
// so its posts and cards speak the configured channel language
// (FRONTDESK_STAFF_LANG, zh-Hans when empty); what only one staff member
// sees (an ephemeral refusal) speaks that member's language when their
// account has one.

// lang is the channel's language.
func (s *Slack) lang() conversations.Lang {
	if s.cfg.Lang == "" {
		return conversations.ZhHans
	}
	return s.cfg.Lang
}

// langOf is the language of what who alone reads: their account's, else
// the channel's.
func (s *Slack) langOf(who store.Account) conversations.Lang {
	switch l := conversations.Lang(who.Lang); l {
	case conversations.ZhHans, conversations.ZhHant, conversations.En:
		return l
	}
	return s.lang()
}

// refusal is a lifecycle refusal in who's language, escaped for Slack
// markup.
func (s *Slack) refusal(who store.Account, err error) string {
	return escape(conversations.Refusal(s.langOf(who), err))
}

// resolutionLineIn is the card's line of the customer's confirmation and
// the call-back's result, in lang.
func resolutionLineIn(lang conversations.Lang, c cases.Case) string {
	var parts []string
	switch c.Details[cases.DetailConfirmation] {
	case "confirmed":
		parts = append(parts, conversations.T(lang, "staff.card.confirmed"))
	case "not_solved":
		parts = append(parts, conversations.T(lang, "staff.card.not_solved"))
	}
	if cb := c.Details[cases.DetailCallBack]; cb != "" {
		parts = append(parts, conversations.T(lang, "staff.card.callback")+" "+callBackIn(lang, cb)) // staffwords.go
	}
	return strings.Join(parts, " · ")
}
