package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"regexp"
	"time"

	"frontdesk/config"
)

// Order is a customer's order as the back office knows it.
type Order struct {
	No              string
	CustomerName    string
	Phone           string
	PaidOn          string // YYYY-MM-DD
	Deadline        string // YYYY-MM-DD, the promised delivery date (000 §1.2.1)
	Urgent          bool
	InstallIncluded bool
	Status          config.OrderStatus
	Items           []Item
	DeliveredOn     string // YYYY-MM-DD, the day the customer said it arrived (DLV-10)
	Address         string // where the goods are delivered (providers.go)
	Region          string // its region, "city" or "city/district": the region a provider must serve (PRV-1)
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Item is one line of an order.
type Item struct {
	Line           int
	Name           string
	SKU            string
	Quantity       int
	Category       config.Category
	CustomMade     bool
	Glass          bool
	BatchNo        string // wallpaper batch (004)
	WarrantyMonths int
}

var datePattern = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// Validate reports the first thing wrong with an order, naming the field.
func (o Order) Validate() error {
	switch {
	case o.No == "" || len(o.No) > 64:
		return invalid("order.no: want 1 to 64 characters")
	case o.CustomerName == "":
		return invalid("order %s: customer_name is empty", o.No)
	case len(digitsOf(o.Phone)) < 4:
		return invalid("order %s: phone %q has fewer than four digits", o.No, o.Phone)
	case o.Deadline != "" && !validDate(o.Deadline):
		return invalid("order %s: deadline %q: want YYYY-MM-DD", o.No, o.Deadline)
	case o.PaidOn != "" && !validDate(o.PaidOn):
		return invalid("order %s: paid_on %q: want YYYY-MM-DD", o.No, o.PaidOn)
	case o.DeliveredOn != "" && !validDate(o.DeliveredOn):
		return invalid("order %s: delivered_on %q: want YYYY-MM-DD", o.No, o.DeliveredOn)
	}
	switch o.Status {
	case "", config.OrderPlaced, config.OrderInProduction, config.OrderShipped, config.OrderDelivered, config.OrderInstalled:
	default:
		return invalid("order %s: status %q is unknown", o.No, o.Status)
	}
	for i, it := range o.Items {
		if it.Name == "" || it.Quantity <= 0 {
			return invalid("order %s: items[%d]: want a name and a quantity above zero", o.No, i)
		}
		switch it.Category {
		case config.Furniture, config.Bathroom, config.Wallpaper, config.BuildingMaterial:
		default:
			return invalid("order %s: items[%d].category %q: want furniture, bathroom, wallpaper or building_material", o.No, i, it.Category)
		}
	}
	return nil
}

func validDate(s string) bool {
	if !datePattern.MatchString(s) {
		return false
	}
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

func digitsOf(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			out = append(out, s[i])
		}
	}
	return string(out)
}

// NormalizePhone keeps the digits of a phone number and drops a leading
// mainland country code, so "+86 138-0000-1234" and "13800001234" match.
func NormalizePhone(s string) string {
	d := digitsOf(s)
	if len(d) == 13 && d[:2] == "86" {
		d = d[2:]
	}
	return d
}

// UpsertOrder inserts the order or replaces it (and its items) by number.
func (db *DB) UpsertOrder(ctx context.Context, o Order, now time.Time) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return db.Update(ctx, func(tx *Tx) error { return tx.UpsertOrder(o, now) })
}

