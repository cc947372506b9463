package cases

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"frontdesk/config"
)

// Details keys of a money remedy waiting for approval, and of its decision.
const (
	approvalState     = "approval"               // pending, approved, rejected
	approvalYuan      = "approval_yuan"          // the sum asked for (yuan)
	approvalRolls     = "approval_rolls"         // wallpaper: the rolls asked for
	approvalKind      = "approval_kind"          // compensation or advance
	approvalClaim     = "approval_claim_yuan"    // advance: the customer's claim
	approvalNeeds     = "approval_needs"         // the roles that must approve, comma-separated
	approvalGiven     = "approval_given_by"      // role:name of each approval so far, comma-separated
	approvalAskedBy   = "approval_asked_by"      // the clerk who proposed it
	approvalDecidedBy = "approval_decided_by"    // who decided it in the end
	approvalDecidedAt = "approval_decided_at"    // when, RFC 3339
	askedForMoney     = "compensation_requested" // set by the damage dialog when the customer asked
)

// Advance is the remedy value of an advance paid on a product dispute while
// the factory decides (004 四(二)3(3)): at most half of the customer's claim.
const Advance = "advance"

// Approvers says who must approve a money compensation the customer asked
// for (DMG-9, APR-1, 004 四(四)): nobody but the clerk up to the clerk's
// limit; above it the business supervisor and the duty manager each; a
// major incident the general manager, whatever the sum. The amount and the
// limit are in one unit: yuan, or rolls of wallpaper (WAL-6).
func Approvers(amount, clerkLimit int, major bool) []Role {
	switch {
	case major:
		return []Role{GeneralManager}
	case amount <= clerkLimit:
		return nil
	default:
		return []Role{Supervisor, DutyManager}
	}
}

// money is a money remedy: compensation in yuan, compensation in rolls of
// wallpaper, or an advance on a product dispute.
type money struct {
	kind  string // Compensation or Advance
	yuan  int
	rolls int
	claim int // advance: the claim it is paid on
}

// String names the money as the staff desk says it.
func (m money) String() string {
	switch {
	case m.kind == Advance:
		return fmt.Sprintf("advance ¥%d on a ¥%d claim", m.yuan, m.claim)
	case m.rolls > 0:
		return fmt.Sprintf("compensation %d rolls", m.rolls)
	}
	return fmt.Sprintf("compensation ¥%d", m.yuan)
}

// title names the kind of money at the start of a sentence.
func (m money) title() string {
	if m.kind == Advance {
		return "Advance"
	}
	return "Compensation"
}

// sum is the money as a sum without the remedy's name: "¥800", "5 rolls".
func (m money) sum() string {
	if m.rolls > 0 {
		return fmt.Sprintf("%d rolls", m.rolls)
	}
	return fmt.Sprintf("¥%d", m.yuan)
}

func (m money) details(d map[string]string) {
	d[approvalKind], d[approvalYuan], d[approvalRolls], d[approvalClaim] = m.kind, "", "", ""
	if m.yuan > 0 {
		d[approvalYuan] = strconv.Itoa(m.yuan)
	}
	if m.rolls > 0 {
		d[approvalRolls] = strconv.Itoa(m.rolls)
	}
	if m.claim > 0 {
		d[approvalClaim] = strconv.Itoa(m.claim)
	}
}

// moneyOf reads the money remedy a case's details hold.
func moneyOf(d map[string]string) money {
	m := money{kind: d[approvalKind]}
	if m.kind == "" {
		m.kind = Compensation
	}
	m.yuan, _ = strconv.Atoi(d[approvalYuan])
	m.rolls, _ = strconv.Atoi(d[approvalRolls])
	m.claim, _ = strconv.Atoi(d[approvalClaim])
	return m
}

// Pending is a money remedy waiting for approval, as the staff desks show it.
type Pending struct {
	Kind      string // Compensation or Advance
	Yuan      int
	Rolls     int // wallpaper compensation
	ClaimYuan int // advance
	AskedBy   string
	Waiting   []Role // who may still decide (ApproverRoles)
}

