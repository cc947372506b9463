package conversations

// Label is the catalog's name of a value from a closed set (a case status,
// a remedy), under prefix; a value the catalog lacks comes back as it is
// (a remedy written out, such as a compensation and who decided it).
func Label(lang Lang, prefix, value string) string { return label(lang, prefix, value) }
