package cases

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"frontdesk/config"
)

// The verbs of the repair call flow and of an accepted return.
const (
	// RepairStep records the next step of the repair call flow (REP-6);
	// Value is the step.
	RepairStep Verb = "repair_step"
	// ApproveReturn accepts a return request (RET-7); Value is where the
	// customer sends the goods, which the customer is told with the
	// return instructions.
	ApproveReturn Verb = "return_approved"
	// ReturnTracking keeps the tracking number of the goods sent back
	// (RET-7); Value is the number.
	ReturnTracking Verb = "return_tracking"
)

// The steps of the repair call flow (003 叫修处理流程), the clerk's: is the
// fault real? → phone guidance (solved: done) → is a visit needed? → the
// customer chooses repair or replacement → parts → fee agreed → done.
const (
	StepFaultConfirmed = "fault_confirmed"
	StepFaultNotFound  = "fault_not_found"
	StepPhoneSolved    = "phone_solved"
	StepPhoneUnsolved  = "phone_unsolved"
	StepVisit          = "visit"
	StepNoVisit        = "no_visit"
	StepChoseRepair    = "chose_repair"
	StepChoseReplace   = "chose_replace"
	StepPartsOrdered   = "parts_ordered"
	StepNoParts        = "no_parts"
	StepFeeAgreed      = "fee_agreed"
	StepDone           = "done"
)

// RepairSteps lists every step of the repair call flow in the order a
// case meets them.
var RepairSteps = []string{StepFaultConfirmed, StepFaultNotFound, StepPhoneSolved, StepPhoneUnsolved, StepVisit, StepNoVisit,
	StepChoseRepair, StepChoseReplace, StepPartsOrdered, StepNoParts, StepFeeAgreed, StepDone}

// repairNext says which steps may follow each step; "" is a case that has
// taken none yet.
var repairNext = map[string][]string{
	"":                 {StepFaultConfirmed, StepFaultNotFound},
	StepFaultNotFound:  {StepDone},
	StepFaultConfirmed: {StepPhoneSolved, StepPhoneUnsolved},
	StepPhoneSolved:    {StepDone},
	StepPhoneUnsolved:  {StepVisit, StepNoVisit},
	StepVisit:          {StepChoseRepair, StepChoseReplace},
	StepNoVisit:        {StepChoseRepair, StepChoseReplace},
	StepChoseRepair:    {StepPartsOrdered, StepNoParts},
	StepChoseReplace:   {StepPartsOrdered, StepNoParts},
	StepPartsOrdered:   {StepFeeAgreed},
	StepNoParts:        {StepFeeAgreed},
	StepFeeAgreed:      {StepDone},
	StepDone:           nil,
}

// Details keys the repair call flow and an accepted return keep on the case.
const (
	DetailRepairStep     = "repair_step"     // the last step taken
	DetailRepairSteps    = "repair_steps"    // every step taken, in order, comma-separated
	DetailReturnStatus   = "return_status"   // approved
	DetailReturnAddress  = "return_address"  // where the goods go back to
	DetailReturnTracking = "return_tracking" // the tracking number of the goods sent back
)

// NextRepairSteps returns the steps a repair case may take next: none for
// another kind of case, a resolved one, or one whose flow is done.
func NextRepairSteps(c Case) []string {
	if c.Kind != config.KindRepair || c.Status == Resolved {
		return nil
	}
	return repairNext[c.Details[DetailRepairStep]]
}

// repairOrReturn decides the verbs of this file.
func (d *decision) repairOrReturn() error {
	switch d.a.Verb {
	case RepairStep:
		return d.repairStep()
	case ApproveReturn:
		return d.approveReturn()
	}
	return d.returnTracking()
}

