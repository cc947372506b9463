package conversations

// The values the staff page fills into its sayings of the lifecycle's
// lines (bot/staffweb/deskwords.go).
func init() {
	for key, names := range map[string][]string{
		"staff.words.compensation_waiting":   {"Sum"},
		"staff.words.advance_waiting":        {"Sum", "Claim"},
		"staff.words.approved_waiting":       {"Sum", "By", "Roles"},
		"staff.words.compensation_approved":  {"Sum", "By"},
		"staff.words.advance_approved":       {"Sum", "Claim", "By"},
		"staff.words.compensation":           {"Sum"},
		"staff.words.reclassified":           {"Old", "New"},
		"staff.words.classified_by_staff":    {"New", "Old"},
		"staff.words.not_your_approval":      {"Roles", "Role"},
		"staff.words.role_may_not":           {"Role"},
		"staff.words.approved_already":       {"Role"},
		"staff.words.nothing_to_approve":     {"Case"},
		"staff.words.fault_cause_action":     {"Case", "Kind", "Missing"},
		"staff.words.rolls":                  {"N"},
		"staff.words.clerk_approved_waiting": {"Mention", "By", "Sum", "Roles"},
		"staff.words.clerk_go_ahead":         {"Mention", "Sum", "By"},
	} {
		callArgs[key] = names
	}
}
