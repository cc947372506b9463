package slack

import (
	"context"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/conversations"
)

// The reject reason on the managers' approval post and on the card: Reject
// without one is refused by the desk (APR-1).
const (
	actReason   = "reject_reason"
	blockReason = "reject_reason_block"
)

// remedyRolls is the card's remedy option of a wallpaper compensation: the
// amount box then holds rolls, not yuan (WAL-6).
const remedyRolls = "compensation_rolls"

// complaintVerbs are the thread commands of a complaint ("task_force:
// after_sales=小王, sales=小李, product=老张", "written_solution: …",
// "gm_callback: …", "responsible: …", "prevention: …"; CMP-4, CMP-5).
var complaintVerbs = []string{bot.ActTaskForce, bot.ActWrittenSolution, bot.ActGMCallback, bot.ActResponsible, bot.ActPrevention}

// cmdAdvance is the thread command of an advance on a product dispute:
// "advance: 400/1000" (the advance, then the claim, in yuan; APR-2).
const cmdAdvance = "advance"

// moneyCommand turns "advance: 400/1000" into the remedy it stands for;
// other actions pass unchanged. What cannot be read is left for the
// lifecycle to refuse with its reason.
func moneyCommand(a bot.StaffAction) bot.StaffAction {
	if a.Kind != cmdAdvance {
		return a
	}
	amount, claim, _ := strings.Cut(strings.NewReplacer("／", "/", "¥", "", "元", "", " ", "").Replace(a.Value), "/")
	a.Kind, a.Value = bot.ActRemedy, cases.Advance
	a.AmountYuan, _ = strconv.Atoi(amount)
	a.ClaimYuan, _ = strconv.Atoi(claim)
	return a
}

// postApproval posts a request for approval to the managers' channel with
// the case's headline, a reason box and Approve and Reject (APR-1). Who may
// press them is the desk's to decide, by the presser's linked account.
func (s *Slack) postApproval(ctx context.Context, channel string, p bot.StaffPost) error {
	request := mrkdwn(p.Text, p.Mentions)
	c, err := s.cases.CaseByNumber(ctx, p.Case)
	if err != nil {
		c = cases.Case{Number: p.Case, Details: map[string]string{"approval": "pending"}}
	}
	_, _, err = s.api.PostMessageContext(ctx, channel, slack.MsgOptionBlocks(approvalPostIn(s.lang(), request, c)...), slack.MsgOptionText(request, false))
	return err
}

// approvalPost is approvalPostIn in zh-Hans.
func approvalPost(request string, c cases.Case) []slack.Block {
	return approvalPostIn(conversations.ZhHans, request, c)
}

// approvalPostIn is the managers' post of a request in lang, the channel's
// language (STF-2): the request, then what still waits with the reason box
// and the buttons, or, once decided, who decided and when.
func approvalPostIn(lang conversations.Lang, request string, c cases.Case) []slack.Block {
	md := func(t string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.MarkdownType, t, false, false)
	}
	blocks := []slack.Block{slack.NewSectionBlock(md(request), nil, nil)}
	if c.Details["approval"] != "pending" {
		return append(blocks, decidedBlocksIn(lang, c)...)
	}
	if p, ok := cases.PendingApproval(c); ok {
		blocks = append(blocks, slack.NewContextBlock("", md(escape(approvalHeadlineIn(lang, c)+" · "+c.Number+" · "+
			waitingFor(lang, p.Waiting)))))
	}
	return append(blocks, reasonInputIn(lang), approvalButtons(lang, c.Number))
}

// refreshApprovalPost brings the managers' post a decision was made on up
// to date at once: the roles still waited for, or who decided and when,
// without the buttons.
func (s *Slack) refreshApprovalPost(ctx context.Context, cb slack.InteractionCallback, c cases.Case) {
	ts := cb.Container.MessageTs
	if ts == "" {
		ts = cb.Message.Timestamp
	}
	if cb.Channel.ID == "" || cb.Channel.ID != s.cfg.ManagersChannel || ts == "" {
		return
	}
	request := cb.Message.Text // as we posted it, already in Slack's markup
	_, _, _, err := s.api.UpdateMessageContext(ctx, cb.Channel.ID, ts, slack.MsgOptionBlocks(approvalPostIn(s.lang(), request, c)...),
		slack.MsgOptionText(request, false))
	if err != nil {
		s.log.Warn("slack: approval post not updated", "case", c.Number, "err", s.secrets.Error(err))
	}
}

// reasonInput is reasonInputIn in zh-Hans.
func reasonInput() slack.Block { return reasonInputIn(conversations.ZhHans) }

// reasonInputIn is the box for the reason of a reject, in lang.
func reasonInputIn(lang conversations.Lang) slack.Block {
	label := slack.NewTextBlockObject(slack.PlainTextType, conversations.T(lang, "staff.approval.reason_required"), false, false)
	box := slack.NewPlainTextInputBlockElement(label, actReason)
	in := slack.NewInputBlock(blockReason, label, nil, box)
	in.Optional = true // Approve needs none; the desk refuses a reject without it
	return in
}

// approvalHeadline is approvalHeadlineIn in zh-Hans.
func approvalHeadline(c cases.Case) string { return approvalHeadlineIn(conversations.ZhHans, c) }

// approvalHeadlineIn says what waits, in lang.
func approvalHeadlineIn(lang conversations.Lang, c cases.Case) string {
	p, _ := cases.PendingApproval(c)
	return bot.ApprovalHeadline(lang, p)
}

// bothLangs is a staff text in Chinese and English; the card and the
// managers' post now speak the channel's one language (…In), and this is
// kept for callers written before.
func bothLangs(key string, args ...any) string {
	return conversations.T(conversations.ZhHans, key, args...) + " / " + conversations.T(conversations.En, key, args...)
}

// decidedBlocks is decidedBlocksIn in zh-Hans.
func decidedBlocks(c cases.Case) []slack.Block { return decidedBlocksIn(conversations.ZhHans, c) }

// decidedBlocksIn shows who decided the case's money remedy and when
// (APR-1), in lang.
func decidedBlocksIn(lang conversations.Lang, c cases.Case) []slack.Block {
	state, by, at := cases.Decided(c)
	if by == "" || (state != "approved" && state != "rejected") {
		return nil
	}
	text := conversations.T(lang, "staff.approval."+state+"_by", conversations.Args{"By": bot.Approvers(lang, by), "At": at.Format("2006-01-02 15:04")})
	return []slack.Block{slack.NewContextBlock("decided", slack.NewTextBlockObject(slack.MarkdownType, staffText(strings.TrimSpace(text)), false, false))}
}
