package config

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Calendar is the shop's business calendar: the time zone, the opening
// periods of a working day (several, because a lunch break is common), the
// weekdays that are working days, and the exceptions. China's public holidays
// move every year and come with make-up working days (调休), so both are data,
// not code.
type Calendar struct {
	Timezone    string   `json:"timezone"`
	Periods     []Period `json:"periods"`
	WorkingDays []string `json:"working_days"` // "Mon" … "Sun"
	Holidays    []string `json:"holidays"`     // "2026-10-01": closed although a working weekday
	MakeupDays  []string `json:"makeup_days"`  // "2026-09-27": open although a weekend

	loc      *time.Location
	periods  []clockRange
	weekdays [7]bool
	holidays map[civilDate]bool
	makeups  map[civilDate]bool
}

// Period is one opening period of a working day, "09:00" to "12:00".
type Period struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

type clockRange struct{ startMin, endMin int }

type civilDate struct {
	y int
	m time.Month
	d int
}

var weekdayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// Compile checks the calendar and prepares it for arithmetic. Load calls it
// through Validate; a calendar built by hand must call it before use.
func (c *Calendar) Compile() error { return c.validate() }

func (c *Calendar) validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("config: calendar."+format, args...))
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil || c.Timezone == "" {
		bad("timezone (FRONTDESK_TIMEZONE) %q: unknown time zone; use an IANA name such as Asia/Shanghai", c.Timezone)
	}
	c.loc = loc
	c.periods = c.periods[:0]
	for i, p := range c.Periods {
		s, err1 := parseClock(p.Start)
		e, err2 := parseClock(p.End)
		if err1 != nil || err2 != nil || s >= e {
			bad("periods[%d] %q-%q: want HH:MM with start before end, such as 09:00-12:00", i, p.Start, p.End)
			continue
		}
		c.periods = append(c.periods, clockRange{s, e})
	}
	if len(c.Periods) == 0 {
		bad("periods: empty; give at least one opening period such as 09:00-18:00")
	}
	sort.Slice(c.periods, func(i, j int) bool { return c.periods[i].startMin < c.periods[j].startMin })
	for i := 1; i < len(c.periods); i++ {
		if c.periods[i].startMin < c.periods[i-1].endMin {
			bad("periods: periods overlap; list them without overlap, such as 09:00-12:00 and 13:30-18:00")
		}
	}
	c.weekdays = [7]bool{}
	for _, name := range c.WorkingDays {
		wd, ok := weekdayNames[strings.ToLower(name)]
		if !ok {
			bad("working_days %q: want Mon, Tue, Wed, Thu, Fri, Sat or Sun", name)
			continue
		}
		c.weekdays[wd] = true
	}
	if len(c.WorkingDays) == 0 {
		bad("working_days: empty; list the weekdays the shop works, such as Mon…Fri")
	}
	c.holidays, errs = parseDates("holidays", c.Holidays, errs)
	c.makeups, errs = parseDates("makeup_days", c.MakeupDays, errs)
	return errors.Join(errs...)
}

func parseDates(field string, in []string, errs []error) (map[civilDate]bool, []error) {
	out := make(map[civilDate]bool, len(in))
	for _, s := range in {
		t, err := time.Parse("2006-01-02", s)
		if err != nil {
			errs = append(errs, fmt.Errorf("config: calendar.%s %q: want a date as YYYY-MM-DD", field, s))
			continue
		}
		out[dateOf(t)] = true
	}
	return out, errs
}

func parseClock(s string) (int, error) {
	t, err := time.Parse("15:04", s)
	if err != nil {
		if s == "24:00" {
			return 24 * 60, nil
		}
		return 0, err
	}
	return t.Hour()*60 + t.Minute(), nil
}

func dateOf(t time.Time) civilDate {
	y, m, d := t.Date()
	return civilDate{y, m, d}
}

// Location is the calendar's time zone.
func (c *Calendar) Location() *time.Location { return c.loc }

// IsWorkingDay reports whether the calendar day of t (in the calendar's zone)
// is a working day: a make-up day, or a working weekday that is no holiday.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	d := dateOf(t.In(c.loc))
	if c.makeups[d] {
		return true
	}
	if c.holidays[d] {
		return false
	}
	return c.weekdays[t.In(c.loc).Weekday()]
}

// openings returns the opening periods of the day that starts at midnight,
// as absolute times. Building them from wall-clock values makes a day with a
// daylight-saving jump come out right.
func (c *Calendar) openings(midnight time.Time) [][2]time.Time {
	if !c.IsWorkingDay(midnight) {
		return nil
	}
	y, m, d := midnight.Date()
	out := make([][2]time.Time, 0, len(c.periods))
	for _, p := range c.periods {
		s := time.Date(y, m, d, p.startMin/60, p.startMin%60, 0, 0, c.loc)
		e := time.Date(y, m, d, p.endMin/60, p.endMin%60, 0, 0, c.loc)
		out = append(out, [2]time.Time{s, e})
	}
	return out
}

// maxScanDays bounds every search for the next open moment, so that a
// calendar with years of holidays cannot loop for ever.
const maxScanDays = 3 * 366

func nextMidnight(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, t.Location())
}

func midnightOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// AddBusinessDuration returns the moment at which d of business time has
// passed since t, counting only the opening periods of working days. A start
// outside business hours counts from the next opening.
func (c *Calendar) AddBusinessDuration(t time.Time, d time.Duration) time.Time {
	t = t.In(c.loc)
	if d <= 0 {
		return t
	}
	day := midnightOf(t)
	for i := 0; i < maxScanDays; i++ {
		for _, p := range c.openings(day) {
			if !t.Before(p[1]) {
				continue
			}
			start := p[0]
			if t.After(start) {
				start = t
			}
			avail := p[1].Sub(start)
			if d <= avail {
				return start.Add(d)
			}
			d -= avail
		}
		day = nextMidnight(day)
	}
	return t.Add(d) // no opening in years: count wall time rather than never
}

// BusinessDurationBetween returns how much business time lies between a and
// b (zero when b is not after a). The digest uses it to measure clocks.
func (c *Calendar) BusinessDurationBetween(a, b time.Time) time.Duration {
	a, b = a.In(c.loc), b.In(c.loc)
	var total time.Duration
	for day := midnightOf(a); day.Before(b); day = nextMidnight(day) {
		for _, p := range c.openings(day) {
			s, e := p[0], p[1]
			if s.Before(a) {
				s = a
			}
			if e.After(b) {
				e = b
			}
			if e.After(s) {
				total += e.Sub(s)
			}
		}
	}
	return total
}

// NextOpen returns t if the shop is open at t, else the next opening.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	t = t.In(c.loc)
	day := midnightOf(t)
	for i := 0; i < maxScanDays; i++ {
		for _, p := range c.openings(day) {
			if t.Before(p[1]) {
				if t.Before(p[0]) {
					return p[0]
				}
				return t
			}
		}
		day = nextMidnight(day)
	}
	return t
}

// AddWorkingDays returns the same wall-clock moment n working days later.
// A start outside business hours counts from the next opening, so "within
// 2 working days" of a Saturday-night message ends on Tuesday at opening
// time on a Mon–Fri calendar.
func (c *Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	t = c.NextOpen(t)
	y, m, d := t.Date()
	hh, mm, ss := t.Clock()
	for day := midnightOf(t); n > 0; {
		day = nextMidnight(day)
		if c.IsWorkingDay(day) {
			n--
		}
		y, m, d = day.Date()
	}
	return time.Date(y, m, d, hh, mm, ss, t.Nanosecond(), c.loc)
}
