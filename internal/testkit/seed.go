package testkit

import (
	"context"
	"testing"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/store"
)

// The customer the tests share: the demo's first customer.
const (
	CustomerName = "王芳"
	Phone        = "13800001234"
)

// Sofa is the item of an order seeded without items.
var Sofa = store.Item{Name: "布艺沙发", SKU: "SF-300", Quantity: 1, Category: config.Furniture}

// Seeder writes the records the tests share, stamped at one time; each
// method fails the test on an error and returns the seeder for the next.
type Seeder struct {
	tb  testing.TB
	db  *store.DB
	now time.Time
}

// Seed writes to db at now.
func Seed(tb testing.TB, db *store.DB, now time.Time) *Seeder {
	return &Seeder{tb: tb, db: db, now: now}
}

// Seed writes to the desk's store at its clock's time.
func (d *Desk) Seed() *Seeder { return Seed(d.tb, d.Store, d.Clock.Now()) }

// Orders writes the two orders most desk tests walk through: SO-1001 of
// 王芳 (…1234), shipped with 德邦物流 DB123, and SO-2001 of 李雷 (…5678),
// placed.
func (s *Seeder) Orders() *Seeder {
	s.tb.Helper()
	return s.Order(store.Order{No: "SO-1001", Deadline: "2026-12-10", Status: config.OrderShipped}).
		Order(store.Order{No: "SO-2001", CustomerName: "李雷", Phone: "13900005678", Status: config.OrderPlaced,
			Items: []store.Item{{Name: "浴室柜", Quantity: 1, Category: config.Bathroom}}}).
		Shipment(store.Shipment{OrderNo: "SO-1001", Carrier: "德邦物流", TrackingNo: "DB123", CarrierPhone: "95353", Packages: 2,
			ShippedOn: "2026-11-24", ExpectedArrival: "2026-11-28"})
}

// Order writes o; without a customer it is 王芳's, without items it is a
// Sofa.
func (s *Seeder) Order(o store.Order) *Seeder {
	s.tb.Helper()
	if o.CustomerName == "" && o.Phone == "" {
		o.CustomerName, o.Phone = CustomerName, Phone
	}
	if len(o.Items) == 0 {
		o.Items = []store.Item{Sofa}
	}
	if err := s.db.UpsertOrder(context.Background(), o, s.now); err != nil {
		s.tb.Fatal(err)
	}
	return s
}

// Shipment writes sh.
func (s *Seeder) Shipment(sh store.Shipment) *Seeder {
	s.tb.Helper()
	if _, _, err := s.db.AddShipment(context.Background(), sh, s.now); err != nil {
		s.tb.Fatal(err)
	}
	return s
}

// Chat binds a chat to the phone's customer, verified now.
func (s *Seeder) Chat(phone, channel, chatID string) *Seeder {
	s.tb.Helper()
	return s.update(func(tx *store.Tx) error {
		return tx.BindChat(store.CustomerChat{Phone: phone, Channel: channel, ChatID: chatID, VerifiedAt: s.now})
	})
}

// Visit writes v.
func (s *Seeder) Visit(v store.Visit) *Seeder {
	s.tb.Helper()
	return s.update(func(tx *store.Tx) error { _, err := tx.AddVisit(v); return err })
}

// Provider writes p with each of the ratings and returns its id.
func (s *Seeder) Provider(p cases.Provider, stars ...float64) int64 {
	s.tb.Helper()
	var id int64
	s.update(func(tx *store.Tx) (err error) {
		if id, err = tx.UpsertProvider(p); err != nil {
			return err
		}
		for _, n := range stars {
			if err := tx.RateProvider(id, n, "seeded"); err != nil {
				return err
			}
		}
		return nil
	})
	return id
}

func (s *Seeder) update(fn func(tx *store.Tx) error) *Seeder {
	s.tb.Helper()
	if err := s.db.Update(context.Background(), fn); err != nil {
		s.tb.Fatal(err)
	}
	return s
}
