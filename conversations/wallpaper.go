package conversations

import (
	"strings"
	"time"

	"frontdesk/config"
)

// Wallpaper (004 四(二), 四(三), 四(六)): its own triage, not the furniture
// packaging rule (WAL-1), the batch number from the order or "can't find
// it" (WAL-2), the follow-ups about the wallpaper itself (WAL-7) and the
// return of good wallpaper (WAL-8).

// The wallpaper problems a customer names.
const (
	WallArrivalDamaged = "arrival_damaged" // rolls damaged on arrival
	WallWrongQuantity  = "wrong_quantity"  // wrong quantity or batch delivered
	WallColour         = "colour"          // colour difference
	WallSeams          = "seams"           // open seams
	WallBubbles        = "bubbles"
	WallPeeling        = "peeling"
	WallMould          = "mould"
)

// WallProblems lists the problems in the order the dialog offers them.
var WallProblems = []string{WallArrivalDamaged, WallWrongQuantity, WallColour, WallSeams, WallBubbles, WallPeeling, WallMould}

// WallFollowProblems are the problems a follow-up asks about (WAL-7).
var WallFollowProblems = []string{WallSeams, WallBubbles, WallColour, WallPeeling, WallMould}

// The classes of a wallpaper problem (WAL-1).
const (
	WallTransport    = "transport"
	WallInstallation = "installation"
	WallQuality      = "quality"
)

// Details keys of a wallpaper case.
const (
	DetailWallClass   = "wall_class"   // transport, installation, quality
	DetailWallProblem = "wall_problem" // one of WallProblems
	DetailWallRemedy  = "wall_remedies"
)

// WallRemedies are the wallpaper's own remedies, shown to staff: never
// touch-up paint (WAL-1).
var WallRemedies = []string{"rehang", "replacement_rolls", "compensation_rolls"}

// answerUnknown is the answer "can't find it" of a typed question (WAL-2).
const answerUnknown = "unknown"

// WallpaperTriage classifies a wallpaper problem as transport, installation
// or product quality (WAL-1), and gives the case kind it opens: rolls
// damaged on arrival or the wrong quantity or batch are the delivery's;
// seams, bubbles and peeling of paper on the wall are the hanging's; colour
// difference and mould, or any fault of paper not yet hung, the product's.
func WallpaperTriage(problem string, onWall bool) (class string, kind config.CaseKind) {
	switch problem {
	case WallArrivalDamaged, WallWrongQuantity:
		return WallTransport, config.KindTransportDamage
	case WallSeams, WallBubbles, WallPeeling:
		if onWall {
			return WallInstallation, config.KindQualityDefect
		}
	}
	return WallQuality, config.KindQualityDefect
}

// wallItem returns the wallpaper item the dialog is about: among the chosen
// lines, or, when none was chosen (a complaint), among the order's items.
func (d *dialog) wallItem() (Item, bool) {
	if d.draft().OrderNo == "" || d.draft().OrderNo == "no_order" || d.st.Verified == nil {
		return Item{}, false
	}
	o, err := d.order()
	if err != nil {
		return Item{}, false
	}
	lines := d.draft().Lines
	for _, it := range o.Items {
		if it.Category != string(config.Wallpaper) {
			continue
		}
		if len(lines) == 0 || containsInt(lines, it.Line) {
			return it, true
		}
	}
	return Item{}, false
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func isWall(d *dialog) bool { _, ok := d.wallItem(); return ok }

func notWall(d *dialog) bool { return !isWall(d) }

// wallQuestions are what the damage and complaint dialogs ask of
// wallpaper: what is wrong, whether it is hung, and the batch number when
// the order does not know it, with "can't find it" as an answer (WAL-2).
func wallQuestions() []question {
	return []question{
		{key: DetailWallProblem, prompt: prompt("q.wall_problem"), options: fixed("wall.", WallProblems...), when: isWall},
		{key: "on_wall", prompt: prompt("q.on_wall"), options: yesNo, inline: true, when: isWall},
		wallBatchQuestion(),
	}
}

func wallBatchQuestion() question {
	return question{key: "batch_no", prompt: prompt("q.batch_no"), none: "btn.batch_unknown",
		when: func(d *dialog) bool { it, ok := d.wallItem(); return ok && it.BatchNo == "" },
		text: func(d *dialog, s string) (string, string, bool) {
			s = strings.ToUpper(s)
			return s, "bad.batch", batchPattern.MatchString(s)
		}}
}

// finishWallpaper opens the wallpaper case of a damage report or a
// complaint, triaged by WallpaperTriage (WAL-1).
func finishWallpaper(d *dialog, severity string, photos []StepPhoto) error {
	dr := d.draft()
	it, _ := d.wallItem()
	class, kind := WallpaperTriage(dr.Answers[DetailWallProblem], dr.Answers["on_wall"] == "yes")
	details := copyAnswers(dr.Answers)
	delete(details, "complaint")
	if it.BatchNo != "" {
		details["batch_no"], details["batch_source"] = it.BatchNo, "order"
	} else if details["batch_no"] == answerUnknown {
		details["batch_source"] = "customer could not find it"
	}
	details[DetailWallClass] = class
	details["wall_item_line"] = itoa(it.Line)
	details[DetailWallRemedy] = strings.Join(WallRemedies, " > ")
	if asksForMoney(dr.Answers["description"]) {
		details["compensation_requested"] = "yes"
	}
	d.openCase(OpenCase{Kind: string(kind), Severity: severity, Classification: "wallpaper " + class,
		Description: dr.Answers["description"], Details: details, Photos: photos})
	text := d.t("done.wall_"+class, Args{"Case": CasePlaceholder, "Answer": SayDuration(d.lang(), WallAnswer)})
	if details["compensation_requested"] == "yes" {
		text += "\n" + d.t("done.compensation")
	}
	d.say(text, backButtons(d.lang()))
	return nil
}

// WallAnswer is the time within which a wallpaper complaint is answered
// (004 四(二)(4), WAL-5).
const WallAnswer = 24 * time.Hour

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	if neg {
		b = append([]byte{'-'}, b...)
	}
	return string(b)
}

