package cases

import (
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// DrawSample draws percent % of population at random, reproducibly: the
// same seed and the same population (in any order) give the same sample
// (QLT-1, QLT-2). At least one is drawn from a population that is not
// empty, so a quiet week is still checked. The sample comes back sorted.
func DrawSample(seed uint64, population []string, percent int) []string {
	if len(population) == 0 || percent <= 0 {
		return nil
	}
	pop := slices.Clone(population)
	slices.Sort(pop)
	pop = slices.Compact(pop)
	n := (len(pop)*percent + 99) / 100
	n = min(max(n, 1), len(pop))
	// PCG's sequence is fixed by its definition, so a draw kept with its
	// seed can be redone years later and must give the same tasks.
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	r.Shuffle(len(pop), func(i, j int) { pop[i], pop[j] = pop[j], pop[i] })
	out := pop[:n]
	slices.Sort(out)
	return out
}

// Spot-check states and verdicts (QLT-1).
const (
	SpotOpen    = "open"
	SpotFine    = "fine"
	SpotProblem = "problem"
)

// SpotMethods are the ways a supervisor checks a job: a call or a visit.
var SpotMethods = []string{"call", "visit"}

// SpotCheck is one drawn job for a supervisor's check: a finished visit or a
// resolved case.
type SpotCheck struct {
	ID          int64
	Week        string // the Monday of the draw, YYYY-MM-DD
	SubjectKind string // visit or case
	Subject     string // the visit id or the case number
	OrderNo     string
	Status      string // SpotOpen, SpotFine, SpotProblem
	Method      string
	Note        string
	Checker     string
	CaseNumber  string // the case a problem opened
	DoneAt      time.Time
}

// MaxQualityNote is the longest note or problem text, in characters.
const MaxQualityNote = 2000

// MaySpotCheck: spot checks are a supervisor's (002 七(一)); managers above them
// may do them too.
func MaySpotCheck(r Role) bool {
	return r == Supervisor || r == DutyManager || r == GeneralManager || r == Admin
}

// RecordSpotCheck records a supervisor's result of an open spot check:
// fine, or a problem described in note (the desk opens a case for it). A
// check that is not open, a verdict or method the desk does not know, a
// problem without a description and a clerk are refused, naming the field;
// nothing changes then.
func RecordSpotCheck(sc SpotCheck, by Actor, verdict, method, note string, now time.Time) (SpotCheck, error) {
	if !MaySpotCheck(by.Role) {
		return sc, Errorf(Forbidden, "a spot check is recorded by a supervisor or a manager, not by a %s", by.Role)
	}
	if sc.Status != SpotOpen {
		return sc, Errorf(Conflict, "spot check %d is not open: it was recorded as %s by %s", sc.ID, sc.Status, sc.Checker)
	}
	if verdict != SpotFine && verdict != SpotProblem {
		return sc, FieldErrorf("result", Invalid, "result %q: give fine or problem", verdict)
	}
	if !slices.Contains(SpotMethods, method) {
		return sc, FieldErrorf("method", Invalid, "method %q: give call or visit", method)
	}
	note = strings.TrimSpace(note)
	if verdict == SpotProblem && note == "" {
		return sc, FieldErrorf("note", Invalid, "a problem needs a description: it becomes the case")
	}
	if utf8.RuneCountInString(note) > MaxQualityNote {
		return sc, FieldErrorf("note", Invalid, "the note is longer than %d characters", MaxQualityNote)
	}
	sc.Status, sc.Method, sc.Note, sc.Checker, sc.DoneAt = verdict, method, note, by.Name, now
	return sc, nil
}

// Departments a corrective action is owned by (004 三.5).
var Departments = []string{"production", "logistics", "installation", "after_sales"}

// Corrective-action states (QLT-4): open while it is worked on, checking
// once carried out and waiting for its effect check, closed when the
// problem did not recur.
const (
	ActionOpen     = "open"
	ActionChecking = "checking"
	ActionClosed   = "closed"
)

// Corrective is a corrective and preventive action (004 三.5).
type Corrective struct {
	ID         int64
	SourceKind string // case or report
	Source     string // the case number, or the report line ("2026-W14 SKU-1 quality_defect")
	SKU        string // the product whose problem it corrects
	Problem    string
	Owner      string
	Department string
	DueOn      string // YYYY-MM-DD
	Status     string
	OpenedBy   string
	OpenedAt   time.Time
	DoneAt     time.Time // carried out
	CheckAt    time.Time // the effect check is due
	ClosedAt   time.Time
	Effect     string // "", effective, recurred (the last check)
}

// NewCorrective validates a corrective action opened by staff from a serious
// case or a line of the weekly report, and returns it open.
func NewCorrective(in Corrective, by Actor, now time.Time) (Corrective, error) {
	if !by.Role.Valid() {
		return in, Errorf(Forbidden, "only staff open a corrective action")
	}
	in.SourceKind = strings.TrimSpace(in.SourceKind)
	if in.SourceKind != "case" && in.SourceKind != "report" {
		return in, FieldErrorf("source_kind", Invalid, "source %q: give case (a serious case) or report (a line of the weekly report)", in.SourceKind)
	}
	// The SKU is what the effect check looks for: did the problem recur
	// for that product?
	for _, f := range []struct{ name, v string }{{"source", in.Source}, {"sku", in.SKU}, {"problem", in.Problem}, {"owner", in.Owner}} {
		if strings.TrimSpace(f.v) == "" {
			return in, FieldErrorf(f.name, Invalid, "%s is missing", f.name)
		}
		if utf8.RuneCountInString(f.v) > MaxQualityNote {
			return in, FieldErrorf(f.name, Invalid, "%s is longer than %d characters", f.name, MaxQualityNote)
		}
	}
	if !slices.Contains(Departments, in.Department) {
		return in, FieldErrorf("department", Invalid, "department %q: give production, logistics, installation or after_sales", in.Department)
	}
	due, err := time.Parse("2006-01-02", in.DueOn)
	if err != nil {
		return in, FieldErrorf("due_on", Invalid, "due date %q: give a date as 2026-05-31", in.DueOn)
	}
	if due.Before(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)) {
		return in, FieldErrorf("due_on", Invalid, "due date %s is in the past", in.DueOn)
	}
	in.Source, in.SKU = strings.TrimSpace(in.Source), strings.TrimSpace(in.SKU)
	in.Problem, in.Owner = strings.TrimSpace(in.Problem), strings.TrimSpace(in.Owner)
	in.Status, in.OpenedBy, in.OpenedAt = ActionOpen, by.Name, now
	return in, nil
}

