package conversations

import (
	"fmt"
	"regexp"
	"strings"

	"frontdesk/config"
)

// Flow names; also the "pending" value while a customer verifies first.
const (
	flowDamage    = "damage"
	flowReturn    = "return"
	flowRepair    = "repair"
	flowInstall   = "install"
	flowComplaint = "complaint"
	flowArrival   = "arrival"
	flowSurvey    = "survey"
)

func init() {
	for _, f := range []*flowDef{damageFlow(), returnFlow(), repairFlow(), installFlow(), complaintFlow(), arrivalFlow(), surveyFlow()} {
		flows[f.name] = f
	}
}

func (d *dialog) hasWallpaper() bool {
	items, err := d.selectedItems()
	if err != nil {
		return false
	}
	for _, it := range items {
		if it.Category == string(config.Wallpaper) {
			return true
		}
	}
	return false
}

func (d *dialog) packagingPhotos() int {
	n := 0
	for _, p := range d.draft().Photos {
		if p.Step == "packaging" {
			n++
		}
	}
	return n
}

var batchPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9-]{1,31}$`)

// damageFlow is Conversation 2 (rules DMG-1 … DMG-7, DMG-9, DMG-11).
func damageFlow() *flowDef {
	return &flowDef{name: flowDamage, verify: true, questions: []question{
		orderQuestion(),
		itemsQuestion(true),
		{key: "found_at", prompt: prompt("q.found_at"), options: fixed("found.", "pickup", "home"), when: notWall},
		wallQuestions()[0], wallQuestions()[1], // wallpaper.go: its own triage (WAL-1)
		{key: "photos_packaging", prompt: prompt("q.photo_packaging"), photos: "packaging", none: "btn.no_packaging", when: notWall},
		{key: "photos_whole", prompt: prompt("q.photo_whole"), photos: "whole"},
		{key: "photos_closeup", prompt: prompt("q.photo_closeup"), photos: "closeup"},
		{key: "same_place", prompt: prompt("q.same_place"), options: fixed("same.", SamePlaceYes, SamePlaceNo, SamePlaceUnsure),
			when: func(d *dialog) bool { return d.packagingPhotos() > 0 && notWall(d) }},
		wallBatchQuestion(), // WAL-2
		{key: "description", prompt: prompt("q.description"), text: describeText},
	}, finish: finishDamage}
}

func finishDamage(d *dialog) error {
	dr := d.draft()
	if isWall(d) {
		return finishWallpaper(d, "normal", dr.Photos) // wallpaper.go (WAL-1)
	}
	kind, why := Triage(d.packagingPhotos(), dr.Answers["same_place"])
	details := copyAnswers(dr.Answers)
	if asksForMoney(dr.Answers["description"]) {
		details["compensation_requested"] = "yes"
	}
	// For staff only: the remedies to consider, in order (DMG-8).
	details["remedy_ladder"] = strings.Join(config.RemedyLadder, " > ")
	d.openCase(OpenCase{Kind: kind, Classification: why, Description: dr.Answers["description"], Details: details, Photos: dr.Photos})
	p := d.env.Promises
	text := d.t("done."+kind, Args{"Case": CasePlaceholder, "Reply": d.promise("first_response", p.FirstResponse), "Days": p.ConfirmDays})
	if dr.Answers["found_at"] == "pickup" && !d.hasWallpaper() {
		text += "\n" + d.t("done.pickup_promise") // APR-3: at pickup, repair or parts are promised
	}
	if details["compensation_requested"] == "yes" {
		text += "\n" + d.t("done.compensation")
	}
	d.say(text, backButtons(d.lang()))
	return nil
}

// openCase emits OpenCase for the draft's order and lines.
func (d *dialog) openCase(c OpenCase) {
	dr := d.draft()
	c.OrderNo, c.Lines = dr.OrderNo, dr.Lines
	if c.Severity == "" {
		c.Severity = "normal"
	}
	if d.st.Verified != nil {
		c.Customer = *d.st.Verified
	}
	d.effects = append(d.effects, c)
}

// copyAnswers gives the draft's answers to the case as its details; the
// description is the case's own field, not repeated there.
func copyAnswers(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if k != "description" {
			out[k] = v
		}
	}
	return out
}

// returnFlow is the return / exchange request (rules RET-1 … RET-6). What
// refuses a return whatever else is answered (custom-made, past the
// window) is said right after the item is chosen, before any other
// question, with what the customer can do instead (RET-6).
func returnFlow() *flowDef {
	isDefect := func(d *dialog) bool { return d.answer("reason") == "defect" }
	notCaused := func(d *dialog) bool { return isDefect(d) && d.answer("customer_caused") == "no" }
	// The shop's own error is taken back as it is: nothing to check (RET-5).
	checked := func(d *dialog) bool { return d.returnGoesOn() && d.returnReason() != ReasonShopError }
	return &flowDef{name: flowReturn, verify: true, questions: []question{
		orderQuestion(),
		itemsQuestion(false),
		wallReturnRolls(), // wallpaper.go: the rolls first, for the batch rule (WAL-8)
		returnBlockedQuestion(),
		{key: "reason", prompt: prompt("q.return_reason"), options: fixed("reason.", "changed_mind", "wrong_item", "defect"),
			when: func(d *dialog) bool { return d.answer("blocked") == "" }},
		{key: "customer_caused", prompt: prompt("q.customer_caused"), options: yesNo, inline: true, when: isDefect},
		{key: "defect_affects_use", prompt: prompt("q.defect_affects_use"), options: yesNo, inline: true, when: notCaused},
		{key: "unused", prompt: prompt("q.unused"), options: yesNo, inline: true, when: checked},
		{key: "packaging", prompt: prompt("q.original_packaging"), options: yesNo, inline: true, when: checked},
		{key: "proof", prompt: prompt("q.proof"), options: yesNo, inline: true, when: checked},
		{key: "quantity", prompt: func(d *dialog) string { return d.t("q.quantity", Args{"Max": d.maxQuantity()}) },
			when: func(d *dialog) bool { return d.returnGoesOn() && d.maxQuantity() > 1 && d.returnFails() == nil },
			text: func(d *dialog, s string) (string, string, bool) {
				n := atoi(s)
				return s, "bad.quantity", n >= 1 && n <= d.maxQuantity()
			}},
		{key: "contact", prompt: func(d *dialog) string { return d.t("q.contact", Args{"Last4": lastFour(d.st.Verified.Phone)}) },
			options: fixed("contact.", "yes", "other"), when: func(d *dialog) bool { return d.returnGoesOn() && d.returnFails() == nil }},
		{key: "contact_phone", prompt: prompt("q.contact_phone"), when: func(d *dialog) bool { return d.answer("contact") == "other" },
			text: func(d *dialog, s string) (string, string, bool) {
				digits := strings.Map(func(r rune) rune {
					if r >= '0' && r <= '9' {
						return r
					}
					return -1
				}, s)
				return digits, "bad.phone", len(digits) >= 7 && len(digits) <= 15
			}},
	}, finish: finishReturn}
}

func (d *dialog) maxQuantity() int {
	items, err := d.selectedItems()
	if err != nil || len(items) == 0 {
		return 1
	}
	return items[0].Quantity
}

// returnRequest is what the return dialog knows so far.
func (d *dialog) returnRequest() (ReturnRequest, error) {
	o, err := d.order()
	if err != nil {
		return ReturnRequest{}, err
	}
	items, _ := d.selectedItems()
	custom := len(items) > 0 && items[0].CustomMade
	a := d.draft().Answers
	wall, isWallpaper := d.wallReturn(o) // wallpaper.go (WAL-8)
	return ReturnRequest{Wallpaper: isWallpaper, Wall: wall, PaidOn: o.PaidOn, DeliveredOn: o.DeliveredOn, Undelivered: undelivered(o.Status), CustomMade: custom,
		Unused: a["unused"] == "yes", OriginalPackage: a["packaging"] == "yes", ProofOfPurchase: a["proof"] == "yes",
		Reason: d.returnReason(), DefectAffectsUse: a["defect_affects_use"] == "yes", CustomerCaused: a["customer_caused"] == "yes"}, nil
}

// undelivered reports whether an order's goods have not arrived yet.
func undelivered(status string) bool {
	return status == string(config.OrderPlaced) || status == string(config.OrderInProduction) || status == string(config.OrderShipped)
}

// returnFails applies the eligibility rules to what is known so far.
func (d *dialog) returnFails() []string {
	r, err := d.returnRequest()
	if err != nil {
		return []string{"ret.unknown"}
	}
	return ReturnEligibility(r, d.env.Now, d.env.loc())
}

func finishReturn(d *dialog) error {
	switch d.answer("blocked") {
	case blockedRepair:
		dr := d.draft()
		return d.startFlowWith(flowRepair, Draft{OrderNo: dr.OrderNo, Lines: dr.Lines})
	case blockedComplaint:
		return d.startFlowWith(flowComplaint, Draft{OrderNo: d.draft().OrderNo})
	}
	if fails := d.returnFails(); len(fails) > 0 {
		d.say(d.t("return.not_eligible", Args{"Reasons": d.bullets(fails)}), [][]Button{
			{{Label: d.t("btn.repair"), Data: choiceRepair}},
			{{Label: d.t("btn.complaint"), Data: choiceComplain}},
			{{Label: d.t("btn.human"), Data: choiceHuman}},
			backButtons(d.lang())[0],
		})
		return nil
	}
	details := copyAnswers(d.draft().Answers)
	delete(details, "blocked")
	details["reason"] = d.returnReason()
	if details["quantity"] == "" {
		details["quantity"] = "1"
	}
	if details["contact"] == "yes" {
		details["contact_phone"] = d.st.Verified.Phone
	}
	if details["reason"] == ReasonShopError {
		details["shop_error"] = "yes" // taken back whatever the window or customisation (RET-5)
	}
	wallText := d.wallReturnDetails(details) // wallpaper.go (WAL-8)
	d.openCase(OpenCase{Kind: string(config.KindReturnExchange), Description: d.t("reason." + details["reason"]), Details: details})
	d.say(d.plural("done.return", d.env.Promises.ReturnReviewDays, Args{"Case": CasePlaceholder})+wallText, backButtons(d.lang()))
	return nil
}

func lastFour(phone string) string {
	if len(phone) < 4 {
		return phone
	}
	return phone[len(phone)-4:]
}

// repairFlow is the repair request (rules REP-1 … REP-5, REP-7).
func repairFlow() *flowDef {
	return &flowDef{name: flowRepair, verify: true, questions: []question{
		orderQuestion(),
		itemsQuestion(false),
		{key: "description", prompt: prompt("q.description"), text: describeText},
		{key: "photos_repair", prompt: prompt("q.photo_repair"), photos: "repair", none: "btn.skip_photos"},
		{key: "exclusion", prompt: prompt("q.exclusion"),
			options: fixed("excl.", "none", "misuse", "self_move", "unauthorised", "power", "disaster")},
		{key: "help", prompt: prompt("q.help"), options: fixed("help.", "phone", "visit")},
	}, finish: finishRepair}
}

func finishRepair(d *dialog) error {
	o, err := d.order()
	if err != nil {
		return err
	}
	items, err := d.selectedItems()
	if err != nil || len(items) == 0 {
		return fmt.Errorf("conversations: repair without an item")
	}
	dr := d.draft()
	charge := RepairCharge(o.PaidOn, items[0].WarrantyMonths, d.answer("exclusion"), d.env.Now, d.env.loc())
	details := copyAnswers(dr.Answers)
	delete(details, "repair") // the "no photos" answer; the photos themselves go to the thread
	details["warranty"] = charge
	// The customer's own words are the case's description (the fault, 003
	// 质量反馈), kept and posted to the thread like every other report's.
	d.openCase(OpenCase{Kind: string(config.KindRepair), Description: dr.Answers["description"], Details: details,
		Classification: WarrantyClassification(charge), Photos: dr.Photos})
	p := d.env.Promises
	d.say(d.t("done.repair", Args{"Case": CasePlaceholder, "Warranty": d.t("warranty." + charge),
		"Next": d.t("help.next_" + d.answer("help")), "Dispatch": d.promise("repair_dispatch", p.RepairDispatch),
		"Resolve": SayDuration(d.lang(), p.RepairResolve), "ResolveMax": SayDuration(d.lang(), p.RepairResolveMax)}), backButtons(d.lang()))
	return nil
}

// installFlow asks for an installation (rules INS-1, SRV-7): the order,
// then the day (instdate.go).
func installFlow() *flowDef {
	return &flowDef{name: flowInstall, verify: true,
		questions: append([]question{orderQuestion()}, installQuestions()...), finish: finishInstall}
}

// complaintFlow takes a complaint, regular or major (rules CMP-1 … CMP-3),
// with photos when the customer has them (REP-7).
func complaintFlow() *flowDef {
	return &flowDef{name: flowComplaint, verify: true, questions: []question{
		orderQuestion("no_order"),
		{key: "severity", prompt: prompt("q.severity"), options: fixed("sev.", "regular", "major")},
		wallQuestions()[0], wallQuestions()[1], wallQuestions()[2], // wallpaper.go (WAL-1, WAL-2)
		{key: "description", prompt: prompt("q.complaint"), text: describeText},
		{key: "photos_complaint", prompt: prompt("q.photo_complaint"), photos: "complaint", none: "btn.skip_photos"},
	}, finish: func(d *dialog) error {
		dr := d.draft()
		severity := map[string]string{"regular": "normal", "major": "major"}[dr.Answers["severity"]]
		if isWall(d) {
			return finishWallpaper(d, severity, dr.Photos) // wallpaper.go (WAL-1)
		}
		if dr.OrderNo == "no_order" {
			dr.OrderNo = ""
		}
		details := copyAnswers(dr.Answers)
		delete(details, "complaint") // the "no photos" answer
		d.openCase(OpenCase{Kind: string(config.KindComplaint), Severity: severity, Description: dr.Answers["description"],
			Details: details, Photos: dr.Photos})
		p := d.env.Promises
		if severity == "major" {
			text := d.t("done.complaint_major", Args{"Case": CasePlaceholder, "Solution": d.promise("complaint_solution", p.ComplaintSolution)})
			d.say(text, backButtons(d.lang()))
		} else {
			d.say(d.t("done.complaint", Args{"Case": CasePlaceholder, "Apology": d.promise("complaint_apology", p.ComplaintApology),
				"Solution": d.promise("complaint_solution", p.ComplaintSolution),
				"FollowUp": d.promise("complaint_follow_up", p.ComplaintFollowUp)}), backButtons(d.lang()))
		}
		return nil
	}}
}
