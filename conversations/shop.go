package conversations

import (
	"slices"
	"strings"
	"time"
)

// Shop is who the customer is talking to, for /help: the phone for what
// the chat cannot do, and when someone answers it.
type Shop struct {
	Name  string
	Phone string
	Days  []time.Weekday // the working weekdays, Monday first
	Hours []string       // the opening periods of a working day, "09:00–12:00"
	// Open, when set, says whether the shop works on the day of t, holidays
	// and make-up days included (the calendar's IsWorkingDay); else Days.
	Open func(t time.Time) bool
}

// openOn reports whether the shop works on the day of t: Open when set,
// else the working weekdays, else every day.
func (s Shop) openOn(t time.Time) bool {
	if s.Open != nil {
		return s.Open(t)
	}
	if len(s.Days) == 0 {
		return true
	}
	return slices.Contains(s.Days, t.Weekday())
}

// help is the commands, then how to reach the shop and when (ANS-2: never a
// dead end).
func (d *dialog) help() string {
	parts := []string{d.t("help")}
	shop := d.env.Shop
	if len(shop.Days) > 0 && len(shop.Hours) > 0 {
		parts = append(parts, d.t("help.hours", Args{"Days": d.days(shop.Days), "Hours": strings.Join(shop.Hours, d.t("list.sep"))}))
	}
	if shop.Phone != "" {
		name := shop.Name
		if name == "" {
			name = d.t("help.us")
		}
		parts = append(parts, d.t("help.contact", Args{"Shop": name, "Phone": shop.Phone}))
	}
	return strings.Join(parts, "\n\n")
}

// days says the working weekdays: runs of three or more as a range
// ("周一至周六", "Mon–Sat"), the rest one by one.
func (d *dialog) days(days []time.Weekday) string {
	name := func(w time.Weekday) string { return d.t("day." + strings.ToLower(w.String()[:3])) }
	var out []string
	for i := 0; i < len(days); {
		j := i
		for j+1 < len(days) && next(days[j]) == days[j+1] {
			j++
		}
		if j-i >= 2 {
			out = append(out, d.t("days.range", Args{"From": name(days[i]), "To": name(days[j])}))
		} else {
			for k := i; k <= j; k++ {
				out = append(out, name(days[k]))
			}
		}
		i = j + 1
	}
	return strings.Join(out, d.t("list.sep"))
}

// next is the weekday after w, Sunday after Saturday.
func next(w time.Weekday) time.Weekday { return (w + 1) % 7 }
