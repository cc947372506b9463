package cases

import (
	"reflect"
	"testing"
)

// decideRow decides action by by on c, as every table of transitions does,
// and checks what holds for all of them: Decide leaves its input alone, and
// a refusal has the wanted code and changes nothing. It reports whether
// the row goes on to its own checks (false after an expected refusal).
func decideRow(t *testing.T, c Case, action Action, by Actor, p Policy, wantErr Code) (Case, []Effect, bool) {
	t.Helper()
	original := c.clone()
	got, effects, err := Decide(c, action, by, now, p)
	if !reflect.DeepEqual(c, original) {
		t.Fatalf("Decide changed its input case: %+v", c)
	}
	if wantErr != "" {
		if ErrorCode(err) != wantErr {
			t.Fatalf("err = %v (code %q), want code %q", err, ErrorCode(err), wantErr)
		}
		if effects != nil || !reflect.DeepEqual(got, original) {
			t.Fatalf("a refused action changed something: %+v %v", got, effects)
		}
		return got, effects, false
	}
	if err != nil {
		t.Fatalf("%s: %v", action.Verb, err)
	}
	return got, effects, true
}

// wantHistoryFirst checks that a decision's first effect is its line of
// history.
func wantHistoryFirst(t *testing.T, effects []Effect) {
	t.Helper()
	if len(effects) == 0 {
		t.Fatal("no effects: the decision left no history")
	}
	if _, ok := effects[0].(Record); !ok {
		t.Fatalf("first effect %T, want the Record of the history", effects[0])
	}
}

// runTransitions runs each row of a table on newCase: the row's before,
// the decision under p, the common checks of decideRow, the history line
// first, and the row's own check.
func runTransitions(t *testing.T, rows []transition, p Policy) {
	t.Helper()
	for _, tt := range rows {
		t.Run(tt.name, func(t *testing.T) {
			c := newCase()
			if tt.before != nil {
				tt.before(&c)
			}
			if got, effects, ok := decideRow(t, c, tt.action, tt.by, p, tt.wantErr); ok {
				wantHistoryFirst(t, effects)
				tt.check(t, got, effects)
			}
		})
	}
}