// PendingApproval returns the case's money remedy waiting for approval.
func PendingApproval(c Case) (Pending, bool) {
	if c.Details[approvalState] != "pending" {
		return Pending{}, false
	}
	m := moneyOf(c.Details)
	return Pending{Kind: m.kind, Yuan: m.yuan, Rolls: m.rolls, ClaimYuan: m.claim, AskedBy: c.Details[approvalAskedBy],
		Waiting: ApproverRoles(c)}, true
}

// Decided says who decided the case's money remedy in the end and when
// (APR-1): "" when nobody has.
func Decided(c Case) (state, by string, at time.Time) {
	at, _ = time.Parse(time.RFC3339, c.Details[approvalDecidedAt])
	return c.Details[approvalState], c.Details[approvalDecidedBy], at
}

// AskApproval posts the request for approval to the managers' channel,
// with Approve and Reject on the desks that have buttons (APR-1).
type AskApproval struct {
	Text     string
	Mentions []string
	Key      string // as in ToThread
	Args     map[string]any
}

// ToClerk tells the clerk who proposed a money remedy about its decision,
// in the case thread, calling them by name (APR-1).
type ToClerk struct {
	Clerk string
	Text  string
	Key   string // as in ToThread; its Clerk argument is the clerk's mention
	Args  map[string]any
}

// TellCustomer sends the customer a text of the catalog, in their
// language: the result of what they asked, never the deliberation.
type TellCustomer struct {
	Key  string
	Args map[string]string
}

// Grant is money granted to a customer, counted in the daily digest.
type Grant struct {
	Kind  string // Compensation or Advance
	Yuan  int
	Rolls int
	By    string // who decided it
}

func (AskApproval) isEffect()  {}
func (ToClerk) isEffect()      {}
func (TellCustomer) isEffect() {}
func (Grant) isEffect()        {}

// clerkLimitRolls is the rolls of wallpaper a clerk grants alone (004
// 四(四)1: one to three).
func (p Policy) clerkLimitRolls() int {
	if p.ClerkLimitRolls > 0 {
		return p.ClerkLimitRolls
	}
	return 3
}

// money reads and checks the money remedy of the action (APR-1, APR-2,
// WAL-6).
func (d *decision) money() (money, error) {
	m := money{kind: d.a.Value, yuan: d.a.AmountYuan, rolls: d.a.Rolls, claim: d.a.ClaimYuan}
	if m.kind == Advance {
		if d.c.Kind != config.KindQualityDefect && d.c.Kind != config.KindComplaint {
			return m, Errorf(Invalid, "an advance is paid only on a product dispute (a quality defect or complaint case), not on a %s case", d.c.Kind)
		}
		if m.rolls != 0 {
			return m, Errorf(Invalid, "an advance is paid in yuan, not in rolls")
		}
		if m.claim <= 0 || m.claim > 10_000_000 {
			return m, Errorf(Invalid, "an advance needs the customer's claim in yuan (claim), 1 to 10000000")
		}
		if m.yuan <= 0 {
			return m, Errorf(Invalid, "an advance needs an amount in yuan, at most half of the claim")
		}
		if 2*m.yuan > m.claim {
			return m, Errorf(Invalid, "an advance on a product dispute is at most 50%% of the claim: ¥%d is more than half of ¥%d (at most ¥%d)",
				m.yuan, m.claim, m.claim/2)
		}
		return m, nil
	}
	if d.a.Wallpaper {
		if m.yuan != 0 || m.rolls <= 0 || m.rolls > 1000 {
			return m, Errorf(Invalid, "wallpaper compensation is counted in rolls: give the rolls (1 to 1000), not yuan")
		}
		return m, nil
	}
	if m.rolls != 0 {
		return m, Errorf(Invalid, "compensation in rolls is for wallpaper, and case %s's order has none: give yuan", d.c.Number)
	}
	if m.yuan <= 0 || m.yuan > 1_000_000 {
		return m, Errorf(Invalid, "compensation needs an amount in yuan, 1 to 1000000")
	}
	return m, nil
}

