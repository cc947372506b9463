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

// Card is the case's parent message: what it is, who it is for, where it
// stands, and the actions.
func Card(c cases.Case, loc *time.Location) []slack.Block {
	md := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
	}
	plain := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
	}
	assignee := staffText(c.Assignee)
	if assignee == "" {
		assignee = "_unclaimed_"
	}
	due := "–"
	if !c.DeadlineAt.IsZero() {
		if loc == nil {
			loc = time.UTC
		}
		due = c.DeadlineAt.In(loc).Format("01-02 15:04")
	}
	status := string(c.Status)
	if c.Status == cases.Resolved {
		status = "✅ resolved"
	}
	fields := []*slack.TextBlockObject{
		md("*Kind*\n" + string(c.Kind)), md("*Severity*\n" + c.Severity),
		md("*Customer*\n" + escape(c.CustomerName+" "+maskPhone(c.Phone))), md("*Order*\n" + escape(c.OrderNo+lines(c))),
		md("*Status*\n" + status), md("*Assignee*\n" + assignee),
		md("*Next due*\n" + due), md("*Remedy*\n" + staffText(orDash(c.Remedy))),
	}
	blocks := []slack.Block{
		slack.NewHeaderBlock(plain(fmt.Sprintf("%s · %s", c.Number, c.Kind))),
		slack.NewSectionBlock(nil, fields, nil),
	}
	if c.Description != "" {
		blocks = append(blocks, slack.NewSectionBlock(md("> "+escape(c.Description)), nil, nil))
	}
	if c.Classification != "" {
		blocks = append(blocks, slack.NewContextBlock("", md("Classification: "+escape(c.Classification))))
	}
	if c.Cause != "" || c.Action != "" {
		blocks = append(blocks, slack.NewContextBlock("", md("Cause: "+escape(orDash(c.Cause))+" · Action: "+escape(orDash(c.Action)))))
	}
	if line := resolutionLine(c); line != "" {
		blocks = append(blocks, slack.NewContextBlock("", md(escape(line))))
	}
	var kinds []*slack.OptionBlockObject
	for _, k := range bot.ClassifyKinds {
		kinds = append(kinds, slack.NewOptionBlockObject(c.Number+"|"+k, plain(k), nil))
	}
	var remedies []*slack.OptionBlockObject
	for _, r := range append(append([]string{}, config.RemedyLadder...), cases.Compensation, remedyRolls) {
		remedies = append(remedies, slack.NewOptionBlockObject(c.Number+"|"+r, plain(strings.ReplaceAll(r, "_", " ")), nil))
	}
	buttons := []slack.BlockElement{}
	if c.Status != cases.Resolved {
		buttons = append(buttons, slack.NewButtonBlockElement(actClaim, c.Number, plain("Claim")).WithStyle(slack.StylePrimary))
	}
	buttons = append(buttons,
		slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Classify"), actClassify, kinds...),
		slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain("Remedy"), actRemedy, remedies...),
	)
	if resolutionHandoff(c) {
		buttons = append(buttons, slack.NewButtonBlockElement(actEndHandoff, c.Number, plain("End handover")))
	}
	if c.Status == cases.Resolved {
		buttons = append(buttons, slack.NewButtonBlockElement(actReopen, c.Number, plain("Reopen")))
	} else {
		buttons = append(buttons, slack.NewButtonBlockElement(actResolve, c.Number, plain("Resolve")),
			slack.NewButtonBlockElement(actMajor, c.Number, plain("Mark major")).WithStyle(slack.StyleDanger))
	}
	blocks = append(blocks, slack.NewActionBlock("actions", buttons...))
	blocks = append(blocks, approvalBlocks(c)...)
	blocks = append(blocks, repairBlocks(c)...) // repairs.go
	blocks = append(blocks, partsBlocks(c)...)  // parts.go
	amount := slack.NewPlainTextInputBlockElement(plain("¥ for compensation, then choose Remedy → compensation"), actAmount)
	input := slack.NewInputBlock(blockAmount, plain("Compensation (only when the customer asked)"), nil, amount)
	input.Optional = true
	input.DispatchAction = false
	return append(blocks, input)
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

// approvalBlocks shows a compensation waiting for approval with Approve and
// Reject (APR-1); the desk decides who may press them. The labels are in
// Chinese and English: the card is the whole channel's.
func approvalBlocks(c cases.Case) []slack.Block {
	if c.Details["approval"] != "pending" {
		return decidedBlocks(c)
	}
	both := func(key string, args ...any) string {
		return conversations.T(conversations.ZhHans, key, args...) + " / " + conversations.T(conversations.En, key, args...)
	}
	var roles []string
	for _, r := range cases.ApproverRoles(c) {
		roles = append(roles, conversations.T(conversations.ZhHans, "role."+string(r))+" "+conversations.T(conversations.En, "role."+string(r)))
	}
	text := "*" + approvalHeadline(c) + "*\n" +
		conversations.T(conversations.ZhHans, "staff.approval.waiting", conversations.Args{"Roles": strings.Join(roles, "、")})
	plain := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
	}
	return []slack.Block{
		slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil),
		reasonInput(),
		slack.NewActionBlock("approval",
			slack.NewButtonBlockElement(actApprove, c.Number, plain(both("staff.approval.approve"))).WithStyle(slack.StylePrimary),
			slack.NewButtonBlockElement(actReject, c.Number, plain(both("staff.approval.reject"))).WithStyle(slack.StyleDanger)),
	}
}
