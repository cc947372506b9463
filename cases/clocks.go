package cases

import (
	"fmt"
	"time"

	"frontdesk/config"
)

// startClocksOn emits the clocks that the recorded event starts on the case
// (Policy.ClocksOn, config.ClocksOn): the service start after a claim
// (SLA-9), the return check and refund (SLA-12), the mail-in repair
// (SLA-13). A clock whose stopping event has happened already is not
// started: a case claimed after its provider was sent has started service.
func (d *decision) startClocksOn(event string) {
	if d.p.ClocksOn == nil || d.c.Status == Resolved {
		return
	}
	for _, spec := range d.p.ClocksOn(string(d.c.Kind), event, d.now) {
		if d.anyHappened(spec.StopOn) {
			continue
		}
		d.emit(StartClock{Name: spec.Name, StartedAt: d.now, Due: spec.Due, FarDue: spec.FarDue, StopOn: spec.StopOn})
	}
}

// anyHappened reports whether the case shows one of the events already.
func (d *decision) anyHappened(events []string) bool {
	for _, e := range events {
		if d.happened(e) {
			return true
		}
	}
	return false
}

// happened reports whether the case's record shows that event took place.
func (d *decision) happened(event string) bool {
	switch event {
	case config.EvDispatched:
		return d.c.Details["provider_id"] != ""
	case config.EvAppointment:
		return d.c.Details["appointment"] != ""
	case config.EvRemedy:
		return d.c.Remedy != ""
	case config.EvResolved:
		return d.c.Status == Resolved
	}
	return d.c.Details[event+"_at"] != "" // the returns and mail-in steps keep their time
}

// durationText says a duration the way staff read it: "45 min", "2 h",
// "1 h 30 min", "3 d 4 h", never "1h30m0s" or "0 h".
func durationText(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	mins := int((d + 30*time.Second) / time.Minute)
	if mins < 1 {
		return "under a minute"
	}
	days, hours, m := mins/(24*60), mins/60%24, mins%60
	switch {
	case days > 0 && hours > 0:
		return fmt.Sprintf("%d d %d h", days, hours)
	case days > 0:
		return fmt.Sprintf("%d d", days)
	case hours > 0 && m > 0:
		return fmt.Sprintf("%d h %d min", hours, m)
	case hours > 0:
		return fmt.Sprintf("%d h", hours)
	}
	return fmt.Sprintf("%d min", m)
}
