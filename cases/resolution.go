package cases

import (
	"fmt"
	"strings"
	"time"

	"frontdesk/config"
)

// The resolution loop (DOMAIN "The staff side"): fault → cause → action
// before a resolve (003 质量反馈), the customer told the outcome and asked
// to confirm it (004 四(二)(5) 顾客确认), a call-back after every service
// (001 §2.3.6), and the clocks running again on a reopen.

// The verbs of the resolution loop. CustomerConfirm and CustomerNotSolved
// are the customer's answers to "is this solved for you?" and only the
// desk, acting for the customer (role Customer), takes them.
const (
	CustomerConfirm   Verb = "customer_confirmed" // 顾客确认
	CustomerNotSolved Verb = "customer_not_solved"
	EndHandoff        Verb = "end_handoff" // staff hand the chat back to the bot
	CallBack          Verb = "callback"    // staff record the call-back they made (Value: what was said)
)

// Customer is the role of the customer, for whom the desk decides their
// answer to a resolution. It may take only the customer's verbs.
const Customer Role = "customer"

// The case details the resolution loop keeps.
const (
	// DetailConfirmation is the customer's answer to the last resolve:
	// "confirmed" or "not_solved"; empty while unanswered.
	DetailConfirmation = "confirmation"
	// DetailHandoff is "ended" once staff ended the handover of the chat.
	DetailHandoff = "handoff"
	// DetailCallBack is where the call-back stands: "due <time>", "done".
	DetailCallBack = "callback"
)

// The events the resolution loop records.
const (
	EvCustomerConfirmed = "customer_confirmed"
	EvCustomerNotSolved = "customer_not_solved"
	EvHandoffEnded      = "handoff_ended"
	EvCallBackScheduled = "callback_scheduled"
	EvCallBackDone      = "callback_done"
)

// AskConfirmation tells the customer the outcome of a resolve, from the
// person who resolved it, and asks whether it is solved for them (CAS-2).
type AskConfirmation struct {
	Outcome string
}

// TellHandoffEnded tells the customer that staff ended the handover and
// gives them the menu back (CAS-5).
type TellHandoffEnded struct{}

// ScheduleCallBack books the call-back of a resolved case that involved a
// service (CAS-3): due at Due, for staff (a task in the thread) and the
// customer (a short question in the chat).
type ScheduleCallBack struct {
	Due time.Time
}

// CallBackDone marks the case's call-back made.
type CallBackDone struct {
	Note string
}

// RestartClock starts a clock again from its spec, even when the case ran
// it before (a reopened case, CAS-4): the old run is replaced.
type RestartClock StartClock

func (AskConfirmation) isEffect()  {}
func (TellHandoffEnded) isEffect() {}
func (ScheduleCallBack) isEffect() {}
func (CallBackDone) isEffect()     {}
func (RestartClock) isEffect()     {}

// NeedsRootCause reports whether a case of kind is resolved only with its
// cause and action recorded (CAS-1). Complaints have rules of their own;
// inquiries have no fault.
func NeedsRootCause(kind config.CaseKind) bool {
	switch kind {
	case config.KindTransportDamage, config.KindQualityDefect, config.KindRepair:
		return true
	}
	return false
}

// InvolvesService reports whether a resolved case is followed by a
// call-back (CAS-3, 001 §2.3.6): a repair, a return or exchange, spare
// parts, a complaint, or any case a provider was sent to.
func InvolvesService(c Case) bool {
	switch c.Kind {
	case config.KindRepair, config.KindReturnExchange, config.KindComplaint:
		return true
	}
	return c.Remedy == "replacement_parts" || c.Remedy == "onsite_repair" || c.Details["provider_id"] != ""
}

// checkRootCause refuses a resolve that lacks the cause or the action
// (CAS-1), naming what is missing.
func (d *decision) checkRootCause() error {
	if !NeedsRootCause(d.c.Kind) {
		return nil
	}
	var missing []string
	if strings.TrimSpace(d.c.Cause) == "" {
		missing = append(missing, "the cause")
	}
	if strings.TrimSpace(d.c.Action) == "" {
		missing = append(missing, "the action taken")
	}
	if len(missing) == 0 {
		return nil
	}
	key := "staff.refuse.root_cause_both"
	if len(missing) == 1 && missing[0] == "the cause" {
		key = "staff.refuse.root_cause_cause"
	} else if len(missing) == 1 {
		key = "staff.refuse.root_cause_action"
	}
	return Refuse(Invalid, key, []any{"Case", d.c.Number, "Kind", string(d.c.Kind)},
		"case %s (%s) is resolved only with fault → cause → action: record %s first",
		d.c.Number, strings.ReplaceAll(string(d.c.Kind), "_", " "), strings.Join(missing, " and "))
}

