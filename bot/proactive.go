package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"frontdesk/conversations"
	"frontdesk/store"
)

// ErrNoChat is returned when a customer has no chat the desk may write to:
// they never verified in one.
var ErrNoChat = errors.New("bot: the customer has no verified chat")

// customerChats returns the chats of the order's customer.
func (d *Desk) customerChats(ctx context.Context, orderNo string) (store.Order, []store.CustomerChat, error) {
	o, err := d.Store.Order(ctx, orderNo)
	if err != nil {
		return store.Order{}, nil, err
	}
	chats, err := d.Store.ChatsByPhone(ctx, o.Phone)
	if err != nil {
		return store.Order{}, nil, err
	}
	if len(chats) == 0 {
		return o, nil, fmt.Errorf("%w (order %s)", ErrNoChat, orderNo)
	}
	return o, chats, nil
}

// NotifyShipment sends the shipping notice with the pickup rules to every
// chat of the customer, once per shipment whatever the retries (DLV-1 …
// DLV-3). It returns false when the notice had been sent already.
func (d *Desk) NotifyShipment(ctx context.Context, trackingNo string) (bool, error) {
	s, err := d.Store.ShipmentByTracking(ctx, trackingNo)
	if err != nil {
		return false, err
	}
	_, chats, err := d.customerChats(ctx, s.OrderNo)
	if err != nil {
		return false, err
	}
	sent := false
	now := d.Now()
	err = d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
		fresh, err := tx.MarkNoticeSent(s.ID, now)
		if err != nil || !fresh {
			return err
		}
		for _, c := range chats {
			lang, err := d.stateLang(ctx, c.Channel, c.ChatID)
			if err != nil {
				return err
			}
			r := conversations.ShippingNotice(lang, s.OrderNo, shipmentView(s))
			payload, err := json.Marshal(Message{Text: r.Text})
			if err != nil {
				return err
			}
			if _, err := tx.Enqueue(store.OutboxMessage{Channel: c.Channel, Recipient: c.ChatID, Payload: payload}, now); err != nil {
				return err
			}
		}
		sent = true
		return nil
	})
	d.wake(err, sent)
	return sent, err
}

// StartArrivalCheck asks the customer whether the shipment arrived (DLV-4).
func (d *Desk) StartArrivalCheck(ctx context.Context, trackingNo string) error {
	s, err := d.Store.ShipmentByTracking(ctx, trackingNo)
	if err != nil {
		return err
	}
	return d.startForOrder(ctx, s.OrderNo, conversations.ArrivalCheck(s.OrderNo, shipmentView(s)))
}

// StartSurvey sends the callback survey of a finished visit (SRV-1).
func (d *Desk) StartSurvey(ctx context.Context, visitID, stage string) error {
	v, err := d.Store.VisitByID(ctx, visitID)
	if err != nil {
		return err
	}
	if wait, err := d.acceptanceFirst(ctx, visitID, stage); wait || err != nil { // providers.go: PRV-5
		return err
	}
	return d.startForOrder(ctx, v.OrderNo, conversations.Survey(v.ID, stage, v.Kind, v.OrderNo))
}

func (d *Desk) startForOrder(ctx context.Context, orderNo string, begin conversations.Starter) error {
	o, chats, err := d.customerChats(ctx, orderNo)
	if err != nil {
		return err
	}
	who := conversations.Identity{Phone: o.Phone, Name: o.CustomerName}
	for _, c := range chats {
		key := c.Channel + ":" + c.ChatID
		mu := d.lockFor(key)
		mu.Lock()
		err := d.run(ctx, key, conversations.Inbound{Channel: c.Channel, ChatID: c.ChatID},
			func(ctx context.Context, env conversations.Env, st conversations.State) (conversations.State, []conversations.Effect, error) {
				return conversations.Start(ctx, env, st, who, begin)
			})
		mu.Unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

// RemindSurvey sends the one reminder of an unanswered survey.
func (d *Desk) RemindSurvey(ctx context.Context, visitID, stage string) error {
	v, err := d.Store.VisitByID(ctx, visitID)
	if err != nil {
		return err
	}
	return d.startForOrder(ctx, v.OrderNo, conversations.SurveyReminder(v.ID, stage, v.Kind, v.OrderNo))
}

// stateLang is the language of a customer's chat by its dialog state,
// zh-Hans when it has none.
func (d *Desk) stateLang(ctx context.Context, channel, chatID string) (conversations.Lang, error) {
	st, _, err := d.State.Load(ctx, channel+":"+chatID)
	if err != nil || st.Lang == "" {
		return conversations.ZhHans, err
	}
	return st.Lang, nil
}
