package conversations

import "strings"

// Lang is one of the languages the desk speaks.
type Lang string

// The languages of the message catalog; zh-Hans first.
const (
	ZhHans Lang = "zh-Hans"
	ZhHant Lang = "zh-Hant"
	En     Lang = "en"
)

// Langs lists the catalog's languages in the order they are offered.
var Langs = []Lang{ZhHans, ZhHant, En}

// NormalizeLang maps what a channel reports (Telegram's language_code, a
// browser's Accept-Language tag) to a catalog language: traditional-script
// regions to zh-Hant, any other Chinese to zh-Hans, everything else English.
// An empty code gives "" so the caller can keep its default.
func NormalizeLang(code string) Lang {
	c := strings.ToLower(strings.TrimSpace(code))
	if i := strings.IndexAny(c, ",;"); i >= 0 {
		c = c[:i]
	}
	c = strings.ReplaceAll(c, "_", "-")
	switch {
	case c == "":
		return ""
	case c == "zh-hant" || strings.HasPrefix(c, "zh-hant-") || c == "zh-tw" || c == "zh-hk" || c == "zh-mo":
		return ZhHant
	case c == "zh" || strings.HasPrefix(c, "zh-"):
		return ZhHans
	default:
		return En
	}
}

// validLang reports whether l is a catalog language.
func validLang(l Lang) bool {
	for _, x := range Langs {
		if x == l {
			return true
		}
	}
	return false
}
