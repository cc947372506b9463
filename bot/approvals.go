package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/store"
)

// Approvals and complaints at the desk (APR-1 … APR-3, CMP-4, CMP-5): what
// a decision must see beyond the case (is the order wallpaper? are the task
// force's members staff?), and the effects only the desk can apply (the
// managers' post with buttons, the clerk called by their Slack account, the
// customer's text in their language, the grant counted for the digest, the
// general manager called).

// prepareAction loads what the lifecycle needs to decide a: whether a
// compensation is on wallpaper (counted in rolls, WAL-6), and whether the
// members of a task force are staff accounts.
func prepareAction(tx *store.Tx, c cases.Case, a *cases.Action) error {
	switch {
	case a.Verb == cases.Remedy && a.Value == cases.Compensation && c.OrderNo != "":
		wall, err := tx.OrderHasWallpaperInTx(c.OrderNo, caseLines(c))
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		a.Wallpaper = wall
	case a.Verb == cases.TaskForce:
		tf, err := cases.ParseTaskForce(a.Value)
		if err != nil {
			return nil // the decision refuses it with its reason
		}
		for _, side := range cases.TaskForceSides {
			acct, err := tx.AccountByNameInTx(tf[side])
			if errors.Is(err, store.ErrNotFound) || (err == nil && acct.Disabled) {
				return fmt.Errorf("%w: %w", ErrBadAction, cases.Errorf(cases.Invalid,
					"task force %s: %q is not the name of an active staff account", side, tf[side]))
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// caseLines are the order lines the customer chose, as the dialog recorded
// them ("1,3").
func caseLines(c cases.Case) []int {
	var out []int
	for _, s := range strings.Split(c.Details["lines"], ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// applyApprovalEffect applies the effects of approvals and complaints.
func (d *Desk) applyApprovalEffect(tx *store.Tx, c cases.Case, e cases.Effect, now time.Time) error {
	switch e := e.(type) {
	case cases.AskApproval:
		return enqueueStaff(tx, ManagersRecipient, StaffPost{Kind: "approval", Case: c.Number, Text: d.staffText(e.Text, e.Key, e.Args),
			Mentions: e.Mentions}, now)
	case cases.ToClerk:
		who := d.slackMention(tx, e.Clerk)
		text := d.staffText(e.Text, e.Key, e.Args)
		if who != "" {
			text = who + " " + text
		}
		// Kept in the case's history too: the staff page shows it there.
		body := e.Text
		if e.Clerk != "" {
			body = "@" + e.Clerk + " " + body
		}
		if _, err := tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: now, Actor: "bot", Kind: "to_clerk", Body: body, Key: e.Key, Args: e.Args}); err != nil {
			return err
		}
		return enqueueStaff(tx, c.Number, StaffPost{Kind: "thread", From: "bot", Text: text, Mentions: nonEmpty(who)}, now)
	case cases.TellCustomer:
		lang, err := chatLang(tx, c.Channel, c.ChatID) // no Redis call inside the transaction
		if err != nil {
			return err
		}
		args := conversations.Args{}
		for k, v := range e.Args {
			args[k] = v
		}
		text := conversations.T(lang, e.Key, args)
		payload, err := json.Marshal(Message{Text: text})
		if err != nil {
			return err
		}
		if _, err := tx.Enqueue(store.OutboxMessage{Channel: c.Channel, Recipient: c.ChatID, Payload: payload, CaseID: c.ID}, now); err != nil {
			return err
		}
		if _, err := tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: now, Actor: "bot", Kind: "told_customer", Body: text}); err != nil {
			return err
		}
		return enqueueStaff(tx, c.Number, StaffPost{Kind: "thread", From: "bot", Text: "→ " + text}, now)
	case cases.Grant:
		return tx.AddGrant(store.Grant{CaseID: c.ID, At: now, Kind: e.Kind, Yuan: e.Yuan, Rolls: e.Rolls, DecidedBy: e.By})
	case cases.ToGeneralManager:
		gms, err := tx.AccountsWithRoleInTx(cases.GeneralManager)
		if err != nil {
			return err
		}
		var mentions []string
		for _, a := range gms {
			if a.SlackUserID != "" {
				mentions = append(mentions, "<@"+a.SlackUserID+">")
			}
		}
		text := d.staffText(e.Text, e.Key, e.Args)
		if len(mentions) > 0 {
			text = strings.Join(mentions, " ") + " " + text
		}
		return enqueueStaff(tx, ManagersRecipient, StaffPost{Kind: "managers", Text: text, Mentions: mentions}, now)
	}
	return fmt.Errorf("bot: no way to apply case effect %T", e)
}

// slackMention is how a post calls a staff member by name: their Slack
// mention when their account is linked, else "@name"; "" for nobody.
func (d *Desk) slackMention(tx *store.Tx, name string) string {
	if name == "" {
		return ""
	}
	a, err := tx.AccountByNameInTx(name)
	if err == nil && a.SlackUserID != "" && !a.Disabled {
		return "<@" + a.SlackUserID + ">"
	}
	return "@" + name
}

func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// majorComplaintOpened gives a complaint the customer opened as major what
// one marked major by staff gets (CMP-4): the general manager called, the
// two clocks started.
func (d *Desk) majorComplaintOpened(tx *store.Tx, c cases.Case, now time.Time) error {
	if c.Kind != config.KindComplaint || c.Severity != cases.Major {
		return nil
	}
	next, effects, err := cases.Decide(c, cases.Action{Verb: cases.MarkMajor}, cases.Actor{Name: "desk", Role: cases.System}, now, d.policy())
	if err != nil {
		return err
	}
	if err := tx.SaveCaseDetails(next.ID, next.Details); err != nil {
		return err
	}
	return d.applyDecision(tx, next, "desk", effects, now)
}

// ApprovalHeadline says what waits for approval, in the staff member's
// language: "待审批的赔偿：¥800", "待审批的壁纸补偿：5 卷".
func ApprovalHeadline(lang conversations.Lang, p cases.Pending) string {
	switch {
	case p.Kind == cases.Advance:
		return conversations.T(lang, "staff.approval.pending_advance", conversations.Args{"Amount": p.Yuan, "Claim": p.ClaimYuan})
	case p.Rolls > 0:
		return conversations.T(lang, "staff.approval.pending_rolls", conversations.Args{"Rolls": p.Rolls})
	}
	return conversations.T(lang, "staff.approval.pending", conversations.Args{"Amount": p.Yuan})
}
