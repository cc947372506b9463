package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/store"
)

// Delivery dates that move (000 §1.3.1, §1.4.2, §1.4.3; 002 三(二)): a new
// date agreed with the customer or a delay risk declared by staff (from a
// case, or for an order through the back office), the actual delivery the
// customer reports, the service preview of a new order and the consent to
// an early delivery.

// openAt is when a proactive message written now may go out: now in opening
// hours, else the next opening (never at night).
func (d *Desk) openAt(now time.Time) time.Time {
	if d.Calendar == nil || d.Calendar.Location() == nil {
		return now
	}
	return d.Calendar.NextOpen(now)
}

// Open reports whether the shop is open now: proactive messages go out
// only then.
func (d *Desk) Open(now time.Time) bool { return !d.openAt(now).After(now) }

// delayKey marks the delay case of one promised date: a new date missed
// again opens a new one (DLV-8).
func delayKey(orderNo, deadline string) string { return "delay:" + orderNo + ":" + deadline }

// deadlineAction gives a new_date or delay_risk the order's promised date,
// which the decision checks the new one against.
func deadlineAction(tx *store.Tx, act cases.Action, caseNo string) (cases.Action, error) {
	c, err := tx.CaseInTx(caseNo)
	if err != nil || c.OrderNo == "" {
		return act, err
	}
	o, err := tx.OrderInTx(c.OrderNo)
	if errors.Is(err, store.ErrNotFound) {
		return act, nil // the decision refuses a case without an order
	}
	act.Deadline = o.Deadline
	return act, err
}

// moveDeadline applies a new promised date in the caller's transaction: the
// order's deadline and its history (old → new, who, why), and the customer
// told in every chat they verified in, in opening hours, unless the order is
// delivered already (DLV-8, DLV-9).
func (d *Desk) moveDeadline(tx *store.Tx, actor string, e cases.MoveDeadline, now time.Time) error {
	kind := store.ChangeAgreed
	if e.Risk {
		kind = store.ChangeRisk
	}
	ch, err := tx.ChangeDeadline(store.DeadlineChange{OrderNo: e.OrderNo, New: e.Date, Kind: kind, Actor: actor, Reason: e.Reason, At: now})
	if err != nil {
		return err
	}
	o, err := tx.OrderInTx(e.OrderNo)
	if err != nil || o.Delivered() {
		return err
	}
	chats, err := tx.ChatsByPhoneInTx(o.Phone)
	if err != nil {
		return err
	}
	for _, c := range chats {
		lang, err := d.customerLang(tx.Context(), c)
		if err != nil {
			return err
		}
		text := conversations.DeadlineNotice(lang, o.No, ch.Old, ch.New, e.Risk)
		if err := d.enqueueProactive(tx, c, Message{Text: text}, now); err != nil {
			return err
		}
	}
	return nil
}

// customerLang is the language of a customer's chat: the one recorded with the
// chat, else the dialog state's (stateLang).
func (d *Desk) customerLang(ctx context.Context, c store.CustomerChat) (conversations.Lang, error) {
	if l := conversations.NormalizeLang(c.Lang); l != "" {
		return l, nil
	}
	return d.stateLang(ctx, c.Channel, c.ChatID)
}

// enqueueProactive writes a message the desk sends on its own to a
// customer's chat, held until the shop opens.
func (d *Desk) enqueueProactive(tx *store.Tx, c store.CustomerChat, m Message, now time.Time) error {
	payload, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = tx.EnqueueAt(store.OutboxMessage{Channel: c.Channel, Recipient: c.ChatID, Payload: payload}, now, d.openAt(now))
	return err
}

