package slack

import (
	"strings"

	"frontdesk/cases"
	"frontdesk/config"
)

// actEndHandoff is the card's button that hands a handed-over chat back to
// the bot (CAS-5).
const actEndHandoff = string(cases.EndHandoff)

// resolutionHandoff reports whether the card offers "End handover": a
// handed-over chat that staff have not handed back yet (CAS-5).
func resolutionHandoff(c cases.Case) bool {
	return c.Kind == config.KindInquiry && c.Status != cases.Resolved && c.Channel != "" &&
		c.Details[cases.DetailHandoff] != "ended"
}

// resolutionLine is where the resolution loop stands on the card: the
// customer's confirmation (顾客确认) and the call-back (CAS-2, CAS-3).
func resolutionLine(c cases.Case) string {
	var parts []string
	switch c.Details[cases.DetailConfirmation] {
	case "confirmed":
		parts = append(parts, "Customer confirmed (顾客确认)")
	case "not_solved":
		parts = append(parts, "Customer: not solved yet")
	}
	if cb := c.Details[cases.DetailCallBack]; cb != "" {
		parts = append(parts, "Call-back: "+cb)
	}
	return strings.Join(parts, " · ")
}
