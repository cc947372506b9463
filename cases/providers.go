package cases

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"frontdesk/config"
)

// Providers and visits (000 §4, 002 三(一), 四(二)): who may be sent where,
// what a dispatch, an appointment and a finished visit record, and when a
// provider's complaint rate flags it.

// The verbs of a visit beyond dispatch, appointment and confirmation.
const (
	VisitDone Verb = "visit_done" // the provider reports the visit done with its service record (PRV-5)
)

// ComplaintRateLimit is the share of visits with a complaint or a low score
// above which a provider gets no more jobs (002 四(二): 3 %).
const ComplaintRateLimit = 0.03

// ComplaintWindow is how far back the complaint rate looks.
const ComplaintWindow = 90 * 24 * time.Hour

// Payment ways of a visit (000 §4.4, PRV-4).
const (
	PayCustomerRefund = "customer_refund" // a first-time provider: the customer pays it, the shop refunds the customer
	PayTransfer       = "transfer"        // a repeat provider: the shop pays it by transfer
)

// ServiceRecord is what the provider did on a visit (001 §2.3.5).
type ServiceRecord struct {
	Done   string // what was done
	Result string // the result
	Parts  string // parts used, "" for none
}

// Validate names the first field of the record that is missing or too long.
func (s ServiceRecord) Validate() error {
	for _, f := range []struct{ name, v string }{{"done", s.Done}, {"result", s.Result}} {
		if strings.TrimSpace(f.v) == "" {
			return Errorf(Invalid, "the service record needs %q: what was done and the result", f.name)
		}
	}
	for _, f := range []struct{ name, v string }{{"done", s.Done}, {"result", s.Result}, {"parts", s.Parts}} {
		if len(f.v) > 2000 || !utf8.ValidString(f.v) {
			return Errorf(Invalid, "service record %q: at most 2000 bytes of text", f.name)
		}
	}
	return nil
}

// OpenVisit creates the visit record of a dispatch (PRV-4): its kind, the
// provider and how it is paid.
type OpenVisit struct {
	ProviderID int64
	Kind       string // install, repair
	Payment    string // PayCustomerRefund or PayTransfer
}

// TellAppointment tells the customer the appointment and who comes (PRV-3);
// the desk words it in the customer's language.
type TellAppointment struct {
	At       string // YYYY-MM-DD HH:MM in the shop's zone
	Provider string
	Phone    string
}

// BriefProvider sends the provider its job with the briefing (PRV-2,
// INS-1), in its own chat when it has one.
type BriefProvider struct{ ProviderID int64 }

// CompleteVisit records the service record on the case's visit; the desk
// then asks the customer to accept the work (PRV-5).
type CompleteVisit struct{ Record ServiceRecord }

// VisitConfirmed marks the visit's appointment confirmed by the provider
// (INS-2).
type VisitConfirmed struct{}

func (OpenVisit) isEffect()       {}
func (TellAppointment) isEffect() {}
func (BriefProvider) isEffect()   {}
func (CompleteVisit) isEffect()   {}
func (VisitConfirmed) isEffect()  {}

// ServedRegions are the regions the provider serves: Regions, else Region.
func (p Provider) ServedRegions() []string {
	if len(p.Regions) > 0 {
		return p.Regions
	}
	if p.Region != "" {
		return []string{p.Region}
	}
	return nil
}

// Reach says how near the provider is to a region ("city" or
// "city/district"): 2 it serves that very district (or city), 1 it serves
// the whole city the district is in, 0 it does not serve it.
func (p Provider) Reach(region string) int {
	region = strings.TrimSpace(region)
	if region == "" {
		return 0
	}
	city, _, _ := strings.Cut(region, "/")
	best := 0
	for _, r := range p.ServedRegions() {
		switch {
		case r == region:
			return 2
		case r == city:
			best = 1
		}
	}
	return best
}

