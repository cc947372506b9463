package slack

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
)

// Action ids of the card's elements.
const (
	actClaim    = "claim"
	actClassify = "classify"
	actRemedy   = "remedy"
	actResolve  = "resolve"
	actReopen   = "reopen"
	actMajor    = "major"
	actApprove  = "approve"
	actReject   = "reject"
	actAmount   = "amount"
	blockAmount = "amount_block"
)

// maskPhone keeps the first three and last four digits.
func maskPhone(p string) string {
	if len(p) < 8 {
		return p
	}
	return p[:3] + strings.Repeat("*", len(p)-7) + p[len(p)-4:]
}

// Card is the case's parent message in zh-Hans: what it is, who it is
// for, where it stands, and the actions.
func Card(c cases.Case, loc *time.Location) []slack.Block {
	return CardIn(c, loc, conversations.ZhHans)
}

// CardIn is the card in lang, the staff channel's language (STF-2): kind,
// status, severity and remedy by their names from the catalog, no codes.
func CardIn(c cases.Case, loc *time.Location, lang conversations.Lang) []slack.Block {
	md := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
	}
	plain := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
	}
	t := func(key string) string { return escape(conversations.T(lang, key)) }
	field := func(key, value string) *slack.TextBlockObject { return md("*" + t(key) + "*\n" + value) }
	kind := conversations.Label(lang, "kind.", string(c.Kind))
	assignee := staffText(c.Assignee)
	if assignee == "" {
		assignee = "_" + t("staff.card.unclaimed") + "_"
	}
	due := "–"
	if !c.DeadlineAt.IsZero() {
		if loc == nil {
			loc = time.UTC
		}
		due = c.DeadlineAt.In(loc).Format("01-02 15:04")
	}
	status := escape(conversations.Label(lang, "staff.status.", string(c.Status)))
	if c.Status == cases.Resolved {
		status = "✅ " + status
	}
	remedy := "–"
	if c.Remedy != "" {
		remedy = staffText(conversations.Label(lang, "staff.remedy.", c.Remedy))
	}
	fields := []*slack.TextBlockObject{
		field("staff.card.kind", escape(kind)), field("staff.card.severity", t("staff.card.severity."+severityName(c.Severity))),
		field("staff.card.customer", escape(c.CustomerName+" "+maskPhone(c.Phone))), field("staff.card.order", escape(c.OrderNo+linesIn(lang, c))),
		field("staff.card.status", status), field("staff.card.assignee", assignee),
		field("staff.card.due", due), field("staff.card.remedy", remedy),
	}
	blocks := []slack.Block{
		slack.NewHeaderBlock(plain(fmt.Sprintf("%s · %s", c.Number, kind))),
		slack.NewSectionBlock(nil, fields, nil),
	}
	if c.Description != "" {
		blocks = append(blocks, slack.NewSectionBlock(md("> "+escape(c.Description)), nil, nil))
	}
	if c.Classification != "" {
		blocks = append(blocks, slack.NewContextBlock("", md(t("staff.card.classification")+" "+
			escape(storeWordsIn(lang, c.Classification))))) // staffwords.go
	}
	if c.Cause != "" || c.Action != "" {
		blocks = append(blocks, slack.NewContextBlock("", md(t("staff.card.cause")+" "+escape(orDash(c.Cause))+" · "+
			t("staff.card.action")+" "+escape(orDash(c.Action)))))
	}
	if line := resolutionLineIn(lang, c); line != "" {
		blocks = append(blocks, slack.NewContextBlock("", md(escape(line))))
	}
	var kinds []*slack.OptionBlockObject
	for _, k := range bot.ClassifyKinds {
		kinds = append(kinds, slack.NewOptionBlockObject(c.Number+"|"+k, plain(conversations.Label(lang, "kind.", k)), nil))
	}
	var remedies []*slack.OptionBlockObject
	for _, r := range append(append([]string{}, config.RemedyLadder...), cases.Compensation, remedyRolls) {
		remedies = append(remedies, slack.NewOptionBlockObject(c.Number+"|"+r, plain(remedyOption(lang, r)), nil))
	}
	buttons := []slack.BlockElement{}
	if c.Status != cases.Resolved {
		buttons = append(buttons, slack.NewButtonBlockElement(actClaim, c.Number, plain(conversations.T(lang, "staff.card.claim"))).WithStyle(slack.StylePrimary))
	}
	buttons = append(buttons,
		slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(conversations.T(lang, "staff.card.classify")), actClassify, kinds...),
		slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(conversations.T(lang, "staff.card.remedy")), actRemedy, remedies...),
	)
	if resolutionHandoff(c) {
		buttons = append(buttons, slack.NewButtonBlockElement(actEndHandoff, c.Number, plain(conversations.T(lang, "staff.card.end_handover"))))
	}
	if c.Status == cases.Resolved {
		buttons = append(buttons, slack.NewButtonBlockElement(actReopen, c.Number, plain(conversations.T(lang, "staff.card.reopen"))))
	} else {
		buttons = append(buttons, slack.NewButtonBlockElement(actResolve, c.Number, plain(conversations.T(lang, "staff.card.resolve"))),
			slack.NewButtonBlockElement(actMajor, c.Number, plain(conversations.T(lang, "staff.card.mark_major"))).WithStyle(slack.StyleDanger))
	}
	blocks = append(blocks, slack.NewActionBlock("actions", buttons...))
	blocks = append(blocks, approvalBlocksIn(lang, c)...)
	blocks = append(blocks, repairBlocksIn(lang, c)...) // repairs.go
	blocks = append(blocks, partsBlocksIn(lang, c)...)  // parts.go
	amount := slack.NewPlainTextInputBlockElement(plain(conversations.T(lang, "staff.card.amount_hint")), actAmount)
	input := slack.NewInputBlock(blockAmount, plain(conversations.T(lang, "staff.card.amount")), nil, amount)
	input.Optional = true
	input.DispatchAction = false
	return append(blocks, input)
}

