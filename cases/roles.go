package cases

import "slices"

// Role is what a staff member is to the shop (STF-1); roles decide who may
// approve.
type Role string

// The roles. System is the desk itself and its scheduler.
const (
	Clerk          Role = "clerk"
	Supervisor     Role = "supervisor"
	DutyManager    Role = "duty_manager"
	GeneralManager Role = "general_manager"
	Admin          Role = "admin"
	System         Role = "system"
)

// Roles lists the roles a staff account may have.
var Roles = []Role{Clerk, Supervisor, DutyManager, GeneralManager, Admin}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	return slices.Contains(Roles, r)
}

// Actor is who does something to a case.
type Actor struct {
	Name string
	Role Role
}

// may reports whether a role may take a verb at all; finer conditions
// (who approves which sum) are decided with the case in hand.
func (r Role) may(v Verb) bool {
	if may, ok := r.mayParts(v); ok { // parts.go
		return may
	}
	if may, ok := r.mayResolution(v); ok {
		return may
	}
	switch v {
	case Escalate:
		return r == System
	case Approve, Reject:
		return r == Supervisor || r == DutyManager || r == GeneralManager
	}
	return r.Valid() || r == System
}
