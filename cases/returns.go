package cases

import (
	"strings"
	"time"

	"frontdesk/config"
)

// The verbs of returned goods (001 §4.2.3, §3.1; SLA-12, RET-7): the goods
// arrived at the shop, were checked, and the money or the exchange went
// out. Each is also the case event it records, which starts or stops the
// clocks of config.ClocksOn.
const (
	ReturnReceived  Verb = config.EvReturnReceived
	ReturnChecked   Verb = config.EvReturnChecked
	ReturnRefunded  Verb = config.EvReturnRefunded
	ReturnExchanged Verb = config.EvReturnExchanged
)

// returned records a step of a return, in order: received → checked →
// refunded or exchanged. The value is an optional note (what arrived, the
// result of the check, the refund's reference).
func (d *decision) returned() error {
	if d.c.Kind != config.KindReturnExchange {
		return Errorf(Conflict, "case %s is a %s case, not a return; %s is for return/exchange cases", d.c.Number, kindText(d.c.Kind), d.a.Verb)
	}
	var before []Verb // the steps this one needs first
	switch d.a.Verb {
	case ReturnChecked:
		before = []Verb{ReturnReceived}
	case ReturnRefunded, ReturnExchanged:
		before = []Verb{ReturnReceived, ReturnChecked}
	}
	done := []Verb{d.a.Verb}
	if d.a.Verb == ReturnRefunded || d.a.Verb == ReturnExchanged {
		done = []Verb{ReturnRefunded, ReturnExchanged}
	}
	return d.step(before, done)
}

// step records a step of a sequence (returns, mail-in repairs): refused on
// a resolved case, before the steps it needs, or when one of done is
// recorded already; else its time is kept in the case's details under
// "<verb>_at" and the event recorded with the note.
func (d *decision) step(before, done []Verb) error {
	if d.c.Status == Resolved {
		return Errorf(Conflict, "case %s is resolved; reopen it first", d.c.Number)
	}
	for _, v := range before {
		if d.c.Details[string(v)+"_at"] == "" {
			return Errorf(Conflict, "case %s: %s needs %s first", d.c.Number, d.a.Verb, v)
		}
	}
	for _, v := range done {
		if at := d.c.Details[string(v)+"_at"]; at != "" {
			return Errorf(Conflict, "case %s: %s was recorded already, at %s", d.c.Number, v, at)
		}
	}
	note, err := d.note()
	if err != nil {
		return err
	}
	d.c.Details[string(d.a.Verb)+"_at"] = d.now.In(d.loc()).Format("2006-01-02 15:04")
	d.record(string(d.a.Verb), note)
	return nil
}

// note is the action's optional note: trimmed, at most 2000 bytes of text.
func (d *decision) note() (string, error) {
	if strings.TrimSpace(d.a.Value) == "" {
		return "", nil
	}
	return d.text(string(d.a.Verb)+"'s note", 2000)
}

// loc is the shop's zone, in which the steps' times are kept.
func (d *decision) loc() *time.Location {
	if d.p.Location == nil {
		return time.UTC
	}
	return d.p.Location
}

func kindText(k config.CaseKind) string { return strings.ReplaceAll(string(k), "_", " ") }
