package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"frontdesk/config"
	"frontdesk/conversations"
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
}

// Receipt names the staff message a customer reply came from, so that it
// is marked once the customer has it.
type Receipt struct {
	Case    string `json:"case"`
	StaffTS string `json:"staff_ts"`
}

// The staff actions.
const (
	ActClaim    = "claim"
	ActClassify = "classify"
	ActRemedy   = "remedy"
	ActReply    = "reply"
	ActNote     = "note"
	ActResolve  = "resolve"
	ActReopen   = "reopen"
	ActMajor    = "major"
	ActCause    = "cause"       // the cause found (003 质量反馈: fault → cause → action)
	ActAction   = "action"      // the action taken
	ActDispatch = "dispatch"    // send a provider (Value: its id)
	ActAppoint  = "appointment" // the visit's time, "YYYY-MM-DD HH:MM" in the shop's zone
	ActConfirm  = "confirmed"   // the installer confirmed the appointment
)

// MinProviderStars is the rating a provider needs to be sent (000 §4.1).
const MinProviderStars = 3

// StaffAction is what a staff member did to a case, from any staff channel.
type StaffAction struct {
	Case       string
	Actor      string // who, as the staff channel names them
	Kind       string
	Value      string // classify: the kind; remedy: a ladder step or "compensation"; reply/note: the text
	AmountYuan int    // remedy compensation
	StaffTS    string // reply: the staff message in the thread
}

// ErrBadAction is a staff action the desk refuses; its message says why.
var ErrBadAction = errors.New("bot: bad staff action")

// ClassifyKinds are the kinds staff may give a case.
var ClassifyKinds = []string{"transport_damage", "quality_defect", "delivery_delay", "installation_help", "repair",
	"return_exchange", "complaint", "inquiry", "low_survey_score"}

// Staff applies a staff action in one transaction: the case, its history,
// the audit trail, the customer's message and the staff card's update.
func (d *Desk) Staff(ctx context.Context, a StaffAction) (store.Case, error) {
	var out store.Case
	err := d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
		c, err := tx.CaseInTx(a.Case)
		if err != nil {
			return err
		}
		now := d.Now()
		event, detail, err := d.change(tx, &c, a)
		if err != nil {
			return err
		}
		if err := tx.SaveCase(c, now); err != nil {
			return err
		}
		if _, err := tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: now, Actor: a.Actor, Kind: event, Body: detail}); err != nil {
			return err
		}
		if err := tx.Audit(store.AuditEntry{At: now, Actor: a.Actor, Action: event, Subject: c.Number, Detail: detail}); err != nil {
			return err
		}
		// The event stops the clocks waiting for it (a reply stops the
		// first-response clock, a resolve the rest).
		if err := tx.StopClocks(c.ID, event, now); err != nil {
			return err
		}
		if err := tx.RefreshDeadline(c.ID); err != nil {
			return err
		}
		if c, err = tx.CaseInTx(c.Number); err != nil {
			return err
		}
		out = c
		return enqueueStaff(tx, c.Number, StaffPost{Kind: "card"}, d.Now())
	})
	if err == nil && d.Notify != nil {
		d.Notify()
	}
	return out, err
}

// change applies the action to c and returns the event kind and detail.
func (d *Desk) change(tx *store.Tx, c *store.Case, a StaffAction) (string, string, error) {
	bad := func(format string, args ...any) (string, string, error) {
		return "", "", fmt.Errorf("%w: "+format, append([]any{ErrBadAction}, args...)...)
	}
	switch a.Kind {
	case ActClaim:
		c.Assignee = a.Actor
		if c.Status == store.CaseOpen {
			c.Status = store.CaseClaimed
		}
		return "claimed", a.Actor, nil
	case ActClassify:
		if !slices.Contains(ClassifyKinds, a.Value) {
			return bad("classification %q: want one of %s", a.Value, strings.Join(ClassifyKinds, ", "))
		}
		old := c.Kind
		c.Kind = config.CaseKind(a.Value)
		c.Classification = fmt.Sprintf("staff: %s (the bot said %s)", a.Value, old)
		return "classified", fmt.Sprintf("override of the bot's triage: %s → %s", old, a.Value), nil
	case ActRemedy:
		return d.remedy(tx, c, a)
	case ActReply:
		text := strings.TrimSpace(a.Value)
		if text == "" || len(text) > 4096 || !utf8.ValidString(text) {
			return bad("a reply needs 1 to 4096 bytes of text")
		}
		if c.Channel == "" || c.ChatID == "" {
			return bad("case %s has no customer chat to reply to", c.Number)
		}
		payload, err := json.Marshal(Message{Text: text, Receipt: &Receipt{Case: c.Number, StaffTS: a.StaffTS}})
		if err != nil {
			return "", "", err
		}
		if _, err := tx.Enqueue(store.OutboxMessage{Channel: c.Channel, Recipient: c.ChatID, Payload: payload, CaseID: c.ID}, d.Now()); err != nil {
			return "", "", err
		}
		return "message_out", text, nil
	case ActNote:
		if strings.TrimSpace(a.Value) == "" {
			return bad("a note needs text")
		}
		return "note", strings.TrimSpace(a.Value), nil
	case ActDispatch:
		return d.dispatch(tx, c, a)
	case ActAppoint:
		return d.appoint(tx, c, a)
	case ActConfirm:
		if c.Details["appointment"] == "" {
			return bad("case %s has no appointment to confirm", c.Number)
		}
		return "installer_confirmed", "appointment " + c.Details["appointment"] + " confirmed", nil
	case ActCause, ActAction:
		text := strings.TrimSpace(a.Value)
		if text == "" || len(text) > 2000 {
			return bad("%s needs 1 to 2000 bytes of text", a.Kind)
		}
		if a.Kind == ActCause {
			c.Cause = text
		} else {
			c.Action = text
		}
		return a.Kind, text, nil
	case ActResolve:
		if c.Status == store.CaseResolved {
			return bad("case %s is resolved already", c.Number)
		}
		c.Status, c.ResolvedAt = store.CaseResolved, d.Now()
		return "resolved", a.Value, nil
	case ActReopen:
		if c.Status != store.CaseResolved {
			return bad("case %s is not resolved", c.Number)
		}
		c.Status, c.ResolvedAt = store.CaseOpen, time.Time{}
		if c.Assignee != "" {
			c.Status = store.CaseClaimed
		}
		return "reopened", a.Value, nil
	case ActMajor:
		c.Severity = "major"
		text := fmt.Sprintf("Major %s: case %s (order %s) marked major by %s.", strings.ReplaceAll(string(c.Kind), "_", " "),
			c.Number, c.OrderNo, a.Actor)
		if c.Kind == config.KindQualityDefect {
			text = "⚠️ Major quality incident for the general manager (004 四(四)): " + text
		}
		return "major", text, enqueueStaff(tx, ManagersRecipient, StaffPost{Kind: "managers", Text: text}, d.Now())
	}
	return bad("unknown action %q", a.Kind)
}

