// Package backoffice is the desk's door for the shop's order system: an
// HTTP API under /api/v1 and CSV import and export. Orders, shipments,
// visits and providers come in; cases go out. A recorded shipment sends the
// shipping notice and a finished visit the survey.
package backoffice

import (
	"fmt"
	"math"
	"strings"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/store"
)

// fieldError names the field path of a bad value. It is an Invalid error
// (cases.ErrorCode), and its field goes into the JSON error (jsonhttp).
type fieldError struct {
	field  string
	reason string
}

func (e fieldError) Error() string { return e.field + ": " + e.reason }

// Field is the field path, for jsonhttp.WriteError.
func (e fieldError) Field() string { return e.field }

// Unwrap gives the error its code, Invalid, and its message.
func (e fieldError) Unwrap() error { return &cases.Error{Code: cases.Invalid, Message: e.Error()} }

func bad(field, format string, args ...any) error {
	return fieldError{field: field, reason: fmt.Sprintf(format, args...)}
}

// shopDate reads a calendar date: "2026-12-10", or an ISO 8601 timestamp
// with its zone, taken as the shop's day. Empty stays empty unless required.
func shopDate(field, s string, loc *time.Location, required bool) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return "", bad(field, "is required (YYYY-MM-DD)")
		}
		return "", nil
	}
	if t, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		return t.Format("2006-01-02"), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return "", bad(field, "%q is not a date: want YYYY-MM-DD, or ISO 8601 with a time zone", s)
	}
	return t.In(loc).Format("2006-01-02"), nil
}

// instant reads an ISO 8601 timestamp, which must carry its zone.
func instant(field, s string, required bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		if required {
			return time.Time{}, bad(field, "is required (ISO 8601 with a time zone, e.g. 2026-11-24T15:04:05+08:00)")
		}
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, bad(field, "%q: want ISO 8601 with a time zone, e.g. 2026-11-24T15:04:05+08:00", s)
	}
	return t, nil
}

func cents(field string, yuan float64) (int64, error) {
	if yuan < 0 || yuan > 1e8 || math.IsNaN(yuan) {
		return 0, bad(field, "want an amount in yuan from 0 to 100000000")
	}
	return int64(math.Round(yuan * 100)), nil
}

// OrderIn is an order as the back office sends it.
type OrderIn struct {
	OrderNo              string   `json:"order_no"`
	CustomerName         string   `json:"customer_name"`
	Phone                string   `json:"phone"`
	PaidOn               string   `json:"paid_on,omitempty"`
	PromisedDelivery     string   `json:"promised_delivery,omitempty"`
	Urgency              string   `json:"urgency,omitempty"` // normal (default) or urgent
	InstallationIncluded bool     `json:"installation_included"`
	Status               string   `json:"status,omitempty"`
	DeliveredOn          string   `json:"delivered_on,omitempty"` // the day the goods arrived (RET-5)
	Items                []ItemIn `json:"items"`
	Address              string   `json:"address,omitempty"` // where the goods go (providers.go)
	Region               string   `json:"region,omitempty"`  // "city" or "city/district", a known one (PRV-1)
}

// ItemIn is one order line.
type ItemIn struct {
	Line           int    `json:"line,omitempty"`
	Name           string `json:"name"`
	SKU            string `json:"sku,omitempty"`
	Quantity       int    `json:"quantity"`
	Category       string `json:"category"`
	CustomMade     bool   `json:"custom_made,omitempty"`
	Glass          bool   `json:"glass,omitempty"`
	BatchNo        string `json:"batch_no,omitempty"`
	WarrantyMonths int    `json:"warranty_months,omitempty"`
}

