package conversations

import (
	"regexp"
	"strings"
)

// The provider's own chat (PRV-2, INS-1, INS-2): a local installer or
// repairer links its Telegram or web chat once with a one-time code staff
// give it, then gets each job with the briefing of 000 §4.3, proposes or
// accepts the appointment, confirms it 12 hours before and reports the
// visit done with photos and the service record. Parsing and wording are
// pure; the desk (bot/providers.go) checks that a job is the provider's own
// and applies the command through the case lifecycle.

// ProviderJob is what a provider sees of one of its own jobs.
type ProviderJob struct {
	Case        string
	Kind        string // install, repair
	Customer    string
	Phone       string
	Address     string
	Items       []string
	Problem     string // what the customer described
	Photos      int    // photos of the problem on the case
	Appointment string // YYYY-MM-DD HH:MM, "" before one is agreed
	Confirmed   bool
	Done        bool
	// PhotosFollow: the photos are sent to the provider's chat after the
	// briefing (a linked chat), not forwarded by staff.
	PhotosFollow bool
}

// The provider's commands.
const (
	ProvLink    = "link"
	ProvJobs    = "jobs"
	ProvAppoint = "appoint"
	ProvConfirm = "confirm"
	ProvDone    = "done"
	ProvPhoto   = "photo"
	ProvHelp    = "help"
)

// Button data of the provider's chat.
const (
	prefixProvConfirm = "pv:confirm:"
	prefixProvDone    = "pv:done:"
)

// ProviderCommand is what one message of a provider's chat asks.
type ProviderCommand struct {
	Verb  string
	Case  string
	Value string // link: the code; appoint: "YYYY-MM-DD HH:MM"; done: the service record
}

var caseNumber = regexp.MustCompile(`^AS-\d{8}-\d{4,}$`)

// ParseProvider reads a message of a provider's chat. A command it cannot
// read is ProvHelp, with Value the catalog key of what was wrong.
func ParseProvider(in Inbound) ProviderCommand {
	if in.Photo != nil {
		return ProviderCommand{Verb: ProvPhoto}
	}
	if c, ok := strings.CutPrefix(in.Choice, prefixProvConfirm); ok {
		return caseCommand(ProvConfirm, c, "")
	}
	if c, ok := strings.CutPrefix(in.Choice, prefixProvDone); ok {
		return ProviderCommand{Verb: ProvHelp, Case: c, Value: "prov.done_how"}
	}
	fields := strings.Fields(in.Text)
	if len(fields) == 0 {
		return ProviderCommand{Verb: ProvHelp}
	}
	cmd := strings.ToLower(fields[0])
	if at := strings.IndexByte(cmd, '@'); at > 0 { // "/confirm@shop_bot"
		cmd = cmd[:at]
	}
	args := fields[1:]
	switch cmd {
	case "/link", "/start":
		if len(args) != 1 {
			return ProviderCommand{Verb: ProvHelp, Value: "prov.link_how"}
		}
		return ProviderCommand{Verb: ProvLink, Value: args[0]}
	case "/jobs", "/status":
		return ProviderCommand{Verb: ProvJobs}
	case "/appoint":
		if len(args) != 3 {
			return ProviderCommand{Verb: ProvHelp, Value: "prov.help"}
		}
		return caseCommand(ProvAppoint, args[0], args[1]+" "+args[2])
	case "/confirm":
		if len(args) != 1 {
			return ProviderCommand{Verb: ProvHelp, Value: "prov.confirm_how"}
		}
		return caseCommand(ProvConfirm, args[0], "")
	case "/done":
		if len(args) < 1 {
			return ProviderCommand{Verb: ProvHelp, Value: "prov.done_how"}
		}
		rest := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(in.Text), fields[0]))
		rest = strings.TrimSpace(strings.TrimPrefix(rest, args[0]))
		return caseCommand(ProvDone, args[0], rest)
	}
	return ProviderCommand{Verb: ProvHelp}
}

func caseCommand(verb, c, value string) ProviderCommand {
	c = strings.ToUpper(strings.TrimSpace(c))
	if !caseNumber.MatchString(c) {
		return ProviderCommand{Verb: ProvHelp, Value: "prov.bad_case"}
	}
	return ProviderCommand{Verb: verb, Case: c, Value: value}
}

// ParseServiceRecord reads "what was done | result | parts" (parts may be
// left out); "｜" is a bar too.
func ParseServiceRecord(s string) (done, result, parts string) {
	s = strings.ReplaceAll(s, "｜", "|")
	f := strings.SplitN(s, "|", 3)
	for len(f) < 3 {
		f = append(f, "")
	}
	return strings.TrimSpace(f[0]), strings.TrimSpace(f[1]), strings.TrimSpace(f[2])
}

// ProviderBriefing is the job as it goes to the provider, with the briefing
// of 000 §4.3 (PRV-2, INS-1): call the customer first and agree the time,
// come as the shop's after-sales service, shoe covers and manners.
func ProviderBriefing(lang Lang, shop string, j ProviderJob) Reply {
	var b strings.Builder
	b.WriteString(T(lang, "prov.job", Args{"Case": j.Case, "Service": T(lang, "svc."+j.Kind), "Customer": j.Customer,
		"Phone": j.Phone, "Address": orDash(j.Address), "Items": orDash(strings.Join(j.Items, "、")), "Problem": orDash(j.Problem)}))
	switch {
	case j.Photos > 0 && j.PhotosFollow:
		b.WriteString("\n" + Plural(lang, "prov.photos_sent", j.Photos, nil))
	case j.Photos > 0:
		b.WriteString("\n" + Plural(lang, "prov.photos", j.Photos, nil))
	}
	b.WriteString("\n\n" + T(lang, "prov.briefing", Args{"Shop": shop}))
	b.WriteString("\n\n" + T(lang, "prov.next_steps", Args{"Case": j.Case}))
	return Reply{Text: b.String()}
}

// ProviderAppointment tells the provider the agreed appointment and asks
// it to confirm by 12 hours before (INS-2).
func ProviderAppointment(lang Lang, j ProviderJob) Reply {
	return Reply{Text: T(lang, "prov.appointment", Args{"Case": j.Case, "At": j.Appointment}),
		Buttons: [][]Button{{{Label: T(lang, "prov.btn_confirm"), Data: prefixProvConfirm + j.Case}}}}
}

// ProviderJobLine is one job in the provider's list.
func ProviderJobLine(lang Lang, j ProviderJob) string {
	state := "prov.state_new"
	switch {
	case j.Done:
		state = "prov.state_done"
	case j.Confirmed:
		state = "prov.state_confirmed"
	case j.Appointment != "":
		state = "prov.state_appointed"
	}
	return T(lang, "prov.job_line", Args{"Case": j.Case, "Service": T(lang, "svc."+j.Kind), "Customer": j.Customer,
		"At": orDash(j.Appointment), "State": T(lang, state)})
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}