// severityName is the catalog's name of a severity: normal unless major.
func severityName(s string) string {
	if s == cases.Major {
		return "major"
	}
	return "normal"
}

// remedyOption names a remedy of the card's menu.
func remedyOption(lang conversations.Lang, r string) string {
	switch r {
	case cases.Compensation, remedyRolls:
		return conversations.T(lang, "staff.card.remedy."+r)
	}
	return conversations.Label(lang, "staff.remedy.", r)
}

// linesIn names the order lines the case is about.
func linesIn(lang conversations.Lang, c cases.Case) string {
	if l := c.Details["lines"]; l != "" {
		return conversations.T(lang, "staff.card.lines", conversations.Args{"Lines": l})
	}
	return ""
}

func lines(c cases.Case) string {
	if l := c.Details["lines"]; l != "" {
		return " (line " + l + ")"
	}
	return ""
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

// approvalBlocks is approvalBlocksIn in zh-Hans.
func approvalBlocks(c cases.Case) []slack.Block { return approvalBlocksIn(conversations.ZhHans, c) }

// approvalBlocksIn shows a compensation waiting for approval with Approve
// and Reject (APR-1), in lang, the channel's language (STF-2); the desk
// decides who may press them.
func approvalBlocksIn(lang conversations.Lang, c cases.Case) []slack.Block {
	if c.Details["approval"] != "pending" {
		return decidedBlocksIn(lang, c)
	}
	text := "*" + escape(approvalHeadlineIn(lang, c)) + "*\n" + escape(waitingFor(lang, cases.ApproverRoles(c)))
	return []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil),
		reasonInputIn(lang),
		approvalButtons(lang, c.Number),
	}
}

// waitingFor names the roles an approval still waits for, in lang.
func waitingFor(lang conversations.Lang, roles []cases.Role) string {
	names := make([]string, 0, len(roles))
	for _, r := range roles {
		names = append(names, conversations.Label(lang, "role.", string(r)))
	}
	sep := "、"
	if lang == conversations.En {
		sep = ", "
	}
	return conversations.T(lang, "staff.approval.waiting", conversations.Args{"Roles": strings.Join(names, sep)})
}

// approvalButtons are Approve and Reject of the case, in lang.
func approvalButtons(lang conversations.Lang, caseNo string) slack.Block {
	plain := func(key string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, conversations.T(lang, key), false, false)
	}
	return slack.NewActionBlock("approval",
		slack.NewButtonBlockElement(actApprove, caseNo, plain("staff.approval.approve")).WithStyle(slack.StylePrimary),
		slack.NewButtonBlockElement(actReject, caseNo, plain("staff.approval.reject")).WithStyle(slack.StyleDanger))
}
