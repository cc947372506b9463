package slack

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"frontdesk/cases"
	"frontdesk/conversations"
)

// The Slack desk's words that the store or the lifecycle keep as English
// or as codes, said in the reader's language (STF-2).

// callBackDue reads the call-back detail the lifecycle writes: "due
// 2026-11-25 10:00" (cases) or "due now: 2026-11-25 10:00" (the desk).
var callBackDue = regexp.MustCompile(`^due(?: now:)? (\d{4}-\d{2}-\d{2} \d{2}:\d{2})$`)

// callBackIn is where the case's call-back stands, in lang: when it is
// due, or done. A detail of another shape is shown as written.
func callBackIn(lang conversations.Lang, detail string) string {
	if detail == "done" {
		return conversations.T(lang, "staff.card.callback_done")
	}
	if m := callBackDue.FindStringSubmatch(detail); m != nil {
		return conversations.T(lang, "staff.card.callback_due", conversations.Args{"At": m[1]})
	}
	return detail
}

// providerKindIn names a provider's kind, company or individual, in lang.
func providerKindIn(lang conversations.Lang, company bool) string {
	if company {
		return conversations.T(lang, "staff.dispatch.company")
	}
	return conversations.T(lang, "staff.dispatch.individual")
}

// dispatchLabelIn is the dispatch menu's placeholder, in lang.
func dispatchLabelIn(lang conversations.Lang, region string) string {
	if region == "" {
		return conversations.T(lang, "staff.dispatch.menu")
	}
	return conversations.T(lang, "staff.dispatch.menu_region", conversations.Args{"Region": region})
}

// noProposalIn says that no provider can be proposed, in lang.
func noProposalIn(lang conversations.Lang, region string) string {
	if region == "" {
		return conversations.T(lang, "staff.dispatch.none")
	}
	return conversations.T(lang, "staff.dispatch.none_region", conversations.Args{"Region": region})
}

// intakeFieldError is a refusal of one field of the new-case form in lang:
// the lifecycle words its field errors in English for the API, so the
// form says each in the catalog's words, by the field and what is wrong.
func intakeFieldError(lang conversations.Lang, p *cases.FieldError, order string) string {
	block := strings.SplitN(p.Field(), "[", 2)[0]
	msg := cases.ErrorMessage(p)
	t := func(key string, args ...any) string { return conversations.T(lang, "staff.intake.err."+key, args...) }
	var text string
	switch block {
	case fieldKind, fieldChannel, fieldSeverity:
		text = t(block)
	case fieldName:
		text = t("customer_name", conversations.Args{"Max": cases.MaxIntakeName})
		if strings.HasPrefix(msg, "give ") {
			text = t("customer_name_missing")
		}
	case fieldPhone:
		text = t("phone")
		if strings.HasPrefix(msg, "give ") {
			text = t("phone_missing")
		}
	case fieldOrder:
		switch {
		case strings.HasPrefix(msg, "there is no order"):
			text = t("no_order", conversations.Args{"Order": order})
		case strings.Contains(msg, "another customer's"):
			text = t("not_theirs", conversations.Args{"Order": order})
		default:
			text = t("order_no", conversations.Args{"Max": cases.MaxIntakeOrderNo})
		}
	case fieldItems:
		text = t("items", conversations.Args{"Max": cases.MaxIntakeItems, "Item": cases.MaxIntakeItem})
	case fieldDescription:
		text = t("description", conversations.Args{"Max": cases.MaxIntakeDescription})
	default:
		text = t("other")
	}
	if utf8.RuneCountInString(text) > 150 { // Slack's limit of a block's error
		text = string([]rune(text)[:149]) + "…"
	}
	return text
}

// intakeErrors puts each problem under its field's block ("items[2]"
// under items), the first one per block, in lang; a problem of a field
// the form lacks goes under the kind, so it is seen.
func intakeErrors(lang conversations.Lang, probs []*cases.FieldError, order string) *slack.ViewSubmissionResponse {
	out := map[string]string{}
	for _, p := range probs {
		block := strings.SplitN(p.Field(), "[", 2)[0]
		if !isIntakeField(block) {
			block = fieldKind
		}
		if _, ok := out[block]; ok {
			continue
		}
		out[block] = intakeFieldError(lang, p, order)
	}
	return slack.NewErrorsViewSubmissionResponse(out)
}

