package config

import (
	"math/rand"
	"testing"
	"time"
)

// shopCalendar is a Mon–Fri shop with a lunch break, the 2026 National Day
// holidays and their make-up working days.
func shopCalendar(t *testing.T) *Calendar {
	t.Helper()
	c := &Calendar{
		Timezone:    "Asia/Shanghai",
		Periods:     []Period{{"13:30", "18:00"}, {"09:00", "12:00"}}, // out of order on purpose
		WorkingDays: []string{"Mon", "Tue", "Wed", "Thu", "Fri"},
		Holidays:    []string{"2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"},
		MakeupDays:  []string{"2026-09-27", "2026-10-10"},
	}
	if err := c.Compile(); err != nil {
		t.Fatal(err)
	}
	return c
}

func at(t *testing.T, c *Calendar, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, c.Location())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// rule: SLA-6
func TestAddBusinessDuration(t *testing.T) {
	c := shopCalendar(t)
	tests := []struct {
		name  string
		start string
		d     time.Duration
		want  string
	}{
		{"inside a period", "2026-11-24 10:00", time.Hour, "2026-11-24 11:00"},
		{"across the lunch break", "2026-11-24 11:30", time.Hour, "2026-11-24 14:00"},
		{"starting in the lunch break", "2026-11-24 12:15", 30 * time.Minute, "2026-11-24 14:00"},
		{"across the evening", "2026-11-24 17:30", time.Hour, "2026-11-25 09:30"},
		{"starting in the evening", "2026-11-24 20:00", time.Hour, "2026-11-25 10:00"},
		{"starting before opening", "2026-11-24 07:00", time.Hour, "2026-11-24 10:00"},
		{"across a weekend", "2026-11-27 17:00", 2 * time.Hour, "2026-11-30 10:00"},
		{"starting on a Saturday", "2026-11-28 12:00", time.Hour, "2026-11-30 10:00"},
		{"ending exactly at closing", "2026-11-24 17:00", time.Hour, "2026-11-24 18:00"},
		{"across the National Day holidays", "2026-09-30 17:00", 2 * time.Hour, "2026-10-08 10:00"},
		{"a make-up Sunday is worked", "2026-09-26 10:00", 2 * time.Hour, "2026-09-27 11:00"},
		{"a make-up Saturday is worked", "2026-10-09 17:30", time.Hour, "2026-10-10 09:30"},
		{"24 business hours span three 7.5 h days", "2026-11-24 09:00", 24 * time.Hour, "2026-11-27 10:30"},
		{"zero is now", "2026-11-24 20:00", 0, "2026-11-24 20:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddBusinessDuration(at(t, c, tt.start), tt.d)
			if want := at(t, c, tt.want); !got.Equal(want) {
				t.Errorf("AddBusinessDuration(%s, %v) = %s, want %s", tt.start, tt.d, got.Format(time.DateTime), tt.want)
			}
		})
	}
}

// rule: SLA-6
func TestAddWorkingDays(t *testing.T) {
	c := shopCalendar(t)
	tests := []struct {
		name  string
		start string
		n     int
		want  string
	}{
		{"two days midweek", "2026-11-24 10:00", 2, "2026-11-26 10:00"},
		{"over a weekend", "2026-11-27 15:00", 1, "2026-11-30 15:00"},
		{"from a Saturday night", "2026-11-28 20:00", 2, "2026-12-02 09:00"},
		{"from an evening", "2026-11-24 20:00", 1, "2026-11-26 09:00"},
		{"from the lunch break", "2026-11-24 12:30", 1, "2026-11-25 13:30"},
		{"over the holidays", "2026-09-30 10:00", 1, "2026-10-08 10:00"},
		{"onto a make-up Sunday", "2026-09-25 10:00", 1, "2026-09-27 10:00"},
		{"onto a make-up Saturday", "2026-10-09 10:00", 1, "2026-10-10 10:00"},
		{"zero days from open time", "2026-11-24 10:00", 0, "2026-11-24 10:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddWorkingDays(at(t, c, tt.start), tt.n)
			if want := at(t, c, tt.want); !got.Equal(want) {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.start, tt.n, got.Format(time.DateTime), tt.want)
			}
		})
	}
}

// rule: SLA-6
func TestBusinessHoursAcrossDaylightSaving(t *testing.T) {
	allWeek := []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	whole := &Calendar{Timezone: "America/New_York", Periods: []Period{{"00:00", "24:00"}}, WorkingDays: allWeek}
	night := &Calendar{Timezone: "America/New_York", Periods: []Period{{"01:00", "05:00"}}, WorkingDays: allWeek}
	for _, c := range []*Calendar{whole, night} {
		if err := c.Compile(); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name  string
		c     *Calendar
		start string
		d     time.Duration
		want  string
	}{
		// 2026-03-08 02:00 EST jumps to 03:00 EDT: six real hours end at 05:00.
		{"spring forward, open all day", whole, "2026-03-07 22:00", 6 * time.Hour, "2026-03-08 05:00"},
		// The 01:00–05:00 period is three real hours on the jump day.
		{"spring forward shortens a period", night, "2026-03-08 01:00", 3 * time.Hour, "2026-03-08 05:00"},
		{"spring forward carries the rest", night, "2026-03-08 01:00", 4 * time.Hour, "2026-03-09 02:00"},
		// 2026-11-01 02:00 EDT falls back to 01:00 EST: the day has 25 hours.
		{"fall back, open all day", whole, "2026-10-31 23:00", 3 * time.Hour, "2026-11-01T01:00:00-05:00"},
		{"fall back lengthens a period", night, "2026-11-01 01:00", 5 * time.Hour, "2026-11-01 05:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.c.AddBusinessDuration(at(t, tt.c, tt.start), tt.d)
			want, err := time.Parse(time.RFC3339, tt.want)
			if err != nil { // a plain local time where it is not ambiguous
				want = at(t, tt.c, tt.want)
			}
			if !got.Equal(want) {
				t.Errorf("got %s, want %s", got.Format(time.RFC3339), want.Format(time.RFC3339))
			}
		})
	}
}

func TestBusinessDurationBetweenInvertsAdd(t *testing.T) {
	c := shopCalendar(t)
	if got := c.BusinessDurationBetween(at(t, c, "2026-11-24 11:00"), at(t, c, "2026-11-24 14:00")); got != 90*time.Minute {
		t.Fatalf("between 11:00 and 14:00 = %v, want 1h30m (lunch excluded)", got)
	}
	rng := rand.New(rand.NewSource(1))
	base := at(t, c, "2026-09-20 00:00")
	for i := 0; i < 500; i++ {
		start := base.Add(time.Duration(rng.Int63n(int64(60 * 24 * time.Hour))))
		d := time.Duration(rng.Int63n(int64(40 * time.Hour)))
		end := c.AddBusinessDuration(start, d)
		if got := c.BusinessDurationBetween(start, end); got != d {
			t.Fatalf("between(%s, add(%v)) = %v", start, d, got)
		}
	}
}

func TestCalendarValidation(t *testing.T) {
	c := &Calendar{Timezone: "Mars/Olympus", Periods: []Period{{"12:00", "09:00"}}, WorkingDays: []string{"Funday"}, Holidays: []string{"1 Oct"}}
	err := c.Compile()
	if err == nil {
		t.Fatal("a broken calendar compiled")
	}
	for _, want := range []string{"calendar.timezone", "calendar.periods[0]", "calendar.working_days \"Funday\"", "calendar.holidays \"1 Oct\""} {
		if !contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}
