package conversations

import (
	"errors"
	"strings"
)

// listOrders answers "where is my order" for a verified customer: the one
// order directly, or a choice among theirs (rules DLV-7, ID-3).
func (d *dialog) listOrders() error {
	orders, err := d.env.Lookup.OrdersByPhone(d.ctx, d.st.Verified.Phone)
	if err != nil {
		return errLookup("orders", err)
	}
	switch len(orders) {
	case 0:
		d.say(d.t("where.none"), backButtons(d.lang()))
		return nil
	case 1:
		d.say(d.orderText(orders[0]), backButtons(d.lang()))
		return nil
	}
	d.st.Flow, d.st.Step = flowWhere, stepChoose
	d.say(d.t("where.choose"), d.orderButtons(orders))
	return nil
}

func (d *dialog) orderButtons(orders []Order) [][]Button {
	rows := make([][]Button, 0, len(orders)+1)
	for _, o := range orders {
		label := o.No
		if len(o.Items) > 0 {
			label += " · " + truncateRunes(o.Items[0].Name, 20)
		}
		rows = append(rows, []Button{{Label: label, Data: prefixOrder + o.No}})
	}
	return append(rows, backButtons(d.lang())[0])
}

// showOrder shows one order, but only one of the verified customer's own:
// whatever number is typed or sent as button data, another customer's order
// is answered exactly like one that does not exist (rule ID-3).
func (d *dialog) showOrder(no string) error {
	if d.st.Verified == nil {
		return d.start(pendingWhere)
	}
	no = strings.ToUpper(strings.TrimSpace(no))
	orders, err := d.env.Lookup.OrdersByPhone(d.ctx, d.st.Verified.Phone)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return errLookup("orders", err)
	}
	for _, o := range orders {
		if strings.EqualFold(o.No, no) {
			d.reset()
			d.say(d.orderText(o), backButtons(d.lang()))
			return nil
		}
	}
	d.say(d.t("where.not_yours"), d.orderButtons(orders))
	return nil
}

func (d *dialog) orderText(o Order) string {
	deadline := o.Deadline
	if deadline == "" {
		deadline = d.t("deadline.none")
	}
	names := make([]string, len(o.Items))
	for i, it := range o.Items {
		names[i] = it.Name
	}
	items := strings.Join(names, "、")
	if d.lang() == En {
		items = strings.Join(names, ", ")
	}
	var b strings.Builder
	b.WriteString(d.t("where.order", Args{"Order": o.No, "Items": items, "Status": label(d.lang(), "order.", o.Status),
		"Deadline": deadline}))
	if len(o.Shipments) == 0 {
		b.WriteString("\n" + d.t("where.not_shipped"))
	}
	for _, s := range o.Shipments {
		b.WriteString("\n" + d.shipmentLine(s))
	}
	return b.String()
}

// shipmentLine is one shipment's carrier, tracking number, phone and
// expected arrival.
func (d *dialog) shipmentLine(s Shipment) string {
	return d.t("where.shipment", Args{"Carrier": s.Carrier, "Tracking": s.TrackingNo, "Phone": s.CarrierPhone,
		"Expected": s.ExpectedArrival})
}

// showStatus lists the verified customer's open cases (/status).
func (d *dialog) showStatus() error {
	cases, err := d.env.Lookup.OpenCases(d.ctx, d.st.Verified.Phone)
	if err != nil {
		return errLookup("cases", err)
	}
	if len(cases) == 0 {
		d.say(d.t("status.none"), backButtons(d.lang()))
		return nil
	}
	lines := []string{d.t("status.header")}
	for _, c := range cases {
		lines = append(lines, d.t("status.line", Args{"Case": c.Number, "Kind": label(d.lang(), "kind.", c.Kind),
			"Status": label(d.lang(), "case.", c.Status), "Opened": c.CreatedAt.In(d.env.loc()).Format("2006-01-02")}))
	}
	d.say(strings.Join(lines, "\n"), backButtons(d.lang()))
	return nil
}
