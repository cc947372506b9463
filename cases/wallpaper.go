package cases

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"frontdesk/config"
)

// Wallpaper quality complaints and returns (004 四(二), 四(三)): the steps of
// a wallpaper case, each recorded with who and when. A quality complaint
// starts a same-batch stock check; with stock QC trial-hangs a roll; the
// same problem → the customer sends the product back (WAL-3); then who is
// responsible (WAL-4). Compensation is counted in rolls through the remedy
// of approval.go (WAL-6). Good wallpaper returns need the salesperson and
// the duty manager, and the warehouse checks each roll (WAL-8).

// The verbs of wallpaper cases.
const (
	WallStock          Verb = "wall_stock"          // Value: rolls of the same batch in stock, then "back_office" or "clerk"
	WallTrial          Verb = "wall_trial"          // Value: same_problem or fine (QC's trial hanging)
	WallPlan           Verb = "wall_plan"           // Value: the plan (WAL-5: the same day)
	WallReturn         Verb = "wall_return"         // Value: where the customer sends the wallpaper back
	WallTracking       Verb = "wall_tracking"       // Value: the courier's tracking number
	WallReceived       Verb = "wall_received"       // Value: an optional note of what arrived
	WallResponsibility Verb = "wall_responsibility" // Value: quantity, delivery, transport, installation or product
	WallReturnOK       Verb = "wall_return_ok"      // a good-wallpaper return approved; Value: salesperson or duty_manager
	WallRollCheck      Verb = "wall_roll_check"     // Value: "<good>/<returned>", the warehouse's roll-by-roll check
)

// WallVerbs lists the wallpaper verbs.
var WallVerbs = []Verb{WallStock, WallTrial, WallPlan, WallReturn, WallTracking, WallReceived, WallResponsibility, WallReturnOK, WallRollCheck}

// The trial hanging's results.
const (
	TrialSameProblem = "same_problem"
	TrialFine        = "fine"
)

// WallCauses are the causes of a wallpaper problem and who answers for
// each (004 四(二)3, WAL-4).
var WallCauses = map[string]string{
	"quantity":     "after_sales_or_dealer",
	"delivery":     "after_sales_or_dealer",
	"transport":    "after_sales_or_dealer",
	"installation": "dealer",
	"product":      "factory",
}

// WallCauseOrder lists the causes in the order staff see them.
var WallCauseOrder = []string{"quantity", "delivery", "transport", "installation", "product"}

// Details keys of wallpaper cases.
const (
	DetailWallClass     = "wall_class"       // set by the dialog: transport, installation, quality
	DetailWallReturn    = "wallpaper_return" // "yes" on a good-wallpaper return
	DetailWallStock     = "wall_stock_rolls"
	DetailWallTrial     = "wall_trial_result"
	DetailWallParty     = "wall_party"
	DetailWallCause     = "wall_cause"
	DetailWallTracking  = "wall_tracking"
	DetailWallPlan      = "wall_plan"
	DetailWallRollsGood = "wall_rolls_good"
)

// WallReturnInstructions tells the customer to tear off, pack and courier
// the wallpaper back (WAL-3); the desk words it in the customer's language.
type WallReturnInstructions struct{ Address string }

func (WallReturnInstructions) isEffect() {}

// IsWallpaperCase reports whether c is a wallpaper complaint (triaged by
// the dialogs) or a return of good wallpaper.
func IsWallpaperCase(c Case) bool {
	return c.Details[DetailWallClass] != "" || c.Details[DetailWallReturn] == "yes"
}

var wallTrackingPattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{3,39}$`)

// wallpaper decides a wallpaper verb, and gates the return steps of a
// good-wallpaper return (WAL-8); handled reports whether it did either.
func (d *decision) wallpaper() (handled bool, err error) {
	if d.a.Verb == Remedy && d.a.Value == "touch_up_paint" && IsWallpaperCase(*d.c) {
		return true, Errorf(Invalid, "touch-up paint is never a wallpaper remedy: re-hang it, replace rolls or compensate in rolls")
	}
	if d.c.Details[DetailWallReturn] == "yes" {
		switch d.a.Verb {
		case ApproveReturn:
			for _, side := range []string{"salesperson", "duty_manager"} {
				if d.c.Details["wall_return_ok_"+side+"_at"] == "" {
					return true, Errorf(Conflict, "case %s: a wallpaper return needs the salesperson's and the duty manager's approval first (%s missing)", d.c.Number, strings.ReplaceAll(side, "_", " "))
				}
			}
		case ReturnChecked:
			if d.c.Details[string(WallRollCheck)+"_at"] == "" {
				return true, Errorf(Conflict, "case %s: record the warehouse's roll-by-roll check (wall_roll_check) first", d.c.Number)
			}
		}
	}
	known := false
	for _, v := range WallVerbs {
		known = known || v == d.a.Verb
	}
	if !known {
		return false, nil
	}
	if !IsWallpaperCase(*d.c) {
		return true, Errorf(Conflict, "case %s is no wallpaper case; %s is for wallpaper complaints and returns", d.c.Number, d.a.Verb)
	}
	if d.c.Status == Resolved {
		return true, Errorf(Conflict, "case %s is resolved; reopen it first", d.c.Number)
	}
	switch d.a.Verb {
	case WallReturnOK, WallRollCheck:
		if d.c.Details[DetailWallReturn] != "yes" {
			return true, Errorf(Conflict, "case %s is no return of good wallpaper; %s is for those", d.c.Number, d.a.Verb)
		}
		if d.a.Verb == WallReturnOK {
			return true, d.wallReturnOK()
		}
		return true, d.wallRollCheck()
	case WallPlan:
		text, err := d.text("a plan", 2000)
		if err != nil {
			return true, err
		}
		d.c.Details[DetailWallPlan] = text
		d.wallRecord(WallPlan, text)
		return true, nil
	}
	if d.c.Details[DetailWallClass] == "" {
		return true, Errorf(Conflict, "case %s is a return of good wallpaper; %s is for wallpaper complaints", d.c.Number, d.a.Verb)
	}
	return true, d.wallComplaintStep()
}

// wallComplaintStep records a step of the quality-complaint flow, in order
// (WAL-3, WAL-4); each once.
func (d *decision) wallComplaintStep() error {
	if at := d.c.Details[string(d.a.Verb)+"_at"]; at != "" {
		return Errorf(Conflict, "case %s: %s was recorded already, at %s", d.c.Number, d.a.Verb, at)
	}
	value := strings.TrimSpace(d.a.Value)
	switch d.a.Verb {
	case WallStock:
		f := strings.Fields(value)
		n := -1
		if len(f) > 0 {
			if v, err := strconv.Atoi(f[0]); err == nil && v >= 0 && v <= 100000 {
				n = v
			}
		}
		source := "clerk"
		if len(f) > 1 {
			source = f[1]
		}
		if n < 0 || len(f) > 2 || (source != "clerk" && source != "back_office") {
			return Errorf(Invalid, "stock check %q: give the rolls of the same batch in stock (0 to 100000)", value)
		}
		d.c.Details[DetailWallStock] = strconv.Itoa(n)
		d.wallRecord(WallStock, fmt.Sprintf("batch %s: %d rolls in stock (%s)", orUnknown(d.c.Details["batch_no"]), n, source))
	case WallTrial:
		if d.c.Details[string(WallStock)+"_at"] == "" {
			return Errorf(Conflict, "case %s: a trial hanging needs the same-batch stock check first", d.c.Number)
		}
		if d.c.Details[DetailWallStock] == "0" {
			return Errorf(Conflict, "case %s: no roll of the batch is in stock to trial-hang", d.c.Number)
		}
		if value != TrialSameProblem && value != TrialFine {
			return Errorf(Invalid, "trial hanging result %q: want %s or %s", value, TrialSameProblem, TrialFine)
		}
		d.c.Details[DetailWallTrial] = value
		d.wallRecord(WallTrial, "QC trial hanging: "+strings.ReplaceAll(value, "_", " "))
	case WallReturn:
		trial, stock := d.c.Details[DetailWallTrial], d.c.Details[DetailWallStock]
		if trial != TrialSameProblem && stock != "0" {
			return Errorf(Conflict, "case %s: the customer returns the wallpaper after the trial hanging showed the same problem (or with none of the batch in stock)", d.c.Number)
		}
		if value == "" || utf8.RuneCountInString(value) > 300 || !utf8.ValidString(value) {
			return Errorf(Invalid, "return address: give where the wallpaper goes back to (1 to 300 characters)")
		}
		if d.c.Channel == "" || d.c.ChatID == "" {
			return Errorf(Conflict, "case %s has no customer chat to send the return instructions to", d.c.Number)
		}
		d.c.Details["wall_return_address"] = value
		d.wallRecord(WallReturn, "return instructions sent; address "+value)
		d.emit(WallReturnInstructions{Address: value})
	case WallTracking:
		if d.c.Details[string(WallReturn)+"_at"] == "" {
			return Errorf(Conflict, "case %s: no return was asked of the customer yet", d.c.Number)
		}
		no := strings.ToUpper(strings.Join(strings.Fields(value), ""))
		if !wallTrackingPattern.MatchString(no) {
			return Errorf(Invalid, "tracking number %q: 4 to 40 letters, digits or '-'", value)
		}
		d.c.Details[DetailWallTracking] = no
		d.wallRecord(WallTracking, no)
	case WallReceived:
		if d.c.Details[string(WallReturn)+"_at"] == "" {
			return Errorf(Conflict, "case %s: no return was asked of the customer yet", d.c.Number)
		}
		note, err := d.note()
		if err != nil {
			return err
		}
		d.wallRecord(WallReceived, note)
	case WallResponsibility:
		party, ok := WallCauses[value]
		if !ok {
			return Errorf(Invalid, "cause %q: want one of %s", value, strings.Join(WallCauseOrder, ", "))
		}
		if value == "product" && d.c.Details[string(WallStock)+"_at"] == "" {
			return Errorf(Conflict, "case %s: a product dispute is decided after the same-batch stock check", d.c.Number)
		}
		d.c.Details[DetailWallCause], d.c.Details[DetailWallParty] = value, party
		text := fmt.Sprintf("%s → %s", value, strings.ReplaceAll(party, "_", " "))
		if value == "product" {
			d.c.Details["wall_site_visit"] = "needed"
			text += "; site visit, the factory decides; an advance is at most 50 % of the claim"
		}
		d.wallStamp(WallResponsibility)
		d.recordSaid(string(WallResponsibility), text, "staff.life.wall_responsibility", "Cause", value)
		key, args := said("staff.life.wall_responsibility_post", "Cause", value)
		d.emit(ToThread{Text: "Wallpaper responsibility: " + text, Key: key, Args: args})
	}
	return nil
}

// wallReturnOK records one side's approval of a good-wallpaper return:
// the salesperson's (any staff member, by name) or the duty manager's
// (only a duty manager) (WAL-8).
func (d *decision) wallReturnOK() error {
	side := strings.TrimSpace(d.a.Value)
	switch side {
	case "salesperson":
	case "duty_manager":
		if d.by.Role != DutyManager {
			return Errorf(Forbidden, "only the duty manager approves a wallpaper return as the duty manager; you are a %s", roleName(d.by.Role))
		}
	default:
		return Errorf(Invalid, "approval %q: want salesperson or duty_manager", side)
	}
	key := "wall_return_ok_" + side + "_at"
	if at := d.c.Details[key]; at != "" {
		return Errorf(Conflict, "case %s: the %s approved already, at %s", d.c.Number, strings.ReplaceAll(side, "_", " "), at)
	}
	d.c.Details[key] = d.stamp()
	d.c.Details["wall_return_ok_"+side+"_by"] = d.by.Name
	d.recordSaid(string(WallReturnOK), strings.ReplaceAll(side, "_", " ")+" "+d.by.Name+" approves the return",
		"staff.life.wall_return_ok", "Side", side, "By", d.by.Name)
	return nil
}

// wallRollCheck records the warehouse's check of each roll that came back:
// "<good>/<returned>" (WAL-8).
func (d *decision) wallRollCheck() error {
	if d.c.Details[config.EvReturnReceived+"_at"] == "" {
		return Errorf(Conflict, "case %s: the rolls are checked once they are received (return_received first)", d.c.Number)
	}
	if at := d.c.Details[string(WallRollCheck)+"_at"]; at != "" {
		return Errorf(Conflict, "case %s: the rolls were checked already, at %s", d.c.Number, at)
	}
	g, r, ok := strings.Cut(strings.TrimSpace(d.a.Value), "/")
	good, gerr := strconv.Atoi(strings.TrimSpace(g))
	returned, rerr := strconv.Atoi(strings.TrimSpace(r))
	max, _ := strconv.Atoi(d.c.Details["quantity"])
	if !ok || gerr != nil || rerr != nil || returned < 1 || good < 0 || good > returned || (max > 0 && returned > max) {
		return Errorf(Invalid, "roll check %q: want <good>/<returned>, e.g. 12/12, at most the %s rolls of the request", d.a.Value, d.c.Details["quantity"])
	}
	d.c.Details[DetailWallRollsGood] = strconv.Itoa(good)
	d.c.Details["wall_rolls_returned"] = strconv.Itoa(returned)
	d.wallStamp(WallRollCheck)
	d.recordSaid(string(WallRollCheck), fmt.Sprintf("warehouse checked %d rolls: %d good, %d not", returned, good, returned-good),
		"staff.life.wall_roll_check", "Returned", returned, "Good", good, "Bad", returned-good)
	return nil
}

// wallRecord keeps a step's time and who took it on the case, and records
// it in the history.
func (d *decision) wallRecord(v Verb, detail string) {
	d.wallStamp(v)
	d.record(string(v), detail)
}

// wallStamp keeps a step's time and who took it on the case.
func (d *decision) wallStamp(v Verb) {
	d.c.Details[string(v)+"_at"] = d.stamp()
	d.c.Details[string(v)+"_by"] = d.by.Name
}

func (d *decision) stamp() string { return d.now.In(d.loc()).Format("2006-01-02 15:04") }

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// The wallpaper clocks (004 四(二)(4), WAL-5).
const (
	WallAnswerClock = "wall_answer" // an answer within 24 hours
	WallPlanClock   = "wall_plan"   // a general issue's plan the same day
	WallMajorClock  = "wall_major"  // a major quality accident: 3 days, at most 5
)

// WallTimes are the targets of the wallpaper clocks; zero values are the
// handbook's.
type WallTimes struct {
	Answer   time.Duration // 24 h
	MajorMin time.Duration // 3 days
	MajorMax time.Duration // 5 days
}

func (w WallTimes) withDefaults() WallTimes {
	if w.Answer <= 0 {
		w.Answer = 24 * time.Hour
	}
	if w.MajorMin <= 0 {
		w.MajorMin = 72 * time.Hour
	}
	if w.MajorMax < w.MajorMin {
		w.MajorMax = 120 * time.Hour
	}
	return w
}

// WallpaperClocks are the clocks a wallpaper complaint starts when it is
// opened at now: the answer in 24 hours (stopped by a reply or the plan),
// the plan by the end of the same day in the shop's zone (WAL-5).
func WallpaperClocks(c Case, now time.Time, loc *time.Location, w WallTimes) []StartClock {
	if c.Details[DetailWallClass] == "" {
		return nil
	}
	w = w.withDefaults()
	if loc == nil {
		loc = time.UTC
	}
	l := now.In(loc)
	endOfDay := time.Date(l.Year(), l.Month(), l.Day(), 23, 59, 0, 0, loc)
	return []StartClock{
		{Name: WallAnswerClock, StartedAt: now, Due: now.Add(w.Answer), FarDue: now.Add(2 * w.Answer),
			StopOn: []string{config.EvReply, string(WallPlan), config.EvResolved}},
		{Name: WallPlanClock, StartedAt: now, Due: endOfDay, FarDue: endOfDay.Add(24 * time.Hour),
			StopOn: []string{string(WallPlan), config.EvResolved}},
	}
}

// wallMajorClock starts, on a wallpaper quality case marked major, the
// clock of a major quality accident: handled in 3 days, at most 5 (WAL-5).
func (d *decision) wallMajorClock(w WallTimes) {
	if d.c.Details[DetailWallClass] == "" {
		return
	}
	w = w.withDefaults()
	d.emit(StartClock{Name: WallMajorClock, StartedAt: d.now, Due: d.now.Add(w.MajorMin), FarDue: d.now.Add(w.MajorMax),
		StopOn: []string{config.EvResolved}})
}
