package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/store"
)

// StaffChannel is the outbox channel of the staff desk: Slack when it is
// configured, the built-in /staff page otherwise. Its recipient is the case
// number, so everything about one case reaches staff in order; posts to the
// managers go to ManagersRecipient.
const StaffChannel = "staff"

// ManagersRecipient is the staff-channel recipient of the managers' posts.
const ManagersRecipient = "managers"

// StaffPost is one outbox message for staff.
type StaffPost struct {
	Kind    string `json:"kind"` // card, thread, receipt, managers
	Text    string `json:"text,omitempty"`
	From    string `json:"from,omitempty"` // customer, bot, staff
	PhotoSH string `json:"photo_sha256,omitempty"`
	PhotoMT string `json:"photo_mime,omitempty"`
	StaffTS string `json:"staff_ts,omitempty"` // receipt: the staff message that reached the customer
	// Mentions are the people (or the channel) a post of the desk's calls
	// on purpose, as written in Text (cases.ToThread); everything else in
	// Text is shown as written.
	Mentions []string `json:"mentions,omitempty"`
	// Case is the case an "approval" post to the managers is about.
	Case string `json:"case,omitempty"`
}

// Receipt names the staff message a customer reply came from, so that it
// is marked once the customer has it.
type Receipt struct {
	Case    string `json:"case"`
	StaffTS string `json:"staff_ts"`
}

// The staff actions: the verbs of package cases, as the staff channels name
// them.
const (
	ActClaim    = string(cases.Claim)
	ActAssign   = string(cases.Assign)
	ActClassify = string(cases.Classify)
	ActRemedy   = string(cases.Remedy)
	ActApprove  = string(cases.Approve)
	ActReject   = string(cases.Reject)
	ActReply    = string(cases.Reply)
	ActNote     = string(cases.Note)
	ActResolve  = string(cases.Resolve)
	ActReopen   = string(cases.Reopen)
	ActMajor    = string(cases.MarkMajor)
	ActCause    = string(cases.Cause)
	ActAction   = string(cases.Act)
	ActDispatch = string(cases.Dispatch)
	ActAppoint  = string(cases.Appoint)
	ActConfirm  = string(cases.Confirm)
	// repairs and returns (cases/repair.go, bot/returns.go)
	ActRepairStep     = string(cases.RepairStep)
	ActApproveReturn  = string(cases.ApproveReturn)
	ActReturnTracking = string(cases.ReturnTracking)
	ActNewDate        = string(cases.NewDate)   // deadlines.go
	ActRisk           = string(cases.DelayRisk) // deadlines.go
	// The steps of returned goods and mail-in repairs (SLA-12, SLA-13).
	ActReturnReceived  = string(cases.ReturnReceived)
	ActReturnChecked   = string(cases.ReturnChecked)
	ActReturnRefunded  = string(cases.ReturnRefunded)
	ActReturnExchanged = string(cases.ReturnExchanged)
	ActRepairReceived  = string(cases.RepairReceived)
	ActRepairReturned  = string(cases.RepairReturned)
	// approvals and complaints (bot/approvals.go)
	ActTaskForce       = string(cases.TaskForce)
	ActWrittenSolution = string(cases.WrittenSolution)
	ActGMCallback      = string(cases.GMCallback)
	ActResponsible     = string(cases.Responsible)
	ActPrevention      = string(cases.Prevention)
	// ActVisitDone: providers.go
	// spare parts: ActParts* in parts.go
)

// MinProviderStars is the rating a provider needs to be sent (000 §4.1).
const MinProviderStars = 3

// StaffAction is what a staff member did to a case, from any staff channel.
type StaffAction struct {
	Case       string
	Actor      string     // who, as the staff channel names them
	Role       cases.Role // their role; a clerk's when the channel knows none
	Kind       string
	Value      string // classify: the kind; remedy: a ladder step or "compensation"; reply/note: the text
	AmountYuan int    // remedy compensation or advance
	StaffTS    string // reply: the staff message in the thread
	Rolls      int    // remedy compensation on wallpaper
	ClaimYuan  int    // remedy advance: the customer's claim
}

