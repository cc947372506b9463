package slack

import (
	"strings"

	"github.com/slack-go/slack"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
)

// The card's elements for repairs and returns: a button for each step of
// the repair call flow that may come next (REP-6), with the warranty as
// staff read it (REP-5); for a return, the address box and the approve
// button, and the tracking number (RET-7).
const (
	actRepairStep      = "repair_step:" // + the step
	actApproveReturn   = "return_approve"
	actReturnAddress   = "return_address"
	blockReturnAddress = "return_address_block"
)

// both is a staff text in Chinese and English: the card is the whole
// channel's.
func both(key string, args ...any) string {
	return conversations.T(conversations.ZhHans, key, args...) + " / " + conversations.T(conversations.En, key, args...)
}

// repairBlocks are the card's blocks of a repair or a return case.
func repairBlocks(c cases.Case) []slack.Block {
	md := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
	}
	plain := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
	}
	switch c.Kind {
	case config.KindRepair:
		lines := []string{"*" + both("staff.repair.title") + "*"}
		if w := c.Details["warranty"]; w != "" {
			lines = append(lines, conversations.T(conversations.ZhHans, "staff.warranty",
				conversations.Args{"Warranty": conversations.T(conversations.ZhHans, "staff.warranty."+w)})+" / "+
				conversations.T(conversations.En, "staff.warranty", conversations.Args{"Warranty": conversations.T(conversations.En, "staff.warranty."+w)}))
		}
		var taken []string
		for _, s := range strings.Split(c.Details[cases.DetailRepairSteps], ",") {
			if s != "" {
				taken = append(taken, conversations.T(conversations.ZhHans, "staff.repair.step."+s))
			}
		}
		if len(taken) > 0 {
			lines = append(lines, conversations.T(conversations.ZhHans, "staff.repair.taken", conversations.Args{"Steps": strings.Join(taken, " → ")}))
		}
		if c.Details[cases.DetailRepairStep] == cases.StepDone {
			lines = append(lines, both("staff.repair.finished"))
		}
		blocks := []slack.Block{slack.NewSectionBlock(md(escape(strings.Join(lines, "\n"))), nil, nil)}
		var buttons []slack.BlockElement
		for _, s := range cases.NextRepairSteps(c) {
			label := conversations.T(conversations.ZhHans, "staff.repair.step."+s) + " " + conversations.T(conversations.En, "staff.repair.step."+s)
			buttons = append(buttons, slack.NewButtonBlockElement(actRepairStep+s, c.Number, plain(label)))
		}
		if len(buttons) > 0 {
			blocks = append(blocks, slack.NewActionBlock("repair_steps", buttons...))
		}
		return blocks
	case config.KindReturnExchange:
		lines := []string{"*" + both("staff.return.title") + "*"}
		if c.Details[cases.DetailReturnStatus] == "approved" {
			lines = append(lines, both("staff.return.approved", conversations.Args{"Address": c.Details[cases.DetailReturnAddress]}))
		}
		if t := c.Details[cases.DetailReturnTracking]; t != "" {
			lines = append(lines, both("staff.return.tracking", conversations.Args{"Tracking": t}))
		} else {
			lines = append(lines, both("staff.return.no_tracking"))
		}
		blocks := []slack.Block{slack.NewSectionBlock(md(escape(strings.Join(lines, "\n"))), nil, nil)}
		if c.Details[cases.DetailReturnStatus] == "approved" || c.Status == cases.Resolved {
			return blocks
		}
		box := slack.NewPlainTextInputBlockElement(plain(conversations.T(conversations.ZhHans, "staff.return.address")), actReturnAddress)
		input := slack.NewInputBlock(blockReturnAddress, plain(both("staff.return.address")), nil, box)
		input.Optional = true
		return append(blocks, input, slack.NewActionBlock("return_actions",
			slack.NewButtonBlockElement(actApproveReturn, c.Number, plain(both("staff.return.approve"))).WithStyle(slack.StylePrimary)))
	}
	return nil
}

// repairsAction reads a button of repairBlocks into act; ok is false for an
// element that is none of them.
func repairsAction(cb slack.InteractionCallback, a *slack.BlockAction, act bot.StaffAction) (bot.StaffAction, bool) {
	switch {
	case strings.HasPrefix(a.ActionID, actRepairStep):
		act.Case, act.Kind, act.Value = a.Value, bot.ActRepairStep, strings.TrimPrefix(a.ActionID, actRepairStep)
	case a.ActionID == actApproveReturn:
		act.Case, act.Kind, act.Value = a.Value, bot.ActApproveReturn, inputValue(cb, blockReturnAddress, actReturnAddress)
	default:
		return act, false
	}
	return act, true
}