func (in OrderIn) record(loc *time.Location) (store.Order, error) {
	o := store.Order{No: strings.TrimSpace(in.OrderNo), CustomerName: strings.TrimSpace(in.CustomerName), Phone: in.Phone,
		InstallIncluded: in.InstallationIncluded, Status: config.OrderStatus(in.Status)}
	switch {
	case o.No == "" || len(o.No) > 64:
		return o, bad("order_no", "want 1 to 64 characters")
	case o.CustomerName == "":
		return o, bad("customer_name", "is required")
	case len(store.NormalizePhone(in.Phone)) < 7:
		return o, bad("phone", "want a phone number with at least 7 digits")
	}
	var err error
	if o.Address, o.Region, err = orderPlace(in); err != nil { // providers.go
		return o, err
	}
	if o.PaidOn, err = shopDate("paid_on", in.PaidOn, loc, false); err != nil {
		return o, err
	}
	if o.Deadline, err = shopDate("promised_delivery", in.PromisedDelivery, loc, false); err != nil {
		return o, err
	}
	if o.DeliveredOn, err = shopDate("delivered_on", in.DeliveredOn, loc, false); err != nil {
		return o, err
	}
	switch in.Urgency {
	case "", "normal":
	case "urgent":
		o.Urgent = true
	default:
		return o, bad("urgency", "%q: want normal or urgent", in.Urgency)
	}
	switch o.Status {
	case "":
		o.Status = config.OrderPlaced
	case config.OrderPlaced, config.OrderInProduction, config.OrderShipped, config.OrderDelivered, config.OrderInstalled:
	default:
		return o, bad("status", "%q: want placed, in_production, shipped, delivered or installed", in.Status)
	}
	if len(in.Items) == 0 || len(in.Items) > 500 {
		return o, bad("items", "want 1 to 500 items")
	}
	for i, it := range in.Items {
		item, err := it.record(fmt.Sprintf("items[%d]", i))
		if err != nil {
			return o, err
		}
		if item.Line == 0 {
			item.Line = i + 1
		}
		o.Items = append(o.Items, item)
	}
	return o, o.Validate()
}

func (it ItemIn) record(path string) (store.Item, error) {
	switch {
	case strings.TrimSpace(it.Name) == "":
		return store.Item{}, bad(path+".name", "is required")
	case it.Quantity <= 0 || it.Quantity > 100000:
		return store.Item{}, bad(path+".quantity", "want a whole number from 1 to 100000")
	case it.WarrantyMonths < 0 || it.WarrantyMonths > 600:
		return store.Item{}, bad(path+".warranty_months", "want 0 to 600")
	case it.Line < 0:
		return store.Item{}, bad(path+".line", "cannot be negative")
	}
	switch config.Category(it.Category) {
	case config.Furniture, config.Bathroom, config.Wallpaper, config.BuildingMaterial:
	default:
		return store.Item{}, bad(path+".category", "%q: want furniture, bathroom, wallpaper or building_material", it.Category)
	}
	return store.Item{Line: it.Line, Name: strings.TrimSpace(it.Name), SKU: it.SKU, Quantity: it.Quantity,
		Category: config.Category(it.Category), CustomMade: it.CustomMade, Glass: it.Glass, BatchNo: it.BatchNo,
		WarrantyMonths: it.WarrantyMonths}, nil
}

// ShipmentIn is a shipment as the back office sends it (000 §1.5.2).
type ShipmentIn struct {
	OrderNo         string  `json:"order_no"`
	Carrier         string  `json:"carrier"`
	TrackingNo      string  `json:"tracking_no"`
	CarrierPhone    string  `json:"carrier_phone"`
	Packages        int     `json:"packages"`
	Pieces          int     `json:"pieces"`
	VolumeM3        float64 `json:"volume_m3"`
	FreightFee      float64 `json:"freight_fee"`   // yuan
	PackagingFee    float64 `json:"packaging_fee"` // yuan
	ContainsGlass   bool    `json:"contains_glass"`
	ShippedOn       string  `json:"shipped_on"`
	ExpectedArrival string  `json:"expected_arrival"`
}