// ErrBadAction is a staff action the desk refuses; its message says why,
// and its code (cases.ErrorCode) what kind of refusal it is.
var ErrBadAction = errors.New("bot: bad staff action")

// ClassifyKinds are the kinds staff may give a case.
var ClassifyKinds = func() []string {
	out := make([]string, len(config.CaseKinds))
	for i, k := range config.CaseKinds {
		out[i] = string(k)
	}
	return out
}()

// Staff decides a staff action by the rules of package cases and applies
// the decision in one transaction: the case, its history, the audit trail,
// the clocks, the customer's message and the staff card's update.
func (d *Desk) Staff(ctx context.Context, a StaffAction) (cases.Case, error) {
	var out cases.Case
	err := d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
		c, err := tx.CaseInTx(a.Case)
		if err != nil {
			return err
		}
		action, err := staffAction(tx, a)
		if err != nil {
			return err
		}
		if err := prepareAction(tx, c, &action); err != nil {
			return err
		}
		if err := prepareParts(tx, &action); err != nil { // parts.go
			return err
		}
		now := d.Now()
		next, effects, err := cases.Decide(c, action, a.actor(), now, d.policy())
		if err != nil {
			return fmt.Errorf("%w: %w", ErrBadAction, err)
		}
		if err := tx.SaveCase(next, now); err != nil {
			return err
		}
		if !maps.Equal(c.Details, next.Details) {
			if err := tx.SaveCaseDetails(next.ID, next.Details); err != nil {
				return err
			}
		}
		if err := d.applyDecision(tx, next, a.Actor, effects, now); err != nil {
			return err
		}
		if out, err = tx.CaseInTx(c.Number); err != nil {
			return err
		}
		return enqueueStaff(tx, c.Number, StaffPost{Kind: "card"}, now)
	})
	d.wake(err, true)
	if err == nil && a.Kind == ActVisitDone { // providers.go: the customer accepts the work (PRV-5)
		err = d.askAcceptance(ctx, out)
	}
	return out, err
}

func (a StaffAction) actor() cases.Actor {
	role := a.Role
	if role == "" {
		role = cases.Clerk
	}
	return cases.Actor{Name: a.Actor, Role: role}
}

// staffAction turns a staff channel's action into the lifecycle's, loading
// what the decision needs to see (the provider to dispatch).
func staffAction(tx *store.Tx, a StaffAction) (cases.Action, error) {
	act := cases.Action{Verb: cases.Verb(a.Kind), Value: a.Value, AmountYuan: a.AmountYuan, StaffTS: a.StaffTS, Rolls: a.Rolls, ClaimYuan: a.ClaimYuan}
	if act.Verb == cases.NewDate || act.Verb == cases.DelayRisk {
		return deadlineAction(tx, act, a.Case) // deadlines.go
	}
	if act.Verb == cases.WallStock {
		return wallStockAction(tx, act, a.Case) // wallpaper.go (WAL-3)
	}
	if act.Verb != cases.Dispatch {
		return visitAction(tx, act, a.Case) // providers.go
	}
	id, err := strconv.ParseInt(dispatchID(a.Value), 10, 64)
	if err != nil {
		return act, nil // the decision refuses it with its reason
	}
	p, err := tx.Provider(id)
	if errors.Is(err, store.ErrNotFound) {
		return act, nil
	}
	if err != nil {
		return act, err
	}
	act.Provider = &p
	return visitAction(tx, act, a.Case) // providers.go: the order's region and the proposals
}

func (d *Desk) policy() cases.Policy {
	return cases.Policy{Location: d.location(), ClerkLimitYuan: d.ClerkLimitYuan, InstallerConfirm: d.InstallerConfirm,
		MinProviderStars: MinProviderStars, MaxTextBytes: 4096, ClocksOn: d.ClocksOn, Clocks: d.Clocks, CallBackAfter: d.CallBackAfter,
		ClerkLimitRolls: d.ClerkLimitRolls, WrittenSolution: d.WrittenSolution, GMCallback: d.GMCallback,
		PartsReturnDays: d.PartsReturnDays}
}

