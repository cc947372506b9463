package scheduler

import (
	"context"
	"errors"
	"testing"
	"time"
)

type fakeCallBacks struct {
	runs int
	err  error
}

func (f *fakeCallBacks) SendCallBacks(context.Context) (int, error) { f.runs++; return 1, f.err }

// The call-back job asks the desk to send what is due, and reports its
// failure so the run is logged and retried at the next tick.
// rule: CAS-3
func TestCallBackJobSendsWhatIsDue(t *testing.T) {
	f := &fakeCallBacks{}
	if err := (CallBackJob{Desk: f}).Run(context.Background(), time.Now()); err != nil || f.runs != 1 {
		t.Fatalf("run: %v, %d calls", err, f.runs)
	}
	f.err = errors.New("store down")
	if err := (CallBackJob{Desk: f}).Run(context.Background(), time.Now()); !errors.Is(err, f.err) {
		t.Fatalf("a failure: %v", err)
	}
	if err := (CallBackJob{}).Run(context.Background(), time.Now()); err != nil {
		t.Fatalf("no desk: %v", err)
	}
}
