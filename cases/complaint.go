package cases

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"frontdesk/config"
)

// The verbs of complaints (002 六(二), 001 §6.3).
const (
	TaskForce       Verb = "task_force"       // a major complaint's task force (Value: "after_sales=…, sales=…, product=…")
	WrittenSolution Verb = "written_solution" // the written solution given to the customer (Value: its text)
	GMCallback      Verb = "gm_callback"      // the general manager called the customer back (Value: what was said)
	Responsible     Verb = "responsible"      // who was responsible (Value: the person or team)
	Prevention      Verb = "prevention"       // the step that keeps it from happening again
)

// Events of complaints; they stop the clocks of a major complaint.
const (
	EvWrittenSolution = "written_solution"
	EvGMCallback      = "gm_callback"
)

// The task force of a major complaint: one member from each side (002 六(二)).
var TaskForceSides = []string{"after_sales", "sales", "product"}

// Details keys of a complaint.
const (
	majorComplaintAt = "major_complaint_at"
	taskForcePrefix  = "task_force_"
)

// ToGeneralManager posts to the managers' channel calling the general
// manager, whose linked Slack account the desk knows (CMP-4, DMG-10).
// Key and Args say Text from the staff catalog, as in ToThread.
type ToGeneralManager struct {
	Text string
	Key  string
	Args map[string]any
}

func (ToGeneralManager) isEffect() {}

// ParseTaskForce reads a task force as staff write it:
// "after_sales=小王, sales=小李, product=老张" (also 售后/销售/产品, and ";"
// or "，" between). Every side must be named, once, by a name of 1 to 40
// characters.
func ParseTaskForce(s string) (map[string]string, error) {
	alias := map[string]string{"after_sales": "after_sales", "aftersales": "after_sales", "售后": "after_sales",
		"sales": "sales", "销售": "sales", "product": "product", "产品": "product"}
	out := map[string]string{}
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '，' || r == '；' || r == '\n' }) {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			k, v, ok = strings.Cut(part, "：")
		}
		side := alias[strings.ToLower(strings.TrimSpace(k))]
		name := strings.TrimSpace(v)
		if !ok || side == "" {
			return nil, Errorf(Invalid, "task force %q: want after_sales=<name>, sales=<name>, product=<name>", strings.TrimSpace(part))
		}
		if name == "" || utf8.RuneCountInString(name) > 40 || strings.IndexFunc(name, unicode.IsControl) >= 0 || strings.Contains(name, "<") {
			return nil, Errorf(Invalid, "task force %s: give a staff member's name, 1 to 40 characters", side)
		}
		if _, dup := out[side]; dup {
			return nil, Errorf(Invalid, "task force %s is named twice", side)
		}
		out[side] = name
	}
	var lacking []string
	for _, side := range TaskForceSides {
		if out[side] == "" {
			lacking = append(lacking, side)
		}
	}
	if len(lacking) > 0 {
		return nil, Errorf(Invalid, "task force: name %s too (after-sales, sales and product each)", strings.Join(lacking, ", "))
	}
	return out, nil
}

// TaskForceOf returns the task force named on a case, nil when none is.
func TaskForceOf(c Case) map[string]string {
	if c.Details[taskForcePrefix+TaskForceSides[0]] == "" {
		return nil
	}
	out := map[string]string{}
	for _, side := range TaskForceSides {
		out[side] = c.Details[taskForcePrefix+side]
	}
	return out
}

