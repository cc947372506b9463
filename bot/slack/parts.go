package slack

import (
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/conversations"
)

// partsVerbs are the thread commands of the spare parts (PRT-1 … PRT-4):
// "parts_add: CART-35 1", "parts_quote: 30" (the service fee; "callback"
// at a call-back visit), "parts_waive: why", "parts_paid: note",
// "parts_ship: 2026-11-25 SF123", "parts_returned:".
var partsVerbs = []string{bot.ActPartsAdd, bot.ActPartsQuote, bot.ActPartsWaive, bot.ActPartsPaid, bot.ActPartsShip, bot.ActPartsReturned}

// partsBlocks is partsBlocksIn in zh-Hans.
func partsBlocks(c cases.Case) []slack.Block { return partsBlocksIn(conversations.ZhHans, c) }

// partsBlocksIn is the card's section of a repair's parts in lang, the
// channel's language (STF-2): the lines, where the request is, the
// shipment and the replaced parts; none before the first line.
func partsBlocksIn(lang conversations.Lang, c cases.Case) []slack.Block {
	d := c.Details
	st := d[cases.DetailPartsStatus]
	if st == "" {
		return nil
	}
	t := func(key string, args ...any) string { return conversations.T(lang, key, args...) }
	lines := []string{"*" + t("staff.parts.title") + "*"}
	for _, l := range cases.PartsLines(d) {
		part := l.Name + " (" + l.SKU + ")"
		if l.Free {
			lines = append(lines, "• "+t("parts.line_free", conversations.Args{"Part": part, "Qty": l.Qty}))
		} else {
			lines = append(lines, "• "+t("parts.line_paid", conversations.Args{"Part": part, "Qty": l.Qty, "Fee": cases.Yuan(l.FeeCents())}))
		}
	}
	lines = append(lines, conversations.Label(lang, "staff.parts.status.", st))
	if st == cases.PartsShipped {
		lines = append(lines, t("staff.parts.shipped", conversations.Args{"Date": d[cases.DetailPartsShipDate], "Tracking": d[cases.DetailPartsTracking]}))
	}
	if due := d[cases.DetailPartsDueBack]; due != "" {
		lines = append(lines, t("staff.parts.due_back", conversations.Args{"Due": due}))
	}
	if at := d[cases.DetailPartsReturned]; at != "" {
		lines = append(lines, t("staff.parts.returned", conversations.Args{"Date": at}))
	}
	if ch := d[cases.DetailPartsCharged]; ch != "" {
		n, _ := strconv.ParseInt(ch, 10, 64)
		lines = append(lines, t("staff.parts.charged", conversations.Args{"Amount": cases.Yuan(n)}))
	}
	return []slack.Block{slack.NewSectionBlock(mdText(escape(strings.Join(lines, "\n"))), nil, nil)}
}