// remedy records the remedy staff chose: a step of the ladder, or money the
// customer asked for, decided by the clerk within the limit and sent to the
// managers above it.
func (d *Desk) remedy(tx *store.Tx, c *store.Case, a StaffAction) (string, string, error) {
	if slices.Contains(conversations.RemedyLadder, a.Value) {
		c.Remedy = a.Value
		return "remedy", a.Value, nil
	}
	if a.Value != "compensation" {
		return "", "", fmt.Errorf("%w: remedy %q: want %s or compensation", ErrBadAction, a.Value, strings.Join(conversations.RemedyLadder, ", "))
	}
	if a.AmountYuan <= 0 || a.AmountYuan > 1_000_000 {
		return "", "", fmt.Errorf("%w: compensation needs an amount in yuan, 1 to 1000000", ErrBadAction)
	}
	who := conversations.CompensationApproval(int64(a.AmountYuan)*100, int64(d.ClerkLimitYuan)*100, c.Severity == "major")
	if who == "clerk" {
		c.Remedy = fmt.Sprintf("compensation ¥%d (decided by %s)", a.AmountYuan, a.Actor)
		return "remedy", c.Remedy, nil
	}
	c.Remedy = fmt.Sprintf("compensation ¥%d awaiting %s approval", a.AmountYuan, strings.ReplaceAll(who, "_", " "))
	text := fmt.Sprintf("Approval needed: %s proposes ¥%d compensation on case %s (%s, order %s); the clerk's limit is ¥%d.",
		a.Actor, a.AmountYuan, c.Number, c.Kind, c.OrderNo, d.ClerkLimitYuan)
	return "remedy", c.Remedy, enqueueStaff(tx, ManagersRecipient, StaffPost{Kind: "managers", Text: text}, d.Now())
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

// dispatch sends a provider rated at least three stars; a provider with
// no visits yet has no rating and may be tried (000 §4.1, SRV-7).
func (d *Desk) dispatch(tx *store.Tx, c *store.Case, a StaffAction) (string, string, error) {
	id, err := strconv.ParseInt(a.Value, 10, 64)
	if err != nil {
		return "", "", fmt.Errorf("%w: provider %q: want its id", ErrBadAction, a.Value)
	}
	p, err := tx.Provider(id)
	if err != nil {
		return "", "", fmt.Errorf("%w: no provider %d", ErrBadAction, id)
	}
	if p.Visits > 0 && p.Stars < MinProviderStars {
		return "", "", fmt.Errorf("%w: %s has %.1f stars; send a provider with at least %d", ErrBadAction, p.Name, p.Stars, MinProviderStars)
	}
	if c.Details == nil {
		c.Details = map[string]string{}
	}
	c.Details["provider_id"], c.Details["provider"] = a.Value, p.Name
	return "dispatched", fmt.Sprintf("%s (%s, %.1f★)", p.Name, p.Region, p.Stars), tx.SaveCaseDetails(c.ID, c.Details)
}

// appoint records the visit's appointment and starts the clock by which
// the installer must confirm it: 12 hours before (002 三(一), INS-2).
func (d *Desk) appoint(tx *store.Tx, c *store.Case, a StaffAction) (string, string, error) {
	at, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(a.Value), d.location())
	if err != nil {
		return "", "", fmt.Errorf("%w: appointment %q: want YYYY-MM-DD HH:MM", ErrBadAction, a.Value)
	}
	if !at.After(d.Now()) {
		return "", "", fmt.Errorf("%w: the appointment %s is not in the future", ErrBadAction, a.Value)
	}
	if c.Details == nil {
		c.Details = map[string]string{}
	}
	c.Details["appointment"] = at.Format("2006-01-02 15:04")
	if err := tx.SaveCaseDetails(c.ID, c.Details); err != nil {
		return "", "", err
	}
	due := at.Add(-d.InstallerConfirm)
	if due.Before(d.Now()) {
		due = d.Now()
	}
	err = tx.StartClock(store.Clock{CaseID: c.ID, Name: "installer_confirm", StartedAt: d.Now(), DueAt: due,
		FarDueAt: at, StopOn: []string{"installer_confirmed", "resolved"}})
	return "appointment", c.Details["appointment"], err
}
