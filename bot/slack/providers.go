package slack

import (
	"context"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"frontdesk/cases"
)

// The dispatch menu of a case card (PRV-1, SRV-7): the providers the desk
// proposes for the order's region, companies and the nearest first. A
// provider elsewhere is sent from the thread, "dispatch: <id> <reason>".

// actDispatch is the action id of the dispatch menu.
const actDispatch = "dispatch"

// Proposer is the optional capability of a desk that proposes providers.
type Proposer interface {
	ProposeProviders(ctx context.Context, caseNo string) ([]cases.Provider, string, error)
}

// withDispatch adds the dispatch menu to the card of an open case with an
// order; a card whose proposals cannot be read goes out without it.
func (s *Slack) withDispatch(ctx context.Context, c cases.Case, card []slack.Block) []slack.Block {
	p, ok := s.desk.(Proposer)
	if !ok || c.OrderNo == "" || c.Status == cases.Resolved {
		return card
	}
	ps, region, err := p.ProposeProviders(ctx, c.Number)
	if err != nil {
		s.log.Warn("slack: proposals", "case", c.Number, "err", err)
		return card
	}
	plain := func(t string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, t, false, false)
	}
	lang := s.lang()
	if len(ps) == 0 {
		return append(card, slack.NewContextBlock("dispatch", slack.NewTextBlockObject(slack.MarkdownType,
			escape(noProposalIn(lang, region)), false, false))) // staffwords.go
	}
	var opts []*slack.OptionBlockObject
	for i, pr := range ps {
		if i == 100 { // Slack's limit for a static menu
			break
		}
		kind := providerKindIn(lang, pr.Company)
		text := fmt.Sprintf("%s · %s · %.1f★", pr.Name, kind, pr.Stars)
		if len([]rune(text)) > 75 {
			text = string([]rune(text)[:75])
		}
		opts = append(opts, slack.NewOptionBlockObject(fmt.Sprintf("%s|%d", c.Number, pr.ID), plain(text), nil))
	}
	menu := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(dispatchLabelIn(lang, region)), actDispatch, opts...)
	return append(card, slack.NewActionBlock("dispatch", menu))
}

// inRegion is " in region" for English texts written before the catalog.
func inRegion(region string) string {
	if region == "" {
		return ""
	}
	return " in " + region
}

// dispatchOption reads the menu's choice "case|provider id".
func dispatchOption(v string) (caseNo, value string, ok bool) {
	caseNo, value, ok = strings.Cut(v, "|")
	return caseNo, value, ok && caseNo != "" && value != ""
}