// Propose lists the providers the desk proposes for an order's region
// (PRV-1, SRV-7): those that serve it, are not flagged and have at least
// minStars — unrated ones only when no rated one qualifies — companies
// first, then the nearest, then the best rated.
func Propose(all []Provider, region string, minStars float64) []Provider {
	var rated, unrated []Provider
	for _, p := range all {
		if p.Flagged || p.Reach(region) == 0 {
			continue
		}
		switch {
		case !p.Rated():
			unrated = append(unrated, p)
		case p.Stars >= minStars:
			rated = append(rated, p)
		}
	}
	out := rated
	if len(out) == 0 {
		out = unrated
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Company != b.Company {
			return a.Company
		}
		if ra, rb := a.Reach(region), b.Reach(region); ra != rb {
			return ra > rb
		}
		if a.Stars != b.Stars {
			return a.Stars > b.Stars
		}
		return a.Name < b.Name
	})
	return out
}

// KnownRegion reports whether region ("city" or "city/district") is in the
// shop's list of regions: its city must be listed.
func KnownRegion(region string, known []string) bool {
	city, district, _ := strings.Cut(strings.TrimSpace(region), "/")
	if city == "" || (strings.Contains(region, "/") && strings.TrimSpace(district) == "") {
		return false
	}
	return slices.Contains(known, city) || slices.Contains(known, region)
}

// ComplaintRateExceeded reports whether complaints (complaint cases and low
// scores) in visits passes ComplaintRateLimit (PRV-6).
func ComplaintRateExceeded(complaints, visits int) bool {
	if complaints == 0 {
		return false
	}
	if visits <= 0 {
		return true
	}
	return float64(complaints) > ComplaintRateLimit*float64(visits)
}

// dispatch sends a provider (PRV-1, SRV-7, PRV-4). Value is the provider's
// id, then, for a provider outside the order's region, the reason. A
// flagged provider is refused; a rated one needs MinProviderStars; an
// unrated one only when no rated provider is proposed for the region.
func (d *decision) dispatch() error {
	idText, reason, _ := strings.Cut(strings.TrimSpace(d.a.Value), " ")
	reason = strings.TrimSpace(reason)
	pr := d.a.Provider
	if pr == nil {
		if _, err := strconv.ParseInt(idText, 10, 64); err != nil {
			return Errorf(Invalid, "provider %q: want its id", d.a.Value)
		}
		return Errorf(NotFound, "no provider %s", idText)
	}
	if pr.Flagged {
		return Errorf(Conflict, "%s is flagged for its complaint rate and gets no jobs until staff clear it", pr.Name)
	}
	if pr.Rated() && pr.Stars < d.minStars() {
		return Errorf(Invalid, "%s has %.1f stars; send a provider with at least %.0f", pr.Name, pr.Stars, d.minStars())
	}
	if !pr.Rated() {
		for _, q := range d.a.Proposed {
			if q.Rated() {
				return Errorf(Invalid, "%s has no rating yet; %s (%.1f★) serves the region: send a rated provider first", pr.Name, q.Name, q.Stars)
			}
		}
	}
	if len(reason) > 500 || !utf8.ValidString(reason) {
		return Errorf(Invalid, "the reason: at most 500 bytes of text")
	}
	regions := strings.Join(pr.ServedRegions(), ",")
	if pr.Region != "" && len(pr.Regions) == 0 {
		regions = pr.Region
	}
	stars := fmt.Sprintf("%.1f", pr.Stars)
	detail := fmt.Sprintf("%s (%s, %s★)", pr.Name, regions, stars)
	key, kv := "staff.life.dispatched", []any{"Provider", pr.Name, "Regions", regions, "Stars", stars}
	if region := d.a.Region; region != "" && pr.Reach(region) == 0 {
		if reason == "" {
			return Errorf(Invalid, "%s does not serve %s: give the reason after the id (\"%d reason\")", pr.Name, region, pr.ID)
		}
		detail += fmt.Sprintf(" outside %s: %s", region, reason)
		key, kv = "staff.life.dispatched_outside", append(kv, "Region", region, "Reason", reason)
		d.c.Details["dispatch_reason"] = reason
	}
	d.c.Details["provider_id"], d.c.Details["provider"] = strconv.FormatInt(pr.ID, 10), pr.Name
	if pr.Phone != "" {
		d.c.Details["provider_phone"] = pr.Phone
	}
	d.recordSaid("dispatched", detail, key, kv...)
	pay := PayTransfer
	if pr.Jobs == 0 {
		pay = PayCustomerRefund
	}
	kind := "repair"
	if d.c.Kind == config.KindInstallationHelp {
		kind = "install"
	}
	if d.c.OrderNo != "" {
		d.emit(OpenVisit{ProviderID: pr.ID, Kind: kind, Payment: pay}, BriefProvider{ProviderID: pr.ID})
	}
	return nil
}

