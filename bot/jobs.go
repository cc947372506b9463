package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/store"
)

// ChannelRecipient is the staff-channel recipient of posts to the whole
// staff channel (reminders that belong to no case).
const ChannelRecipient = "channel"

// EscalateClock tells staff, once, that a clock ran out: in the case thread,
// mentioning the assignee or the channel; far past due, once more to the
// managers (SLA-7). It returns false when another run had done it.
func (d *Desk) EscalateClock(ctx context.Context, clock store.Clock, managers bool) (bool, error) {
	done := false
	err := d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
		c, err := tx.CaseByIDInTx(clock.CaseID)
		if err != nil {
			return err
		}
		now := d.Now()
		mark := tx.MarkEscalated
		if managers {
			mark = tx.MarkManagers
		}
		fresh, err := mark(clock.ID, now)
		if err != nil || !fresh {
			return err
		}
		action := cases.Action{Verb: cases.Escalate, Clock: &cases.ClockDue{Name: clock.Name, DueAt: clock.DueAt, Managers: managers}}
		_, effects, err := cases.Decide(c, action, cases.Actor{Name: "scheduler", Role: cases.System}, now, d.policy())
		if err != nil {
			return err
		}
		done = true
		return d.applyDecision(tx, c, "scheduler", effects, now)
	})
	d.wake(err, done)
	return done, err
}

// PostToStaff posts to the whole staff channel, once per key (a deadline
// reminder): false when it was posted before.
func (d *Desk) PostToStaff(ctx context.Context, key, text string) (bool, error) {
	return d.once(ctx, key, func(tx *store.Tx) error {
		return enqueueStaff(tx, ChannelRecipient, StaffPost{Kind: "managers", Text: text}, d.Now())
	})
}

// once runs do in one grouped transaction unless key was done before, and
// wakes the sender when it ran: false when it was done before.
func (d *Desk) once(ctx context.Context, key string, do func(tx *store.Tx) error) (bool, error) {
	ran := false
	err := d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
		fresh, err := tx.DoOnce(key, d.Now())
		if err != nil || !fresh {
			return err
		}
		ran = true
		return do(tx)
	})
	d.wake(err, ran)
	return ran, err
}

// wake tells the sender there is something to send: when err is nil and
// queued holds.
func (d *Desk) wake(err error, queued bool) {
	if err == nil && queued && d.Notify != nil {
		d.Notify()
	}
}

// OpenDelayCase opens, once per order, a delivery-delay case, escalates it
// and tells the customer in every chat they verified in (DLV-6).
func (d *Desk) OpenDelayCase(ctx context.Context, orderNo, reason string) (string, error) {
	o, err := d.Store.Order(ctx, orderNo)
	if err != nil || o.Delivered() {
		return "", err // nothing is late once the customer has it (DLV-10)
	}
	chats, err := d.Store.ChatsByPhone(ctx, o.Phone)
	if err != nil {
		return "", err
	}
	var number string
	err = d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
		now := d.Now()
		fresh, err := tx.DoOnce(delayKey(orderNo, o.Deadline), now) // deadlines.go: once per promised date (DLV-8)
		if err != nil || !fresh {
			return err
		}
		in := conversations.Inbound{Channel: "", ChatID: ""}
		if len(chats) > 0 {
			in.Channel, in.ChatID = chats[0].Channel, chats[0].ChatID
		}
		a := &applier{desk: d, tx: tx, key: "scheduler", in: in, now: now}
		err = a.openCase(conversations.OpenCase{Kind: string(config.KindDeliveryDelay), OrderNo: orderNo, Severity: "normal",
			Customer: conversations.Identity{Phone: o.Phone, Name: o.CustomerName}, Classification: reason,
			Description: reason, Details: map[string]string{"deadline": o.Deadline}})
		if err != nil {
			return err
		}
		if err := a.escalate(conversations.Escalate{Reason: reason}); err != nil {
			return err
		}
		number = a.last.Number
		for _, ch := range chats {
			lang, err := d.stateLang(ctx, ch.Channel, ch.ChatID)
			if err != nil {
				return err
			}
			payload, _ := json.Marshal(Message{Text: conversations.DelayNotice(lang, orderNo, o.Deadline, number)})
			if _, err := tx.EnqueueAt(store.OutboxMessage{Channel: ch.Channel, Recipient: ch.ChatID, Payload: payload, CaseID: a.last.ID}, now, d.openAt(now)); err != nil {
				return err
			}
		}
		return nil
	})
	d.wake(err, number != "")
	return number, err
}

// PostToManagers posts to the managers' channel once per key, with a
// picture (the digest chart) when png is given.
func (d *Desk) PostToManagers(ctx context.Context, key, text string, png []byte) (bool, error) {
	post := StaffPost{Kind: "managers", Text: text}
	if len(png) > 0 {
		if d.Photos == nil {
			return false, fmt.Errorf("bot: no photo store for the chart")
		}
		p, err := d.Photos.Save(bytes.NewReader(png))
		if err != nil {
			return false, err
		}
		post.PhotoSH, post.PhotoMT = p.SHA256, p.MIME
	}
	return d.once(ctx, key, func(tx *store.Tx) error {
		if err := enqueueStaff(tx, ManagersRecipient, post, d.Now()); err != nil {
			return err
		}
		payload, _ := json.Marshal(post)
		return tx.SetSettingTx(latestManagersKey+strings.SplitN(key, ":", 2)[0], string(payload))
	})
}
