package staffweb

import (
	"errors"
	"regexp"
	"strings"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
)

// The lifecycle (package cases) writes its history lines, the case's
// classification and remedy, and its refusals in English, and keeps them
// so in the store (the audit trail and Slack read them too). A Chinese
// clerk must not read them in English: the staff page says the ones a
// clerk meets every day in the page's language, by pattern, and leaves
// any other line as it is (then at least without codes, see Plain).

// deskLine is one English sentence of the lifecycle and the catalog key
// that says it; the pattern's named groups are the key's fields.
type deskLine struct {
	pattern *regexp.Regexp
	key     string
}

var deskLines = []deskLine{
	{regexp.MustCompile(`^compensation (?P<Sum>¥\d+|\d+ rolls) awaiting manager approval$`), "staff.words.compensation_waiting"},
	{regexp.MustCompile(`^advance (?P<Sum>¥\d+) on a (?P<Claim>¥\d+) claim awaiting manager approval$`), "staff.words.advance_waiting"},
	{regexp.MustCompile(`^(?P<Sum>¥\d+|\d+ rolls) approved by (?P<By>.+); waiting for (?P<Roles>.+)$`), "staff.words.approved_waiting"},
	{regexp.MustCompile(`^compensation (?P<Sum>¥\d+|\d+ rolls) \(approved by (?P<By>.+)\)$`), "staff.words.compensation_approved"},
	{regexp.MustCompile(`^advance (?P<Sum>¥\d+) on a (?P<Claim>¥\d+) claim \(approved by (?P<By>.+)\)$`), "staff.words.advance_approved"},
	{regexp.MustCompile(`^compensation (?P<Sum>¥\d+|\d+ rolls)$`), "staff.words.compensation"},
	{regexp.MustCompile(`^override of the bot's triage: (?P<Old>.+) → (?P<New>.+)$`), "staff.words.reclassified"},
	{regexp.MustCompile(`^staff: (?P<New>.+) \(the bot said (?P<Old>.+)\)$`), "staff.words.classified_by_staff"},
	{regexp.MustCompile(`^a reject needs a reason`), "staff.words.reject_needs_reason"},
	{regexp.MustCompile(`^this compensation needs the approval of (?P<Roles>.+), not a (?P<Role>.+)$`), "staff.words.not_your_approval"},
	{regexp.MustCompile(`^a (?P<Role>.+) may not \w+ a case$`), "staff.words.role_may_not"},
	{regexp.MustCompile(`^a (?P<Role>.+) has approved this compensation already$`), "staff.words.approved_already"},
	{regexp.MustCompile(`^case (?P<Case>\S+) has no compensation waiting for approval$`), "staff.words.nothing_to_approve"},
	{regexp.MustCompile(`^case (?P<Case>\S+) \((?P<Kind>[^)]+)\) is resolved only with fault → cause → action: record (?P<Missing>.+) first$`), "staff.words.fault_cause_action"},
	{regexp.MustCompile(`^compensation needs an amount in yuan`), "staff.words.compensation_amount"},
	{regexp.MustCompile(`^(?P<Mention>@\S+ )?✅ (?P<By>.+) approved the compensation (?P<Sum>¥\d+|\d+ rolls); still needed: (?P<Roles>.+)\.$`), "staff.words.clerk_approved_waiting"},
	{regexp.MustCompile(`^(?P<Mention>@\S+ )?✅ (?:Compensation|Advance) of (?P<Sum>¥\d+|\d+ rolls) approved by (?P<By>.+): go ahead\.$`), "staff.words.clerk_go_ahead"},
}

// triageReasons are the reasons the bot's triage gives (conversations.Triage),
// said wherever they appear in a line (an audit line starts with the kind).
var triageReasons = map[string]string{
	"packaging intact where the item is damaged":                      "staff.words.packaging_intact",
	"no usable packaging photos":                                      "staff.words.no_packaging_photos",
	"packaging damaged at the matching place":                         "staff.words.packaging_damaged",
	"customer cannot tell whether the packaging matches; provisional": "staff.words.packaging_unsure",
}

// deskWords says a line the lifecycle wrote in the page's language when it
// is one of deskLines; any other line is returned as it is.
func (t texts) deskWords(s string) string {
	if t.lang == conversations.En {
		return s
	}
	for reason, key := range triageReasons {
		s = strings.ReplaceAll(s, reason, conversations.T(t.lang, key))
	}
	for _, l := range deskLines {
		m := l.pattern.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		args := conversations.Args{}
		for i, name := range l.pattern.SubexpNames() {
			if name != "" {
				args[name] = t.deskField(name, m[i])
			}
		}
		return conversations.T(t.lang, l.key, args)
	}
	return s
}

// deskField says one captured part of a lifecycle line: roles and kinds by
// name, lists joined the Chinese way, sums in rolls in words.
func (t texts) deskField(name, v string) string {
	switch name {
	case "Roles", "Role":
		var out []string
		for _, r := range strings.Split(v, " and ") {
			r = strings.TrimPrefix(r, "business ") // "business supervisor" in some lines
			out = append(out, t.Role(cases.Role(strings.ReplaceAll(r, " ", "_"))))
		}
		return t.people(strings.Join(out, " and "))
	case "By":
		return t.people(v)
	case "Mention":
		return v
	case "Kind":
		return t.Kind(config.CaseKind(strings.ReplaceAll(v, " ", "_")))
	case "Old", "New":
		return t.Kind(v)
	case "Missing":
		v = strings.NewReplacer("the action taken", conversations.T(t.lang, "staff.words.missing_action"),
			"the cause", conversations.T(t.lang, "staff.words.missing_cause")).Replace(v)
		return t.people(v)
	case "Sum", "Claim":
		if n, ok := strings.CutSuffix(v, " rolls"); ok {
			return conversations.T(t.lang, "staff.words.rolls", conversations.Args{"N": n})
		}
	}
	return v
}

// people joins names written "A and B" (or "A, B and C") the page's way.
func (t texts) people(v string) string { return bot.Approvers(t.lang, v) }

// refusal says why the lifecycle refused an action in the viewer's words:
// a refusal that names its catalog key from the catalog, any other by the
// desk's own phrases (deskWords).
func (t texts) refusal(err error) string {
	var e *cases.Error
	if errors.As(err, &e) && e.Key != "" {
		return conversations.Refusal(t.lang, err)
	}
	return t.deskWords(cases.ErrorMessage(err))
}
