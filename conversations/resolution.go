package conversations

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The resolution loop, on the customer's side: staff replies marked as from
// a person (CAS-6), the outcome of a resolve with "is this solved for you?"
// (CAS-2), the call-back question after a service (CAS-3), and the handover
// acknowledged and ended (CAS-5).
//
// The answers come back as buttons that carry the case number, so the
// question needs no dialog state of its own: a customer in the middle of a
// flow answers it and carries on where they were.

// Button data of the resolution loop: prefix, answer, ":" and the case
// number.
const (
	prefixResolution = "resolved:"
	prefixCallBack   = "callback:"
)

// The answers to "is this solved for you?".
const (
	AnswerSolved    = "yes"
	AnswerNotSolved = "no"
)

// The answers to the call-back question.
var callBackAnswers = []string{"good", "ok", "bad"}

// HandoffAckEvery is how often, at most, a handed-over customer's messages
// are acknowledged (CAS-5): not silence, and not an echo of every line.
const HandoffAckEvery = 10 * time.Minute

// ChatCase is what the resolution loop knows of a case the chat's buttons
// name.
type ChatCase struct {
	Number         string
	Status         string // open, claimed, resolved
	Confirmation   string // the customer's answer to the last resolve: "", "confirmed", "not_solved"
	CallBack       string // "", "due …", "sent", "done"
	CallBackAnswer string // the customer's answer to the call-back question, "" until answered
}

// ResolutionLookup is what the resolution loop reads besides Lookup: the
// case a button names, if it is this chat's customer's. A Lookup without it
// treats every such button as stale.
type ResolutionLookup interface {
	ChatCase(ctx context.Context, channel, chatID, number string) (ChatCase, error)
}

// ResolutionAnswered records the customer's answer to "is this solved for
// you?": confirmed (顾客确认), or not solved, which reopens the case.
type ResolutionAnswered struct {
	CaseNumber string
	Solved     bool
}

// CallBackAnswered records the customer's answer to the call-back question.
type CallBackAnswered struct {
	CaseNumber string
	Answer     string // good, ok, bad
}

func (ResolutionAnswered) isEffect() {}
func (CallBackAnswered) isEffect()   {}

// StaffReply is a staff member's reply as the customer reads it: marked as
// from a person, with their name (or their role when the desk knows no
// name) and the case number (CAS-6).
func StaffReply(lang Lang, staff, caseNumber, text string) string {
	return T(lang, "staff.reply", Args{"From": staffLabel(lang, staff), "Case": caseNumber, "Text": text})
}

func staffLabel(lang Lang, staff string) string {
	staff = strings.TrimSpace(staff)
	if staff == "" || strings.HasPrefix(staff, "<") || len(staff) > 64 {
		// A Slack id or nothing: the role alone.
		return T(lang, "staff.role")
	}
	return T(lang, "staff.role") + " " + staff
}

// ResolutionNotice tells the customer the outcome of their case, from the
// person who resolved it, and asks whether it is solved for them (CAS-2).
func ResolutionNotice(lang Lang, staff, caseNumber, outcome string) Reply {
	if strings.TrimSpace(outcome) == "" {
		outcome = T(lang, "resolution.done")
	}
	text := StaffReply(lang, staff, caseNumber, outcome) + "\n\n" + T(lang, "resolution.ask")
	return Reply{Text: text, Buttons: [][]Button{{
		{Label: T(lang, "resolution.btn_yes"), Data: prefixResolution + AnswerSolved + ":" + caseNumber},
		{Label: T(lang, "resolution.btn_no"), Data: prefixResolution + AnswerNotSolved + ":" + caseNumber},
	}}}
}

// CallBackQuestion is the short survey in the chat after a service was
// resolved (CAS-3, 001 §2.3.6).
func CallBackQuestion(lang Lang, caseNumber string) Reply {
	row := make([]Button, 0, len(callBackAnswers))
	for _, a := range callBackAnswers {
		row = append(row, Button{Label: T(lang, "callback.btn_"+a), Data: prefixCallBack + a + ":" + caseNumber})
	}
	return Reply{Text: T(lang, "callback.ask", Args{"Case": caseNumber}), Buttons: [][]Button{row}}
}