// Corrective-action verbs.
const (
	ActionNote = "note" // a progress note
	ActionDone = "done" // carried out: the effect check is booked
)

// ActOnCorrective applies a staff action to a corrective action: a progress
// note (any open or checking action), or "carried out", which books the
// effect check checkAfter later. A closed action takes nothing.
func ActOnCorrective(a Corrective, by Actor, verb, note string, now time.Time, checkAfter time.Duration) (Corrective, error) {
	if !by.Role.Valid() {
		return a, Errorf(Forbidden, "only staff work a corrective action")
	}
	if a.Status == ActionClosed {
		return a, Errorf(Conflict, "corrective action %d is closed", a.ID)
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > MaxQualityNote {
		return a, FieldErrorf("note", Invalid, "the note is longer than %d characters", MaxQualityNote)
	}
	switch verb {
	case ActionNote:
		if note == "" {
			return a, FieldErrorf("note", Invalid, "a progress note needs its text")
		}
	case ActionDone:
		if a.Status != ActionOpen {
			return a, Errorf(Conflict, "corrective action %d is already carried out; its effect check is due %s", a.ID, a.CheckAt.Format("2006-01-02"))
		}
		a.Status, a.DoneAt, a.CheckAt = ActionChecking, now, now.Add(checkAfter)
	default:
		return a, FieldErrorf("action", Invalid, "action %q: give note or done", verb)
	}
	return a, nil
}

// CheckEffect decides a due effect check from the problems of the same
// product reported since the action was carried out (004 三.5): none →
// closed as effective; any → open again, to be worked on further.
func CheckEffect(a Corrective, recurred int, now time.Time) (Corrective, error) {
	if a.Status != ActionChecking {
		return a, Errorf(Conflict, "corrective action %d is %s: only a carried-out action has its effect checked", a.ID, a.Status)
	}
	if now.Before(a.CheckAt) {
		return a, Errorf(Conflict, "the effect check of corrective action %d is due %s", a.ID, a.CheckAt.Format("2006-01-02"))
	}
	if recurred == 0 {
		a.Status, a.Effect, a.ClosedAt = ActionClosed, "effective", now
		return a, nil
	}
	a.Status, a.Effect, a.DoneAt, a.CheckAt = ActionOpen, "recurred", time.Time{}, time.Time{}
	return a, nil
}
