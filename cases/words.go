package cases

import (
	"fmt"
	"strings"
)

// The lifecycle's lines a person reads (a history entry, a thread or
// managers' post, a note to the clerk) are said from the staff catalog in
// the reader's language (STF-2): each effect carries its catalog key and
// named arguments beside the English text that the API, the export and the
// audit keep. Arguments are plain values; the edge names the ones that are
// codes (Kind, Clock, Remedy, Roles, Money, Cause …) in its language.

// WordKeys is every catalog key the lifecycle emits, with the names of its
// arguments: the catalog test renders each in every language.
var WordKeys = map[string][]string{
	"staff.life.remedy":                   {"Remedy"},
	"staff.life.decided":                  {"Money", "By"},
	"staff.life.awaiting":                 {"Money", "Roles"},
	"staff.life.approved_waiting":         {"Money", "By", "Roles"},
	"staff.life.approved":                 {"Money", "By"},
	"staff.life.rejected":                 {"Money", "By", "Reason"},
	"staff.life.ask_approval":             {"By", "Money", "Case", "Kind", "Order", "Limit"},
	"staff.life.clerk_rejected":           {"By", "Money", "Reason"},
	"staff.life.clerk_waiting":            {"By", "Money", "Roles"},
	"staff.life.clerk_go_ahead":           {"Money", "By"},
	"staff.life.classified":               {"OldKind", "NewKind"},
	"staff.life.installer_confirmed":      {"At"},
	"staff.life.major_quality":            {"Kind", "Case", "Order", "By"},
	"staff.post.major":                    {"Kind", "Case", "Order", "By"},
	"staff.post.overdue":                  {"Who", "Clock", "Case", "Due", "Ago"},
	"staff.post.far_overdue":              {"Clock", "Case", "Kind", "Customer", "Due", "Assignee"},
	"staff.life.task_force":               {"AfterSales", "Sales", "Product"},
	"staff.life.task_force_post":          {"Case", "AfterSales", "Sales", "Product"},
	"staff.life.major_complaint":          {"Case", "Customer", "Order", "By", "CallBy", "SolutionBy"},
	"staff.life.major_complaint_customer": {"Case", "Customer", "Order", "CallBy", "SolutionBy"},
	"staff.life.parts_quoted":             {"Parts", "Service"},
	"staff.life.parts_accepted":           {"Total"},
	"staff.life.parts_accepted_post":      {"Total", "Case"},
	"staff.life.parts_refused":            {"Total"},
	"staff.life.parts_refused_post":       {"Total", "Case", "Customer"},
	"staff.life.parts_reminded":           {"Due"},
	"staff.life.parts_reminded_post":      {"Who", "Case", "Due", "Provider"},
	"staff.life.parts_returned":           nil,
	"staff.life.parts_returned_late":      {"Due"},
	"staff.life.parts_charged":            {"Amount", "Due"},
	"staff.life.parts_charged_post":       {"Case", "Amount", "Due"},
	"staff.life.parts_charged_late":       {"Amount", "Due"},
	"staff.life.parts_charged_late_post":  {"Case", "Amount", "Due"},
	"staff.life.callback_due":             {"Due"},
	"staff.life.customer_confirmed":       nil,
	"staff.life.customer_not_solved":      nil,
	"staff.life.reopened_customer":        nil,
	"staff.life.not_solved_post":          {"Who", "Case"},
	"staff.life.handoff_ended":            nil,
	"staff.life.wall_responsibility":      {"Cause"},
	"staff.life.wall_responsibility_post": {"Cause"},
	"staff.life.wall_return_ok":           {"Side", "By"},
	"staff.life.wall_roll_check":          {"Returned", "Good", "Bad"},
	"staff.life.new_date":                 {"From", "To", "Reason"},
	"staff.life.delay_risk":               {"From", "To", "Reason"},
	"staff.life.return_address":           {"Address"},
	"staff.life.dispatched":               {"Provider", "Regions", "Stars"},
	"staff.life.dispatched_outside":       {"Provider", "Regions", "Stars", "Region", "Reason"},
	"staff.life.visit_done":               {"Done", "Result"},
	"staff.life.visit_done_parts":         {"Done", "Result", "Parts"},
	"staff.life.parts_line_free":          {"SKU", "Name", "Qty"},
	"staff.life.parts_line_fee":           {"SKU", "Name", "Qty", "Fee", "Each"},
	"staff.life.parts_paid":               {"Amount", "Ref"},
	"staff.life.parts_shipped":            {"Date", "Tracking"},
	"staff.life.parts_shipped_due":        {"Date", "Tracking", "Due"},
}

// said returns a line's key and its arguments from name, value pairs.
func said(key string, kv ...any) (string, map[string]any) {
	if _, ok := WordKeys[key]; !ok {
		panic("cases: undeclared catalog key " + key) // a build mistake every test shows
	}
	args := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		args[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return key, args
}

// recordSaid emits the history line with its catalog key: detail stays the
// English text of the audit and the API.
func (d *decision) recordSaid(event, detail, key string, kv ...any) {
	k, args := said(key, kv...)
	d.emit(Record{Event: event, Detail: detail, Key: k, Args: args})
	d.startClocksOn(event) // SLA-9, SLA-12, SLA-13
}

// words is a money remedy as an argument the edge says: the kind, then
// yuan, rolls and the claim, separated by colons ("compensation:800:0:0",
// "advance:300:0:800"); MoneyParts reads it back.
func (m money) words() string {
	return fmt.Sprintf("%s:%d:%d:%d", m.kind, m.yuan, m.rolls, m.claim)
}

// rolesWords is roles as an argument: their codes joined by commas.
func rolesWords(rs []Role) string {
	return joinRolesBy(rs, func(r Role) string { return string(r) }, ",")
}

// MoneyParts reads a Money argument back: the kind (compensation or
// advance), yuan, rolls and the customer's claim.
func MoneyParts(s string) (kind string, yuan, rolls, claim int, ok bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 4 {
		return "", 0, 0, 0, false
	}
	var nums [3]int
	for i, p := range parts[1:] {
		if _, err := fmt.Sscan(p, &nums[i]); err != nil {
			return "", 0, 0, 0, false
		}
	}
	return parts[0], nums[0], nums[1], nums[2], true
}