// remedy records the remedy staff chose: a step of the ladder, or money the
// customer asked for, decided by the clerk within the limit and sent to the
// managers above it.
func (d *decision) remedy() error {
	if inLadder(d.a.Value) {
		d.c.Remedy = d.a.Value
		d.recordSaid(config.EvRemedy, d.a.Value, "staff.life.remedy", "Remedy", d.a.Value)
		return nil
	}
	if d.a.Value != Compensation && d.a.Value != Advance {
		return Errorf(Invalid, "remedy %q: want %s, compensation or advance", d.a.Value, strings.Join(config.RemedyLadder, ", "))
	}
	m, err := d.money()
	if err != nil {
		return err
	}
	amount, limit, unit := m.yuan, d.p.ClerkLimitYuan, "¥%d"
	if m.rolls > 0 {
		amount, limit, unit = m.rolls, d.p.clerkLimitRolls(), "%d rolls"
	}
	needs := Approvers(amount, limit, d.c.Severity == Major)
	for _, k := range []string{approvalDecidedBy, approvalDecidedAt} {
		delete(d.c.Details, k)
	}
	m.details(d.c.Details)
	d.c.Details[approvalAskedBy] = d.by.Name
	if len(needs) == 0 {
		d.c.Remedy = fmt.Sprintf("%s (decided by %s)", m, d.by.Name)
		delete(d.c.Details, approvalState)
		d.recordSaid(config.EvRemedy, d.c.Remedy, "staff.life.decided", "Money", m.words(), "By", d.by.Name)
		d.granted(m, d.by.Name)
		return nil
	}
	whom := "manager"
	if needs[0] == GeneralManager {
		whom = "general manager"
	}
	d.c.Remedy = fmt.Sprintf("%s awaiting %s approval", m, whom)
	d.c.Details[approvalState] = "pending"
	d.c.Details[approvalNeeds], d.c.Details[approvalGiven] = joinRoles(needs), ""
	d.recordSaid(config.EvRemedy, d.c.Remedy, "staff.life.awaiting", "Money", m.words(), "Roles", rolesWords(needs))
	limitMoney := money{kind: Compensation, yuan: limit}
	if m.rolls > 0 {
		limitMoney = money{kind: Compensation, rolls: limit}
	}
	key, args := said("staff.life.ask_approval", "By", d.by.Name, "Money", m.words(), "Case", d.c.Number, "Kind", string(d.c.Kind),
		"Order", d.c.OrderNo, "Limit", limitMoney.words())
	d.emit(AskApproval{Text: fmt.Sprintf("Approval needed: %s proposes %s on case %s (%s, order %s); the clerk's limit is "+unit+". Approve or reject (with a reason).",
		d.by.Name, m, d.c.Number, d.c.Kind, d.c.OrderNo, limit), Mentions: []string{d.by.Name}, Key: key, Args: args})
	return nil
}

// granted counts money granted and tells the customer, who asked for it,
// the result (APR-3: the shop never offers money, so a customer who did not
// ask hears nothing of it).
func (d *decision) granted(m money, by string) {
	d.emit(Grant{Kind: m.kind, Yuan: m.yuan, Rolls: m.rolls, By: by})
	switch {
	case m.kind == Advance:
		d.tellCustomer("approval.customer.advance", map[string]string{"Amount": strconv.Itoa(m.yuan)})
	case m.rolls > 0:
		d.tellCustomer("approval.customer.rolls", map[string]string{"Rolls": strconv.Itoa(m.rolls)})
	default:
		d.tellCustomer("approval.customer.yuan", map[string]string{"Amount": strconv.Itoa(m.yuan)})
	}
}

// tellCustomer sends a catalog text to the customer's chat, when there is
// one and the customer asked for money there.
func (d *decision) tellCustomer(key string, args map[string]string) {
	if d.c.Channel == "" || d.c.ChatID == "" || d.c.Details[askedForMoney] != "yes" {
		return
	}
	args["Case"] = d.c.Number
	d.emit(TellCustomer{Key: key, Args: args})
}

