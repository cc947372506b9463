package cases

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// The verbs that move an order's promised date from a case (000 §1.3.1,
// §1.4.2). Value is "YYYY-MM-DD why", the new date and the reason.
const (
	NewDate   Verb = "new_date"   // a new date agreed with the customer (DLV-8)
	DelayRisk Verb = "delay_risk" // a delay risk declared before the date, with the new date (DLV-9)
)

// MaxDateReason bounds the reason given with a new date.
const MaxDateReason = 500

// MoveDeadline changes the promised date of the case's order: the desk
// keeps it in the order's history (old → new, who, why), re-arms the watch
// and tells the customer, in opening hours.
type MoveDeadline struct {
	OrderNo string
	Date    string // YYYY-MM-DD in the shop's zone
	Reason  string
	Risk    bool // a delay risk told before the date (DLV-9); else a date agreed (DLV-8)
}

func (MoveDeadline) isEffect() {}

// ParseNewDate reads "YYYY-MM-DD why" (the reason may be empty only when
// reasonOptional): the date must be a real day, today or later in loc; the
// reason at most MaxDateReason characters. Errors are Invalid and name the
// field (date, reason).
func ParseNewDate(value string, now time.Time, loc *time.Location, reasonOptional bool) (date, reason string, err error) {
	if loc == nil {
		loc = time.UTC
	}
	value = strings.TrimSpace(value)
	date, reason, _ = strings.Cut(value, " ")
	reason = strings.TrimSpace(reason)
	day, perr := time.ParseInLocation("2006-01-02", date, loc)
	if perr != nil || len(date) != 10 {
		return "", "", Errorf(Invalid, "date %q: want YYYY-MM-DD followed by the reason", date)
	}
	if today := now.In(loc).Format("2006-01-02"); day.Format("2006-01-02") < today {
		return "", "", Errorf(Invalid, "date %s is in the past (today is %s)", date, today)
	}
	switch {
	case !utf8.ValidString(reason) || utf8.RuneCountInString(reason) > MaxDateReason:
		return "", "", Errorf(Invalid, "reason: at most %d characters", MaxDateReason)
	case reason == "" && !reasonOptional:
		return "", "", Errorf(Invalid, "reason: say why the date moves (after the date)")
	}
	return date, reason, nil
}

// moveDeadline decides new_date and delay_risk. A risk is declared before
// the date: once the promised date has passed it is a delay, and the date
// staff agree then is a new_date.
func (d *decision) moveDeadline() error {
	if d.c.OrderNo == "" {
		return Errorf(Conflict, "case %s has no order whose date could move", d.c.Number)
	}
	date, reason, err := ParseNewDate(d.a.Value, d.now, d.p.Location, false)
	if err != nil {
		return err
	}
	risk := d.a.Verb == DelayRisk
	loc := d.p.Location
	if loc == nil {
		loc = time.UTC
	}
	today := d.now.In(loc).Format("2006-01-02")
	if risk && d.a.Deadline == "" {
		return Errorf(Conflict, "order %s has no promised date to be at risk: agree a date (new_date)", d.c.OrderNo)
	}
	if risk && today > d.a.Deadline {
		return Errorf(Conflict, "the promised date %s has passed: a risk is told before the date; agree a new date (new_date)", d.a.Deadline)
	}
	if d.a.Deadline == date {
		return Errorf(Conflict, "order %s is promised for %s already", d.c.OrderNo, date)
	}
	what, key := "new date agreed with the customer", "staff.life.new_date"
	if risk {
		what, key = "delay risk declared, new date", "staff.life.delay_risk"
	}
	d.recordSaid(string(d.a.Verb), fmt.Sprintf("%s: %s → %s (%s)", what, orNone(d.a.Deadline), date, reason), key,
		"From", d.a.Deadline, "To", date, "Reason", reason)
	d.emit(MoveDeadline{OrderNo: d.c.OrderNo, Date: date, Reason: reason, Risk: risk})
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