// applyDecision applies the effects of a case decision in the caller's
// transaction. Every recorded event also stops the clocks waiting for it
// (a reply the first-response clock, a resolve the rest), and the case's
// deadline becomes the running clock due next.
func (d *Desk) applyDecision(tx *store.Tx, c cases.Case, actor string, effects []cases.Effect, now time.Time) error {
	for _, e := range effects {
		if err := d.applyEffect(tx, c, actor, e, now); err != nil {
			return err
		}
	}
	return tx.RefreshDeadline(c.ID)
}

func (d *Desk) applyEffect(tx *store.Tx, c cases.Case, actor string, e cases.Effect, now time.Time) error {
	switch e := e.(type) {
	case cases.Record:
		if _, err := tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: now, Actor: actor, Kind: e.Event, Body: e.Detail, Key: e.Key, Args: e.Args}); err != nil {
			return err
		}
		if err := tx.Audit(store.AuditEntry{At: now, Actor: actor, Action: e.Event, Subject: c.Number, Detail: e.Detail}); err != nil {
			return err
		}
		return tx.StopClocks(c.ID, e.Event, now)
	case cases.ToCustomer:
		text, err := staffReplyText(tx, c, actor, e.Text)
		if err != nil {
			return err
		}
		payload, err := json.Marshal(Message{Text: text, Receipt: &Receipt{Case: c.Number, StaffTS: e.StaffTS}})
		if err != nil {
			return err
		}
		_, err = tx.Enqueue(store.OutboxMessage{Channel: c.Channel, Recipient: c.ChatID, Payload: payload, CaseID: c.ID}, now)
		return err
	case cases.ToThread:
		return enqueueStaff(tx, c.Number, StaffPost{Kind: "thread", From: "bot", Text: d.staffText(e.Text, e.Key, e.Args), Mentions: e.Mentions}, now)
	case cases.ToManagers:
		return enqueueStaff(tx, ManagersRecipient, StaffPost{Kind: "managers", Text: d.staffText(e.Text, e.Key, e.Args), Mentions: e.Mentions}, now)
	case cases.ReturnInstructions:
		return d.returnInstructions(tx, c, e, now) // returns.go
	case cases.WallReturnInstructions:
		return d.wallReturnInstructions(tx, c, e, now) // wallpaper.go (WAL-3)
	case cases.StartClock:
		return tx.StartClock(store.Clock{CaseID: c.ID, Name: e.Name, StartedAt: e.StartedAt, DueAt: e.Due, FarDueAt: e.FarDue, StopOn: e.StopOn})
	case cases.MoveDeadline:
		return d.moveDeadline(tx, actor, e, now) // deadlines.go
	case cases.OpenVisit, cases.BriefProvider, cases.TellAppointment, cases.VisitConfirmed, cases.CompleteVisit:
		return d.applyVisitEffect(tx, c, actor, e, now) // providers.go
	case cases.AddPartLine, cases.AskPartsFee, cases.TellPartsShipped, cases.TellPartsDue, cases.PartsLinesShipped,
		cases.PartsLinesReturned, cases.PartsLinesCharged:
		return d.applyPartsEffect(tx, c, actor, e, now) // parts.go
	}
	return d.applyResolutionEffect(tx, c, actor, e, now)
}

// enqueueStaff writes a post for staff in the caller's transaction.
func enqueueStaff(tx *store.Tx, recipient string, p StaffPost, now time.Time) error {
	payload, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, err = tx.Enqueue(store.OutboxMessage{Channel: StaffChannel, Recipient: recipient, Payload: payload}, now)
	return err
}

// receiptAfterSend marks, in the case's staff thread, a staff reply that has
// reached the customer.
func receiptAfterSend(ctx context.Context, db *store.DB, m store.OutboxMessage, now time.Time) error {
	if m.Channel == StaffChannel {
		return nil
	}
	var msg Message
	if err := json.Unmarshal(m.Payload, &msg); err != nil || msg.Receipt == nil {
		return nil
	}
	return db.Update(ctx, func(tx *store.Tx) error {
		return enqueueStaff(tx, msg.Receipt.Case, StaffPost{Kind: "receipt", StaffTS: msg.Receipt.StaffTS, Text: msg.Text}, now)
	})
}