// approval is a manager's approve or reject of a pending money remedy
// (APR-1): each role it needs approves once; the general manager may stand
// in for any; one reject, with its reason, ends it. The clerk is told in
// the thread; the customer hears only the result.
func (d *decision) approval() error {
	if d.c.Details[approvalState] != "pending" {
		return Refuse(Conflict, "staff.refuse.no_approval", []any{"Case", d.c.Number}, "case %s has no compensation waiting for approval", d.c.Number)
	}
	needs := splitRoles(d.c.Details[approvalNeeds])
	if d.by.Role != GeneralManager && !slices.Contains(needs, d.by.Role) {
		return Refuse(Forbidden, "staff.refuse.approver", []any{"Roles", joinRolesBy(needs, func(r Role) string { return string(r) }, ","), "Role", string(d.by.Role)},
			"this compensation needs the approval of %s, not a %s", rolesText(needs), roleName(d.by.Role))
	}
	given := splitList(d.c.Details[approvalGiven])
	for _, g := range given {
		if strings.HasPrefix(g, string(d.by.Role)+":") {
			return Errorf(Conflict, "a %s has approved this compensation already", roleName(d.by.Role))
		}
	}
	m := moneyOf(d.c.Details)
	clerk := d.c.Details[approvalAskedBy]
	if d.a.Verb == Reject {
		reason := strings.TrimSpace(d.a.Value)
		if reason == "" || utf8.RuneCountInString(reason) > 500 || !utf8.ValidString(reason) {
			return Errorf(Invalid, "a reject needs a reason (1 to 500 characters): say why, for the clerk and the record")
		}
		d.decided("rejected", d.by.Name)
		d.c.Remedy = fmt.Sprintf("%s rejected by %s", m, d.by.Name)
		d.recordSaid("rejected", d.c.Remedy+": "+reason, "staff.life.rejected", "Money", m.words(), "By", d.by.Name, "Reason", reason)
		key, args := said("staff.life.clerk_rejected", "By", d.by.Name, "Money", m.words(), "Reason", reason)
		d.emit(ToClerk{Clerk: clerk, Text: fmt.Sprintf("❌ %s rejected the %s: %s", d.by.Name, m, reason), Key: key, Args: args})
		d.tellCustomer("approval.customer.declined", map[string]string{})
		return nil
	}
	given = append(given, string(d.by.Role)+":"+d.by.Name)
	d.c.Details[approvalGiven] = strings.Join(given, ",")
	if !approvedByAll(needs, given) {
		waiting := missing(needs, given)
		d.recordSaid("approved", fmt.Sprintf("%s approved by %s; waiting for %s", m.sum(), d.by.Name, rolesText(waiting)),
			"staff.life.approved_waiting", "Money", m.words(), "By", d.by.Name, "Roles", rolesWords(waiting))
		key, args := said("staff.life.clerk_waiting", "By", d.by.Name, "Money", m.words(), "Roles", rolesWords(waiting))
		d.emit(ToClerk{Clerk: clerk, Text: fmt.Sprintf("✅ %s approved the %s; still needed: %s.", d.by.Name, m, rolesText(waiting)), Key: key, Args: args})
		return nil
	}
	names := make([]string, len(given))
	for i, g := range given {
		names[i] = g[strings.Index(g, ":")+1:]
	}
	by := strings.Join(names, " and ")
	d.decided("approved", by)
	d.c.Remedy = fmt.Sprintf("%s (approved by %s)", m, by)
	d.recordSaid("approved", d.c.Remedy, "staff.life.approved", "Money", m.words(), "By", by)
	key, args := said("staff.life.clerk_go_ahead", "Money", m.words(), "By", by)
	d.emit(ToClerk{Clerk: clerk, Text: fmt.Sprintf("✅ %s of %s approved by %s: go ahead.", m.title(), m.sum(), by), Key: key, Args: args})
	d.granted(m, by)
	return nil
}

// decided records the end of an approval: its state, who and when.
func (d *decision) decided(state, by string) {
	loc := d.p.Location
	if loc == nil {
		loc = time.UTC
	}
	d.c.Details[approvalState], d.c.Details[approvalDecidedBy] = state, by
	d.c.Details[approvalDecidedAt] = d.now.In(loc).Format(time.RFC3339)
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