// complaint decides the complaint verbs: the task force, the written
// solution, the general manager's call-back (CMP-4), who was responsible
// and the prevention step (CMP-5).
func (d *decision) complaint() error {
	if d.c.Kind != config.KindComplaint {
		return Errorf(Invalid, "%s is recorded on a complaint, and case %s is a %s case", d.a.Verb, d.c.Number, d.c.Kind)
	}
	if d.a.Verb == TaskForce {
		tf, err := ParseTaskForce(d.a.Value)
		if err != nil {
			return err
		}
		for side, name := range tf {
			d.c.Details[taskForcePrefix+side] = name
		}
		text := fmt.Sprintf("after-sales %s, sales %s, product %s", tf["after_sales"], tf["sales"], tf["product"])
		side := []any{"AfterSales", tf["after_sales"], "Sales", tf["sales"], "Product", tf["product"]}
		d.recordSaid("task_force", text, "staff.life.task_force", side...)
		key, args := said("staff.life.task_force_post", append([]any{"Case", d.c.Number}, side...)...)
		d.emit(ToThread{Text: "👥 Task force of complaint " + d.c.Number + ": " + text + ".", Key: key, Args: args})
		return nil
	}
	if d.a.Verb == GMCallback && d.by.Role != GeneralManager {
		return Errorf(Forbidden, "the general manager records their own call-back, not a %s", roleName(d.by.Role))
	}
	text, err := d.text(string(d.a.Verb), 2000)
	if err != nil {
		return err
	}
	d.c.Details[string(d.a.Verb)] = text
	d.record(string(d.a.Verb), text)
	return nil
}

// complaintRecorded refuses to resolve a complaint that does not record
// who was responsible and the prevention step (CMP-5).
func (d *decision) complaintRecorded() error {
	if d.c.Kind != config.KindComplaint {
		return nil
	}
	var lacking []string
	for _, k := range []Verb{Responsible, Prevention} {
		if strings.TrimSpace(d.c.Details[string(k)]) == "" {
			lacking = append(lacking, string(k))
		}
	}
	if len(lacking) > 0 {
		return Errorf(Invalid, "complaint %s is resolved only with who was responsible and the prevention step recorded; missing: %s",
			d.c.Number, strings.Join(lacking, ", "))
	}
	return nil
}

// majorComplaint marks a complaint major (CMP-3, CMP-4): the general manager
// hears of it at once, the task force is to be named, and two clocks run:
// the written solution and the general manager's call-back. A complaint
// the customer opened as major gets the same from the desk (System).
func (d *decision) majorComplaint() error {
	if d.c.Details[majorComplaintAt] != "" {
		return Errorf(Conflict, "complaint %s is major already (since %s)", d.c.Number, d.c.Details[majorComplaintAt])
	}
	loc := d.p.Location
	if loc == nil {
		loc = time.UTC
	}
	d.c.Severity = Major
	d.c.Details[majorComplaintAt] = d.now.In(loc).Format(time.RFC3339)
	solution, callback := orHours(d.p.WrittenSolution, 24), orHours(d.p.GMCallback, 24)
	who, key := "marked major by "+d.by.Name, "staff.life.major_complaint"
	if d.by.Role == System {
		who, key = "opened as major by the customer", "staff.life.major_complaint_customer"
	}
	callBy, solutionBy := d.now.Add(callback).In(loc).Format("01-02 15:04"), d.now.Add(solution).In(loc).Format("01-02 15:04")
	text := fmt.Sprintf("🚨 Major complaint %s (%s, order %s), %s. General manager: call the customer back and apologise by %s; "+
		"the task force (after-sales, sales, product) gives the written solution by %s.",
		d.c.Number, d.c.CustomerName, orNobody(d.c.OrderNo), who, callBy, solutionBy)
	args := []any{"Case", d.c.Number, "Customer", d.c.CustomerName, "Order", d.c.OrderNo, "CallBy", callBy, "SolutionBy", solutionBy}
	if d.by.Role != System {
		args = append(args, "By", d.by.Name)
	}
	d.recordSaid("major", text, key, args...)
	_, said := said(key, args...)
	d.emit(ToGeneralManager{Text: text, Key: key, Args: said},
		StartClock{Name: "complaint_written_solution", StartedAt: d.now, Due: d.now.Add(solution), FarDue: d.now.Add(2 * solution),
			StopOn: []string{EvWrittenSolution, config.EvResolved}},
		StartClock{Name: "complaint_gm_callback", StartedAt: d.now, Due: d.now.Add(callback), FarDue: d.now.Add(2 * callback),
			StopOn: []string{EvGMCallback}})
	return nil
}

func orHours(d time.Duration, hours int) time.Duration {
	if d > 0 {
		return d
	}
	return time.Duration(hours) * time.Hour
}