// afterResolve asks the customer to confirm the outcome and books the
// call-back of a service (CAS-2, CAS-3). The outcome is the resolve's text.
func (d *decision) afterResolve() {
	delete(d.c.Details, DetailConfirmation)
	if d.c.Channel != "" && d.c.ChatID != "" {
		d.emit(AskConfirmation{Outcome: strings.TrimSpace(d.a.Value)})
	}
	if InvolvesService(*d.c) {
		delay := d.p.CallBackAfter
		if delay <= 0 {
			delay = 48 * time.Hour
		}
		due := d.now.Add(delay)
		d.c.Details[DetailCallBack] = "due " + due.In(d.loc()).Format("2006-01-02 15:04")
		at := due.In(d.loc()).Format("2006-01-02 15:04")
		d.recordSaid(EvCallBackScheduled, "call-back due "+at, "staff.life.callback_due", "Due", at)
		d.emit(ScheduleCallBack{Due: due})
	}
}

// afterReopen runs the case's clocks again, counted from the reopen, as
// for a new case of its kind (CAS-4).
func (d *decision) afterReopen() {
	if d.p.Clocks == nil {
		return
	}
	for _, s := range d.p.Clocks(string(d.c.Kind), d.now) {
		d.emit(RestartClock{Name: s.Name, StartedAt: d.now, Due: s.Due, FarDue: s.FarDue, StopOn: s.StopOn})
	}
}

// loc is the shop's zone, in which times are kept and said.
func (d *decision) loc() *time.Location {
	if d.p.Location == nil {
		return time.UTC
	}
	return d.p.Location
}

// customerAnswer is the customer's answer to "is this solved for you?":
// yes is recorded as 顾客确认; "not yet" reopens the case, runs its clocks
// again and calls on the assignee in the thread (CAS-2, CAS-4).
func (d *decision) customerAnswer() error {
	if d.c.Status != Resolved {
		return Errorf(Conflict, "case %s is not resolved", d.c.Number)
	}
	if d.c.Details[DetailConfirmation] != "" {
		return Errorf(Conflict, "the customer answered already for case %s", d.c.Number)
	}
	if d.a.Verb == CustomerConfirm {
		d.c.Details[DetailConfirmation] = "confirmed"
		d.recordSaid(EvCustomerConfirmed, "the customer confirmed the outcome", "staff.life.customer_confirmed")
		return nil
	}
	d.c.Details[DetailConfirmation] = "not_solved"
	d.c.Status, d.c.ResolvedAt = Open, time.Time{}
	if d.c.Assignee != "" {
		d.c.Status = Claimed
	}
	d.recordSaid(EvCustomerNotSolved, "the customer says it is not solved yet", "staff.life.customer_not_solved")
	d.recordSaid("reopened", "by the customer: not solved yet", "staff.life.reopened_customer")
	who := d.c.Assignee
	if who == "" {
		who = "<!channel>"
	}
	key, args := said("staff.life.not_solved_post", "Who", who, "Case", d.c.Number)
	d.emit(ToThread{Text: fmt.Sprintf("🔁 %s: the customer says case %s is not solved yet; it is open again and its clocks run again.",
		who, d.c.Number), Mentions: []string{who}, Key: key, Args: args})
	d.afterReopen()
	return nil
}

// endHandoff hands the customer's chat back to the bot: the customer is
// told and gets the menu (CAS-5).
func (d *decision) endHandoff() error {
	if d.c.Channel == "" || d.c.ChatID == "" {
		return Errorf(Conflict, "case %s has no customer chat to hand back", d.c.Number)
	}
	if d.c.Kind != config.KindInquiry || d.c.Status == Resolved || d.c.Details[DetailHandoff] == "ended" {
		return Errorf(Conflict, "case %s has no handover in progress", d.c.Number)
	}
	d.c.Details[DetailHandoff] = "ended"
	d.recordSaid(EvHandoffEnded, "the chat is back with the bot", "staff.life.handoff_ended")
	d.emit(TellHandoffEnded{})
	return nil
}

// callBack records the call-back staff made (CAS-3).
func (d *decision) callBack() error {
	text, err := d.text("a call-back", 2000)
	if err != nil {
		return err
	}
	if d.c.Details[DetailCallBack] == "" {
		return Errorf(Conflict, "case %s has no call-back booked", d.c.Number)
	}
	d.c.Details[DetailCallBack] = "done"
	d.record(EvCallBackDone, text)
	d.emit(CallBackDone{Note: text})
	return nil
}

// mayResolution decides who may take the verbs of the resolution loop; ok
// is false for the other verbs.
func (r Role) mayResolution(v Verb) (may, ok bool) {
	switch v {
	case CustomerConfirm, CustomerNotSolved:
		return r == Customer, true
	}
	if r == Customer {
		return false, true
	}
	return false, false
}
