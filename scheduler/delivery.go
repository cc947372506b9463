package scheduler

import (
	"context"
	"errors"
	"time"

	"frontdesk/bot"
)

// DeliveryDesk is what the delivery job asks of the desk (bot/deadlines.go).
type DeliveryDesk interface {
	SendPreview(ctx context.Context, orderNo string) (bool, error)
	AskEarlyConsent(ctx context.Context, trackingNo string) (bool, error)
}

// deliveryLookback bounds how long after an order or a shipment is recorded
// its preview or its early-delivery question may still go out: a customer
// who verifies a chat within it gets them then.
const deliveryLookback = 14 * 24 * time.Hour

// DeliveryJob sends, in opening hours only, what could not go out when an
// order or a shipment was recorded (at night, or before the customer had a
// chat): the service preview of a new order (DLV-11) and the question
// whether a shipment may arrive earlier than agreed (DLV-12).
type DeliveryJob struct {
	*Jobs
	Desk DeliveryDesk
}

// Name implements Job.
func (DeliveryJob) Name() string { return "delivery" }

// Run implements Job.
func (j DeliveryJob) Run(ctx context.Context, now time.Time) error {
	if !j.Cal.NextOpen(now).Equal(now.In(j.Cal.Location())) {
		return nil // nobody is written to at night
	}
	desk := j.Desk
	if desk == nil {
		d, ok := j.Jobs.Desk.(DeliveryDesk)
		if !ok {
			return errors.New("scheduler: the desk sends no previews")
		}
		desk = d
	}
	orders, err := j.Store.OrdersAwaitingPreview(ctx, now.Add(-deliveryLookback))
	if err != nil {
		return err
	}
	for _, o := range orders {
		if _, err := desk.SendPreview(ctx, o.No); err != nil && !errors.Is(err, bot.ErrNoChat) {
			return err
		}
	}
	shipments, err := j.Store.ShipmentsAwaitingConsent(ctx, now.Add(-deliveryLookback))
	if err != nil {
		return err
	}
	for _, s := range shipments {
		if _, err := desk.AskEarlyConsent(ctx, s.TrackingNo); err != nil && !errors.Is(err, bot.ErrNoChat) {
			return err
		}
	}
	return nil
}
