package staffweb

import (
	"strings"

	"frontdesk/cases"
	"frontdesk/config"
)

// repairs is what the case page shows of a repair's call flow (REP-6) and
// warranty (REP-5), and of a return's approval and tracking number (RET-7).
type repairs struct {
	Repair   bool
	Warranty string // the warranty as staff read it, never a code
	Taken    string // the steps taken so far, in order
	Next     []step // the buttons of the steps that may come next
	Finished bool

	Return   bool
	Approved bool
	Address  string
	Tracking string
}

// step is one button of the repair call flow.
type step struct {
	Value string
	Label string
}

// repairsPanel reads the case for the panel, in the staff member's
// language.
func repairsPanel(c cases.Case, l texts) *repairs {
	switch c.Kind {
	case config.KindRepair:
		p := &repairs{Repair: true}
		if w := c.Details["warranty"]; w != "" {
			p.Warranty = l.T("staff.warranty", "Warranty", l.T("staff.warranty."+w))
		}
		var taken []string
		for _, s := range strings.Split(c.Details[cases.DetailRepairSteps], ",") {
			if s != "" {
				taken = append(taken, l.T("staff.repair.step."+s))
			}
		}
		p.Taken = strings.Join(taken, " → ")
		for _, s := range cases.NextRepairSteps(c) {
			p.Next = append(p.Next, step{Value: s, Label: l.T("staff.repair.step." + s)})
		}
		p.Finished = c.Details[cases.DetailRepairStep] == cases.StepDone
		return p
	case config.KindReturnExchange:
		return &repairs{Return: true, Approved: c.Details[cases.DetailReturnStatus] == "approved",
			Address: c.Details[cases.DetailReturnAddress], Tracking: c.Details[cases.DetailReturnTracking]}
	}
	return nil
}
