package conversations

import (
	"strings"

	"frontdesk/config"
)

// Returns and repairs: what the return dialog says before any other
// question when a return cannot be accepted (RET-6), the return
// instructions after approval and the tracking number of the goods sent
// back (RET-7), and the warranty as staff read it (REP-5).

// The answers to a return that cannot be accepted: the shop's own error
// still is (RET-5); else a repair or a complaint instead (and a person,
// as at every step).
const (
	blockedShopError = "shop_error"
	blockedRepair    = "repair"
	blockedComplaint = "complaint"
)

// returnBlockedQuestion says, right after the item is chosen, why the
// return cannot be accepted whatever the other answers (custom-made, past
// the window), and what the customer can do instead (RET-6). It is asked
// only then.
func returnBlockedQuestion() question {
	return question{key: "blocked",
		prompt:  func(d *dialog) string { return d.t("return.blocked", Args{"Reasons": d.bullets(d.returnHardStops())}) },
		options: fixed("blocked.", blockedShopError, blockedRepair, blockedComplaint),
		when:    func(d *dialog) bool { return len(d.returnHardStops()) > 0 }}
}

// returnHardStops are the rules that refuse the chosen item whatever the
// customer answers next; the reason is not known yet.
func (d *dialog) returnHardStops() []string {
	r, err := d.returnRequest()
	if err != nil {
		return []string{"ret.unknown"}
	}
	if d.answer("blocked") != blockedShopError {
		r.Reason = ""
	}
	return ReturnHardStops(r, d.env.Now, d.env.loc())
}

// returnGoesOn reports whether the return dialog asks on: nothing refused
// it, or the customer says the shop sent the wrong item or size.
func (d *dialog) returnGoesOn() bool {
	b := d.answer("blocked")
	return b == "" || b == blockedShopError
}

// returnReason is the reason of the return: the customer's answer, or the
// shop's error when they said so at once.
func (d *dialog) returnReason() string {
	if d.answer("blocked") == blockedShopError {
		return ReasonShopError
	}
	return d.answer("reason")
}

// bullets lists catalog texts one a line.
func (d *dialog) bullets(keys []string) string {
	lines := make([]string, len(keys))
	for i, k := range keys {
		lines[i] = "• " + d.t(k)
	}
	return strings.Join(lines, "\n")
}

// WarrantyClassification is how the warranty of a repair reads to staff:
// an item with no warranty term recorded is to be checked (待核实), never
// expired (REP-5).
func WarrantyClassification(charge string) string {
	if charge == WarrantyUnknown {
		return "warranty to be checked (保修待核实)"
	}
	return "warranty " + charge
}

// The return tracking dialog: the customer tells the tracking number of the
// goods sent back (RET-7), from the button under the return instructions.
const (
	flowReturnTracking   = "return_tracking"
	prefixReturnTracking = "rettrack:"
)

// returnTracking asks which open return the goods were sent back for when
// the button did not say, then the tracking number.
var returnTracking = trackingDialog{flow: flowReturnTracking, prefix: prefixReturnTracking,
	instructions: "return.instructions", chooseCase: true, open: (*dialog).returnCases,
	shipped: func(no, tracking string) Effect { return ReturnShipped{CaseNumber: no, TrackingNo: tracking} }}

// ReturnInstructions is the message of an approved return (RET-7): how to
// pack the goods, where to send them, and that the customer pays the
// postage (RET-4); with a button to tell the tracking number.
func ReturnInstructions(lang Lang, caseNo, address string) Reply {
	return returnTracking.instructionsReply(lang, caseNo, address)
}

// ReturnShipped keeps the tracking number of the goods a customer sent back
// on their return case (RET-7).
type ReturnShipped struct {
	CaseNumber string
	TrackingNo string
}

func (ReturnShipped) isEffect() {}

// returnCases are the verified customer's open return cases.
func (d *dialog) returnCases() ([]Case, error) {
	cs, err := d.openCases()
	if err != nil {
		return nil, err
	}
	var out []Case
	for _, c := range cs {
		if c.Kind == string(config.KindReturnExchange) {
			out = append(out, c)
		}
	}
	return out, nil
}

// returnTrackingFor starts the tracking dialog for the case of the button,
// which must be the verified customer's own open return (the button data
// can be forged).
func (d *dialog) returnTrackingFor(no string) error { return returnTracking.startFor(d, no) }
