package config

import (
	"fmt"
	"regexp"
	"time"
	"unicode/utf8"
)

// Shop is who the customer is talking to: its name (the web chat's header)
// and the phone for what the chat cannot do (/help, with the opening hours
// of the calendar).
type Shop struct {
	Name  string `json:"name"`  // FRONTDESK_SHOP_NAME
	Phone string `json:"phone"` // FRONTDESK_SHOP_PHONE
}

var shopPhone = regexp.MustCompile(`^\+?[0-9][0-9 ()-]{4,24}$`)

func (s Shop) validate() []error {
	var errs []error
	if n := utf8.RuneCountInString(s.Name); n > 40 || !utf8.ValidString(s.Name) {
		errs = append(errs, fmt.Errorf("config: shop.name (FRONTDESK_SHOP_NAME) has %d characters; give at most 40, e.g. 林氏家居售后", n))
	}
	if s.Phone != "" && !shopPhone.MatchString(s.Phone) {
		errs = append(errs, fmt.Errorf("config: shop.phone (FRONTDESK_SHOP_PHONE) %q is not a phone number; give digits, spaces, dashes, e.g. 400-820-1234", s.Phone))
	}
	return errs
}

// Weekdays are the calendar's working weekdays, Monday first.
func (c *Calendar) Weekdays() []time.Weekday {
	var out []time.Weekday
	for _, d := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		if c.weekdays[d] {
			out = append(out, d)
		}
	}
	return out
}

// Hours are the opening periods of a working day, as "09:00–12:00".
func (c *Calendar) Hours() []string {
	out := make([]string, len(c.Periods))
	for i, p := range c.Periods {
		out[i] = p.Start + "–" + p.End
	}
	return out
}
