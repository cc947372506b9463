package scheduler

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// VisitReminder reminds customers of tomorrow's visits (the desk).
type VisitReminder interface {
	RemindAppointments(ctx context.Context) (int, error)
}

// AppointmentJob reminds each customer the day before a visit of the time
// and who comes (PRV-3).
type AppointmentJob struct{ Desk VisitReminder }

// Name implements Job.
func (AppointmentJob) Name() string { return "appointments" }

// Run implements Job.
func (j AppointmentJob) Run(ctx context.Context, _ time.Time) error {
	return whenWired(j.Desk != nil, func() (int, error) { return j.Desk.RemindAppointments(ctx) })
}

// flaggedText lists the providers flagged by their complaint rate, who get
// no jobs until staff clear them (PRV-6).
func (d Digest) flaggedText() string {
	if len(d.Flagged) == 0 {
		return "Providers flagged for complaints (> 3 %): none\n"
	}
	var b strings.Builder
	b.WriteString("Providers flagged for complaints (> 3 %), no jobs until cleared:\n")
	for _, p := range d.Flagged {
		fmt.Fprintf(&b, "  🚩 %s: %s\n", p.Name, p.FlagNote)
	}
	return b.String()
}
