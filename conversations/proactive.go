package conversations

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"frontdesk/config"
)

// Proactive dialogs: the desk starts them (a shipment recorded, an arrival
// day, a finished visit) in the chats bound to the order's customer.

// ShippingNotice is the message of the day a shipment is recorded: every
// field of 000 §1.5.2, then the pickup rules of §2.1, with the glass rule
// only when a package contains glass (rules DLV-1, DLV-2, DLV-3).
func ShippingNotice(lang Lang, orderNo string, s Shipment) Reply {
	var b strings.Builder
	b.WriteString(T(lang, "notice.shipped", Args{"Order": orderNo, "Carrier": s.Carrier, "Tracking": s.TrackingNo,
		"Phone": s.CarrierPhone, "Packages": s.Packages, "Pieces": s.Pieces, "Volume": strconv.FormatFloat(s.VolumeM3, 'f', 2, 64),
		"Freight": yuan(s.FreightFeeCents), "Packaging": yuan(s.PackagingFeeCents), "Expected": s.ExpectedArrival}))
	b.WriteString("\n\n" + T(lang, "notice.rules"))
	if s.ContainsGlass {
		b.WriteString("\n" + T(lang, "notice.glass"))
	}
	return Reply{Text: b.String()}
}

func yuan(cents int64) string {
	return strconv.FormatFloat(float64(cents)/100, 'f', 2, 64)
}

// Start runs a proactive dialog on a chat's state: it leaves any flow in
// progress, takes the customer as verified (the chat was bound to them when
// they verified) and begins the flow.
func Start(ctx context.Context, env Env, st State, who Identity, begin Starter) (State, []Effect, error) {
	if st.Lang == "" {
		st.Lang = ZhHans
	}
	if st.Verified == nil && who.Phone != "" {
		st.Verified = &who
	}
	st.HandedOff = false
	st.Draft = st.Draft.clone()
	d := &dialog{ctx: ctx, env: env, st: st}
	if err := begin(d); err != nil {
		return st, nil, err
	}
	return d.st, d.effects, nil
}

// Starter begins a proactive dialog; ArrivalCheck and Survey make them.
type Starter func(d *dialog) error

// ArrivalCheck asks on the expected arrival day whether the goods arrived
// (rule DLV-4).
func ArrivalCheck(orderNo string, s Shipment) Starter {
	return func(d *dialog) error {
		d.say(d.t("arrival.intro", Args{"Order": orderNo, "Carrier": s.Carrier, "Tracking": s.TrackingNo}), nil)
		return d.startFlowWith(flowArrival, Draft{OrderNo: orderNo})
	}
}

// Survey starts the callback survey of a finished visit (000 §4.5, rule
// SRV-1); stage is "visit" or a wallpaper follow-up ("week1" …).
func Survey(visitID, stage, kind, orderNo string) Starter {
	if IsWallFollowStage(stage) {
		return WallFollowUp(visitID, stage, orderNo) // wallpaper.go: about the wallpaper, rating no one (WAL-7)
	}
	return func(d *dialog) error {
		d.effects = append(d.effects, SurveySent{VisitID: visitID, Stage: stage})
		d.say(d.t("survey.intro", Args{"Order": orderNo, "Service": d.t("svc." + kind)}), nil)
		return d.startFlowWith(flowSurvey, Draft{OrderNo: orderNo,
			Answers: map[string]string{"visit_id": visitID, "stage": stage, "kind": kind}})
	}
}

func arrivalFlow() *flowDef {
	return &flowDef{name: flowArrival, questions: []question{
		{key: "arrival", prompt: prompt("q.arrival"), options: fixed("arrival.", "fine", "damaged", "not_yet")},
	}, finish: finishArrival}
}

func finishArrival(d *dialog) error {
	dr := d.draft()
	o, err := d.env.Lookup.Order(d.ctx, dr.OrderNo)
	if err != nil {
		return errLookup("arrival order", err)
	}
	switch dr.Answers["arrival"] {
	case "fine":
		d.effects = append(d.effects, Delivered{OrderNo: o.No}) // DLV-10
		if o.InstallIncluded {
			d.say(d.t("arrival.thanks")+"\n"+d.t("arrival.install_next"), [][]Button{
				{{Label: d.t("btn.install"), Data: prefixInstall + o.No}}, backButtons(d.lang())[0]})
			return nil
		}
		d.say(d.t("arrival.thanks"), backButtons(d.lang()))
		return nil
	case "damaged":
		// It arrived, damaged: the delivery is recorded (DLV-10), and the
		// damage report asks whether it was seen at pickup or after
		// unpacking like any other (DLV-13).
		d.effects = append(d.effects, Delivered{OrderNo: o.No})
		return d.startFlowWith(flowDamage, Draft{OrderNo: o.No})
	}
	today := d.env.Now.In(d.env.loc()).Format("2006-01-02")
	if o.Deadline != "" && today > o.Deadline {
		// Past the promised date: a delay case, escalated at once (DLV-6).
		d.openCase(OpenCase{Kind: string(config.KindDeliveryDelay), Classification: "not delivered by the deadline " + o.Deadline,
			Description: d.t("arrival.delay_description", Args{"Deadline": o.Deadline}),
			Details:     map[string]string{"deadline": o.Deadline}})
		d.effects = append(d.effects, Escalate{Reason: "not delivered by the deadline " + o.Deadline})
		text := d.t("arrival.delay", Args{"Deadline": o.Deadline, "Case": CasePlaceholder, "Reply": d.promise("first_response", d.env.Promises.FirstResponse)})
		d.say(text, backButtons(d.lang()))
		return nil
	}
	lines := []string{d.t("arrival.wait")}
	for _, s := range o.Shipments {
		lines = append(lines, d.shipmentLine(s))
	}
	d.say(strings.Join(lines, "\n"), backButtons(d.lang()))
	return nil
}