// repairStep records the next step of the repair call flow, refusing a
// step out of order with the steps that may come next (REP-6).
func (d *decision) repairStep() error {
	step := strings.TrimSpace(d.a.Value)
	if !slices.Contains(RepairSteps, step) {
		return Errorf(Invalid, "repair step %q: want one of %s", d.a.Value, strings.Join(RepairSteps, ", "))
	}
	if d.c.Kind != config.KindRepair {
		return Errorf(Conflict, "case %s is a %s case: the repair steps are for repair cases", d.c.Number, d.c.Kind)
	}
	if d.c.Status == Resolved {
		return Errorf(Conflict, "case %s is resolved: reopen it first", d.c.Number)
	}
	last := d.c.Details[DetailRepairStep]
	next := repairNext[last]
	if !slices.Contains(next, step) {
		if len(next) == 0 {
			return Errorf(Conflict, "case %s: the repair call flow is done already", d.c.Number)
		}
		after := "the start"
		if last != "" {
			after = last
		}
		return Errorf(Conflict, "case %s: %s cannot follow %s; next is %s", d.c.Number, step, after, strings.Join(next, " or "))
	}
	d.c.Details[DetailRepairStep] = step
	if d.c.Details[DetailRepairSteps] == "" {
		d.c.Details[DetailRepairSteps] = step
	} else {
		d.c.Details[DetailRepairSteps] += "," + step
	}
	d.record(string(RepairStep), step)
	return nil
}

// approveReturn accepts a return request: the review is done (the review
// clock stops on the remedy), and the customer gets the return
// instructions with the address the clerk gives (RET-7).
func (d *decision) approveReturn() error {
	if d.c.Kind != config.KindReturnExchange {
		return Errorf(Conflict, "case %s is a %s case: only a return is approved as one", d.c.Number, d.c.Kind)
	}
	if d.c.Status == Resolved {
		return Errorf(Conflict, "case %s is resolved: reopen it first", d.c.Number)
	}
	if d.c.Details[DetailReturnStatus] == "approved" {
		return Errorf(Conflict, "case %s: the return is approved already", d.c.Number)
	}
	address, err := d.text("the return address", 500)
	if err != nil {
		return err
	}
	if d.c.Channel == "" || d.c.ChatID == "" {
		return Errorf(Conflict, "case %s has no customer chat to send the return instructions to; reply to the customer another way", d.c.Number)
	}
	d.c.Details[DetailReturnStatus], d.c.Details[DetailReturnAddress] = "approved", address
	d.c.Remedy = "return"
	d.recordSaid(string(ApproveReturn), "send to: "+address, "staff.life.return_address", "Address", address)
	d.record(config.EvRemedy, "return")
	d.emit(ReturnInstructions{Address: address})
	return nil
}

var trackingPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{3,39}$`)

// ValidTracking reports whether s looks like a carrier's tracking number:
// 4 to 40 letters, digits and dashes.
func ValidTracking(s string) bool { return trackingPattern.MatchString(s) }

// returnTracking keeps the tracking number of the goods the customer sent
// back, told by staff or by the customer in the chat (RET-7).
func (d *decision) returnTracking() error {
	if d.c.Kind != config.KindReturnExchange {
		return Errorf(Conflict, "case %s is a %s case: a return tracking number belongs to a return", d.c.Number, d.c.Kind)
	}
	no := strings.ToUpper(strings.TrimSpace(d.a.Value))
	if !ValidTracking(no) {
		return Errorf(Invalid, "return tracking number %q: want 4 to 40 letters, digits or dashes", d.a.Value)
	}
	old := d.c.Details[DetailReturnTracking]
	d.c.Details[DetailReturnTracking] = no
	detail := no
	if old != "" && old != no {
		detail = fmt.Sprintf("%s (was %s)", no, old)
	}
	d.record(string(ReturnTracking), detail)
	return nil
}

// ReturnInstructions sends the customer the return instructions of an
// approved return (how to pack, where to send it, who pays the postage),
// in the customer's language, with a way to tell the tracking number.
type ReturnInstructions struct {
	Address string
}

func (ReturnInstructions) isEffect() {}
