package bot

import (
	"maps"

	"frontdesk/cases"
)

// keepCustomerDecision writes what a customer's answer, decided like a
// staff action, changed on case c: the details, the decision's effects, a
// line for staff in the case's thread and a fresh card. The return and the
// wallpaper tracking numbers (RET-7, WAL-3) are kept this way.
func (a *applier) keepCustomerDecision(c, next cases.Case, effects []cases.Effect, threadText string) error {
	if !maps.Equal(c.Details, next.Details) {
		if err := a.tx.SaveCaseDetails(next.ID, next.Details); err != nil {
			return err
		}
	}
	if err := a.desk.applyDecision(a.tx, next, "customer", effects, a.now); err != nil {
		return err
	}
	a.last = next
	if err := a.thread(StaffPost{Kind: "thread", From: "customer", Text: threadText}); err != nil {
		return err
	}
	return enqueueStaff(a.tx, next.Number, StaffPost{Kind: "card"}, a.now)
}
