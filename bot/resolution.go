package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"time"

	"frontdesk/cases"
	"frontdesk/conversations"
	"frontdesk/store"
)

// The resolution loop at the desk: the effects of package cases that reach
// the customer (the outcome with its question, the end of a handover, a
// staff reply marked as from a person), the customer's answers, and the
// call-backs the scheduler sends (CAS-2 … CAS-6).

// ActEndHandoff and ActCallBack are the staff actions of the resolution
// loop, as the staff channels name them.
const (
	ActEndHandoff = string(cases.EndHandoff)
	ActCallBack   = string(cases.CallBack)
)

// chatLang is the language of a customer's chat by the dialog state the
// store keeps with every step, zh-Hans when it has none.
func chatLang(tx *store.Tx, channel, chatID string) (conversations.Lang, error) {
	data, err := tx.DialogInTx(channel + ":" + chatID)
	if err != nil || len(data) == 0 {
		return conversations.ZhHans, err
	}
	var st struct {
		Lang conversations.Lang `json:"lang"`
	}
	if json.Unmarshal(data, &st) != nil || st.Lang == "" {
		return conversations.ZhHans, nil
	}
	return st.Lang, nil
}

// toChat writes a message to the case's customer chat.
func toChat(tx *store.Tx, c cases.Case, m Message, now time.Time) error {
	payload, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = tx.Enqueue(store.OutboxMessage{Channel: c.Channel, Recipient: c.ChatID, Payload: payload, CaseID: c.ID}, now)
	return err
}

// staffReplyText is a staff reply as the customer reads it (CAS-6).
func staffReplyText(tx *store.Tx, c cases.Case, actor, text string) (string, error) {
	lang, err := chatLang(tx, c.Channel, c.ChatID)
	return conversations.StaffReply(lang, actor, c.Number, text), err
}

// applyResolutionEffect applies the case effects of the resolution loop.
func (d *Desk) applyResolutionEffect(tx *store.Tx, c cases.Case, actor string, e cases.Effect, now time.Time) error {
	switch e := e.(type) {
	case cases.AskConfirmation:
		lang, err := chatLang(tx, c.Channel, c.ChatID)
		if err != nil {
			return err
		}
		r := conversations.ResolutionNotice(lang, actor, c.Number, e.Outcome)
		return toChat(tx, c, Message{Text: r.Text, Buttons: r.Buttons}, now)
	case cases.TellHandoffEnded:
		lang, err := chatLang(tx, c.Channel, c.ChatID)
		if err != nil {
			return err
		}
		r := conversations.HandoffEndedNotice(lang, c.Number)
		return toChat(tx, c, Message{Text: r.Text, Buttons: r.Buttons}, now)
	case cases.ScheduleCallBack:
		return tx.BookCallBack(c.ID, e.Due)
	case cases.CallBackDone:
		return tx.CallBackDone(c.ID, now)
	case cases.RestartClock:
		return tx.RestartClock(store.Clock{CaseID: c.ID, Name: e.Name, StartedAt: e.StartedAt, DueAt: e.Due, FarDueAt: e.FarDue, StopOn: e.StopOn})
	}
	return d.applyApprovalEffect(tx, c, e, now)
}

// decideInTx decides an action on a case and applies it in tx, as Staff
// does; a refusal is returned as the lifecycle's coded error.
func (d *Desk) decideInTx(tx *store.Tx, number string, a cases.Action, by cases.Actor, now time.Time) error {
	c, err := tx.CaseInTx(number)
	if err != nil {
		return err
	}
	next, effects, err := cases.Decide(c, a, by, now, d.policy())
	if err != nil {
		return err
	}
	if err := tx.SaveCase(next, now); err != nil {
		return err
	}
	if !maps.Equal(c.Details, next.Details) {
		if err := tx.SaveCaseDetails(next.ID, next.Details); err != nil {
			return err
		}
	}
	if err := d.applyDecision(tx, next, by.Name, effects, now); err != nil {
		return err
	}
	return enqueueStaff(tx, c.Number, StaffPost{Kind: "card"}, now)
}

// customer is who the desk acts for when it records a customer's answer.
var customer = cases.Actor{Name: "customer", Role: cases.Customer}

// applyResolution applies the dialog effects of the resolution loop.
func (a *applier) applyResolution(e conversations.Effect) error {
	switch e := e.(type) {
	case conversations.ResolutionAnswered:
		verb := cases.CustomerNotSolved
		if e.Solved {
			verb = cases.CustomerConfirm
		}
		err := a.desk.decideInTx(a.tx, e.CaseNumber, cases.Action{Verb: verb}, customer, a.now)
		if cases.ErrorCode(err) == cases.Conflict {
			// Answered a moment ago, or staff reopened it: the dialog told
			// the customer what it saw; nothing more to record.
			return nil
		}
		return err
	case conversations.CallBackAnswered:
		return a.callBackAnswered(e)
	}
	return fmt.Errorf("bot: no way to apply effect %T", e)
}

