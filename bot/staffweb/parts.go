package staffweb

import (
	"net/http"
	"strconv"
	"strings"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
)

// parts is what the case page shows of a repair's parts request (PRT-1 …
// PRT-4) and the forms of its next steps.
type parts struct {
	Lines    []string
	Status   string // in the staff member's words
	Fee      string // parts and service fee, once quoted
	CanAdd   bool
	CanQuote bool
	CanWaive bool // refused, and the viewer is a supervisor or above
	CanPay   bool
	CanShip  bool
	Shipped  string
	DueBack  string
	Returned string
	Charged  string
	CanBack  bool // replaced parts due back, not yet recorded
	Today    string
}

// partsPanel reads the case for the panel, in the staff member's language;
// nil for a case that is no repair.
func partsPanel(c cases.Case, me staff) *parts {
	if c.Kind != config.KindRepair {
		return nil
	}
	l, d := me.L, c.Details
	p := &parts{}
	for _, line := range cases.PartsLines(d) {
		part := line.Name + " (" + line.SKU + ")"
		if line.Free {
			p.Lines = append(p.Lines, l.T("parts.line_free", "Part", part, "Qty", line.Qty))
		} else {
			p.Lines = append(p.Lines, l.T("parts.line_paid", "Part", part, "Qty", line.Qty, "Fee", cases.Yuan(line.FeeCents())))
		}
	}
	st := d[cases.DetailPartsStatus]
	if st != "" {
		p.Status = l.T("staff.parts.status." + st)
	}
	fee, _ := strconv.ParseInt(d[cases.DetailPartsFee], 10, 64)
	service, _ := strconv.ParseInt(d[cases.DetailPartsService], 10, 64)
	if st != "" && st != cases.PartsDraft {
		p.Fee = l.T("staff.parts.fee", "Parts", cases.Yuan(fee), "Service", cases.Yuan(service))
	}
	open := c.Status != cases.Resolved
	switch d[cases.DetailRepairStep] {
	case cases.StepChoseRepair, cases.StepChoseReplace, cases.StepPartsOrdered:
		p.CanAdd = open && (st == "" || st == cases.PartsDraft)
	}
	p.CanQuote = open && st == cases.PartsDraft && fee > 0
	senior := me.Role == cases.Supervisor || me.Role == cases.DutyManager || me.Role == cases.GeneralManager
	p.CanWaive = open && st == cases.PartsRefused && senior
	p.CanPay = open && st == cases.PartsAccepted
	p.CanShip = open && ((st == cases.PartsDraft && fee == 0) || st == cases.PartsPaidSt || st == cases.PartsWaived)
	if st == cases.PartsShipped {
		p.Shipped = l.T("staff.parts.shipped", "Date", d[cases.DetailPartsShipDate], "Tracking", d[cases.DetailPartsTracking])
	}
	if due := d[cases.DetailPartsDueBack]; due != "" {
		p.DueBack = l.T("staff.parts.due_back", "Due", due)
		p.CanBack = d[cases.DetailPartsReturned] == ""
	}
	if at := d[cases.DetailPartsReturned]; at != "" {
		p.Returned = l.T("staff.parts.returned", "Date", at)
	}
	if ch := d[cases.DetailPartsCharged]; ch != "" {
		n, _ := strconv.ParseInt(ch, 10, 64)
		p.Charged = l.T("staff.parts.charged", "Amount", cases.Yuan(n))
	}
	return p
}

// partsValue makes the action's value of the parts forms from their
// fields: "SKU QUANTITY [free|paid]" and "DATE TRACKING".
func partsValue(r *http.Request, kind, value string) string {
	field := func(name string) string { return strings.TrimSpace(r.FormValue(name)) }
	switch {
	case kind == bot.ActPartsAdd && value == "":
		return strings.TrimSpace(field("sku") + " " + field("qty") + " " + field("warranty"))
	case kind == bot.ActPartsShip && value == "":
		return strings.TrimSpace(field("ship_date") + " " + field("tracking"))
	}
	return value
}
