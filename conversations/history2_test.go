package conversations

import (
	"maps"

	"frontdesk/cases"
)

// The lifecycle's own lines (cases.WordKeys) and the words the staff desk
// says their codes with (bot.StaffWords).
func init() {
	maps.Copy(callArgs, cases.WordKeys)
	maps.Copy(callArgs, map[string][]string{
		"staff.life.and":               nil,
		"staff.life.none":              nil,
		"staff.life.the_provider":      nil,
		"staff.life.everyone":          nil,
		"staff.life.side.salesperson":  nil,
		"staff.life.side.duty_manager": nil,
		"staff.life.money.yuan":        {"Yuan"},
		"staff.life.money.rolls":       {"Rolls"},
		"staff.life.money.advance":     {"Yuan", "Claim"},
		"staff.refuse.outside_hours":   {"At", "Provider", "Hours"},
		"prov.appointment_passed":      {"At"},
	})
}