func surveyFlow() *flowDef {
	scores := func(d *dialog) ([]option, error) {
		out := []option{}
		for i := 1; i <= 5; i++ {
			out = append(out, option{strconv.Itoa(i), strings.Repeat("★", i)})
		}
		return append(out, option{"skip", d.t("btn.skip")}), nil
	}
	return &flowDef{name: flowSurvey, questions: []question{
		{key: "on_time", prompt: prompt("q.on_time"), options: yesNo, inline: true},
		{key: "satisfaction", prompt: func(d *dialog) string {
			return d.t("q.satisfaction", Args{"Service": d.t("svc." + d.answer("kind"))})
		},
			options: fixed("sat.", Unsatisfied, BasicallySatisfy, FairlySatisfied)},
		{key: "what_wrong", prompt: prompt("q.what_wrong"), text: describeText,
			when: func(d *dialog) bool { return d.answer("satisfaction") == Unsatisfied }},
		{key: "score_attitude", prompt: prompt("q.score_attitude"), options: scores, inline: true},
		{key: "score_professionalism", prompt: prompt("q.score_professionalism"), options: scores, inline: true},
		{key: "score_timeliness", prompt: prompt("q.score_timeliness"), options: scores, inline: true},
	}, finish: finishSurvey}
}

func finishSurvey(d *dialog) error {
	a := d.draft().Answers
	scores := map[string]int{}
	for _, k := range []string{"attitude", "professionalism", "timeliness"} {
		if n, err := strconv.Atoi(a["score_"+k]); err == nil {
			scores[k] = n
		}
	}
	onTime := a["on_time"] == "yes"
	low := LowScore(a["satisfaction"], scores) || !onTime && a["satisfaction"] != FairlySatisfied
	d.effects = append(d.effects, SurveyAnswered{VisitID: a["visit_id"], Stage: a["stage"], OnTime: onTime,
		Satisfaction: a["satisfaction"], Scores: scores, Comment: a["what_wrong"],
		Stars: VisitStars(onTime, a["satisfaction"], scores), Low: low})
	if low {
		d.say(d.t("survey.thanks")+"\n"+d.t("survey.low", Args{"Reply": d.promise("low_score_follow_up", d.env.Promises.LowScoreFollowUp)}), backButtons(d.lang()))
		return nil
	}
	d.say(d.t("survey.thanks"), backButtons(d.lang()))
	return nil
}

// handoff hands the conversation to a person (rule HND-1).
func (d *dialog) handoff() error {
	d.reset()
	d.st.HandedOff, d.st.HandoffAckAt = true, time.Time{}
	d.effects = append(d.effects, Handoff{Customer: d.st.Verified})
	d.say(d.t("handoff.started", Args{"Case": CasePlaceholder, "Reply": d.promise("first_response", d.env.Promises.FirstResponse)}),
		[][]Button{{{Label: d.t("btn.end_handoff"), Data: choiceCancel}}})
	return nil
}

// forward sends what a handed-off customer writes to the case thread, as
// long as staff have not resolved the case.
func (d *dialog) forward(in Inbound) (bool, error) {
	no, err := d.env.Lookup.HandoffCase(d.ctx, d.in.Channel, d.in.ChatID)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			d.st.HandedOff = false
			return false, nil
		}
		return false, fmt.Errorf("conversations: handoff case: %w", err)
	}
	d.effects = append(d.effects, Forward{CaseNumber: no, Text: in.Text, Photo: in.Photo})
	d.ackHandoff()
	return true, nil
}

// DelayNotice tells a customer, as soon as it is known, that their order
// will miss its promised date, and names the case that follows it (DLV-6).
func DelayNotice(lang Lang, orderNo, deadline, caseNumber string) string {
	return T(lang, "notice.delay", Args{"Order": orderNo, "Deadline": deadline, "Case": caseNumber})
}

// SurveyReminder is the one reminder of an unanswered survey.
func SurveyReminder(visitID, stage, kind, orderNo string) Starter {
	return func(d *dialog) error {
		d.say(d.t("survey.reminder"), nil)
		return Survey(visitID, stage, kind, orderNo)(d)
	}
}