// withinHours reports whether the time of day of at is inside hours
// ("HH:MM-HH:MM"); empty hours are any time.
func withinHours(at time.Time, hours string) (bool, error) {
	if strings.TrimSpace(hours) == "" {
		return true, nil
	}
	from, to, ok := strings.Cut(hours, "-")
	a, err1 := time.Parse("15:04", strings.TrimSpace(from))
	b, err2 := time.Parse("15:04", strings.TrimSpace(to))
	if !ok || err1 != nil || err2 != nil {
		return false, fmt.Errorf("hours %q: want HH:MM-HH:MM", hours)
	}
	m := at.Hour()*60 + at.Minute()
	return m >= a.Hour()*60+a.Minute() && m <= b.Hour()*60+b.Minute(), nil
}

// ValidHours checks a provider's working hours, "HH:MM-HH:MM" or "".
func ValidHours(hours string) error {
	if _, err := withinHours(time.Time{}, hours); err != nil {
		return Errorf(Invalid, "%v", err)
	}
	return nil
}

// appointmentChecks refuses an appointment outside the dispatched
// provider's hours, and tells the customer the appointment and who comes
// (PRV-3) once a provider is dispatched.
func (d *decision) appointmentChecks(at time.Time) error {
	if pr := d.a.Provider; pr != nil {
		ok, err := withinHours(at, pr.Hours)
		if err != nil {
			return Errorf(Invalid, "%v", err)
		}
		if !ok {
			return Refuse(Invalid, "staff.refuse.outside_hours", []any{"At", at.Format("2006-01-02 15:04"), "Provider", pr.Name, "Hours", pr.Hours},
				"the appointment %s is outside %s's hours %s", at.Format("2006-01-02 15:04"), pr.Name, pr.Hours)
		}
	}
	return nil
}

func (d *decision) tellAppointment() {
	if d.c.Details["provider"] == "" {
		return
	}
	d.emit(TellAppointment{At: d.c.Details["appointment"], Provider: d.c.Details["provider"], Phone: d.c.Details["provider_phone"]})
}

// visitDone records the provider's report: the visit is done, with its
// service record (PRV-5).
func (d *decision) visitDone() error {
	if d.c.Details["provider_id"] == "" {
		return Errorf(Conflict, "case %s has no dispatched provider", d.c.Number)
	}
	if d.c.Details["visit_done"] != "" {
		return Errorf(Conflict, "the visit of case %s is reported done already", d.c.Number)
	}
	rec := ServiceRecord{}
	if d.a.Service != nil {
		rec = *d.a.Service
	}
	if err := rec.Validate(); err != nil {
		return err
	}
	d.c.Details["visit_done"] = d.now.UTC().Format(time.RFC3339)
	detail := "done: " + rec.Done + "; result: " + rec.Result
	key, kv := "staff.life.visit_done", []any{"Done", rec.Done, "Result", rec.Result}
	if rec.Parts != "" {
		detail += "; parts: " + rec.Parts
		key, kv = "staff.life.visit_done_parts", append(kv, "Parts", rec.Parts)
	}
	d.recordSaid("visit_done", detail, key, kv...)
	d.emit(CompleteVisit{Record: rec})
	return nil
}
