package conversations

import (
	"strings"
	"time"
)

// Delivery dates that move (000 §1.3.1, §1.4.2, §1.4.3; 002 三(二)): what the
// customer is told when staff agree a new date or declare a delay risk, the
// service preview of a new order, and the question whether a shipment may
// arrive earlier than agreed.

// flowEarly asks whether a shipment may arrive earlier than agreed.
const flowEarly = "early"

func init() { flows[flowEarly] = earlyFlow() }

// EarlyMarginDays is how much earlier than the promised date a delivery may
// come without asking: the week before the date is the delivery week
// (000 §1.4.1: two weeks of lead, one of them transport). Earlier than that
// is earlier than agreed and needs the customer's consent (DLV-12).
const EarlyMarginDays = 7

// EarlyShipment reports whether a shipment expected on `expected` comes
// earlier than agreed for an order promised for `deadline` (both shop
// dates, YYYY-MM-DD): more than EarlyMarginDays before it. An order without
// a date, or a date that does not parse, asks nothing.
func EarlyShipment(deadline, expected string) bool {
	d, err1 := time.Parse("2006-01-02", deadline)
	e, err2 := time.Parse("2006-01-02", expected)
	if err1 != nil || err2 != nil {
		return false
	}
	return e.Before(d.AddDate(0, 0, -EarlyMarginDays))
}

// Delivered records that the customer said at the arrival check that the
// goods arrived (DLV-10): the desk keeps the day on the order.
type Delivered struct {
	OrderNo string
}

// EarlyAnswered is the customer's answer about a shipment earlier than
// agreed (DLV-12): yes makes its expected day the agreed date; staff hear
// the answer either way.
type EarlyAnswered struct {
	OrderNo    string
	TrackingNo string
	Expected   string
	Yes        bool
}

func (Delivered) isEffect()     {}
func (EarlyAnswered) isEffect() {}

// DeadlineNotice tells the customer their order's new promised date at once:
// a delay risk declared before the date (DLV-9), with an apology, or a new
// date agreed with them (DLV-8). Dates are shop dates.
func DeadlineNotice(lang Lang, orderNo, oldDate, newDate string, risk bool) string {
	if risk {
		return T(lang, "deadline.risk", Args{"Order": orderNo, "Old": oldDate, "New": newDate})
	}
	return T(lang, "deadline.agreed", Args{"Order": orderNo, "New": newDate})
}

// ServicePreview is the message of a new order (002 三(二), DLV-11): the
// delivery cycle and how to prepare for it (space cleared, old furniture
// removed), and the installation visit when it is included.
func ServicePreview(lang Lang, o Order) string {
	var b strings.Builder
	b.WriteString(T(lang, "preview.intro", Args{"Order": o.No}))
	b.WriteString("\n")
	if o.Deadline != "" {
		b.WriteString(T(lang, "preview.cycle", Args{"Deadline": o.Deadline}))
	} else {
		b.WriteString(T(lang, "preview.cycle_open"))
	}
	b.WriteString("\n\n" + T(lang, "preview.prepare"))
	if o.InstallIncluded {
		b.WriteString("\n" + T(lang, "preview.install"))
	}
	return b.String()
}

// EarlyConsent asks the customer whether a shipment may arrive earlier than
// the agreed date (000 §1.4.3, DLV-12), with yes / no buttons.
func EarlyConsent(orderNo, trackingNo, expected, deadline string) Starter {
	return func(d *dialog) error {
		return d.startFlowWith(flowEarly, Draft{OrderNo: orderNo,
			Answers: map[string]string{"tracking": trackingNo, "expected": expected, "deadline": deadline}})
	}
}

func earlyFlow() *flowDef {
	return &flowDef{name: flowEarly, questions: []question{
		{key: "early", prompt: func(d *dialog) string {
			return d.t("early.ask", Args{"Order": d.draft().OrderNo, "Expected": d.answer("expected"), "Deadline": d.answer("deadline")})
		}, options: fixed("early.", "yes", "no")},
	}, finish: func(d *dialog) error {
		dr := d.draft()
		yes := dr.Answers["early"] == "yes"
		d.effects = append(d.effects, EarlyAnswered{OrderNo: dr.OrderNo, TrackingNo: dr.Answers["tracking"],
			Expected: dr.Answers["expected"], Yes: yes})
		if yes {
			d.say(d.t("early.agreed", Args{"Expected": dr.Answers["expected"]}), backButtons(d.lang()))
			return nil
		}
		d.say(d.t("early.declined", Args{"Deadline": dr.Answers["deadline"]}), backButtons(d.lang()))
		return nil
	}}
}
