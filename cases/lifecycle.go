package cases

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"frontdesk/config"
)

// Verb is what is done to a case.
type Verb string

// The verbs of staff and of the scheduler.
const (
	Claim     Verb = "claim"
	Assign    Verb = "assign" // hand the case to a colleague (Value: the colleague)
	Classify  Verb = "classify"
	Remedy    Verb = "remedy"
	Approve   Verb = "approve" // a compensation above the clerk's limit
	Reject    Verb = "reject"
	Reply     Verb = "reply"
	Note      Verb = "note"
	Resolve   Verb = "resolve"
	Reopen    Verb = "reopen"
	MarkMajor Verb = "major"
	Cause     Verb = "cause"       // the cause found (003 质量反馈: fault → cause → action)
	Act       Verb = "action"      // the action taken
	Dispatch  Verb = "dispatch"    // send a provider
	Appoint   Verb = "appointment" // the visit's time, "YYYY-MM-DD HH:MM" in the shop's zone
	Confirm   Verb = "confirmed"   // the installer confirmed the appointment
	Escalate  Verb = "escalate"    // the scheduler: a clock ran out
)

// Compensation is the remedy value that asks for money instead of a step of
// the ladder.
const Compensation = "compensation"

// Action is what someone does to a case.
type Action struct {
	Verb Verb
	// Value: classify the kind; remedy a ladder step or Compensation;
	// reply, note, cause, action the text; appointment the time; assign the
	// colleague; dispatch the provider's id.
	Value      string
	AmountYuan int            // remedy compensation or advance
	Rolls      int            // remedy compensation on wallpaper: rolls, not yuan (WAL-6)
	ClaimYuan  int            // remedy advance: the customer's claim (APR-2)
	Wallpaper  bool           // remedy: the case's order is wallpaper, loaded by the caller
	StaffTS    string         // reply: the staff message in the thread, marked once the customer has it
	Provider   *Provider      // dispatch: the provider of Value, loaded by the caller
	Clock      *ClockDue      // escalate: the clock that ran out
	Deadline   string         // new_date, delay_risk: the order's promised date now, loaded by the caller
	Region     string         // dispatch: the order's region, loaded by the caller (providers.go)
	Proposed   []Provider     // dispatch: the providers proposed for that region
	Service    *ServiceRecord // visit_done: the provider's service record

	// Part is, for parts_add, the price list's line of the SKU, loaded by
	// the caller (parts.go).
	Part *PartPrice
}

// ClockDue names a service-time clock that ran out.
type ClockDue struct {
	Name     string
	DueAt    time.Time
	Managers bool // the second escalation, far past due, to the managers
}

// Policy is the configuration the lifecycle decides by.
type Policy struct {
	Location         *time.Location // the shop's zone: appointments are read in it
	ClerkLimitYuan   int            // the compensation a clerk decides alone
	InstallerConfirm time.Duration  // how long before an appointment the installer must confirm
	MinProviderStars float64        // the rating a provider needs to be sent (000 §4.1)
	MaxTextBytes     int            // a reply's longest text
	// ClocksOn gives the clocks a case event starts (config.ClocksOn); nil starts none.
	ClocksOn func(kind, event string, at time.Time) []config.ClockSpec
	// Clocks gives the clocks a case of a kind runs from a time (a reopen
	// runs them again, CAS-4); CallBackAfter is when a service's call-back
	// is due after the resolve (CAS-3).
	Clocks          func(kind string, from time.Time) []config.ClockSpec
	CallBackAfter   time.Duration
	ClerkLimitRolls int           // the rolls of wallpaper a clerk grants alone (3 when 0)
	WrittenSolution time.Duration // a major complaint's written solution (24 h when 0)
	GMCallback      time.Duration // a major complaint's call-back by the general manager (24 h when 0)
	Wall            WallTimes     // wallpaper.go: the wallpaper clocks (WAL-5)
	PartsReturnDays int           // replaced parts are due back this many days after the parts ship (30 when 0)
}

// DefaultPolicy is the policy of the handbooks with the default limits.
func DefaultPolicy() Policy {
	return Policy{Location: time.UTC, ClerkLimitYuan: 500, InstallerConfirm: 12 * time.Hour, MinProviderStars: 3, MaxTextBytes: 4096}
}

// Effect is something the desk must do, in the transaction that saves the
// case, for a decision to hold.
type Effect interface{ isEffect() }

// Record is the line of the case's history and audit trail (MGR-4). Its
// Event also stops the clocks waiting for it (config.ClockSpec.StopOn).
type Record struct {
	Event  string
	Detail string // the English text the audit, the API and the export keep
	// Key and Args say the line from the staff catalog in the reader's
	// language (words.go); "" for a line that is a person's own words.
	Key  string
	Args map[string]any
}

