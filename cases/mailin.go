package cases

import (
	"slices"

	"frontdesk/config"
)

// The verbs of a mail-in repair (001 §3.1, SLA-13): the item arrived at the
// shop, and went back to the customer repaired, within 5 working days.
const (
	RepairReceived Verb = config.EvRepairReceived
	RepairReturned Verb = config.EvRepairReturned
)

// mailInKinds are the cases whose goods may come in for repair.
var mailInKinds = []config.CaseKind{config.KindRepair, config.KindQualityDefect, config.KindTransportDamage}

// mailIn records a step of a mail-in repair: received, then returned. The
// value is an optional note (the state of the item, the tracking number of
// the way back).
func (d *decision) mailIn() error {
	if !slices.Contains(mailInKinds, d.c.Kind) {
		return Errorf(Conflict, "case %s is a %s case; a mail-in repair is for repair, quality defect or transport damage cases",
			d.c.Number, kindText(d.c.Kind))
	}
	if d.a.Verb == RepairReturned {
		return d.step([]Verb{RepairReceived}, []Verb{RepairReturned})
	}
	return d.step(nil, []Verb{RepairReceived})
}
