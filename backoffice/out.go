package backoffice

import (
	"time"

	"frontdesk/cases"
	"frontdesk/store"
)

// The JSON the API answers with: snake_case, dates as YYYY-MM-DD, times as
// RFC 3339 in UTC, amounts in yuan.

func orderOut(o store.Order) map[string]any {
	items := make([]map[string]any, 0, len(o.Items))
	for _, it := range o.Items {
		items = append(items, map[string]any{"line": it.Line, "name": it.Name, "sku": it.SKU, "quantity": it.Quantity,
			"category": it.Category, "custom_made": it.CustomMade, "glass": it.Glass, "batch_no": it.BatchNo,
			"warranty_months": it.WarrantyMonths})
	}
	urgency := "normal"
	if o.Urgent {
		urgency = "urgent"
	}
	return map[string]any{"order_no": o.No, "customer_name": o.CustomerName, "phone": o.Phone, "paid_on": o.PaidOn,
		"promised_delivery": o.Deadline, "urgency": urgency, "installation_included": o.InstallIncluded,
		"status": o.Status, "items": items, "updated_at": stamp(o.UpdatedAt), "delivered_on": o.DeliveredOn,
		"address": o.Address, "region": o.Region}
}

func shipmentsOut(ss []store.Shipment) []map[string]any {
	out := make([]map[string]any, 0, len(ss))
	for _, s := range ss {
		out = append(out, map[string]any{"order_no": s.OrderNo, "carrier": s.Carrier, "tracking_no": s.TrackingNo,
			"carrier_phone": s.CarrierPhone, "packages": s.Packages, "pieces": s.Pieces, "volume_m3": s.VolumeM3,
			"freight_fee": float64(s.FreightFeeCents) / 100, "packaging_fee": float64(s.PackagingFeeCents) / 100,
			"contains_glass": s.ContainsGlass, "shipped_on": s.ShippedOn, "expected_arrival": s.ExpectedArrival,
			"notice_sent_at": stamp(s.NoticeSentAt)})
	}
	return out
}

func providerOut(p cases.Provider) map[string]any {
	kind := "individual"
	if p.Company {
		kind = "company"
	}
	prices := p.Prices
	if prices == nil {
		prices = map[string]int{}
	}
	regions := p.Regions
	if regions == nil {
		regions = []string{}
	}
	return map[string]any{"id": p.ID, "name": p.Name, "region": p.Region, "stars": p.Stars, "visits": p.Visits,
		"last_visit_summary": p.LastSummary, "regions": regions, "phone": p.Phone, "kind": kind, "prices": prices,
		"hours": p.Hours, "first_time": p.Jobs == 0, "jobs": p.Jobs, "flagged": p.Flagged, "flag_note": p.FlagNote}
}

func caseOut(c cases.Case) map[string]any {
	return map[string]any{"number": c.Number, "kind": c.Kind, "order_no": c.OrderNo, "customer_name": c.CustomerName,
		"phone": c.Phone, "status": c.Status, "severity": c.Severity, "classification": c.Classification,
		"remedy": c.Remedy, "assignee": c.Assignee, "description": c.Description, "cause": c.Cause, "action": c.Action,
		"details": c.Details, "created_at": stamp(c.CreatedAt), "updated_at": stamp(c.UpdatedAt), "resolved_at": stamp(c.ResolvedAt)}
}

func eventsOut(es []store.CaseEvent) []map[string]any {
	out := make([]map[string]any, 0, len(es))
	for _, e := range es {
		m := map[string]any{"at": stamp(e.At), "actor": e.Actor, "kind": e.Kind, "body": e.Body}
		if e.PhotoID != 0 {
			m["photo_id"] = e.PhotoID
		}
		out = append(out, m)
	}
	return out
}

func stamp(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(time.RFC3339)
}
