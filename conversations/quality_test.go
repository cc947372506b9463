package conversations

// The values the desk fills into the texts of the quality loop
// (bot/quality.go, the staff page).
func init() {
	for key, names := range map[string][]string{
		"quality.spot.drawn":               {"Week", "N", "Population", "Percent"},
		"quality.spot.task":                {"Subject", "Order", "Name", "Phone"},
		"quality.spot.visit":               {"ID"},
		"quality.spot.case":                {"ID"},
		"quality.spot.problem_case":        {"Subject", "By", "Note"},
		"quality.corrective.opened":        {"ID", "Problem", "Owner", "Department", "Due", "Source"},
		"quality.corrective.effective":     {"ID", "Problem", "N"},
		"quality.corrective.recurred":      {"ID", "Problem", "N"},
		"staff.quality.check_at":           {"Date"},
		"quality.calls.list_callback":      {"Period", "N", "Population", "Percent"},
		"quality.calls.list_questionnaire": {"Period", "N", "Population"},
		"quality.calls.line":               {"Name", "Phone"},
		"quality.calls.low":                {"Name", "Phone", "Product", "Service"},
	} {
		callArgs[key] = names
	}
}
