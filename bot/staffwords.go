package bot

import (
	"fmt"
	"strings"
	"time"

	"frontdesk/cases"
	"frontdesk/conversations"
)

// StaffWords says a line of the lifecycle (a history entry, a thread or
// managers' post, a note to the clerk) from the staff catalog in lang
// (STF-2): the arguments that are codes (a kind, a clock, a remedy, roles,
// money, a wallpaper cause) are said by their names. The staff page says
// history lines with it, the staff channels their posts. Mentions in the
// arguments ("<!channel>") stay as they are: the edge decides how to show
// them. Arguments may come back from JSON (numbers as float64).
func StaffWords(lang conversations.Lang, key string, args map[string]any) string {
	a := conversations.Args{}
	for k, v := range args {
		a[k] = staffArg(lang, k, v)
	}
	return conversations.T(lang, key, a)
}

// staffArg is one argument of a staff line as the reader reads it.
func staffArg(lang conversations.Lang, name string, v any) any {
	s := fmt.Sprint(v)
	switch name {
	case "Kind", "OldKind", "NewKind":
		return conversations.Label(lang, "kind.", s)
	case "Clock":
		return conversations.Label(lang, "staff.clock.", s)
	case "Remedy":
		return conversations.Label(lang, "staff.remedy.", s)
	case "Cause":
		return conversations.Label(lang, "staff.wall.cause.", s)
	case "Side":
		return conversations.Label(lang, "staff.life.side.", s)
	case "Roles":
		return rolesIn(lang, s)
	case "Money", "Limit":
		return moneyIn(lang, s)
	case "Assignee":
		return orWord(lang, s, "staff.post.nobody")
	case "Provider":
		return orWord(lang, s, "staff.life.the_provider")
	case "Order", "From":
		return orWord(lang, s, "staff.life.none")
	case "VisitKind":
		return conversations.Label(lang, "staff.dgx.visit.", s)
	case "Payment":
		return conversations.T(lang, "staff.post.pay."+paymentName(s))
	case "Ago":
		return agoIn(lang, v)
	case "By":
		return Approvers(lang, s)
	}
	return v
}

func orWord(lang conversations.Lang, s, key string) string {
	if strings.TrimSpace(s) == "" {
		return conversations.T(lang, key)
	}
	return s
}

// rolesIn names roles written as their codes joined by commas.
func rolesIn(lang conversations.Lang, codes string) string {
	var names []string
	for _, r := range strings.Split(codes, ",") {
		if r = strings.TrimSpace(r); r != "" {
			names = append(names, conversations.Label(lang, "role.", r))
		}
	}
	return strings.Join(names, conversations.T(lang, "staff.life.and"))
}

// moneyIn says a money remedy written by the lifecycle (cases.MoneyParts).
func moneyIn(lang conversations.Lang, s string) string {
	kind, yuan, rolls, claim, ok := cases.MoneyParts(s)
	if !ok {
		return s
	}
	args := conversations.Args{"Yuan": yuan, "Rolls": rolls, "Claim": claim}
	switch {
	case kind == cases.Advance:
		return conversations.T(lang, "staff.life.money.advance", args)
	case rolls > 0:
		return conversations.T(lang, "staff.life.money.rolls", args)
	}
	return conversations.T(lang, "staff.life.money.yuan", args)
}

// agoIn says how long ago: a time.Duration from the lifecycle, or its
// nanoseconds read back from JSON.
func agoIn(lang conversations.Lang, v any) any {
	switch d := v.(type) {
	case time.Duration:
		return durationIn(lang, d)
	case float64:
		return durationIn(lang, time.Duration(d))
	}
	return v
}

// Approvers says people as the lifecycle joins them ("a, b and c") in
// lang: "周主管、吴经理" in Chinese.
func Approvers(lang conversations.Lang, by string) string {
	if lang == conversations.En {
		return by
	}
	return strings.NewReplacer(", ", "、", " and ", "、").Replace(by)
}