// ToCustomer sends a staff reply to the customer's chat.
type ToCustomer struct {
	Text    string
	StaffTS string
}

// ToThread posts into the case's staff thread. Mentions are the people (or
// the whole channel) the text calls on purpose, each as written in the text
// ("<@U123>", "<!channel>"): a staff desk that renders markup keeps those
// live and shows everything else in the text as written.
type ToThread struct {
	Text     string
	Mentions []string
	// Key and Args say Text from the staff's message catalog in the staff
	// channel's language (bot/stafftext.go); Text is the English fallback.
	Key  string
	Args map[string]any
}

// ToManagers posts to the managers' channel; Mentions as in ToThread.
type ToManagers struct {
	Text     string
	Mentions []string
	Key      string // as in ToThread
	Args     map[string]any
}

// StartClock starts a service-time clock on the case.
type StartClock struct {
	Name      string
	StartedAt time.Time
	Due       time.Time
	FarDue    time.Time
	StopOn    []string
}

func (Record) isEffect()     {}
func (ToCustomer) isEffect() {}
func (ToThread) isEffect()   {}
func (ToManagers) isEffect() {}
func (StartClock) isEffect() {}

// Decide applies what actor does to c at now: it returns the case as it
// must be saved and the effects to apply with it, or a coded *Error that
// says why not (and then nothing is to change). c is never modified.
func Decide(c Case, a Action, by Actor, now time.Time, p Policy) (Case, []Effect, error) {
	if !by.Role.may(a.Verb) {
		return c, nil, Refuse(Forbidden, "staff.refuse.role", []any{"Role", string(by.Role)}, "a %s may not %s a case", roleName(by.Role), a.Verb)
	}
	next := c.clone()
	d := decision{c: &next, a: a, by: by, now: now, p: p}
	if err := d.decide(); err != nil {
		return c, nil, err
	}
	return next, d.effects, nil
}

// decision is one Decide call in progress.
type decision struct {
	c       *Case
	a       Action
	by      Actor
	now     time.Time
	p       Policy
	effects []Effect
}

func (d *decision) emit(e ...Effect) { d.effects = append(d.effects, e...) }

// record emits the history line first: every decision has one.
func (d *decision) record(event, detail string) {
	d.emit(Record{Event: event, Detail: detail})
	d.startClocksOn(event) // SLA-9, SLA-12, SLA-13
}

func (d *decision) decide() error {
	if handled, err := d.wallpaper(); handled { // wallpaper.go (WAL-3, WAL-4, WAL-8)
		return err
	}
	switch d.a.Verb {
	case Claim:
		return d.claim(d.by.Name, config.EvClaim)
	case Assign:
		return d.assign()
	case Classify:
		return d.classify()
	case Remedy:
		return d.remedy()
	case Approve, Reject:
		return d.approval()
	case Reply:
		return d.reply()
	case Note:
		text, err := d.text("a note", 4096)
		if err == nil {
			d.record("note", text)
		}
		return err
	case Cause, Act:
		return d.causeOrAction()
	case Resolve:
		return d.resolve()
	case Reopen:
		return d.reopen()
	case MarkMajor:
		return d.major()
	case Dispatch:
		return d.dispatch()
	case Appoint:
		return d.appoint()
	case Confirm:
		if d.c.Details["appointment"] == "" {
			return Refuse(Conflict, "staff.refuse.no_appointment", []any{"Case", d.c.Number}, "case %s has no appointment to confirm", d.c.Number)
		}
		d.recordSaid("installer_confirmed", "appointment "+d.c.Details["appointment"]+" confirmed",
			"staff.life.installer_confirmed", "At", d.c.Details["appointment"])
		d.emit(VisitConfirmed{})
		return nil
	case VisitDone:
		return d.visitDone() // providers.go
	case Escalate:
		return d.escalate()
	case RepairStep, ApproveReturn, ReturnTracking: // repair.go
		return d.repairOrReturn()
	case NewDate, DelayRisk:
		return d.moveDeadline() // deadline.go
	case ReturnReceived, ReturnChecked, ReturnRefunded, ReturnExchanged:
		return d.returned()
	case RepairReceived, RepairReturned:
		return d.mailIn()
	case CustomerConfirm, CustomerNotSolved:
		return d.customerAnswer()
	case EndHandoff:
		return d.endHandoff()
	case CallBack:
		return d.callBack()
	case TaskForce, WrittenSolution, GMCallback, Responsible, Prevention:
		return d.complaint()
	case PartsAdd, PartsQuote, PartsAccept, PartsRefuse, PartsWaive, PartsPaid, PartsShip, PartsReturned, PartsRemind, PartsCharge:
		return d.parts() // parts.go
	}
	return Errorf(Invalid, "unknown action %q", d.a.Verb)
}

