package bot

import (
	"context"
	"encoding/json"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/store"
)

// Returns: the instructions a customer gets when staff approve a return,
// and the tracking number of the goods sent back, kept on the case (RET-7).

// langTimeout bounds the read of a customer's language from the dialog
// state inside a staff decision's transaction.
const langTimeout = 2 * time.Second

// returnInstructions sends the return instructions of an approved return
// to the customer's chat, in the customer's language.
func (d *Desk) returnInstructions(tx *store.Tx, c cases.Case, e cases.ReturnInstructions, now time.Time) error {
	// The staff decision carries no context down here; the read is short
	// and bounded.
	ctx, cancel := context.WithTimeout(context.Background(), langTimeout)
	defer cancel()
	lang, err := d.stateLang(ctx, c.Channel, c.ChatID)
	if err != nil {
		return err
	}
	r := conversations.ReturnInstructions(lang, c.Number, e.Address)
	payload, err := json.Marshal(Message{Text: r.Text, Buttons: r.Buttons})
	if err != nil {
		return err
	}
	_, err = tx.Enqueue(store.OutboxMessage{Channel: c.Channel, Recipient: c.ChatID, Payload: payload, CaseID: c.ID}, now)
	return err
}

// returnShipped keeps the tracking number the customer told in the chat on
// their return case, by the same decision staff take, and shows it in the
// case's thread. The dialog offered only the customer's own open returns.
func (a *applier) returnShipped(e conversations.ReturnShipped) error {
	c, err := a.tx.CaseInTx(e.CaseNumber)
	if err != nil {
		return err
	}
	next, effects, err := cases.Decide(c, cases.Action{Verb: cases.ReturnTracking, Value: e.TrackingNo},
		cases.Actor{Name: "customer", Role: cases.System}, a.now, a.desk.policy())
	if err != nil {
		return err
	}
	return a.keepCustomerDecision(c, next, effects, "退货运单号 / return tracking: "+next.Details[cases.DetailReturnTracking])
}

// deliveredOn is the day an order's goods arrived, for the return window
// (RET-5): the day recorded, else, for goods the back office says are
// delivered, the expected arrival of the last shipment; "" when unknown.
func deliveredOn(o store.Order, shipments []store.Shipment) string {
	if o.DeliveredOn != "" {
		return o.DeliveredOn
	}
	if o.Status != config.OrderDelivered && o.Status != config.OrderInstalled {
		return ""
	}
	day := ""
	for _, s := range shipments {
		day = max(day, s.ExpectedArrival)
	}
	return day
}