// The wallpaper follow-ups (WAL-7): at one week, one, three and six months
// after the work, about the wallpaper itself; no installer is rated.
const flowWallFollow = "wall_follow"

func init() {
	f := wallFollowFlow()
	flows[f.name] = f
}

// IsWallFollowStage reports whether a survey stage is a wallpaper follow-up
// rather than the visit's callback survey.
func IsWallFollowStage(stage string) bool {
	switch stage {
	case "week1", "month1", "month3", "month6":
		return true
	}
	return false
}

// WallFollowUp starts a wallpaper follow-up of a finished hanging.
func WallFollowUp(visitID, stage, orderNo string) Starter {
	return func(d *dialog) error {
		d.effects = append(d.effects, SurveySent{VisitID: visitID, Stage: stage})
		d.say(d.t("wallfollow.intro", Args{"Order": orderNo, "When": d.t("wallfollow.stage." + stage)}), nil)
		return d.startFlowWith(flowWallFollow, Draft{OrderNo: orderNo, Answers: map[string]string{"visit_id": visitID, "stage": stage}})
	}
}

// WallFollowAnswered is a wallpaper follow-up answered: kept with the
// visit's surveys, rating no one (WAL-7).
type WallFollowAnswered struct {
	VisitID string
	Stage   string
	Problem string // "" when all is well
}

func (WallFollowAnswered) isEffect() {}

func wallFollowFlow() *flowDef {
	problem := func(d *dialog) bool { return d.answer("wall_state") == "problem" }
	return &flowDef{name: flowWallFollow, questions: []question{
		{key: "wall_state", prompt: prompt("q.wallfollow_state"), options: fixed("wallfollow.", "fine", "problem")},
		{key: DetailWallProblem, prompt: prompt("q.wallfollow_problem"), options: fixed("wall.", WallFollowProblems...), when: problem},
		{key: "photos_wallfollow", prompt: prompt("q.wallfollow_photo"), photos: "wallfollow", none: "btn.skip_photos", when: problem},
		{key: "description", prompt: prompt("q.description"), text: describeText, when: problem},
	}, finish: finishWallFollow}
}

func finishWallFollow(d *dialog) error {
	dr := d.draft()
	a := dr.Answers
	if a["wall_state"] != "problem" {
		d.effects = append(d.effects, WallFollowAnswered{VisitID: a["visit_id"], Stage: a["stage"]})
		d.say(d.t("wallfollow.thanks"), backButtons(d.lang()))
		return nil
	}
	d.effects = append(d.effects, WallFollowAnswered{VisitID: a["visit_id"], Stage: a["stage"], Problem: a[DetailWallProblem]})
	o, err := d.env.Lookup.Order(d.ctx, dr.OrderNo)
	if err != nil {
		return errLookup("follow-up order", err)
	}
	class, kind := WallpaperTriage(a[DetailWallProblem], true)
	details := map[string]string{DetailWallProblem: a[DetailWallProblem], "on_wall": "yes", DetailWallClass: class,
		"follow_up": a["stage"], "visit_id": a["visit_id"], DetailWallRemedy: strings.Join(WallRemedies, " > ")}
	for _, it := range o.Items {
		if it.Category == string(config.Wallpaper) {
			details["wall_item_line"] = itoa(it.Line)
			if it.BatchNo != "" {
				details["batch_no"], details["batch_source"] = it.BatchNo, "order"
			}
			break
		}
	}
	c := OpenCase{Kind: string(kind), Severity: "normal", Classification: "wallpaper " + class, Description: a["description"],
		Details: details, Photos: dr.Photos, OrderNo: o.No, Customer: Identity{Name: o.CustomerName, Phone: o.Phone}}
	d.effects = append(d.effects, c)
	d.say(d.t("wallfollow.case", Args{"Case": CasePlaceholder, "Answer": SayDuration(d.lang(), WallAnswer)}), backButtons(d.lang()))
	return nil
}

// The return of good wallpaper (004 四(三), WAL-8).

