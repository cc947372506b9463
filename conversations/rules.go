package conversations

import (
	"strings"
	"time"

	"frontdesk/config"
)

// Triage answers (000 §2.2.3–2.2.4): was the damage caused in transport, or
// is it a quality defect?
const (
	SamePlaceYes    = "yes"
	SamePlaceNo     = "no"
	SamePlaceUnsure = "unsure"
)

// Triage classifies a damage report. Packaging damaged at the place matching
// the item's damage, or no usable packaging photos, means transport damage
// (000 §2.2.3); intact packaging at that place means a quality defect
// (§2.2.4). When the customer cannot tell, the photos do not prove the
// packaging intact, so §2.2.3 applies and staff may override.
func Triage(packagingPhotos int, samePlace string) (kind, reason string) {
	switch {
	case packagingPhotos == 0:
		return string(config.KindTransportDamage), "no usable packaging photos (000 §2.2.3)"
	case samePlace == SamePlaceYes:
		return string(config.KindTransportDamage), "packaging damaged at the matching place (000 §2.2.3)"
	case samePlace == SamePlaceNo:
		return string(config.KindQualityDefect), "packaging intact where the item is damaged (000 §2.2.4)"
	default:
		return string(config.KindTransportDamage), "customer cannot tell whether the packaging matches; provisional (000 §2.2.3)"
	}
}

// ReturnRequest is what the return dialog learned (001 第四章).
type ReturnRequest struct {
	PaidOn string // YYYY-MM-DD
	// DeliveredOn is the day the goods arrived (YYYY-MM-DD); empty when the
	// day is not recorded.
	DeliveredOn string
	// Undelivered: the goods have not arrived yet (placed, in production,
	// shipped), so the window has not begun.
	Undelivered      bool
	CustomMade       bool
	Unused           bool
	OriginalPackage  bool
	ProofOfPurchase  bool
	Reason           string // changed_mind, wrong_item, defect
	DefectAffectsUse bool
	CustomerCaused   bool
	// Wallpaper follows 004 四(三) instead of the 7-day window (WAL-8).
	Wallpaper bool
	Wall      WallReturn
}

// ReturnWindowDays is the return period (001 §4.1.1).
const ReturnWindowDays = 7

// ReasonShopError is the return reason that is the shop's own error: the
// wrong item or the wrong size was sent.
const ReasonShopError = "wrong_item"

// ShopError reports whether the return is for the shop's own error, which
// is always taken back, whatever the window or customisation (RET-5).
func (r ReturnRequest) ShopError() bool { return r.Reason == ReasonShopError }

// windowStart is the first day of the return window (RET-5): the day of
// delivery when the goods arrived after payment (made to order), else the
// day of payment. ok is false while the goods have not arrived: the window
// has not begun.
func (r ReturnRequest) windowStart(loc *time.Location) (time.Time, bool) {
	paid, perr := time.ParseInLocation("2006-01-02", r.PaidOn, loc)
	delivered, derr := time.ParseInLocation("2006-01-02", r.DeliveredOn, loc)
	switch {
	case derr == nil && (perr != nil || delivered.After(paid)):
		return delivered, true
	case r.Undelivered && derr != nil:
		return time.Time{}, false
	case perr == nil:
		return paid, true
	}
	return time.Time{}, false
}

// ReturnHardStops returns the catalog keys of the rules that refuse a
// return whatever the customer answers next: custom-made goods and a
// window that has passed (RET-6). The shop's own error has none (RET-5).
// The day the window starts counts as day one.
func ReturnHardStops(r ReturnRequest, now time.Time, loc *time.Location) []string {
	if r.ShopError() {
		return nil
	}
	var fails []string
	if r.Wallpaper { // wallpaper.go (WAL-8)
		fails = WallReturnStops(r.Wall, now, loc)
	} else if start, ok := r.windowStart(loc); ok && now.In(loc).After(start.AddDate(0, 0, ReturnWindowDays)) {
		fails = append(fails, "ret.too_late")
	}
	if r.CustomMade {
		fails = append(fails, "ret.custom")
	}
	return fails
}