// UpsertOrder is UpsertOrder inside a transaction.
func (tx *Tx) UpsertOrder(o Order, now time.Time) error {
	if err := o.Validate(); err != nil {
		return err
	}
	if o.Status == "" {
		o.Status = config.OrderPlaced
	}
	_, err := tx.exec(`INSERT INTO orders
		(order_no, customer_name, phone, paid_on, deadline, urgent, install_included, status, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(order_no) DO UPDATE SET customer_name=excluded.customer_name, phone=excluded.phone,
		paid_on=excluded.paid_on, deadline=excluded.deadline, urgent=excluded.urgent,
		install_included=excluded.install_included, status=excluded.status, updated_at=excluded.updated_at`,
		o.No, o.CustomerName, NormalizePhone(o.Phone), o.PaidOn, o.Deadline, boolInt(o.Urgent),
		boolInt(o.InstallIncluded), o.Status, millis(now), millis(now))
	if err != nil {
		return fmt.Errorf("store: upsert order %s: %w", o.No, err)
	}
	if err := tx.recordDelivery(o.No, o.DeliveredOn); err != nil { // deliveries.go
		return err
	}
	if err := tx.SetOrderPlace(o.No, OrderPlace{Address: o.Address, Region: o.Region}); err != nil { // providers.go
		return err
	}
	if _, err := tx.exec("DELETE FROM order_items WHERE order_no = ?", o.No); err != nil {
		return fmt.Errorf("store: replace items of %s: %w", o.No, err)
	}
	for i, it := range o.Items {
		line := it.Line
		if line == 0 {
			line = i + 1
		}
		_, err := tx.exec(`INSERT INTO order_items
			(order_no, line, name, sku, quantity, category, custom_made, glass, batch_no, warranty_months)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			o.No, line, it.Name, it.SKU, it.Quantity, it.Category, boolInt(it.CustomMade),
			boolInt(it.Glass), it.BatchNo, it.WarrantyMonths)
		if err != nil {
			return fmt.Errorf("store: order %s item %d: %w", o.No, line, err)
		}
	}
	return nil
}

const orderColumns = `order_no, customer_name, phone, paid_on, deadline, urgent, install_included, status, created_at, updated_at, delivered_on, address, region`

func scanOrder(row scanner) (Order, error) {
	var o Order
	var created, updated int64
	err := row.Scan(&o.No, &o.CustomerName, &o.Phone, &o.PaidOn, &o.Deadline, &o.Urgent,
		&o.InstallIncluded, &o.Status, &created, &updated, &o.DeliveredOn, &o.Address, &o.Region)
	o.CreatedAt, o.UpdatedAt = fromMillis(created), fromMillis(updated)
	return o, err
}

// Order returns the order with its items, or ErrNotFound.
func (db *DB) Order(ctx context.Context, no string) (Order, error) {
	o, err := scanOrder(db.queryRow(ctx, "SELECT "+orderColumns+" FROM orders WHERE order_no = ?", no))
	if errors.Is(err, sql.ErrNoRows) {
		return Order{}, ErrNotFound
	}
	if err != nil {
		return Order{}, fmt.Errorf("store: order %s: %w", no, err)
	}
	o.Items, err = db.items(ctx, no)
	return o, err
}

// OrdersByPhone returns the orders placed with this phone, newest first.
func (db *DB) OrdersByPhone(ctx context.Context, phone string) ([]Order, error) {
	rows, err := db.query(ctx, "SELECT "+orderColumns+
		" FROM orders WHERE phone = ? ORDER BY created_at DESC, order_no", NormalizePhone(phone))
	return db.ordersWithItems(ctx, "orders by phone", rows, err)
}

// ordersWithItems reads the orders of rows (selected by orderColumns) and
// fills in the items of each.
func (db *DB) ordersWithItems(ctx context.Context, what string, rows *sql.Rows, err error) ([]Order, error) {
	out, err := collect(rows, err, what, scanOrder)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Items, err = db.items(ctx, out[i].No); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (db *DB) items(ctx context.Context, orderNo string) ([]Item, error) {
	rows, err := db.query(ctx, `SELECT line, name, sku, quantity, category, custom_made, glass,
		batch_no, warranty_months FROM order_items WHERE order_no = ? ORDER BY line`, orderNo)
	return collect(rows, err, "items of "+orderNo, func(row scanner) (Item, error) {
		var it Item
		err := row.Scan(&it.Line, &it.Name, &it.SKU, &it.Quantity, &it.Category, &it.CustomMade,
			&it.Glass, &it.BatchNo, &it.WarrantyMonths)
		return it, err
	})
}

// Shipment is one dispatch of (part of) an order (000 §1.5.2).
type Shipment struct {
	ID                int64
	OrderNo           string
	Carrier           string
	TrackingNo        string
	CarrierPhone      string
	Packages          int
	Pieces            int
	VolumeM3          float64
	FreightFeeCents   int64
	PackagingFeeCents int64
	ContainsGlass     bool
	ShippedOn         string // YYYY-MM-DD
	ExpectedArrival   string // YYYY-MM-DD
	NoticeSentAt      time.Time
	CreatedAt         time.Time
}

// Validate reports the first thing wrong with a shipment.
func (s Shipment) Validate() error {
	switch {
	case s.OrderNo == "":
		return invalid("shipment: order_no is empty")
	case s.Carrier == "":
		return invalid("shipment: carrier is empty")
	case s.TrackingNo == "":
		return invalid("shipment: tracking_no is empty")
	case !validDate(s.ShippedOn):
		return invalid("shipment: shipped_on %q: want YYYY-MM-DD", s.ShippedOn)
	case !validDate(s.ExpectedArrival):
		return invalid("shipment: expected_arrival %q: want YYYY-MM-DD", s.ExpectedArrival)
	case s.Packages < 0 || s.Pieces < 0 || s.VolumeM3 < 0 || s.FreightFeeCents < 0 || s.PackagingFeeCents < 0:
		return invalid("shipment: counts, volume and fees cannot be negative")
	}
	return nil
}

// AddShipment records a shipment inside a transaction. A tracking number
// already recorded returns the existing shipment and created=false, so that
// a retried request changes nothing.
func (tx *Tx) AddShipment(s Shipment, now time.Time) (_ Shipment, created bool, err error) {
	if err := s.Validate(); err != nil {
		return Shipment{}, false, err
	}
	res, err := tx.exec(`INSERT INTO shipments (order_no, carrier, tracking_no, carrier_phone,
		packages, pieces, volume_m3, freight_fee_cents, packaging_fee_cents, contains_glass, shipped_on,
		expected_arrival, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT(tracking_no) DO NOTHING`,
		s.OrderNo, s.Carrier, s.TrackingNo, s.CarrierPhone, s.Packages, s.Pieces, s.VolumeM3,
		s.FreightFeeCents, s.PackagingFeeCents, boolInt(s.ContainsGlass), s.ShippedOn, s.ExpectedArrival, millis(now))
	if err != nil {
		if isForeignKeyViolation(err) {
			return Shipment{}, false, missingRef("shipment %s: there is no order %s", s.TrackingNo, s.OrderNo)
		}
		return Shipment{}, false, fmt.Errorf("store: add shipment: %w", err)
	}
	n, _ := res.RowsAffected()
	got, err := scanShipment(tx.queryRow("SELECT "+shipmentColumns+" FROM shipments WHERE tracking_no = ?", s.TrackingNo))
	return got, n == 1, err
}

// AddShipment records a shipment in its own transaction.
func (db *DB) AddShipment(ctx context.Context, s Shipment, now time.Time) (out Shipment, created bool, err error) {
	err = db.Update(ctx, func(tx *Tx) error {
		out, created, err = tx.AddShipment(s, now)
		return err
	})
	return out, created, err
}

const shipmentColumns = `id, order_no, carrier, tracking_no, carrier_phone, packages, pieces, volume_m3,
	freight_fee_cents, packaging_fee_cents, contains_glass, shipped_on, expected_arrival, notice_sent_at, created_at`

func scanShipment(row scanner) (Shipment, error) {
	var s Shipment
	var notice sql.NullInt64
	var created int64
	err := row.Scan(&s.ID, &s.OrderNo, &s.Carrier, &s.TrackingNo, &s.CarrierPhone, &s.Packages, &s.Pieces,
		&s.VolumeM3, &s.FreightFeeCents, &s.PackagingFeeCents, &s.ContainsGlass, &s.ShippedOn,
		&s.ExpectedArrival, &notice, &created)
	s.NoticeSentAt, s.CreatedAt = fromNullMillis(notice), fromMillis(created)
	return s, err
}

// ShipmentsByOrder returns the order's shipments, oldest first.
func (db *DB) ShipmentsByOrder(ctx context.Context, orderNo string) ([]Shipment, error) {
	rows, err := db.query(ctx, "SELECT "+shipmentColumns+" FROM shipments WHERE order_no = ? ORDER BY id", orderNo)
	return collect(rows, err, "shipments of "+orderNo, scanShipment)
}

// ShipmentByTracking returns a shipment by its tracking number.
func (db *DB) ShipmentByTracking(ctx context.Context, trackingNo string) (Shipment, error) {
	return orNotFound(scanShipment(db.queryRow(ctx, "SELECT "+shipmentColumns+" FROM shipments WHERE tracking_no = ?", trackingNo)))
}

// MarkNoticeSent records that the shipping notice went out; it returns
// false when it had gone out already, so a notice is sent once.
func (tx *Tx) MarkNoticeSent(shipmentID int64, at time.Time) (bool, error) {
	res, err := tx.exec("UPDATE shipments SET notice_sent_at = ? WHERE id = ? AND notice_sent_at IS NULL", millis(at), shipmentID)
	if err != nil {
		return false, fmt.Errorf("store: notice sent: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}
