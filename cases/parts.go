package cases

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"frontdesk/config"
)

// The spare-parts procedure of 003 (材料处理, 材料收费): on a repair case
// staff add parts lines with the warranty decided from the item; parts in
// warranty are free, parts out of warranty are charged at the price list
// and the fee is agreed with the customer in the chat (a refusal goes to a
// supervisor); paid parts ship after the payment is recorded; the customer
// gets the ship date and the tracking number; parts given free in warranty
// replace parts that are due back by a date, and are charged when they are
// not returned (PRT-1 … PRT-6).

// The verbs of the parts procedure.
const (
	// PartsAdd adds a parts line; Value is "SKU QUANTITY", with "free" or
	// "paid" after it only where the warranty is still to be checked.
	PartsAdd Verb = "parts_add"
	// PartsQuote sends the customer the fee of the parts out of warranty
	// to accept or refuse; AmountYuan is the service fee (none at a
	// call-back visit: Value "callback").
	PartsQuote Verb = "parts_quote"
	// PartsAccept and PartsRefuse are the customer's answer to the fee.
	PartsAccept Verb = "parts_accept"
	PartsRefuse Verb = "parts_refuse"
	// PartsWaive is a supervisor's decision after a refusal: the parts go
	// free; Value is the reason.
	PartsWaive Verb = "parts_waive"
	// PartsPaid records the customer's payment of the fee; Value is the
	// payment's reference, if any.
	PartsPaid Verb = "parts_paid"
	// PartsShip records the parts shipped; Value is "YYYY-MM-DD TRACKING".
	PartsShip Verb = "parts_ship"
	// PartsReturned records the replaced parts back at the warehouse.
	PartsReturned Verb = "parts_returned"
	// PartsRemind reminds the customer and the provider of the replaced
	// parts due back (the scheduler).
	PartsRemind Verb = "parts_remind"
	// PartsCharge charges replaced parts not returned by their date (the
	// scheduler).
	PartsCharge Verb = "parts_charge"
)

// Details keys of the parts procedure.
const (
	DetailPartsStatus   = "parts_status"    // draft, quoted, accepted, refused, waived, paid, shipped
	DetailPartsLines    = "parts_lines"     // the lines, "SKU|name|qty|unit cents|free" each, ";"-separated (PartsLines)
	DetailPartsFee      = "parts_fee_cents" // the parts out of warranty at the price list
	DetailPartsService  = "parts_service_cents"
	DetailPartsFreeVal  = "parts_free_cents" // the price-list value of the parts given free in warranty
	DetailPartsShipDate = "parts_ship_date"
	DetailPartsTracking = "parts_tracking"
	DetailPartsDueBack  = "parts_due_back" // the date the replaced parts are due back, "" when none are
	DetailPartsReturned = "parts_returned" // the date they came back
	DetailPartsCharged  = "parts_charged"  // cents charged for parts not returned
	DetailPartsReminded = "parts_reminded" // the date of the last reminder
)

// The statuses of a parts request.
const (
	PartsDraft    = "draft"
	PartsQuoted   = "quoted"
	PartsAccepted = "accepted"
	PartsRefused  = "refused"
	PartsWaived   = "waived"
	PartsPaidSt   = "paid"
	PartsShipped  = "shipped"
)

// MaxPartQty is the largest quantity of one parts line.
const MaxPartQty = 99

// PartPrice is a line of the parts price list (零部件价格表, PRT-5).
type PartPrice struct {
	SKU        string
	Name       string
	PriceCents int64
}

// AddPartLine keeps a parts line of the case (for the monthly counts).
type AddPartLine struct {
	SKU       string
	Name      string
	Qty       int
	Warranty  bool  // in warranty: free, and the replaced part is due back
	UnitCents int64 // the price-list price
	FeeCents  int64 // what the customer pays for the line: 0 in warranty
}

// AskPartsFee asks the customer to accept or refuse the fee (PRT-2).
type AskPartsFee struct {
	Lines        []PartsLine
	PartsCents   int64
	ServiceCents int64
}

// PartsLine is a parts line as the case keeps it.
type PartsLine struct {
	SKU       string
	Name      string
	Qty       int
	UnitCents int64
	Free      bool // in warranty
}

// FeeCents is what the customer pays for the line.
func (l PartsLine) FeeCents() int64 {
	if l.Free {
		return 0
	}
	return l.UnitCents * int64(l.Qty)
}