// ReturnEligibility returns the catalog keys of every rule of 001 §4.1 the
// request fails; none means eligible. A wrong item or size sent by the
// shop is always taken back (RET-5).
func ReturnEligibility(r ReturnRequest, now time.Time, loc *time.Location) []string {
	if r.ShopError() {
		return nil
	}
	fails := ReturnHardStops(r, now, loc)
	if !r.Unused {
		fails = append(fails, "ret.used")
	}
	if !r.OriginalPackage {
		fails = append(fails, "ret.no_packaging")
	}
	if !r.ProofOfPurchase {
		fails = append(fails, "ret.no_proof")
	}
	if r.Reason == "defect" && r.CustomerCaused {
		fails = append(fails, "ret.customer_caused")
	}
	if r.Reason == "defect" && !r.CustomerCaused && !r.DefectAffectsUse {
		fails = append(fails, "ret.minor_defect")
	}
	return fails
}

// Warranty outcomes of a repair request (001 第五章, 003 材料收费).
const (
	WarrantyFree     = "free"
	WarrantyExcluded = "paid_excluded"
	WarrantyExpired  = "paid_expired"
	// WarrantyUnknown is "warranty to be checked" (待核实): no warranty
	// term is recorded for the item, or no day of purchase (REP-5).
	WarrantyUnknown = "to_check"
)

// RepairCharge decides whether a repair is free: in warranty and none of the
// exclusions of 003 (misuse, own moving or installing, unauthorised repair,
// unstable power, natural disaster) → free; otherwise paid by the price list.
// An item with no warranty term recorded (0 months) is to be checked by
// staff, never expired (REP-5).
func RepairCharge(paidOn string, warrantyMonths int, exclusion string, now time.Time, loc *time.Location) string {
	paid, err := time.ParseInLocation("2006-01-02", paidOn, loc)
	if err != nil || warrantyMonths <= 0 {
		return WarrantyUnknown
	}
	if !now.In(loc).Before(paid.AddDate(0, warrantyMonths, 0)) {
		return WarrantyExpired
	}
	if exclusion != "" && exclusion != "none" {
		return WarrantyExcluded
	}
	return WarrantyFree
}

// Satisfaction answers of the callback survey (000 §4.5.2).
const (
	Unsatisfied      = "unsatisfied"
	BasicallySatisfy = "basic"
	FairlySatisfied  = "fair"
)

// VisitStars turns one survey into a star score for the provider (000 §4.6:
// three stars = basically satisfied): unsatisfied 1, basically satisfied 3,
// fairly satisfied 5, one star less when the technician was not on time
// (never below 1), and the optional 1–5 scores averaged in when given.
func VisitStars(onTime bool, satisfaction string, scores map[string]int) float64 {
	stars := map[string]float64{Unsatisfied: 1, BasicallySatisfy: 3, FairlySatisfied: 5}[satisfaction]
	if stars == 0 {
		stars = 3
	}
	if !onTime && stars > 1 {
		stars--
	}
	total, n := stars, 1.0
	for _, s := range scores {
		if s >= 1 && s <= 5 {
			total += float64(s)
			n++
		}
	}
	return total / n
}

// CombineRating folds a visit's stars into a provider's rating, weighting
// every earlier visit equally (000 §4.6: combine with earlier visits).
func CombineRating(old float64, visits int, stars float64) float64 {
	if visits <= 0 {
		return stars
	}
	return (old*float64(visits) + stars) / float64(visits+1)
}

// LowScore reports whether a survey needs a supervisor's follow-up (002
// 三(二)): unsatisfied, or any optional score of 2 or less.
func LowScore(satisfaction string, scores map[string]int) bool {
	if satisfaction == Unsatisfied {
		return true
	}
	for _, s := range scores {
		if s >= 1 && s <= 2 {
			return true
		}
	}
	return false
}

// asksForMoney reports whether the customer asked for money (DMG-9: money
// compensation is never offered, only recorded when asked for).
func asksForMoney(s string) bool {
	lower := strings.ToLower(s)
	for _, w := range []string{"赔偿", "賠償", "退款", "退钱", "退錢", "补偿", "補償", "compensat", "refund", "money back"} {
		if strings.Contains(lower, w) {
			return true
		}
	}
	return false
}
