package conversations

// The values the Slack desk and the digest fill into their texts
// (bot/slack/staffwords.go, bot/slack/inbound.go, scheduler/digest_words.go).
func init() {
	for key, names := range map[string][]string{
		"staff.dispatch.menu_region":     {"Region"},
		"staff.dispatch.none_region":     {"Region"},
		"staff.card.callback_due":        {"At"},
		"staff.slack.no_case":            {"Search"},
		"staff.slack.too_long":           {"Max"},
		"staff.slack.detail_customer":    {"Name", "Phone", "Order"},
		"staff.slack.detail_assignee":    {"Assignee", "Remedy"},
		"staff.intake.err.customer_name": {"Max"},
		"staff.intake.err.order_no":      {"Max"},
		"staff.intake.err.no_order":      {"Order"},
		"staff.intake.err.not_theirs":    {"Order"},
		"staff.intake.err.items":         {"Max", "Item"},
		"staff.intake.err.description":   {"Max"},
		"staff.class.intake":             {"Channel"},
		"staff.class.not_delivered":      {"Date"},
		"staff.class.wallpaper":          {"Class"},
		"staff.dg.last":                  {"Date", "Visit", "Verdict"},
		"staff.dg.last.stars":            {"Stars"},
		"staff.dg.flag_note":             {"Complaints", "Visits", "Since", "Limit"},
		"staff.dg.flag_note_short":       {"Complaints", "Visits"},
	} {
		callArgs[key] = names
	}
}
