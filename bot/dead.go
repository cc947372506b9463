package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"frontdesk/cases"
	"frontdesk/conversations"
	"frontdesk/internal/outbox"
	"frontdesk/store"
)

// StaffLang is the language the desk writes in for staff (STF-2: zh-Hans
// by default).
const StaffLang = conversations.ZhHans

// DeliveryActor is who the case history names for what the outbox did.
const DeliveryActor = "desk"

// MessageDied is the outbox sender's Died hook: the sender gave up on m
// for reason. In one transaction m is marked dead and, when m belongs to a
// case, the case records it (an event and the audit trail) and its staff
// thread gets a line saying so, for staff to phone the customer or send it
// again from /staff/dead. A staff post that died gets the event only: a
// line in the same thread would likely die the same way.
func (d *Desk) MessageDied(ctx context.Context, m store.OutboxMessage, reason string) error {
	now := d.Now()
	posted := false
	err := d.Store.Update(ctx, func(tx *store.Tx) error {
		if err := tx.MarkDead(m.ID, reason, now); err != nil {
			return err
		}
		c, ok, err := caseOf(tx, m)
		if err != nil || !ok {
			return err
		}
		text := conversations.T(StaffLang, "staff.delivery_failed",
			conversations.Args{"Channel": ChannelName(StaffLang, m.Channel), "Error": reason})
		if _, err := tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: now, Actor: DeliveryActor, Kind: "delivery_failed", Body: text}); err != nil {
			return err
		}
		if err := tx.Audit(store.AuditEntry{At: now, Actor: DeliveryActor, Action: "delivery_failed", Subject: c.Number,
			Detail: fmt.Sprintf("outbox message %d on %s: %s", m.ID, m.Channel, reason)}); err != nil {
			return err
		}
		if m.Channel == StaffChannel {
			return nil
		}
		posted = true
		return enqueueStaff(tx, c.Number, StaffPost{Kind: "thread", From: "bot", Text: text}, now)
	})
	d.wake(err, posted)
	return err
}

// caseOf is the case an outbox message belongs to: the one it was written
// for, or, for a staff post, the case whose thread it goes to.
func caseOf(tx *store.Tx, m store.OutboxMessage) (cases.Case, bool, error) {
	var c cases.Case
	var err error
	switch {
	case m.CaseID != 0:
		c, err = tx.CaseByIDInTx(m.CaseID)
	case m.Channel == StaffChannel && m.Recipient != ManagersRecipient && m.Recipient != ChannelRecipient:
		c, err = tx.CaseInTx(m.Recipient)
	default:
		return c, false, nil
	}
	if errors.Is(err, store.ErrNotFound) {
		return c, false, nil
	}
	return c, err == nil, err
}

// ChannelName is a channel as staff read it ("web chat", not "web").
func ChannelName(lang conversations.Lang, channel string) string {
	key := "channel." + channel
	if name := conversations.T(lang, key); name != key {
		return name
	}
	return channel
}

// DeadMessage is an undelivered message as the staff page lists it: the
// recipient masked, the error without secrets.
type DeadMessage struct {
	ID        int64
	Channel   string // the channel's code ("telegram"); ChannelName names it
	Recipient string // masked, except a staff thread's case number
	Case      string // the case number, if any
	Text      string // the start of the message
	Error     string
	WrittenAt time.Time
	DiedAt    time.Time
}

// DeadMessages lists the messages the outbox gave up on, the latest first.
func (d *Desk) DeadMessages(ctx context.Context, limit int) ([]DeadMessage, error) {
	rows, err := d.Store.DeadOutbox(ctx, limit)
	if err != nil {
		return nil, err
	}
	out := make([]DeadMessage, 0, len(rows))
	for _, r := range rows {
		c := r.CaseNumber
		if c == "" && r.Channel == StaffChannel && r.Recipient != ManagersRecipient && r.Recipient != ChannelRecipient {
			c = r.Recipient
		}
		out = append(out, DeadMessage{ID: r.ID, Channel: r.Channel, Recipient: maskRecipient(r.Channel, r.Recipient),
			Case: c, Text: preview(r.Payload), Error: outbox.Redact(r.LastError), WrittenAt: r.CreatedAt, DiedAt: r.DeadAt})
	}
	return out, nil
}

// RetryDead sends an undelivered message again, for staff member actor:
// it is queued from now (and given up on only a while after now), and its
// case and the audit trail say who did it. A message that is not dead is
// NotFound and nothing changes.
func (d *Desk) RetryDead(ctx context.Context, id int64, actor string) error {
	now := d.Now()
	err := d.Store.Update(ctx, func(tx *store.Tx) error {
		m, err := tx.RequeueDead(id, now)
		if err != nil {
			return err
		}
		subject := fmt.Sprintf("outbox:%d", id)
		c, ok, err := caseOf(tx, m)
		if err != nil {
			return err
		}
		if ok {
			subject = c.Number
			text := conversations.T(StaffLang, "staff.delivery_retried",
				conversations.Args{"Name": actor, "Channel": ChannelName(StaffLang, m.Channel)})
			if _, err := tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: now, Actor: actor, Kind: "delivery_retried", Body: text}); err != nil {
				return err
			}
		}
		return tx.Audit(store.AuditEntry{At: now, Actor: actor, Action: "delivery_retried", Subject: subject,
			Detail: fmt.Sprintf("outbox message %d on %s", id, m.Channel)})
	})
	d.wake(err, true)
	return err
}

// maskRecipient hides most of a chat or session id: it identifies a
// customer, and the page needs only to tell rows apart. A staff thread's
// recipient is a case number, shown as it is.
func maskRecipient(channel, r string) string {
	if channel == StaffChannel {
		return r
	}
	if utf8.RuneCountInString(r) <= 6 {
		return "••••"
	}
	runes := []rune(r)
	return string(runes[:2]) + "••••" + string(runes[len(runes)-2:])
}

// preview is the start of a message's text, from a customer message or a
// staff post alike.
func preview(payload []byte) string {
	var m struct {
		Text string `json:"text"`
		Kind string `json:"kind"`
	}
	if json.Unmarshal(payload, &m) != nil {
		return ""
	}
	s := m.Text
	if s == "" {
		s = m.Kind
	}
	if utf8.RuneCountInString(s) > 80 {
		s = string([]rune(s)[:80]) + "…"
	}
	return s
}
