package conversations

import (
	"regexp"
	"strings"
)

// The two tracking dialogs (goods sent back on a return, RET-7; wallpaper
// sent back, WAL-3) ask the same question, keep the answer the same way and
// start from a button under the instructions the same way; only the cases
// they accept and the effect they leave differ.

// trackingDialog is one tracking dialog: its flow, the prefix of its
// button, the catalog key of the instructions that carry the button, the
// cases a button may name, and the effect that keeps the number.
type trackingDialog struct {
	flow, prefix, instructions string
	chooseCase                 bool // with no case from the button, ask which of the open ones
	open                       func(d *dialog) ([]Case, error)
	shipped                    func(caseNo, trackingNo string) Effect
}

func init() {
	for _, t := range []trackingDialog{returnTracking, wallTracking} {
		flows[t.flow] = t.def()
	}
}

var returnTrackingPattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{3,39}$`)

// instructionsReply is the instructions with a button to tell the tracking
// number of the case.
func (t trackingDialog) instructionsReply(lang Lang, caseNo, address string) Reply {
	return Reply{Text: T(lang, t.instructions, Args{"Case": caseNo, "Address": address}),
		Buttons: [][]Button{{{Label: T(lang, "btn.return_tracking"), Data: t.prefix + caseNo}}, backButtons(lang)[0]}}
}

func (t trackingDialog) def() *flowDef {
	var qs []question
	if t.chooseCase {
		qs = append(qs, t.caseQuestion())
	}
	qs = append(qs, trackingNoQuestion())
	return &flowDef{name: t.flow, verify: true, questions: qs, finish: t.finish}
}

// caseQuestion asks which open case the goods were sent back for; it is
// skipped when there is none.
func (t trackingDialog) caseQuestion() question {
	return question{key: "case", prompt: prompt("q.return_case"), single: true, options: func(d *dialog) ([]option, error) {
		cs, err := t.open(d)
		out := make([]option, len(cs))
		for i, c := range cs {
			out[i] = option{c.Number, c.Number}
		}
		return out, err
	}, when: func(d *dialog) bool { cs, _ := t.open(d); return len(cs) > 0 }}
}

// trackingNoQuestion asks the courier's tracking number once a case is
// chosen; spaces are dropped and letters upper-cased before the check.
func trackingNoQuestion() question {
	return question{key: "tracking_no", prompt: prompt("q.return_tracking"), when: func(d *dialog) bool { return d.answer("case") != "" },
		text: func(d *dialog, s string) (string, string, bool) {
			s = strings.ToUpper(strings.Join(strings.Fields(s), ""))
			return s, "bad.return_tracking", returnTrackingPattern.MatchString(s)
		}}
}

// finish keeps the tracking number on the chosen case and tells the
// customer; with no case to choose it says there is none open.
func (t trackingDialog) finish(d *dialog) error {
	no := d.answer("case")
	if no == "" {
		d.say(d.t("return.no_open"), menuButtons(d.lang()))
		return nil
	}
	d.effects = append(d.effects, t.shipped(no, d.answer("tracking_no")))
	d.say(d.t("return.tracking_kept", Args{"Case": no, "Tracking": d.answer("tracking_no")}), backButtons(d.lang()))
	return nil
}

// startFor starts the dialog for the case of a button, which must be among
// the verified customer's cases that open lists (the button data can be
// forged); otherwise it starts with no case chosen.
func (t trackingDialog) startFor(d *dialog, no string) error {
	if d.st.Verified == nil {
		return d.startFlow(t.flow)
	}
	cs, err := t.open(d)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.Number == no {
			return d.startFlowWith(t.flow, Draft{Answers: map[string]string{"case": no}})
		}
	}
	return d.startFlow(t.flow)
}

// openCases are the verified customer's open cases of every kind.
func (d *dialog) openCases() ([]Case, error) {
	cs, err := d.env.Lookup.OpenCases(d.ctx, d.st.Verified.Phone)
	if err != nil {
		return nil, errLookup("open cases", err)
	}
	return cs, nil
}
