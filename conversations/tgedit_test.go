package conversations

// The call sites' values of the texts of edits, albums and photos to the
// provider (TestCatalogPlaceholders).
func init() {
	callArgs["prov.photos_sent"] = []string{"Count"}
	callArgs["prov.photo_caption"] = []string{"Case", "N", "Total"}
	callArgs["edit.not_read"] = nil
	callArgs["edit.taken"] = nil
}