// callBackAnswered keeps the customer's answer to the call-back question;
// "not satisfied" calls on the assignee in the thread (CAS-3).
func (a *applier) callBackAnswered(e conversations.CallBackAnswered) error {
	c, err := a.tx.CaseInTx(e.CaseNumber)
	if err != nil {
		return err
	}
	fresh, err := a.tx.AnswerCallBack(c.ID, e.Answer, a.now)
	if err != nil || !fresh {
		return err
	}
	text := "📞 call-back answer from the customer: " + e.Answer
	post := StaffPost{Kind: "thread", From: "bot", Text: text}
	if e.Answer == "bad" {
		who := c.Assignee
		if who == "" {
			who = "<!channel>"
		}
		post.Text = fmt.Sprintf("📞 %s: the customer is not satisfied with case %s; please call them.", who, c.Number)
		post.Mentions = []string{who}
	}
	if _, err := a.tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: a.now, Actor: "customer", Kind: "callback_answer", Body: e.Answer}); err != nil {
		return err
	}
	if err := a.tx.Audit(store.AuditEntry{At: a.now, Actor: "customer " + a.key, Action: "callback_answer", Subject: c.Number, Detail: e.Answer}); err != nil {
		return err
	}
	return enqueueStaff(a.tx, c.Number, post, a.now)
}

// ChatCase serves the resolution loop's read of a case its buttons name,
// if it is this chat's customer's.
func (l *storeLookup) ChatCase(ctx context.Context, channel, chatID, number string) (conversations.ChatCase, error) {
	c, err := l.db.ChatCaseOf(ctx, channel, chatID, number)
	if errors.Is(err, store.ErrNotFound) {
		return conversations.ChatCase{}, conversations.ErrNotFound
	}
	if err != nil {
		return conversations.ChatCase{}, err
	}
	out := conversations.ChatCase{Number: c.Number, Status: string(c.Status), Confirmation: c.Details[cases.DetailConfirmation]}
	b, err := l.db.CallBackOf(ctx, c.ID)
	if errors.Is(err, store.ErrNotFound) {
		return out, nil
	}
	if err != nil {
		return conversations.ChatCase{}, err
	}
	if !b.SentAt.IsZero() {
		out.CallBack, out.CallBackAnswer = "sent", b.Answer
	}
	return out, nil
}

// callBacksPerRun bounds one run of the call-back job; the rest wait for
// the next.
const callBacksPerRun = 200

// SendCallBacks sends the call-backs that are due: a task for staff in the
// case thread (the assignee called on) and the short question in the
// customer's chat (CAS-3). Each is sent once, whatever the reruns; it
// returns how many went out.
func (d *Desk) SendCallBacks(ctx context.Context) (int, error) {
	now := d.Now()
	due, err := d.Store.DueCallBacks(ctx, now, callBacksPerRun)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, no := range due {
		fresh := false
		err := d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
			c, err := tx.CaseInTx(no)
			if err != nil {
				return err
			}
			if fresh, err = tx.MarkCallBackSent(c.ID, now); err != nil || !fresh {
				return err
			}
			return d.callBackDue(tx, c, now)
		})
		d.wake(err, fresh)
		if err != nil {
			return sent, fmt.Errorf("bot: call-back of %s: %w", no, err)
		}
		if fresh {
			sent++
		}
	}
	return sent, nil
}

func (d *Desk) callBackDue(tx *store.Tx, c cases.Case, now time.Time) error {
	who := c.Assignee
	if who == "" {
		who = "<!channel>"
	}
	text := fmt.Sprintf("📞 %s: call-back due for case %s (%s, %s %s). Call the customer and record it with \"callback: what they said\".",
		who, c.Number, c.Kind, c.CustomerName, c.Phone)
	if _, err := tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: now, Actor: "scheduler", Kind: "callback_due", Body: text}); err != nil {
		return err
	}
	if err := enqueueStaff(tx, c.Number, StaffPost{Kind: "thread", From: "bot", Text: text, Mentions: []string{who}}, now); err != nil {
		return err
	}
	details := maps.Clone(c.Details)
	if details == nil {
		details = map[string]string{}
	}
	details[cases.DetailCallBack] = "due now: " + now.In(d.location()).Format("2006-01-02 15:04")
	if err := tx.SaveCaseDetails(c.ID, details); err != nil {
		return err
	}
	if c.Channel != "" && c.ChatID != "" {
		lang, err := chatLang(tx, c.Channel, c.ChatID)
		if err != nil {
			return err
		}
		r := conversations.CallBackQuestion(lang, c.Number)
		if err := toChat(tx, c, Message{Text: r.Text, Buttons: r.Buttons}, now); err != nil {
			return err
		}
	}
	return enqueueStaff(tx, c.Number, StaffPost{Kind: "card"}, now)
}