// MoveDeadline sets a new promised date for an order outside any case (the
// back office, staff on the order): risk declares a delay risk before the
// date (DLV-9), else the date was agreed with the customer (DLV-8). It
// refuses a date in the past, a risk after the date has passed or without
// one, and a reason that is too long (coded errors of package cases). The
// same date again changes nothing and returns false.
func (d *Desk) MoveDeadline(ctx context.Context, orderNo, date, actor, reason string, risk bool) (store.DeadlineChange, bool, error) {
	var out store.DeadlineChange
	changed := false
	err := d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
		now := d.Now()
		o, err := tx.OrderInTx(orderNo)
		if err != nil {
			return err
		}
		if o.Deadline == date {
			out = store.DeadlineChange{OrderNo: orderNo, Old: date, New: date}
			return nil
		}
		verb := cases.NewDate
		if risk {
			verb = cases.DelayRisk
		}
		// The rules of the staff action, on a case that stands for the order.
		_, effects, err := cases.Decide(cases.Case{Number: "order " + orderNo, OrderNo: orderNo},
			cases.Action{Verb: verb, Value: date + " " + reason, Deadline: o.Deadline},
			cases.Actor{Name: actor, Role: cases.System}, now, d.policy())
		if err != nil {
			return err
		}
		for _, e := range effects {
			switch e := e.(type) {
			case cases.MoveDeadline:
				if err := d.moveDeadline(tx, actor, e, now); err != nil {
					return err
				}
			case cases.Record:
				if err := tx.Audit(store.AuditEntry{At: now, Actor: actor, Action: e.Event, Subject: "order " + orderNo, Detail: e.Detail}); err != nil {
					return err
				}
				if err := d.tellDelayThread(tx, orderNo, e.Detail, now); err != nil {
					return err
				}
			}
		}
		changed = true
		out, err = tx.LastDeadlineChange(orderNo)
		return err
	})
	d.wake(err, changed)
	return out, changed, err
}

// tellDelayThread tells staff of a moved date: in the thread of the order's
// open delay case when it has one, else in the staff channel.
func (d *Desk) tellDelayThread(tx *store.Tx, orderNo, detail string, now time.Time) error {
	text := fmt.Sprintf("📅 Order %s: %s", orderNo, detail)
	c, err := tx.OpenDelayCaseInTx(orderNo)
	if errors.Is(err, store.ErrNotFound) {
		return enqueueStaff(tx, ChannelRecipient, StaffPost{Kind: "managers", Text: text}, now)
	}
	if err != nil {
		return err
	}
	if _, err := tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: now, Actor: "back office", Kind: "note", Body: text}); err != nil {
		return err
	}
	return enqueueStaff(tx, c.Number, StaffPost{Kind: "thread", From: "bot", Text: text}, now)
}

// reuseDelayCase keeps an order to one open delay case (DLV-8): a delay
// found while one is open goes into that case's history and thread, and the
// replies of the step name it. It reports whether it did.
func (a *applier) reuseDelayCase(e conversations.OpenCase) (bool, error) {
	if e.Kind != string(config.KindDeliveryDelay) || e.OrderNo == "" {
		return false, nil
	}
	c, err := a.tx.OpenDelayCaseInTx(e.OrderNo)
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	a.last = c
	body := e.Description
	if body == "" {
		body = e.Classification
	}
	if _, err := a.tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: a.now, Actor: "customer", Kind: "message_in", Body: body}); err != nil {
		return true, err
	}
	return true, a.thread(StaffPost{Kind: "thread", From: "customer", Text: body})
}

// delivered records the day the customer said the goods arrived (DLV-10).
func (a *applier) delivered(e conversations.Delivered) error {
	day := a.now.In(a.desk.location()).Format("2006-01-02")
	fresh, err := a.tx.RecordDelivered(e.OrderNo, day, a.now)
	if err != nil || !fresh {
		return err
	}
	return a.tx.Audit(store.AuditEntry{At: a.now, Actor: "customer " + a.key, Action: "delivered", Subject: "order " + e.OrderNo,
		Detail: "the customer says it arrived on " + day})
}

