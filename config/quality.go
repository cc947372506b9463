package config

import "fmt"

// Quality configures the quality loop (002 七(一), 六(一), 四(一); 004 三.4,
// 三.5): how much of the work is drawn for checks and call-backs, who the
// main customers are, and when a corrective action's effect is checked.
type Quality struct {
	// SpotCheckPercent of last week's finished visits and resolved cases
	// are drawn each Monday for a supervisor's spot check (QLT-1).
	SpotCheckPercent int `json:"spot_check_percent"`
	// CallBackPercent of the customers served in a quarter are called back
	// (QLT-2).
	CallBackPercent int `json:"call_back_percent"`
	// MainCustomerOrders: a customer with at least this many orders is a
	// main customer and gets the half-yearly questionnaire (QLT-3); the back
	// office may also flag one.
	MainCustomerOrders int `json:"main_customer_orders"`
	// EffectCheckDays after a corrective action is carried out, the desk
	// checks whether the problem recurred for that product (QLT-4).
	EffectCheckDays int `json:"effect_check_days"`
}

// DefaultQuality is the handbooks' quality loop: 10 % checked, 10 %
// called back, main customers from three orders, the effect checked after
// thirty days.
func DefaultQuality() Quality {
	return Quality{SpotCheckPercent: 10, CallBackPercent: 10, MainCustomerOrders: 3, EffectCheckDays: 30}
}

func (q Quality) validate() []error {
	var errs []error
	pct := func(field string, v int) {
		if v < 1 || v > 100 {
			errs = append(errs, fmt.Errorf("config: quality.%s: %d is not a share; give 1 to 100 (per cent)", field, v))
		}
	}
	pct("spot_check_percent", q.SpotCheckPercent)
	pct("call_back_percent", q.CallBackPercent)
	if q.MainCustomerOrders < 1 {
		errs = append(errs, fmt.Errorf("config: quality.main_customer_orders: %d; give at least 1", q.MainCustomerOrders))
	}
	if q.EffectCheckDays < 1 {
		errs = append(errs, fmt.Errorf("config: quality.effect_check_days: %d; give at least 1 day", q.EffectCheckDays))
	}
	return errs
}