func (in ShipmentIn) record(loc *time.Location) (store.Shipment, error) {
	s := store.Shipment{OrderNo: strings.TrimSpace(in.OrderNo), Carrier: strings.TrimSpace(in.Carrier),
		TrackingNo: strings.TrimSpace(in.TrackingNo), CarrierPhone: in.CarrierPhone, Packages: in.Packages,
		Pieces: in.Pieces, VolumeM3: in.VolumeM3, ContainsGlass: in.ContainsGlass}
	switch {
	case s.OrderNo == "":
		return s, bad("order_no", "is required")
	case s.Carrier == "":
		return s, bad("carrier", "is required")
	case s.TrackingNo == "" || len(s.TrackingNo) > 64:
		return s, bad("tracking_no", "want 1 to 64 characters")
	case in.Packages < 0 || in.Packages > 10000:
		return s, bad("packages", "want 0 to 10000")
	case in.Pieces < 0 || in.Pieces > 100000:
		return s, bad("pieces", "want 0 to 100000")
	case in.VolumeM3 < 0 || in.VolumeM3 > 10000 || math.IsNaN(in.VolumeM3):
		return s, bad("volume_m3", "want 0 to 10000 cubic metres")
	}
	var err error
	if s.FreightFeeCents, err = cents("freight_fee", in.FreightFee); err != nil {
		return s, err
	}
	if s.PackagingFeeCents, err = cents("packaging_fee", in.PackagingFee); err != nil {
		return s, err
	}
	if s.ShippedOn, err = shopDate("shipped_on", in.ShippedOn, loc, true); err != nil {
		return s, err
	}
	if s.ExpectedArrival, err = shopDate("expected_arrival", in.ExpectedArrival, loc, true); err != nil {
		return s, err
	}
	if s.ExpectedArrival < s.ShippedOn {
		return s, bad("expected_arrival", "is before shipped_on")
	}
	return s, nil
}

// VisitIn is a finished installation or repair visit.
type VisitIn struct {
	VisitID       string `json:"visit_id"`
	OrderNo       string `json:"order_no"`
	ProviderID    int64  `json:"provider_id,omitempty"`
	Kind          string `json:"kind"` // install or repair
	AppointmentAt string `json:"appointment_at,omitempty"`
	CompletedAt   string `json:"completed_at"`
}

func (in VisitIn) record() (store.Visit, error) {
	v := store.Visit{ID: strings.TrimSpace(in.VisitID), OrderNo: strings.TrimSpace(in.OrderNo), ProviderID: in.ProviderID, Kind: in.Kind}
	switch {
	case v.ID == "" || len(v.ID) > 64:
		return v, bad("visit_id", "want 1 to 64 characters")
	case v.OrderNo == "":
		return v, bad("order_no", "is required")
	case v.Kind != "install" && v.Kind != "repair":
		return v, bad("kind", "%q: want install or repair", in.Kind)
	case in.ProviderID < 0:
		return v, bad("provider_id", "cannot be negative")
	}
	var err error
	if v.AppointmentAt, err = instant("appointment_at", in.AppointmentAt, false); err != nil {
		return v, err
	}
	if v.CompletedAt, err = instant("completed_at", in.CompletedAt, true); err != nil {
		return v, err
	}
	return v, nil
}

// ProviderIn is a provider as the back office sends it.
type ProviderIn struct {
	Name   string `json:"name"`
	Region string `json:"region"`
	// The record of PRV-1 (providers.go).
	Regions []string       `json:"regions,omitempty"` // known cities or "city/district"
	Phone   string         `json:"phone,omitempty"`
	Kind    string         `json:"kind,omitempty"`   // company or individual
	Prices  map[string]int `json:"prices,omitempty"` // yuan per job kind: install, repair
	Hours   string         `json:"hours,omitempty"`  // "HH:MM-HH:MM"
}

func (in ProviderIn) record() (cases.Provider, error) {
	p := cases.Provider{Name: strings.TrimSpace(in.Name), Region: strings.TrimSpace(in.Region)}
	if p.Name == "" || len(p.Name) > 200 {
		return p, bad("name", "want 1 to 200 characters")
	}
	if len(p.Region) > 200 {
		return p, bad("region", "at most 200 characters")
	}
	return p, in.recordFields(&p) // providers.go
}
