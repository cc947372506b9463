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
	_, _, err = s.api.PostMessageContext(ctx, channel, slack.MsgOptionBlocks(approvalPost(request, c)...), slack.MsgOptionText(request, false))
	return err
}

// approvalPost is the managers' post of a request: the request, then what
// still waits with the reason box and the buttons, or, once decided, who
// decided and when.
func approvalPost(request string, c cases.Case) []slack.Block {
	md := func(t string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.MarkdownType, t, false, false)
	}
	plain := func(t string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, t, false, false)
	}
	blocks := []slack.Block{slack.NewSectionBlock(md(request), nil, nil)}
	if c.Details["approval"] != "pending" {
		return append(blocks, decidedBlocks(c)...)
	}
	if p, ok := cases.PendingApproval(c); ok {
		var roles []string
		for _, r := range p.Waiting {
			roles = append(roles, conversations.T(conversations.ZhHans, "role."+string(r))+" "+conversations.T(conversations.En, "role."+string(r)))
		}
		blocks = append(blocks, slack.NewContextBlock("", md(escape(approvalHeadline(c)+" · "+c.Number+" · "+
			conversations.T(conversations.ZhHans, "staff.approval.waiting", conversations.Args{"Roles": strings.Join(roles, "、")})))))
	}
	return append(blocks, reasonInput(),
		slack.NewActionBlock("approval",
			slack.NewButtonBlockElement(actApprove, c.Number, plain(bothLangs("staff.approval.approve"))).WithStyle(slack.StylePrimary),
			slack.NewButtonBlockElement(actReject, c.Number, plain(bothLangs("staff.approval.reject"))).WithStyle(slack.StyleDanger)))
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
	_, _, _, err := s.api.UpdateMessageContext(ctx, cb.Channel.ID, ts, slack.MsgOptionBlocks(approvalPost(request, c)...),
		slack.MsgOptionText(request, false))
	if err != nil {
		s.log.Warn("slack: approval post not updated", "case", c.Number, "err", s.secrets.Error(err))
	}
}

// reasonInput is the box for the reason of a reject.
func reasonInput() slack.Block {
	plain := func(t string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, t, false, false)
	}
	box := slack.NewPlainTextInputBlockElement(plain(bothLangs("staff.approval.reason_required")), actReason)
	in := slack.NewInputBlock(blockReason, plain(bothLangs("staff.approval.reason_required")), nil, box)
	in.Optional = true // Approve needs none; the desk refuses a reject without it
	return in
}

// approvalHeadline says what waits, in Chinese and English: the card and
// the managers' post are the whole channel's.
func approvalHeadline(c cases.Case) string {
	p, _ := cases.PendingApproval(c)
	return bot.ApprovalHeadline(conversations.ZhHans, p) + " / " + bot.ApprovalHeadline(conversations.En, p)
}

func bothLangs(key string, args ...any) string {
	return conversations.T(conversations.ZhHans, key, args...) + " / " + conversations.T(conversations.En, key, args...)
}

// decidedBlocks shows who decided the case's money remedy and when (APR-1).
func decidedBlocks(c cases.Case) []slack.Block {
	state, by, at := cases.Decided(c)
	if by == "" || (state != "approved" && state != "rejected") {
		return nil
	}
	key := "staff.approval." + state + "_by"
	when := at.Format("2006-01-02 15:04")
	text := conversations.T(conversations.ZhHans, key, conversations.Args{"By": by, "At": when}) + " / " +
		conversations.T(conversations.En, key, conversations.Args{"By": by, "At": when})
	return []slack.Block{slack.NewContextBlock("decided", slack.NewTextBlockObject(slack.MarkdownType, staffText(strings.TrimSpace(text)), false, false))}
}
