package conversations

// The customer's side of a visit (PRV-3, PRV-5): the appointment and who
// comes, the reminder the day before, and after the visit the acceptance
// of the work (验收) before the callback survey.

const flowAcceptance = "acceptance"

// Acceptance answers.
const (
	Accepted       = "accepted"
	AcceptProblem  = "problem"
	acceptQuestion = "accept"
)

func init() { flows[flowAcceptance] = acceptanceFlow() }

// AcceptanceAnswered records the customer's acceptance of a visit's work:
// accepted, or a problem (with its description), which reopens the case.
type AcceptanceAnswered struct {
	VisitID string
	Result  string // Accepted or AcceptProblem
	Note    string
}

func (AcceptanceAnswered) isEffect() {}

// AppointmentNotice tells the customer the appointment and who comes
// (PRV-3).
func AppointmentNotice(lang Lang, orderNo, kind, at, provider, phone string) string {
	return T(lang, "visit.appointment", Args{"Order": orderNo, "Service": T(lang, "svc."+kind), "At": at,
		"Provider": provider, "Phone": phone})
}

// AppointmentReminder reminds the customer the day before (PRV-3).
func AppointmentReminder(lang Lang, orderNo, kind, at, provider, phone string) string {
	return T(lang, "visit.reminder", Args{"Order": orderNo, "Service": T(lang, "svc."+kind), "At": at,
		"Provider": provider, "Phone": phone})
}

// Acceptance asks the customer, after the visit, to accept the work
// (PRV-5); accepted, the callback survey follows at once.
func Acceptance(visitID, kind, orderNo string) Starter {
	return func(d *dialog) error {
		d.say(d.t("accept.intro", Args{"Order": orderNo, "Service": d.t("svc." + kind)}), nil)
		return d.startFlowWith(flowAcceptance, Draft{OrderNo: orderNo,
			Answers: map[string]string{"visit_id": visitID, "kind": kind}})
	}
}

func acceptanceFlow() *flowDef {
	return &flowDef{name: flowAcceptance, questions: []question{
		{key: acceptQuestion, prompt: prompt("q.accept"), options: fixed("accept.", Accepted, AcceptProblem), inline: true},
		{key: "accept_problem", prompt: prompt("q.accept_problem"), text: describeText,
			when: func(d *dialog) bool { return d.answer(acceptQuestion) == AcceptProblem }},
	}, finish: finishAcceptance}
}

func finishAcceptance(d *dialog) error {
	dr := d.draft()
	a := dr.Answers
	visit, kind, orderNo := a["visit_id"], a["kind"], dr.OrderNo
	if a[acceptQuestion] == AcceptProblem {
		d.effects = append(d.effects, AcceptanceAnswered{VisitID: visit, Result: AcceptProblem, Note: a["accept_problem"]})
		d.say(d.t("accept.problem_noted"), backButtons(d.lang()))
		return nil
	}
	d.effects = append(d.effects, AcceptanceAnswered{VisitID: visit, Result: Accepted})
	d.say(d.t("accept.thanks"), nil)
	return Survey(visit, "visit", kind, orderNo)(d)
}