// HandoffEndedNotice tells the customer that staff handed the chat back to
// the bot, with the menu (CAS-5).
func HandoffEndedNotice(lang Lang, caseNumber string) Reply {
	return Reply{Text: T(lang, "handoff.staff_ended", Args{"Case": caseNumber}), Buttons: menuButtons(lang)}
}

// resolutionChoice reports whether data is a button of the resolution loop.
func resolutionChoice(data string) bool {
	return strings.HasPrefix(data, prefixResolution) || strings.HasPrefix(data, prefixCallBack)
}

// resolutionAnswer handles the answer buttons of the resolution loop. It
// leaves the flow in progress as it was: only the answer is recorded.
func (d *dialog) resolutionAnswer(data string) error {
	prefix := prefixResolution
	if strings.HasPrefix(data, prefixCallBack) {
		prefix = prefixCallBack
	}
	answer, number, _ := strings.Cut(strings.TrimPrefix(data, prefix), ":")
	valid := answer == AnswerSolved || answer == AnswerNotSolved
	if prefix == prefixCallBack {
		valid = answer == "good" || answer == "ok" || answer == "bad"
	}
	c, found, err := d.chatCase(number)
	if err != nil {
		return err
	}
	if !valid || !found {
		d.sayKeepingFlow(d.t("resolution.stale"))
		return nil
	}
	if prefix == prefixCallBack {
		return d.callBackAnswer(c, answer)
	}
	if c.Status != "resolved" || c.Confirmation != "" {
		d.sayKeepingFlow(d.t("resolution.already", Args{"Case": c.Number}))
		return nil
	}
	d.effects = append(d.effects, ResolutionAnswered{CaseNumber: c.Number, Solved: answer == AnswerSolved})
	if answer == AnswerSolved {
		d.sayKeepingFlow(d.t("resolution.thanks", Args{"Case": c.Number}))
		return nil
	}
	d.sayKeepingFlow(d.t("resolution.reopened", Args{"Case": c.Number, "Reply": d.promise("first_response", d.env.Promises.FirstResponse)}))
	return nil
}

func (d *dialog) callBackAnswer(c ChatCase, answer string) error {
	if c.CallBack == "" || c.CallBackAnswer != "" {
		d.sayKeepingFlow(d.t("resolution.already", Args{"Case": c.Number}))
		return nil
	}
	d.effects = append(d.effects, CallBackAnswered{CaseNumber: c.Number, Answer: answer})
	if answer == "bad" {
		d.sayKeepingFlow(d.t("callback.sorry", Args{"Case": c.Number, "Reply": d.promise("first_response", d.env.Promises.FirstResponse)}))
		return nil
	}
	d.sayKeepingFlow(d.t("callback.thanks"))
	return nil
}

// chatCase reads the case a button names, if it is this chat's; found is
// false for a forged or foreign number.
func (d *dialog) chatCase(number string) (ChatCase, bool, error) {
	lk, ok := d.env.Lookup.(ResolutionLookup)
	if !ok || number == "" || len(number) > 64 {
		return ChatCase{}, false, nil
	}
	c, err := lk.ChatCase(d.ctx, d.in.Channel, d.in.ChatID, number)
	if errors.Is(err, ErrNotFound) {
		return ChatCase{}, false, nil
	}
	if err != nil {
		return ChatCase{}, false, fmt.Errorf("conversations: chat case: %w", err)
	}
	return c, true, nil
}

// sayKeepingFlow answers without leaving the flow in progress; when there
// is one, the customer is reminded that they can carry on with it.
func (d *dialog) sayKeepingFlow(text string) {
	if d.st.Flow != "" && flows[d.st.Flow] != nil {
		text += "\n" + d.t("resolution.carry_on")
	}
	d.say(text, nil)
}

// ackHandoff acknowledges a handed-over customer's message, at most once
// per HandoffAckEvery (CAS-5).
func (d *dialog) ackHandoff() {
	if !d.st.HandoffAckAt.IsZero() && d.env.Now.Sub(d.st.HandoffAckAt) < HandoffAckEvery {
		return
	}
	d.st.HandoffAckAt = d.env.Now
	d.say(d.t("handoff.ack"), nil)
}
