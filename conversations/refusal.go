package conversations

import (
	"errors"
	"strings"

	"frontdesk/cases"
)

// Refusal says why the lifecycle refused an action, in lang, for the case
// page and Slack: a refusal that names its catalog key (cases.Refuse) in
// the catalog's words, with roles and kinds by name; any other coded error
// as its kind of problem in lang, the detail after it. The API keeps the
// English message and the stable code instead.
func Refusal(lang Lang, err error) string {
	if err == nil {
		return ""
	}
	var e *cases.Error
	if !errors.As(err, &e) {
		return T(lang, "staff.refuse.code.internal")
	}
	if e.Key != "" {
		if _, ok := messages.files[ZhHans][e.Key]; ok {
			return T(lang, e.Key, refusalArgs(lang, e.Args))
		}
	}
	generic := T(lang, "staff.refuse.code."+string(codeOrInternal(e.Code)))
	if e.Code == cases.Internal || e.Message == "" {
		return generic
	}
	return T(lang, "staff.refuse.detail", Args{"Problem": generic, "Detail": e.Message})
}

func codeOrInternal(c cases.Code) cases.Code {
	switch c {
	case cases.Invalid, cases.NotFound, cases.Conflict, cases.Forbidden, cases.Unavailable:
		return c
	}
	return cases.Internal
}

// refusalArgs names the values a person reads: a role, a list of roles and
// a kind by their catalog names.
func refusalArgs(lang Lang, in map[string]any) Args {
	out := Args{}
	for k, v := range in {
		s, isText := v.(string)
		switch {
		case isText && k == "Role":
			out[k] = roleLabel(lang, s)
		case isText && k == "Roles":
			var names []string
			for _, r := range strings.Split(s, ",") {
				names = append(names, roleLabel(lang, r))
			}
			sep := "、"
			if lang == En {
				sep = ", "
			}
			out[k] = strings.Join(names, sep)
		case isText && k == "What":
			out[k] = T(lang, "staff.refuse.what."+s)
		case isText && k == "Kind":
			out[k] = Label(lang, "kind.", s)
		default:
			out[k] = v
		}
	}
	return out
}

func roleLabel(lang Lang, r string) string {
	if r == "" {
		return T(lang, "staff.refuse.no_role")
	}
	return Label(lang, "role.", r)
}
