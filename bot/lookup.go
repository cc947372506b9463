package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/store"
)

// storeLookup serves the dialogs' reads from the store. A flow may ask for
// the customer's orders several times in one step (the options, then the
// chosen item); one lookup lives for one step and remembers them.
type storeLookup struct {
	db       *store.DB
	throttle store.Throttle
	now      time.Time
	orders   map[string][]conversations.Order
	// The verify step read the same order three times (its throttle, the
	// check, the list of the customer's orders), each a store read of the
	// order, its items and its shipments. The step remembers them by number.
	byNo  map[string]orderRead
	views map[string]conversations.Order
}

// orderRead is one read of an order by number: the order or its error.
type orderRead struct {
	order store.Order
	err   error
}

func newLookup(db *store.DB, throttle store.Throttle, now time.Time) *storeLookup {
	return &storeLookup{db: db, throttle: throttle, now: now, orders: map[string][]conversations.Order{},
		byNo: map[string]orderRead{}, views: map[string]conversations.Order{}}
}

// order reads the order numbered no once per step.
func (l *storeLookup) order(ctx context.Context, no string) (store.Order, error) {
	if r, ok := l.byNo[no]; ok {
		return r.order, r.err
	}
	o, err := l.db.Order(ctx, no)
	if err == nil || errors.Is(err, store.ErrNotFound) { // a failed read is tried again
		l.byNo[no] = orderRead{o, err}
	}
	return o, err
}

// viewOf is view, once per order and step.
func (l *storeLookup) viewOf(ctx context.Context, o store.Order) (conversations.Order, error) {
	if v, ok := l.views[o.No]; ok {
		return v, nil
	}
	v, err := l.view(ctx, o)
	if err == nil {
		l.views[o.No] = v
	}
	return v, err
}

// VerifyThrottle reads the failures counted on the order number and on the
// phone of that order, whichever chat they came from (ID-6).
func (l *storeLookup) VerifyThrottle(ctx context.Context, no string) (conversations.Throttle, error) {
	keys := []string{verifyOrderKey(no)}
	if o, err := l.order(ctx, no); err == nil {
		keys = append(keys, verifyPhoneKey(o.Phone))
	} else if !errors.Is(err, store.ErrNotFound) {
		return conversations.Throttle{}, err
	}
	st, err := l.db.Throttled(ctx, l.throttle, l.now, keys...)
	return conversations.Throttle{Failures: st.Failures, LockedUntil: st.LockedUntil}, err
}

func verifyOrderKey(no string) string { return "verify:order:" + strings.ToUpper(no) }

func verifyPhoneKey(phone string) string { return "verify:phone:" + store.NormalizePhone(phone) }

func (l *storeLookup) Order(ctx context.Context, no string) (conversations.Order, error) {
	o, err := l.order(ctx, no)
	if errors.Is(err, store.ErrNotFound) {
		return conversations.Order{}, conversations.ErrNotFound
	}
	if err != nil {
		return conversations.Order{}, err
	}
	return l.viewOf(ctx, o)
}

func (l *storeLookup) OrdersByPhone(ctx context.Context, phone string) ([]conversations.Order, error) {
	if cached, ok := l.orders[phone]; ok {
		return cached, nil
	}
	orders, err := l.db.OrdersByPhone(ctx, phone)
	if err != nil {
		return nil, err
	}
	out := make([]conversations.Order, 0, len(orders))
	for _, o := range orders {
		v, err := l.viewOf(ctx, o)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	l.orders[phone] = out
	return out, nil
}

func (l *storeLookup) OpenCases(ctx context.Context, phone string) ([]conversations.Case, error) {
	cases, err := l.db.CasesByPhone(ctx, phone, true)
	if err != nil {
		return nil, err
	}
	out := make([]conversations.Case, 0, len(cases))
	for _, c := range cases {
		out = append(out, conversations.Case{Number: c.Number, Kind: string(c.Kind), Status: string(c.Status), CreatedAt: c.CreatedAt})
	}
	return out, nil
}

func (l *storeLookup) HandoffCase(ctx context.Context, channel, chatID string) (string, error) {
	c, err := l.db.OpenCaseForChat(ctx, channel, chatID, config.KindInquiry)
	if errors.Is(err, store.ErrNotFound) || err == nil && c.Details[cases.DetailHandoff] == "ended" {
		return "", conversations.ErrNotFound // staff ended the handover (CAS-5)
	}
	return c.Number, err
}

func (l *storeLookup) view(ctx context.Context, o store.Order) (conversations.Order, error) {
	v := conversations.Order{No: o.No, CustomerName: o.CustomerName, Phone: o.Phone, Status: string(o.Status),
		PaidOn: o.PaidOn, Deadline: o.Deadline, InstallIncluded: o.InstallIncluded}
	for _, it := range o.Items {
		v.Items = append(v.Items, conversations.Item{Line: it.Line, Name: it.Name, Quantity: it.Quantity,
			Category: string(it.Category), CustomMade: it.CustomMade, WarrantyMonths: it.WarrantyMonths})
	}
	if err := l.wallpaperItems(ctx, o, &v); err != nil { // wallpaper.go (WAL-2, WAL-8)
		return conversations.Order{}, err
	}
	shipments, err := l.db.ShipmentsByOrder(ctx, o.No)
	if err != nil {
		return conversations.Order{}, err
	}
	for _, s := range shipments {
		v.Shipments = append(v.Shipments, shipmentView(s))
	}
	v.DeliveredOn = deliveredOn(o, shipments) // returns.go
	return v, nil
}

func shipmentView(s store.Shipment) conversations.Shipment {
	return conversations.Shipment{Carrier: s.Carrier, TrackingNo: s.TrackingNo, CarrierPhone: s.CarrierPhone,
		Packages: s.Packages, Pieces: s.Pieces, VolumeM3: s.VolumeM3, FreightFeeCents: s.FreightFeeCents,
		PackagingFeeCents: s.PackagingFeeCents, ContainsGlass: s.ContainsGlass, ExpectedArrival: s.ExpectedArrival}
}

// verifyThrottle counts failed verifications per order and phone: the
// configured attempts within a day lock for the cool-down, and each failure
// after that doubles it (ID-6).
func (d *Desk) verifyThrottle() store.Throttle {
	return store.Throttle{Limit: max(d.Limits.VerifyAttempts, 1), Window: 24 * time.Hour, Lock: d.Limits.VerifyCooldown}
}
