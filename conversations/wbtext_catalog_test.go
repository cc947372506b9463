package conversations

// The placeholders of the staff texts of the Slack card, the thread posts,
// the refusals, the digest sections and the chart (wbtext).
func init() {
	for key, names := range map[string][]string{
		"staff.chart.inflow_title":       {"Date"},
		"staff.dgx.calls_scores":         {"Product", "Service"},
		"staff.dgx.calls_line":           {"Kind", "Sent", "Answered", "Scores"},
		"staff.dgx.action_open":          {"Due"},
		"staff.dgx.action_checking":      {"Date"},
		"staff.dgx.action":               {"ID", "SKU", "Problem", "Owner", "State"},
		"staff.dgx.weekly":               {"From", "To"},
		"staff.dgx.weekly_line":          {"SKU", "Name", "Kind", "N"},
		"staff.dgx.monthly":              {"Month"},
		"staff.dgx.top_line":             {"Kind", "Cause", "N"},
		"staff.dgx.area_line":            {"Area", "Kind", "N"},
		"staff.dgx.first_response":       {"Min", "N"},
		"staff.dgx.staff_line":           {"Name", "Handled", "Complaints", "First", "Satisfied"},
		"staff.dgx.provider_line":        {"Name", "Region", "Stars", "Visits", "Satisfied", "Low"},
		"staff.refuse.role":              {"Role"},
		"staff.refuse.no_chat":           {"Case"},
		"staff.refuse.text_size":         {"What", "Max"},
		"staff.refuse.resolved":          {"Case"},
		"staff.refuse.not_resolved":      {"Case"},
		"staff.refuse.appointment_past":  {"At"},
		"staff.refuse.no_appointment":    {"Case"},
		"staff.refuse.root_cause_both":   {"Case", "Kind"},
		"staff.refuse.root_cause_cause":  {"Case", "Kind"},
		"staff.refuse.root_cause_action": {"Case", "Kind"},
		"staff.refuse.approver":          {"Roles", "Role"},
		"staff.refuse.no_approval":       {"Case"},
		"staff.card.lines":               {"Lines"},
		"staff.post.overdue":             {"Who", "Clock", "Case", "Due", "Ago"},
		"staff.post.far_overdue":         {"Clock", "Case", "Kind", "Customer", "Due", "Assignee"},
		"staff.post.major":               {"Kind", "Case", "Order", "By"},
		"staff.post.dur_dh":              {"Days", "Hours"},
		"staff.post.dur_d":               {"Days"},
		"staff.post.dur_hm":              {"Hours", "Minutes"},
		"staff.post.dur_m":               {"Minutes"},
		"staff.post.visit_opened":        {"Visit", "VisitKind", "Payment"},
		"staff.refuse.detail":            {"Problem", "Detail"},
	} {
		callArgs[key] = names
	}
}
