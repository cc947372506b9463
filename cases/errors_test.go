package cases

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestErrorCodeAndMessage(t *testing.T) {
	cause := errors.New("disk full")
	err := fmt.Errorf("store: save case: %w", Errorf(Unavailable, "cannot write: %w", cause))
	if got := ErrorCode(err); got != Unavailable {
		t.Errorf("ErrorCode = %q, want %q", got, Unavailable)
	}
	if got := ErrorMessage(err); got != "cannot write: disk full" {
		t.Errorf("ErrorMessage = %q", got)
	}
	if !errors.Is(err, cause) {
		t.Error("the cause is not in the chain")
	}
	if got := err.Error(); got != "store: save case: cannot write: disk full" {
		t.Errorf("Error() = %q, the cause said once", got)
	}
	hidden := Wrap(Unavailable, errors.New("open /var/data/x.db: read-only file system"), "the desk cannot write just now")
	if ErrorMessage(hidden) != "the desk cannot write just now" || !strings.Contains(hidden.Error(), "read-only") {
		t.Errorf("Wrap: message %q, log %q", ErrorMessage(hidden), hidden.Error())
	}
	if got := ErrorCode(errors.New("plain")); got != Internal {
		t.Errorf("plain error code = %q, want internal", got)
	}
	if got := ErrorMessage(errors.New("secret path /var/x")); got != "internal error" {
		t.Errorf("plain error message leaks: %q", got)
	}
	if ErrorCode(nil) != "" {
		t.Error("nil has a code")
	}
	sentinel := Errorf(NotFound, "store: not found")
	if !errors.Is(fmt.Errorf("order 7: %w", sentinel), sentinel) {
		t.Error("a coded sentinel is not found by errors.Is")
	}
}
