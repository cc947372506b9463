package conversations

// The texts of returns and repairs that take values, for the catalog's
// placeholder table (catalog_test.go).
func init() {
	for key, args := range map[string][]string{
		"return.blocked":        {"Reasons"},
		"return.instructions":   {"Case", "Address"},
		"return.tracking_kept":  {"Case", "Tracking"},
		"staff.repair.taken":    {"Steps"},
		"staff.warranty":        {"Warranty"},
		"staff.return.approved": {"Address"},
		"staff.return.tracking": {"Tracking"},
	} {
		callArgs[key] = args
	}
}