func (d *decision) claim(who, event string) error {
	d.c.Assignee = who
	if d.c.Status == Open {
		d.c.Status = Claimed
	}
	d.record(event, who)
	return nil
}

// assign hands the case to a colleague (STF-4).
func (d *decision) assign() error {
	who := strings.TrimSpace(d.a.Value)
	if who == "" || utf8.RuneCountInString(who) > 100 {
		return Refuse(Invalid, "staff.refuse.assign_name", nil, "assign needs the colleague's name (1 to 100 characters)")
	}
	return d.claim(who, "assigned")
}

// classify overrides the bot's triage; the override is recorded (DMG-5).
func (d *decision) classify() error {
	kind := config.CaseKind(d.a.Value)
	if !kind.Valid() {
		names := make([]string, len(config.CaseKinds))
		for i, k := range config.CaseKinds {
			names[i] = string(k)
		}
		return Errorf(Invalid, "classification %q: want one of %s", d.a.Value, strings.Join(names, ", "))
	}
	old := d.c.Kind
	d.c.Kind = kind
	d.c.Classification = fmt.Sprintf("staff: %s (the bot said %s)", kind, old)
	d.recordSaid("classified", fmt.Sprintf("override of the bot's triage: %s → %s", old, kind),
		"staff.life.classified", "OldKind", string(old), "NewKind", string(kind))
	return nil
}

func (d *decision) reply() error {
	text, err := d.text("a reply", d.maxText())
	if err != nil {
		return err
	}
	if d.c.Channel == "" || d.c.ChatID == "" {
		return Refuse(Conflict, "staff.refuse.no_chat", []any{"Case", d.c.Number}, "case %s has no customer chat to reply to", d.c.Number)
	}
	d.record(config.EvReply, text)
	d.emit(ToCustomer{Text: text, StaffTS: d.a.StaffTS})
	return nil
}

func (d *decision) maxText() int {
	if d.p.MaxTextBytes > 0 {
		return d.p.MaxTextBytes
	}
	return 4096
}

// text returns the action's trimmed text, refusing empty, oversized or
// broken input.
func (d *decision) text(what string, max int) (string, error) {
	text := strings.TrimSpace(d.a.Value)
	if text == "" || len(text) > max || !utf8.ValidString(text) {
		return "", Refuse(Invalid, "staff.refuse.text_size", []any{"What", textName(what), "Max", max}, "%s needs 1 to %d bytes of text", what, max)
	}
	return text, nil
}

// causeOrAction fills the case record: fault → cause → action (MGR-5).
func (d *decision) causeOrAction() error {
	text, err := d.text(string(d.a.Verb), 2000)
	if err != nil {
		return err
	}
	if d.a.Verb == Cause {
		d.c.Cause = text
	} else {
		d.c.Action = text
	}
	d.record(string(d.a.Verb), text)
	return nil
}

func (d *decision) resolve() error {
	if d.c.Status == Resolved {
		return Refuse(Conflict, "staff.refuse.resolved", []any{"Case", d.c.Number}, "case %s is resolved already", d.c.Number)
	}
	if err := d.checkRootCause(); err != nil {
		return err
	}
	if err := d.complaintRecorded(); err != nil {
		return err
	}
	d.c.Status, d.c.ResolvedAt = Resolved, d.now
	d.record(config.EvResolved, d.a.Value)
	d.afterResolve()
	return nil
}

func (d *decision) reopen() error {
	if d.c.Status != Resolved {
		return Refuse(Conflict, "staff.refuse.not_resolved", []any{"Case", d.c.Number}, "case %s is not resolved", d.c.Number)
	}
	d.c.Status, d.c.ResolvedAt = Open, time.Time{}
	if d.c.Assignee != "" {
		d.c.Status = Claimed
	}
	d.record("reopened", d.a.Value)
	d.afterReopen()
	return nil
}