// WallReturnMonths is how long after the order good wallpaper is taken back.
const WallReturnMonths = 3

// WallMinBatchRolls is the fewest rolls of a batch taken back when none of
// that batch is left in stock.
const WallMinBatchRolls = 12

// WallReturn is what the return dialog knows of a wallpaper return.
type WallReturn struct {
	OrderedOn  string // YYYY-MM-DD: the order's day (paid)
	Rolls      int    // rolls to return; 0 while not asked
	StockKnown bool
	StockRolls int // rolls of the batch in stock
}

// WallReturnStops returns the catalog keys of the rules that refuse a
// return of good wallpaper (WAL-8): after 3 months from the order, or
// fewer than 12 rolls of a batch with none of it in stock. Stock nobody
// told the desk refuses nothing: staff check it.
func WallReturnStops(r WallReturn, now time.Time, loc *time.Location) []string {
	var fails []string
	if wallTooLate(r.OrderedOn, now, loc) {
		fails = append(fails, "ret.wall_too_late")
	}
	if r.Rolls > 0 && r.Rolls < WallMinBatchRolls && r.StockKnown && r.StockRolls == 0 {
		fails = append(fails, "ret.wall_short_batch")
	}
	return fails
}

func wallTooLate(orderedOn string, now time.Time, loc *time.Location) bool {
	day, err := time.ParseInLocation("2006-01-02", orderedOn, loc)
	// The day three months on is still in time.
	return err == nil && !now.In(loc).Before(day.AddDate(0, WallReturnMonths, 1))
}

// wallReturnRolls asks, for wallpaper, how many rolls come back, right after
// the item and before anything else, so that the batch rule can be said at
// once (WAL-8); never past the 3 months, which refuse whatever the rolls.
func wallReturnRolls() question {
	return question{key: "wall_rolls",
		prompt: func(d *dialog) string {
			it, _ := d.wallItem()
			return d.t("q.wall_rolls", Args{"Max": it.Quantity})
		},
		when: func(d *dialog) bool {
			if !isWall(d) {
				return false
			}
			o, err := d.order()
			return err == nil && !wallTooLate(o.PaidOn, d.env.Now, d.env.loc())
		},
		text: func(d *dialog, s string) (string, string, bool) {
			it, _ := d.wallItem()
			n := atoi(strings.TrimSpace(s))
			if n < 1 || n > it.Quantity {
				return s, "bad.wall_rolls", false
			}
			// The rolls are the return's quantity: the later question of it
			// is answered with them.
			d.draft().Answers["quantity"] = itoa(n)
			return itoa(n), "", true
		}}
}

// wallReturn is the wallpaper part of a return request, when the item is
// wallpaper.
func (d *dialog) wallReturn(o Order) (WallReturn, bool) {
	it, ok := d.wallItem()
	if !ok {
		return WallReturn{}, false
	}
	return WallReturn{OrderedOn: o.PaidOn, Rolls: atoi(d.answer("quantity")), StockKnown: it.StockKnown, StockRolls: it.StockRolls}, true
}

// wallReturnDetails adds a wallpaper return's facts to its case and returns
// what the customer is told of the approvals it needs (WAL-8).
func (d *dialog) wallReturnDetails(details map[string]string) string {
	it, ok := d.wallItem()
	if !ok {
		return ""
	}
	details["wallpaper_return"] = "yes"
	details["wall_item_line"] = itoa(it.Line)
	details["batch_no"] = it.BatchNo
	details["batch_rolls"] = itoa(it.Quantity)
	if it.StockKnown {
		details["batch_stock"] = itoa(it.StockRolls)
	} else {
		details["batch_stock"] = "unknown"
	}
	return "\n" + d.t("return.wall_approvals")
}

// The tracking number of wallpaper sent back (WAL-3): the customer tells it
// from the button under the return instructions.
const (
	flowWallTracking   = "wall_tracking"
	prefixWallTracking = "walltrack:"
)

// wallTracking asks only the tracking number: it starts from the button
// of one case.
var wallTracking = trackingDialog{flow: flowWallTracking, prefix: prefixWallTracking,
	instructions: "wall.return_instructions", open: (*dialog).openCases,
	shipped: func(no, tracking string) Effect { return WallShipped{CaseNumber: no, TrackingNo: tracking} }}

// WallReturnInstructions is the message asking the customer to send the
// wallpaper back: the hung paper torn off, packed with the rolls and
// couriered to address; with a button to tell the tracking number.
func WallReturnInstructions(lang Lang, caseNo, address string) Reply {
	return wallTracking.instructionsReply(lang, caseNo, address)
}

// WallShipped keeps the tracking number of wallpaper a customer sent back
// on their case.
type WallShipped struct {
	CaseNumber string
	TrackingNo string
}

func (WallShipped) isEffect() {}

// wallTrackingFor starts the tracking dialog for the case of the button,
// which must be one of the verified customer's own open cases (the button
// data can be forged).
func (d *dialog) wallTrackingFor(no string) error { return wallTracking.startFor(d, no) }
