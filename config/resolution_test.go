package config

import (
	"strings"
	"testing"
)

// The call-back delay is configuration, and a delay of nothing is refused
// with the field named.
// rule: CAS-3
func TestCallBackAfterIsValidated(t *testing.T) {
	c := Default()
	if c.SLA.CallBackAfter.D() <= 0 {
		t.Fatalf("default call-back delay %v", c.SLA.CallBackAfter.D())
	}
	c.SLA.CallBackAfter = 0
	err := c.Validate()
	if err == nil || !strings.Contains(err.Error(), "sla.call_back_after") {
		t.Fatalf("validate: %v", err)
	}
}
