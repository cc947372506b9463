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

// both is a staff text in Chinese and English; the card now speaks the
// channel's one language (repairBlocksIn), and this is kept for callers
// written before.
func both(key string, args ...any) string {
	return conversations.T(conversations.ZhHans, key, args...) + " / " + conversations.T(conversations.En, key, args...)
}

// repairBlocks is repairBlocksIn in zh-Hans.
func repairBlocks(c cases.Case) []slack.Block { return repairBlocksIn(conversations.ZhHans, c) }

// repairBlocksIn are the card's blocks of a repair or a return case, in
// lang, the channel's language (STF-2).
func repairBlocksIn(lang conversations.Lang, c cases.Case) []slack.Block {
	switch c.Kind {
	case config.KindRepair:
		return repairCallBlocks(lang, c)
	case config.KindReturnExchange:
		return returnBlocks(lang, c)
	}
	return nil
}

// repairCallBlocks are the warranty, the steps taken and a button for each
// step that may come next (REP-5, REP-6).
func repairCallBlocks(lang conversations.Lang, c cases.Case) []slack.Block {
	t := func(key string, args ...any) string { return conversations.T(lang, key, args...) }
	lines := []string{"*" + t("staff.repair.title") + "*"}
	if w := c.Details["warranty"]; w != "" {
		lines = append(lines, t("staff.warranty", conversations.Args{"Warranty": conversations.Label(lang, "staff.warranty.", w)}))
	}
	var taken []string
	for _, s := range strings.Split(c.Details[cases.DetailRepairSteps], ",") {
		if s != "" {
			taken = append(taken, conversations.Label(lang, "staff.repair.step.", s))
		}
	}
	if len(taken) > 0 {
		lines = append(lines, t("staff.repair.taken", conversations.Args{"Steps": strings.Join(taken, " → ")}))
	}
	if c.Details[cases.DetailRepairStep] == cases.StepDone {
		lines = append(lines, t("staff.repair.finished"))
	}
	blocks := []slack.Block{slack.NewSectionBlock(mdText(escape(strings.Join(lines, "\n"))), nil, nil)}
	var buttons []slack.BlockElement
	for _, s := range cases.NextRepairSteps(c) {
		buttons = append(buttons, slack.NewButtonBlockElement(actRepairStep+s, c.Number, plainText(conversations.Label(lang, "staff.repair.step.", s))))
	}
	if len(buttons) > 0 {
		blocks = append(blocks, slack.NewActionBlock("repair_steps", buttons...))
	}
	return blocks
}

// returnBlocks are a return's address, approval and tracking (RET-7).
func returnBlocks(lang conversations.Lang, c cases.Case) []slack.Block {
	t := func(key string, args ...any) string { return conversations.T(lang, key, args...) }
	lines := []string{"*" + t("staff.return.title") + "*"}
	if c.Details[cases.DetailReturnStatus] == "approved" {
		lines = append(lines, t("staff.return.approved", conversations.Args{"Address": c.Details[cases.DetailReturnAddress]}))
	}
	if tr := c.Details[cases.DetailReturnTracking]; tr != "" {
		lines = append(lines, t("staff.return.tracking", conversations.Args{"Tracking": tr}))
	} else {
		lines = append(lines, t("staff.return.no_tracking"))
	}
	blocks := []slack.Block{slack.NewSectionBlock(mdText(escape(strings.Join(lines, "\n"))), nil, nil)}
	if c.Details[cases.DetailReturnStatus] == "approved" || c.Status == cases.Resolved {
		return blocks
	}
	box := slack.NewPlainTextInputBlockElement(plainText(t("staff.return.address")), actReturnAddress)
	input := slack.NewInputBlock(blockReturnAddress, plainText(t("staff.return.address")), nil, box)
	input.Optional = true
	return append(blocks, input, slack.NewActionBlock("return_actions",
		slack.NewButtonBlockElement(actApproveReturn, c.Number, plainText(t("staff.return.approve"))).WithStyle(slack.StylePrimary)))
}

// mdText and plainText are Slack text objects of s.
func mdText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

func plainText(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
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
