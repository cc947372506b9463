package cases

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"
)

// The draw takes 10 % (rounded up, at least one) and is the same from the
// same seed whatever order the population comes in; another seed draws
// other jobs.
// rule: QLT-1
func TestDrawSampleIsReproducibleFromItsSeed(t *testing.T) {
	var pop []string
	for i := range 47 {
		pop = append(pop, fmt.Sprintf("V-%03d", i))
	}
	a := DrawSample(42, pop, 10)
	if len(a) != 5 {
		t.Fatalf("10 %% of 47 drew %d, want 5", len(a))
	}
	rev := slices.Clone(pop)
	slices.Reverse(rev)
	if b := DrawSample(42, rev, 10); !slices.Equal(a, b) {
		t.Fatalf("same seed, other order: %v then %v", a, b)
	}
	differs := false
	for s := uint64(1); s < 10; s++ {
		if !slices.Equal(DrawSample(42+s, pop, 10), a) {
			differs = true
		}
	}
	if !differs {
		t.Fatal("every seed draws the same jobs: not random")
	}
	for _, v := range a {
		if !slices.Contains(pop, v) {
			t.Fatalf("drew %s, not in the population", v)
		}
	}
	if got := DrawSample(1, []string{"only"}, 10); !slices.Equal(got, []string{"only"}) {
		t.Fatalf("one job drew %v", got)
	}
	if got := DrawSample(1, nil, 10); got != nil {
		t.Fatalf("no jobs drew %v", got)
	}
}

// rule: QLT-1
func TestRecordSpotCheck(t *testing.T) {
	now := time.Date(2026, 4, 7, 10, 0, 0, 0, time.UTC)
	open := SpotCheck{ID: 3, Status: SpotOpen}
	sup := Actor{Name: "lin", Role: Supervisor}
	got, err := RecordSpotCheck(open, sup, SpotFine, "call", "", now)
	if err != nil || got.Status != SpotFine || got.Checker != "lin" || got.Method != "call" || !got.DoneAt.Equal(now) {
		t.Fatalf("fine: %+v %v", got, err)
	}
	got, err = RecordSpotCheck(open, sup, SpotProblem, "visit", " 封边开裂 ", now)
	if err != nil || got.Status != SpotProblem || got.Note != "封边开裂" {
		t.Fatalf("problem: %+v %v", got, err)
	}
	for _, c := range []struct {
		name                  string
		sc                    SpotCheck
		by                    Actor
		verdict, method, note string
		code                  Code
		field                 string
	}{
		{"not open", SpotCheck{ID: 3, Status: SpotFine, Checker: "wu"}, sup, SpotFine, "call", "", Conflict, ""},
		{"clerk", open, Actor{Name: "x", Role: Clerk}, SpotFine, "call", "", Forbidden, ""},
		{"verdict", open, sup, "meh", "call", "", Invalid, "result"},
		{"method", open, sup, SpotFine, "email", "", Invalid, "method"},
		{"problem without words", open, sup, SpotProblem, "call", "  ", Invalid, "note"},
	} {
		got, err := RecordSpotCheck(c.sc, c.by, c.verdict, c.method, c.note, now)
		if ErrorCode(err) != c.code {
			t.Errorf("%s: %v, want %s", c.name, err, c.code)
		}
		if c.field != "" && fieldOf(err) != c.field {
			t.Errorf("%s: field %q, want %q", c.name, fieldOf(err), c.field)
		}
		if got != c.sc {
			t.Errorf("%s: changed %+v", c.name, got)
		}
	}
}

// A corrective action is opened with owner, department and due date, takes
// progress notes, is carried out, and closes only when its effect check
// finds no recurrence; a recurrence opens it again.
// rule: QLT-4
func TestCorrectiveActionLifecycle(t *testing.T) {
	now := time.Date(2026, 4, 7, 10, 0, 0, 0, time.UTC)
	clerk := Actor{Name: "zhao", Role: Clerk}
	in := Corrective{SourceKind: "report", Source: "SKU-BED-1 quality_defect ×4", SKU: "SKU-BED-1", Problem: "床架螺丝松动",
		Owner: "王工", Department: "production", DueOn: "2026-04-30"}
	a, err := NewCorrective(in, clerk, now)
	if err != nil || a.Status != ActionOpen || a.OpenedBy != "zhao" {
		t.Fatalf("open: %+v %v", a, err)
	}
	for field, bad := range map[string]func(*Corrective){
		"source_kind": func(c *Corrective) { c.SourceKind = "rumour" },
		"source":      func(c *Corrective) { c.Source = "" },
		"sku":         func(c *Corrective) { c.SKU = " " },
		"owner":       func(c *Corrective) { c.Owner = " " },
		"problem":     func(c *Corrective) { c.Problem = "" },
		"department":  func(c *Corrective) { c.Department = "marketing" },
		"due_on":      func(c *Corrective) { c.DueOn = "next week" },
	} {
		c := in
		bad(&c)
		if _, err := NewCorrective(c, clerk, now); fieldOf(err) != field {
			t.Errorf("bad %s: %v", field, err)
		}
	}
	if _, err := ActOnCorrective(a, clerk, ActionNote, "", now, 0); fieldOf(err) != "note" {
		t.Errorf("empty note: %v", err)
	}
	if _, err := ActOnCorrective(a, clerk, "shrug", "x", now, 0); fieldOf(err) != "action" {
		t.Errorf("bad verb: %v", err)
	}
	if _, err := CheckEffect(a, 0, now); ErrorCode(err) != Conflict {
		t.Errorf("check of an open action: %v", err)
	}
	done, err := ActOnCorrective(a, clerk, ActionDone, "换用带防松垫圈的螺丝", now, 30*24*time.Hour)
	if err != nil || done.Status != ActionChecking || !done.CheckAt.Equal(now.AddDate(0, 0, 30)) {
		t.Fatalf("done: %+v %v", done, err)
	}
	if _, err := ActOnCorrective(done, clerk, ActionDone, "", now, 0); ErrorCode(err) != Conflict {
		t.Errorf("done twice: %v", err)
	}
	if _, err := CheckEffect(done, 0, now.AddDate(0, 0, 29)); ErrorCode(err) != Conflict {
		t.Errorf("check before due: %v", err)
	}
	again, err := CheckEffect(done, 2, now.AddDate(0, 0, 30))
	if err != nil || again.Status != ActionOpen || again.Effect != "recurred" || !again.CheckAt.IsZero() {
		t.Fatalf("recurred: %+v %v", again, err)
	}
	closed, err := CheckEffect(done, 0, now.AddDate(0, 0, 30))
	if err != nil || closed.Status != ActionClosed || closed.Effect != "effective" {
		t.Fatalf("effective: %+v %v", closed, err)
	}
	if _, err := ActOnCorrective(closed, clerk, ActionNote, "x", now, 0); ErrorCode(err) != Conflict {
		t.Errorf("note on closed: %v", err)
	}
}

func fieldOf(err error) string {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Name
	}
	return ""
}