func isIntakeField(block string) bool {
	switch block {
	case fieldKind, fieldChannel, fieldName, fieldPhone, fieldOrder, fieldItems, fieldDescription, fieldSeverity:
		return true
	}
	return false
}

// eventName names an event of a case's history in lang; one the catalog
// does not name is a "record", never its code.
func eventName(lang conversations.Lang, action string) string {
	if conversations.Label(conversations.ZhHans, "staff.event.", action) != action { // the catalog has it
		return conversations.Label(lang, "staff.event.", action)
	}
	return conversations.T(lang, "staff.event.other")
}

// triageReasons are the reasons the bot's triage writes into a case's
// classification and history (conversations.Triage), and their names.
var triageReasons = map[string]string{
	"packaging intact where the item is damaged":                      "staff.words.packaging_intact",
	"no usable packaging photos":                                      "staff.words.no_packaging_photos",
	"packaging damaged at the matching place":                         "staff.words.packaging_damaged",
	"customer cannot tell whether the packaging matches; provisional": "staff.words.packaging_unsure",
}

// seedRef is a reference to the shop's rule books, "(000 §2.2.4)": for the
// code, not for the clerk.
var seedRef = regexp.MustCompile(`\s*[(（]\d{3} §[^)）]*[)）]`)

// leadingKind is a history line that starts with a kind's code.
var leadingKind = regexp.MustCompile(`^([a-z]+(?:_[a-z]+)+)(: )`)

// classLines are the classifications the desk writes when it opens a case
// (bot, conversations), and what says each in the catalog.
var classLines = []struct {
	pattern *regexp.Regexp
	say     func(lang conversations.Lang, m []string) string
}{
	{regexp.MustCompile(`^staff intake: (\w+)$`), func(lang conversations.Lang, m []string) string {
		return conversations.T(lang, "staff.class.intake", conversations.Args{"Channel": conversations.IntakeLabel(lang, m[1])})
	}},
	{regexp.MustCompile(`^(low survey score|spot check|product question)$`), func(lang conversations.Lang, m []string) string {
		return conversations.T(lang, "staff.class."+map[string]string{"low survey score": "low_score", "spot check": "spot_check",
			"product question": "product_question"}[m[1]])
	}},
	{regexp.MustCompile(`^not delivered by the deadline (.+)$`), func(lang conversations.Lang, m []string) string {
		return conversations.T(lang, "staff.class.not_delivered", conversations.Args{"Date": m[1]})
	}},
	{regexp.MustCompile(`^wallpaper (transport|installation|quality)$`), func(lang conversations.Lang, m []string) string {
		return conversations.T(lang, "staff.class.wallpaper", conversations.Args{"Class": conversations.T(lang, "staff.class.wall."+m[1])})
	}},
	{regexp.MustCompile(`^warranty (free|paid_excluded|paid_expired|to be checked \(保修待核实\))$`), func(lang conversations.Lang, m []string) string {
		w := m[1]
		if strings.HasPrefix(w, "to be checked") {
			w = "to_check"
		}
		return conversations.T(lang, "staff.warranty", conversations.Args{"Warranty": conversations.T(lang, "staff.warranty."+w)})
	}},
}

// storeWordsIn says in lang a classification or a history detail the store
// keeps in English: a kind by its name, the desk's classifications and the
// triage's reasons by theirs, no references to the rule books. Other words
// stay as written.
func storeWordsIn(lang conversations.Lang, s string) string {
	if conversations.Label(conversations.ZhHans, "kind.", s) != s { // a kind's code
		return conversations.Label(lang, "kind.", s)
	}
	for _, l := range classLines {
		if m := l.pattern.FindStringSubmatch(s); m != nil {
			return l.say(lang, m)
		}
	}
	s = seedRef.ReplaceAllString(s, "")
	if m := leadingKind.FindStringSubmatch(s); m != nil && conversations.Label(conversations.ZhHans, "kind.", m[1]) != m[1] {
		sep := "："
		if lang == conversations.En {
			sep = ": "
		}
		s = conversations.Label(lang, "kind.", m[1]) + sep + s[len(m[0]):]
	}
	if lang == conversations.En {
		return s
	}
	for reason, key := range triageReasons {
		s = strings.ReplaceAll(s, reason, conversations.T(lang, key))
	}
	return s
}
