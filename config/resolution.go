package config

import "fmt"

// validateCallBack checks the call-back delay of the resolution loop
// (CAS-3): a call-back due at the resolve itself would ask the customer
// before they could try the result.
func (s SLA) validateCallBack() []error {
	if s.CallBackAfter.D() <= 0 {
		return []error{fmt.Errorf("config: sla.call_back_after: must be greater than zero, such as \"48h\"")}
	}
	return nil
}