// major marks a major incident; the managers hear of it at once, and a
// major quality incident is for the general manager (DMG-10).
func (d *decision) major() error {
	d.c.Severity = Major
	d.wallMajorClock(d.p.Wall) // wallpaper.go: a major quality accident (WAL-5)
	text := fmt.Sprintf("Major %s: case %s (order %s) marked major by %s.", strings.ReplaceAll(string(d.c.Kind), "_", " "),
		d.c.Number, d.c.OrderNo, d.by.Name)
	if d.c.Kind == config.KindComplaint {
		return d.majorComplaint()
	}
	key := "staff.post.major"
	if d.c.Kind == config.KindQualityDefect {
		text, key = "⚠️ Major quality incident for the general manager: "+text, "staff.life.major_quality"
	}
	args := []any{"Kind", string(d.c.Kind), "Case", d.c.Number, "Order", d.c.OrderNo, "By", d.by.Name}
	d.recordSaid("major", text, key, args...)
	_, said := said(key, args...)
	if d.c.Kind == config.KindQualityDefect {
		d.emit(ToGeneralManager{Text: text, Key: key, Args: said}) // calls the general manager by their Slack account (DMG-10)
		return nil
	}
	d.emit(ToManagers{Text: text, Mentions: []string{d.by.Name}, Key: key, Args: said})
	return nil
}

func (d *decision) minStars() float64 {
	if d.p.MinProviderStars > 0 {
		return d.p.MinProviderStars
	}
	return 3
}

// appoint records the visit's appointment and starts the clock by which the
// installer must confirm it: 12 hours before (002 三(一), INS-2).
func (d *decision) appoint() error {
	loc := d.p.Location
	if loc == nil {
		loc = time.UTC
	}
	at, err := time.ParseInLocation("2006-01-02 15:04", strings.TrimSpace(d.a.Value), loc)
	if err != nil {
		return Refuse(Invalid, "staff.refuse.appointment_format", nil, "appointment %q: want YYYY-MM-DD HH:MM", d.a.Value)
	}
	if !at.After(d.now) {
		return Refuse(Invalid, "staff.refuse.appointment_past", []any{"At", d.a.Value}, "the appointment %s is not in the future", d.a.Value)
	}
	if err := d.appointmentChecks(at); err != nil { // providers.go
		return err
	}
	d.c.Details["appointment"] = at.Format("2006-01-02 15:04")
	due := at.Add(-d.p.InstallerConfirm)
	if due.Before(d.now) {
		due = d.now
	}
	d.record("appointment", d.c.Details["appointment"])
	d.emit(StartClock{Name: "installer_confirm", StartedAt: d.now, Due: due, FarDue: at,
		StopOn: []string{"installer_confirmed", config.EvResolved}})
	d.tellAppointment() // providers.go: PRV-3
	return nil
}

// escalate tells the thread (mentioning the assignee, or everyone) that a
// clock ran out, or the managers when it is far past due (SLA-7).
func (d *decision) escalate() error {
	k := d.a.Clock
	if k == nil {
		return Errorf(Invalid, "escalate needs the clock that ran out")
	}
	loc := d.p.Location
	if loc == nil {
		loc = time.UTC
	}
	name, due := strings.ReplaceAll(k.Name, "_", " "), k.DueAt.In(loc).Format("01-02 15:04")
	if k.Managers {
		text := fmt.Sprintf("🚨 Far past due: %s of case %s (%s, %s) was due %s; assignee %s.", name,
			d.c.Number, d.c.Kind, d.c.CustomerName, due, orNobody(d.c.Assignee))
		key, args := said("staff.post.far_overdue", "Clock", k.Name, "Case", d.c.Number, "Kind", string(d.c.Kind),
			"Customer", d.c.CustomerName, "Due", due, "Assignee", d.c.Assignee)
		d.emit(Record{Event: "overdue_managers", Detail: text, Key: key, Args: args})
		d.startClocksOn("overdue_managers")
		var mentions []string
		if d.c.Assignee != "" {
			mentions = []string{d.c.Assignee}
		}
		d.emit(ToManagers{Text: text, Mentions: mentions, Key: key, Args: args})
		return nil
	}
	who := d.c.Assignee
	if who == "" {
		who = "<!channel>"
	}
	text := fmt.Sprintf("⏰ %s: %s of case %s was due %s (%s ago).", who, name, d.c.Number, due, durationText(d.now.Sub(k.DueAt)))
	key, args := said("staff.post.overdue", "Who", who, "Clock", k.Name, "Case", d.c.Number, "Due", due, "Ago", d.now.Sub(k.DueAt))
	d.emit(Record{Event: "overdue", Detail: text, Key: key, Args: args})
	d.startClocksOn("overdue")
	d.emit(ToThread{Text: text, Mentions: []string{who}, Key: key, Args: args})
	return nil
}

func orNobody(s string) string {
	if s == "" {
		return "nobody"
	}
	return s
}

func roleName(r Role) string {
	if r == "" {
		return "person without a role"
	}
	return strings.ReplaceAll(string(r), "_", " ")
}

// inLadder reports whether v is a step of the remedy ladder.
func inLadder(v string) bool { return slices.Contains(config.RemedyLadder, v) }
