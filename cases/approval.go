package cases

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"frontdesk/config"
)

// Details keys of a compensation waiting for approval.
const (
	approvalState = "approval"          // pending, approved, rejected
	approvalYuan  = "approval_yuan"     // the sum asked for
	approvalNeeds = "approval_needs"    // the roles that must approve, comma-separated
	approvalGiven = "approval_given_by" // role:name of each approval so far, comma-separated
)

// Approvers says who must approve a money compensation the customer asked
// for (DMG-9, APR-1, 004 四(四)): nobody but the clerk up to the clerk's
// limit; above it the business supervisor and the duty manager each; a
// major incident the general manager, whatever the sum.
func Approvers(amountYuan, clerkLimitYuan int, major bool) []Role {
	switch {
	case major:
		return []Role{GeneralManager}
	case amountYuan <= clerkLimitYuan:
		return nil
	default:
		return []Role{Supervisor, DutyManager}
	}
}

// remedy records the remedy staff chose: a step of the ladder, or money the
// customer asked for, decided by the clerk within the limit and sent to the
// managers above it.
func (d *decision) remedy() error {
	if inLadder(d.a.Value) {
		d.c.Remedy = d.a.Value
		d.record(config.EvRemedy, d.a.Value)
		return nil
	}
	if d.a.Value != Compensation {
		return Errorf(Invalid, "remedy %q: want %s or compensation", d.a.Value, strings.Join(config.RemedyLadder, ", "))
	}
	amount := d.a.AmountYuan
	if amount <= 0 || amount > 1_000_000 {
		return Errorf(Invalid, "compensation needs an amount in yuan, 1 to 1000000")
	}
	needs := Approvers(amount, d.p.ClerkLimitYuan, d.c.Severity == Major)
	if len(needs) == 0 {
		d.c.Remedy = fmt.Sprintf("compensation ¥%d (decided by %s)", amount, d.by.Name)
		delete(d.c.Details, approvalState)
		d.record(config.EvRemedy, d.c.Remedy)
		return nil
	}
	whom := "manager"
	if needs[0] == GeneralManager {
		whom = "general manager"
	}
	d.c.Remedy = fmt.Sprintf("compensation ¥%d awaiting %s approval", amount, whom)
	d.c.Details[approvalState], d.c.Details[approvalYuan] = "pending", strconv.Itoa(amount)
	d.c.Details[approvalNeeds], d.c.Details[approvalGiven] = joinRoles(needs), ""
	d.record(config.EvRemedy, d.c.Remedy)
	d.emit(ToManagers{Text: fmt.Sprintf("Approval needed: %s proposes ¥%d compensation on case %s (%s, order %s); the clerk's limit is ¥%d.",
		d.by.Name, amount, d.c.Number, d.c.Kind, d.c.OrderNo, d.p.ClerkLimitYuan), Mentions: []string{d.by.Name}})
	return nil
}

// approval is a manager's approve or reject of a pending compensation
// (APR-1): each role it needs approves once; the general manager may stand
// in for any; one reject ends it. The clerk is told in the thread.
func (d *decision) approval() error {
	if d.c.Details[approvalState] != "pending" {
		return Errorf(Conflict, "case %s has no compensation waiting for approval", d.c.Number)
	}
	needs := splitRoles(d.c.Details[approvalNeeds])
	if d.by.Role != GeneralManager && !slices.Contains(needs, d.by.Role) {
		return Errorf(Forbidden, "this compensation needs the approval of %s, not a %s", rolesText(needs), roleName(d.by.Role))
	}
	given := splitList(d.c.Details[approvalGiven])
	for _, g := range given {
		if strings.HasPrefix(g, string(d.by.Role)+":") {
			return Errorf(Conflict, "a %s has approved this compensation already", roleName(d.by.Role))
		}
	}
	amount := d.c.Details[approvalYuan]
	if d.a.Verb == Reject {
		d.c.Details[approvalState] = "rejected"
		d.c.Remedy = fmt.Sprintf("compensation ¥%s rejected by %s", amount, d.by.Name)
		d.record("rejected", strings.TrimSpace(d.c.Remedy+" "+d.a.Value))
		d.emit(ToThread{Text: fmt.Sprintf("❌ %s rejected the compensation of ¥%s. %s", d.by.Name, amount, strings.TrimSpace(d.a.Value)),
			Mentions: []string{d.by.Name}})
		return nil
	}
	given = append(given, string(d.by.Role)+":"+d.by.Name)
	d.c.Details[approvalGiven] = strings.Join(given, ",")
	if !approvedByAll(needs, given) {
		d.record("approved", fmt.Sprintf("¥%s approved by %s; waiting for %s", amount, d.by.Name, rolesText(missing(needs, given))))
		d.emit(ToThread{Text: fmt.Sprintf("✅ %s approved the compensation of ¥%s; still needed: %s.", d.by.Name, amount, rolesText(missing(needs, given))),
			Mentions: []string{d.by.Name}})
		return nil
	}
	names := make([]string, len(given))
	for i, g := range given {
		names[i] = g[strings.Index(g, ":")+1:]
	}
	d.c.Details[approvalState] = "approved"
	d.c.Remedy = fmt.Sprintf("compensation ¥%s (approved by %s)", amount, strings.Join(names, " and "))
	d.record("approved", d.c.Remedy)
	d.emit(ToThread{Text: fmt.Sprintf("✅ Compensation of ¥%s approved by %s: go ahead.", amount, strings.Join(names, " and ")), Mentions: names})
	return nil
}

func approvedByAll(needs []Role, given []string) bool {
	for _, g := range given {
		if strings.HasPrefix(g, string(GeneralManager)+":") {
			return true
		}
	}
	return len(missing(needs, given)) == 0
}

func missing(needs []Role, given []string) []Role {
	var out []Role
	for _, r := range needs {
		if !slices.ContainsFunc(given, func(g string) bool { return strings.HasPrefix(g, string(r)+":") }) {
			out = append(out, r)
		}
	}
	return out
}

func joinRoles(rs []Role) string {
	return joinRolesBy(rs, func(r Role) string { return string(r) }, ",")
}

// joinRolesBy joins the roles' names, each by name, with sep.
func joinRolesBy(rs []Role, name func(Role) string, sep string) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = name(r)
	}
	return strings.Join(s, sep)
}

func splitRoles(s string) []Role {
	var out []Role
	for _, r := range splitList(s) {
		out = append(out, Role(r))
	}
	return out
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func rolesText(rs []Role) string { return joinRolesBy(rs, roleName, " and ") }

// ApproverRoles lists the roles that may approve or reject the case's
// compensation now (APR-1): those it still waits for, and the general
// manager, who may stand in for any; none when no compensation waits.
func ApproverRoles(c Case) []Role {
	if c.Details[approvalState] != "pending" {
		return nil
	}
	out := missing(splitRoles(c.Details[approvalNeeds]), splitList(c.Details[approvalGiven]))
	if !slices.Contains(out, GeneralManager) {
		out = append(out, GeneralManager)
	}
	return out
}
