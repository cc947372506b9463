package conversations

// The placeholders of the canned-reply refusals (cases/canned.go).
func init() {
	for key, names := range map[string][]string{
		"staff.refuse.canned_long":        {"Max", "Got"},
		"staff.refuse.canned_placeholder": {"Placeholder", "Known"},
		"staff.post.no_provider_chat":     {"Provider"},
	} {
		callArgs[key] = names
	}
}