// earlyAnswered records the customer's answer about an early delivery and
// tells staff (DLV-12): yes makes the shipment's day the agreed date.
func (a *applier) earlyAnswered(e conversations.EarlyAnswered) error {
	answer := store.ConsentNo
	if e.Yes {
		answer = store.ConsentYes
	}
	fresh, err := a.tx.SetEarlyConsent(e.TrackingNo, answer, store.ConsentAsked)
	if err != nil || !fresh {
		return err // answered before: the first answer stands
	}
	o, err := a.tx.OrderInTx(e.OrderNo)
	if err != nil {
		return err
	}
	var text string
	if e.Yes {
		if _, err := a.tx.ChangeDeadline(store.DeadlineChange{OrderNo: e.OrderNo, New: e.Expected, Kind: store.ChangeEarly,
			Actor: "customer " + o.CustomerName, Reason: "agreed to receive shipment " + e.TrackingNo + " early", At: a.now}); err != nil {
			return err
		}
		text = fmt.Sprintf("✅ %s agrees to receive order %s early: shipment %s on %s (promised %s); that is the agreed date now.",
			o.CustomerName, o.No, e.TrackingNo, e.Expected, o.Deadline)
	} else {
		text = fmt.Sprintf("❌ %s does not agree to receive order %s early (shipment %s on %s): keep the promised date %s and arrange the delivery for it.",
			o.CustomerName, o.No, e.TrackingNo, e.Expected, o.Deadline)
	}
	if err := a.tx.Audit(store.AuditEntry{At: a.now, Actor: "customer " + a.key, Action: "early_delivery_" + answer,
		Subject: "order " + e.OrderNo, Detail: text}); err != nil {
		return err
	}
	return enqueueStaff(a.tx, ChannelRecipient, StaffPost{Kind: "managers", Text: text}, a.now)
}

// AskEarlyConsent asks the customer, before the shipment counts as agreed,
// whether it may arrive earlier than the promised date (000 §1.4.3,
// DLV-12), once per shipment. It returns false when there is nothing to
// ask: the shipment is not early, the order is delivered, or the customer
// was asked before; ErrNoChat when they have no chat yet. The caller keeps
// it to opening hours.
func (d *Desk) AskEarlyConsent(ctx context.Context, trackingNo string) (bool, error) {
	s, err := d.Store.ShipmentByTracking(ctx, trackingNo)
	if err != nil {
		return false, err
	}
	o, chats, err := d.customerChats(ctx, s.OrderNo)
	if err != nil && !errors.Is(err, ErrNoChat) {
		return false, err
	}
	if o.Delivered() || !conversations.EarlyShipment(o.Deadline, s.ExpectedArrival) {
		return false, nil
	}
	if consent, err := d.Store.EarlyConsent(ctx, trackingNo); err != nil || consent != "" {
		return false, err
	}
	if len(chats) == 0 {
		return false, err // ErrNoChat: asked once they have one
	}
	asked := false
	err = d.Store.UpdateGrouped(ctx, func(tx *store.Tx) (err error) {
		asked, err = tx.SetEarlyConsent(trackingNo, store.ConsentAsked, "")
		return err
	})
	if err != nil || !asked {
		return false, err
	}
	if err := d.startForOrder(ctx, s.OrderNo, conversations.EarlyConsent(o.No, s.TrackingNo, s.ExpectedArrival, o.Deadline)); err != nil {
		// Not asked after all: the next run asks again.
		_ = d.Store.Update(ctx, func(tx *store.Tx) error { _, err := tx.SetEarlyConsent(trackingNo, "", store.ConsentAsked); return err })
		return false, err
	}
	return true, nil
}

// SendPreview sends a new order's service preview (002 三(二), DLV-11) to
// every chat the customer verified in, once per order: the delivery cycle
// and how to prepare. It returns false when there is nothing to send (sent
// before, shipped or delivered already) and ErrNoChat when the customer has
// no chat yet. The caller keeps it to opening hours.
func (d *Desk) SendPreview(ctx context.Context, orderNo string) (bool, error) {
	o, chats, err := d.customerChats(ctx, orderNo)
	if err != nil {
		return false, err
	}
	if o.Delivered() || (o.Status != config.OrderPlaced && o.Status != config.OrderInProduction) {
		return false, nil
	}
	view := conversations.Order{No: o.No, Deadline: o.Deadline, InstallIncluded: o.InstallIncluded}
	sent := false
	err = d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
		now := d.Now()
		fresh, err := tx.MarkPreviewSent(o.No, now)
		if err != nil || !fresh {
			return err
		}
		for _, c := range chats {
			lang, err := d.customerLang(ctx, c)
			if err != nil {
				return err
			}
			if err := d.enqueueProactive(tx, c, Message{Text: conversations.ServicePreview(lang, view)}, now); err != nil {
				return err
			}
		}
		sent = true
		return nil
	})
	d.wake(err, sent)
	return sent, err
}