// PartsLines reads the parts lines a case keeps in its details.
func PartsLines(details map[string]string) []PartsLine {
	var out []PartsLine
	for _, raw := range strings.Split(details[DetailPartsLines], ";") {
		f := strings.Split(raw, "|")
		if len(f) != 5 {
			continue
		}
		qty, _ := strconv.Atoi(f[2])
		unit, _ := strconv.ParseInt(f[3], 10, 64)
		out = append(out, PartsLine{SKU: f[0], Name: f[1], Qty: qty, UnitCents: unit, Free: f[4] == "1"})
	}
	return out
}

func (l PartsLine) encode() string {
	free := "0"
	if l.Free {
		free = "1"
	}
	name := strings.NewReplacer("|", "/", ";", ",").Replace(l.Name)
	return strings.Join([]string{l.SKU, name, strconv.Itoa(l.Qty), strconv.FormatInt(l.UnitCents, 10), free}, "|")
}

// TellPartsShipped tells the customer the ship date and the tracking
// number, and the date the replaced parts are due back (PRT-3, PRT-4).
type TellPartsShipped struct {
	Date     string
	Tracking string
	DueBack  string
}

// TellPartsDue reminds the customer of replaced parts due back (PRT-4).
type TellPartsDue struct{ DueBack string }

// PartsLinesShipped marks the case's parts lines shipped on Date, those in
// warranty due back by DueBack ("" when none).
type PartsLinesShipped struct{ Date, DueBack string }

// PartsLinesReturned marks the replaced parts returned at At.
type PartsLinesReturned struct{ At time.Time }

// PartsLinesCharged marks the replaced parts charged at At.
type PartsLinesCharged struct{ At time.Time }

func (AddPartLine) isEffect()        {}
func (AskPartsFee) isEffect()        {}
func (TellPartsShipped) isEffect()   {}
func (TellPartsDue) isEffect()       {}
func (PartsLinesShipped) isEffect()  {}
func (PartsLinesReturned) isEffect() {}
func (PartsLinesCharged) isEffect()  {}

// IsPartsVerb reports whether v is a verb of the parts procedure.
func IsPartsVerb(v Verb) bool {
	switch v {
	case PartsAdd, PartsQuote, PartsAccept, PartsRefuse, PartsWaive, PartsPaid, PartsShip, PartsReturned, PartsRemind, PartsCharge:
		return true
	}
	return false
}

// mayParts says who takes the parts verbs: the customer answers the fee,
// a supervisor or above waives it after a refusal, the scheduler reminds
// and charges.
func (r Role) mayParts(v Verb) (may, ok bool) {
	switch v {
	case PartsAccept, PartsRefuse:
		return r == Customer, true
	case PartsWaive:
		return r == Supervisor || r == DutyManager || r == GeneralManager, true
	case PartsRemind, PartsCharge:
		return r == System, true
	case PartsAdd, PartsQuote, PartsPaid, PartsShip, PartsReturned:
		return r.Valid(), true
	}
	return false, false
}

var skuPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$`)

// ValidSKU reports whether s looks like a part number: 1 to 40 letters,
// digits, dots, dashes, slashes and underscores.
func ValidSKU(s string) bool { return skuPattern.MatchString(s) }

// ParsePartsLine reads "SKU QUANTITY [free|paid]".
func ParsePartsLine(v string) (sku string, qty int, warranty string, err error) {
	f := strings.Fields(v)
	if len(f) < 2 || len(f) > 3 {
		return "", 0, "", Errorf(Invalid, "parts line %q: want \"SKU QUANTITY\"", v)
	}
	sku = strings.ToUpper(f[0])
	if !ValidSKU(sku) {
		return "", 0, "", Errorf(Invalid, "SKU %q: want 1 to 40 letters, digits or dashes", f[0])
	}
	qty, perr := strconv.Atoi(f[1])
	if perr != nil || qty < 1 || qty > MaxPartQty {
		return "", 0, "", Errorf(Invalid, "quantity %q: want a whole number from 1 to %d", f[1], MaxPartQty)
	}
	if len(f) == 3 {
		warranty = strings.ToLower(f[2])
		if warranty != "free" && warranty != "paid" {
			return "", 0, "", Errorf(Invalid, "warranty %q: want free or paid", f[2])
		}
	}
	return sku, qty, warranty, nil
}

// PartsInWarranty decides whether parts of a repair are free from the
// warranty the repair dialog found for the item (REP-5): free in warranty;
// paid when it ran out or an exclusion of 003 材料收费 applies; decided by
// staff ("free" or "paid") when it is still to be checked (PRT-1, PRT-6).
func PartsInWarranty(itemWarranty, staffSays string) (free bool, err error) {
	switch itemWarranty {
	case "free":
		return true, nil
	case "paid_expired", "paid_excluded":
		return false, nil
	}
	switch staffSays {
	case "free":
		return true, nil
	case "paid":
		return false, nil
	}
	return false, Errorf(Conflict, "the warranty of this item is still to be checked: add the line as \"SKU QUANTITY free\" or \"SKU QUANTITY paid\"")
}

// Yuan formats cents as yuan: "12.50".
func Yuan(cents int64) string { return fmt.Sprintf("%d.%02d", cents/100, cents%100) }

func (d *decision) cents(key string) int64 {
	n, _ := strconv.ParseInt(d.c.Details[key], 10, 64)
	return n
}

func (d *decision) setCents(key string, n int64) { d.c.Details[key] = strconv.FormatInt(n, 10) }

// parts decides the verbs of this file.
func (d *decision) parts() error {
	if d.c.Kind != config.KindRepair {
		return Errorf(Conflict, "case %s is a %s case: parts are requested on a repair case", d.c.Number, d.c.Kind)
	}
	if d.c.Status == Resolved && d.a.Verb != PartsReturned && d.a.Verb != PartsRemind && d.a.Verb != PartsCharge {
		return Errorf(Conflict, "case %s is resolved: reopen it first", d.c.Number)
	}
	switch d.a.Verb {
	case PartsAdd:
		return d.partsAdd()
	case PartsQuote:
		return d.partsQuote()
	case PartsAccept, PartsRefuse:
		return d.partsAnswer()
	case PartsWaive:
		return d.partsWaive()
	case PartsPaid:
		return d.partsPaid()
	case PartsShip:
		return d.partsShip()
	case PartsReturned:
		return d.partsReturned()
	case PartsRemind:
		return d.partsRemind()
	}
	return d.partsCharge()
}

func (d *decision) partsStatus() string { return d.c.Details[DetailPartsStatus] }

// partsAdd adds a line at the parts step of the repair call flow (REP-6),
// before the fee is quoted (PRT-1).
func (d *decision) partsAdd() error {
	sku, qty, says, err := ParsePartsLine(d.a.Value)
	if err != nil {
		return err
	}
	if st := d.partsStatus(); st != "" && st != PartsDraft {
		return Errorf(Conflict, "case %s: the parts request is %s already; no more lines", d.c.Number, st)
	}
	switch d.c.Details[DetailRepairStep] {
	case StepChoseRepair, StepChoseReplace, StepPartsOrdered:
	default:
		return Errorf(Conflict, "case %s: parts come at the parts step of the repair call flow, after repair or replace is chosen", d.c.Number)
	}
	p := d.a.Part
	if p == nil {
		return Errorf(NotFound, "SKU %s is not in the parts price list", sku)
	}
	free, err := PartsInWarranty(d.c.Details["warranty"], says)
	if err != nil {
		return err
	}
	line := AddPartLine{SKU: p.SKU, Name: p.Name, Qty: qty, Warranty: free, UnitCents: p.PriceCents}
	text := fmt.Sprintf("%s %s × %d: ", p.SKU, p.Name, qty)
	key, kv := "staff.life.parts_line_free", []any{"SKU", p.SKU, "Name", p.Name, "Qty", qty}
	if free {
		d.setCents(DetailPartsFreeVal, d.cents(DetailPartsFreeVal)+p.PriceCents*int64(qty))
		text += "in warranty, free"
	} else {
		line.FeeCents = p.PriceCents * int64(qty)
		d.setCents(DetailPartsFee, d.cents(DetailPartsFee)+line.FeeCents)
		text += fmt.Sprintf("¥%s (¥%s each)", Yuan(line.FeeCents), Yuan(p.PriceCents))
		key, kv = "staff.life.parts_line_fee", append(kv, "Fee", Yuan(line.FeeCents), "Each", Yuan(p.PriceCents))
	}
	if d.c.Details[DetailPartsLines] != "" {
		d.c.Details[DetailPartsLines] += ";"
	}
	d.c.Details[DetailPartsLines] += PartsLine{SKU: p.SKU, Name: p.Name, Qty: qty, UnitCents: p.PriceCents, Free: free}.encode()
	d.c.Details[DetailPartsStatus] = PartsDraft
	d.recordSaid("parts_line", text, key, kv...)
	d.emit(line)
	return nil
}

// partsQuote sends the fee to the customer to agree in the chat (PRT-2).
// A call-back visit costs no service fee, and a repair with every part in
// warranty none either (PRT-6).
func (d *decision) partsQuote() error {
	st := d.partsStatus()
	switch {
	case st == PartsRefused && !(d.by.Role == Supervisor || d.by.Role == DutyManager || d.by.Role == GeneralManager):
		return Errorf(Forbidden, "case %s: the customer refused the fee; a supervisor decides what follows", d.c.Number)
	case st != PartsDraft && st != PartsRefused:
		if st == "" {
			return Errorf(Conflict, "case %s has no parts lines to quote", d.c.Number)
		}
		return Errorf(Conflict, "case %s: the parts request is %s already", d.c.Number, st)
	}
	fee := d.cents(DetailPartsFee)
	if fee == 0 {
		return Errorf(Conflict, "case %s: every part is in warranty and free; there is no fee to agree, ship them", d.c.Number)
	}
	// Value: "callback" for a call-back visit and/or the service fee in
	// yuan, as a Slack thread command gives it; AmountYuan as a form does.
	serviceYuan, callback := d.a.AmountYuan, false
	for _, f := range strings.Fields(d.a.Value) {
		n, err := strconv.Atoi(f)
		switch {
		case f == "callback":
			callback = true
		case err == nil && serviceYuan == 0:
			serviceYuan = n
		default:
			return Errorf(Invalid, "quote %q: want the service fee in yuan, and \"callback\" for a call-back visit", d.a.Value)
		}
	}
	if serviceYuan < 0 || serviceYuan > 100000 {
		return Errorf(Invalid, "service fee %d: want 0 to 100000 yuan", serviceYuan)
	}
	if callback && serviceYuan > 0 {
		return Errorf(Invalid, "a call-back visit costs no service fee (003 材料收费 1d): quote the parts alone")
	}
	if d.c.Channel == "" || d.c.ChatID == "" {
		return Errorf(Conflict, "case %s has no customer chat to agree the fee in; agree it another way", d.c.Number)
	}
	service := int64(serviceYuan) * 100
	d.setCents(DetailPartsService, service)
	d.c.Details[DetailPartsStatus] = PartsQuoted
	d.recordSaid("parts_quoted", fmt.Sprintf("parts ¥%s + service ¥%s, asked in the chat", Yuan(fee), Yuan(service)),
		"staff.life.parts_quoted", "Parts", Yuan(fee), "Service", Yuan(service))
	d.emit(AskPartsFee{Lines: PartsLines(d.c.Details), PartsCents: fee, ServiceCents: service})
	return nil
}

// partsAnswer records the customer's answer; a refusal goes to a
// supervisor (PRT-2).
func (d *decision) partsAnswer() error {
	if d.partsStatus() != PartsQuoted {
		return Errorf(Conflict, "case %s: no parts fee is waiting for an answer", d.c.Number)
	}
	total := Yuan(d.cents(DetailPartsFee) + d.cents(DetailPartsService))
	if d.a.Verb == PartsAccept {
		d.c.Details[DetailPartsStatus] = PartsAccepted
		d.recordSaid("parts_fee_accepted", "¥"+total, "staff.life.parts_accepted", "Total", total)
		key, args := said("staff.life.parts_accepted_post", "Total", total, "Case", d.c.Number)
		d.emit(ToThread{Text: fmt.Sprintf("💴 The customer accepted the parts fee of ¥%s for case %s; record the payment, then ship.", total, d.c.Number),
			Key: key, Args: args})
		return nil
	}
	d.c.Details[DetailPartsStatus] = PartsRefused
	text := fmt.Sprintf("💴 Supervisor needed: the customer refused the parts fee of ¥%s for case %s (%s). Waive it or quote again.", total, d.c.Number, d.c.CustomerName)
	d.recordSaid("parts_fee_refused", "¥"+total, "staff.life.parts_refused", "Total", total)
	key, args := said("staff.life.parts_refused_post", "Total", total, "Case", d.c.Number, "Customer", d.c.CustomerName)
	d.emit(ToManagers{Text: text, Key: key, Args: args}, ToThread{Text: text, Mentions: []string{"<!channel>"}, Key: key, Args: args})
	return nil
}

func (d *decision) partsWaive() error {
	if d.partsStatus() != PartsRefused {
		return Errorf(Conflict, "case %s: only a refused parts fee is waived", d.c.Number)
	}
	reason, err := d.text("the reason", 500)
	if err != nil {
		return err
	}
	d.c.Details[DetailPartsStatus] = PartsWaived
	d.record("parts_fee_waived", reason)
	return nil
}

func (d *decision) partsPaid() error {
	if d.partsStatus() != PartsAccepted {
		return Errorf(Conflict, "case %s: a payment is recorded after the customer accepted the fee", d.c.Number)
	}
	ref := strings.TrimSpace(d.a.Value)
	if len(ref) > 100 {
		return Errorf(Invalid, "the payment reference needs at most 100 bytes")
	}
	d.c.Details[DetailPartsStatus] = PartsPaidSt
	paid := Yuan(d.cents(DetailPartsFee) + d.cents(DetailPartsService))
	d.recordSaid("parts_paid", strings.TrimSpace("¥"+paid+" "+ref), "staff.life.parts_paid", "Amount", paid, "Ref", ref)
	return nil
}

// partsShip records the parts shipped, after payment when any is charged
// (PRT-1), tells the customer the date and tracking (PRT-3) and sets the
// date the replaced parts in warranty are due back (PRT-4).
func (d *decision) partsShip() error {
	st := d.partsStatus()
	switch {
	case st == "":
		return Errorf(Conflict, "case %s has no parts lines to ship", d.c.Number)
	case st == PartsShipped:
		return Errorf(Conflict, "case %s: the parts are shipped already", d.c.Number)
	case st == PartsDraft && d.cents(DetailPartsFee) > 0, st == PartsQuoted, st == PartsAccepted, st == PartsRefused:
		return Errorf(Conflict, "case %s: parts out of warranty ship after the payment is recorded", d.c.Number)
	}
	f := strings.Fields(d.a.Value)
	if len(f) != 2 {
		return Errorf(Invalid, "shipment %q: want \"YYYY-MM-DD TRACKING\"", d.a.Value)
	}
	loc := d.p.Location
	if loc == nil {
		loc = time.UTC
	}
	day, err := time.ParseInLocation("2006-01-02", f[0], loc)
	if err != nil {
		return Errorf(Invalid, "ship date %q: want YYYY-MM-DD", f[0])
	}
	tracking := strings.ToUpper(f[1])
	if !ValidTracking(tracking) {
		return Errorf(Invalid, "tracking number %q: want 4 to 40 letters, digits or dashes", f[1])
	}
	due := ""
	if d.cents(DetailPartsFreeVal) > 0 {
		days := d.p.PartsReturnDays
		if days <= 0 {
			days = 30
		}
		due = day.AddDate(0, 0, days).Format("2006-01-02")
	}
	d.c.Details[DetailPartsStatus] = PartsShipped
	d.c.Details[DetailPartsShipDate], d.c.Details[DetailPartsTracking], d.c.Details[DetailPartsDueBack] = f[0], tracking, due
	detail := f[0] + " " + tracking
	key, kv := "staff.life.parts_shipped", []any{"Date", f[0], "Tracking", tracking}
	if due != "" {
		detail += ", replaced parts due back by " + due
		key, kv = "staff.life.parts_shipped_due", append(kv, "Due", due)
	}
	d.recordSaid("parts_shipped", detail, key, kv...)
	d.emit(PartsLinesShipped{Date: f[0], DueBack: due})
	if d.c.Channel != "" && d.c.ChatID != "" {
		d.emit(TellPartsShipped{Date: f[0], Tracking: tracking, DueBack: due})
	}
	return nil
}

// dueBackPassed reports whether the replaced parts' date has passed at now.
func (d *decision) dueBackPassed() bool {
	loc := d.p.Location
	if loc == nil {
		loc = time.UTC
	}
	due, err := time.ParseInLocation("2006-01-02", d.c.Details[DetailPartsDueBack], loc)
	return err == nil && !d.now.Before(due.AddDate(0, 0, 1))
}

// partsReturned records the replaced parts back; a late return is charged
// as one never returned, unless the charge is recorded already (PRT-4).
func (d *decision) partsReturned() error {
	if d.c.Details[DetailPartsDueBack] == "" {
		return Errorf(Conflict, "case %s: no replaced parts are due back", d.c.Number)
	}
	if d.c.Details[DetailPartsReturned] != "" {
		return Errorf(Conflict, "case %s: the replaced parts were recorded returned on %s already", d.c.Number, d.c.Details[DetailPartsReturned])
	}
	today := d.now.In(d.loc()).Format("2006-01-02")
	d.c.Details[DetailPartsReturned] = today
	late := d.dueBackPassed()
	if late {
		d.recordSaid("parts_returned", "late, due "+d.c.Details[DetailPartsDueBack], "staff.life.parts_returned_late", "Due", d.c.Details[DetailPartsDueBack])
	} else {
		d.recordSaid("parts_returned", "on time", "staff.life.parts_returned")
	}
	d.emit(PartsLinesReturned{At: d.now})
	if late && d.c.Details[DetailPartsCharged] == "" {
		d.charge(true)
	}
	return nil
}

// partsRemind reminds the customer (in the chat) and the provider (in the
// thread, for the assignee to call) of replaced parts due back (PRT-4).
func (d *decision) partsRemind() error {
	if d.c.Details[DetailPartsDueBack] == "" || d.c.Details[DetailPartsReturned] != "" || d.c.Details[DetailPartsCharged] != "" {
		return Errorf(Conflict, "case %s: no replaced parts are waiting to come back", d.c.Number)
	}
	today := d.now.In(d.loc()).Format("2006-01-02")
	if d.c.Details[DetailPartsReminded] == today {
		return Errorf(Conflict, "case %s: reminded today already", d.c.Number)
	}
	d.c.Details[DetailPartsReminded] = today
	who := d.c.Assignee
	if who == "" {
		who = "<!channel>"
	}
	provider := d.c.Details["provider"]
	if provider == "" {
		provider = "the provider"
	}
	due := d.c.Details[DetailPartsDueBack]
	text := fmt.Sprintf("🔧 %s: the replaced parts of case %s are due back by %s; remind %s.", who, d.c.Number, due, provider)
	d.recordSaid("parts_reminded", "due back by "+due, "staff.life.parts_reminded", "Due", due)
	key, args := said("staff.life.parts_reminded_post", "Who", who, "Case", d.c.Number, "Due", due, "Provider", d.c.Details["provider"])
	d.emit(ToThread{Text: text, Mentions: []string{who}, Key: key, Args: args})
	if d.c.Channel != "" && d.c.ChatID != "" {
		d.emit(TellPartsDue{DueBack: d.c.Details[DetailPartsDueBack]})
	}
	return nil
}

// partsCharge charges replaced parts not returned by their date: kept,
// they are paid for at the price list (003 材料处理 二, PRT-4).
func (d *decision) partsCharge() error {
	if d.c.Details[DetailPartsDueBack] == "" || d.c.Details[DetailPartsReturned] != "" || d.c.Details[DetailPartsCharged] != "" {
		return Errorf(Conflict, "case %s: no replaced parts are overdue to charge", d.c.Number)
	}
	if !d.dueBackPassed() {
		return Errorf(Conflict, "case %s: the replaced parts are due back by %s; not yet", d.c.Number, d.c.Details[DetailPartsDueBack])
	}
	d.charge(false)
	return nil
}

// charge charges the replaced parts kept: returned late, or not returned
// by their date.
func (d *decision) charge(late bool) {
	amount, due := d.cents(DetailPartsFreeVal), d.c.Details[DetailPartsDueBack]
	d.setCents(DetailPartsCharged, amount)
	why, key := "not returned by "+due, "staff.life.parts_charged"
	if late {
		why, key = "returned late", "staff.life.parts_charged_late"
	}
	text := fmt.Sprintf("💴 Replaced parts of case %s %s: charged ¥%s at the price list.", d.c.Number, why, Yuan(amount))
	d.recordSaid("parts_charged", fmt.Sprintf("¥%s, %s", Yuan(amount), why), key, "Amount", Yuan(amount), "Due", due)
	postKey, args := said(key+"_post", "Case", d.c.Number, "Amount", Yuan(amount), "Due", due)
	d.emit(ToThread{Text: text, Key: postKey, Args: args}, PartsLinesCharged{At: d.now})
}
