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
	PaidOn           string // YYYY-MM-DD
	CustomMade       bool
	Unused           bool
	OriginalPackage  bool
	ProofOfPurchase  bool
	Reason           string // changed_mind, wrong_item, defect
	DefectAffectsUse bool
	CustomerCaused   bool
}

// ReturnWindowDays is the return period from the day of purchase (001 §4.1.1).
const ReturnWindowDays = 7

// ReturnEligibility returns the catalog keys of every rule of 001 §4.1 the
// request fails; none means eligible. The day of purchase counts as day one.
func ReturnEligibility(r ReturnRequest, now time.Time, loc *time.Location) []string {
	var fails []string
	if paid, err := time.ParseInLocation("2006-01-02", r.PaidOn, loc); err == nil {
		if now.In(loc).After(paid.AddDate(0, 0, ReturnWindowDays)) {
			fails = append(fails, "ret.too_late")
		}
	}
	if r.CustomMade {
		fails = append(fails, "ret.custom")
	}
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
	WarrantyUnknown  = "unknown"
)

// RepairCharge decides whether a repair is free: in warranty and none of the
// exclusions of 003 (misuse, own moving or installing, unauthorised repair,
// unstable power, natural disaster) → free; otherwise paid by the price list.
func RepairCharge(paidOn string, warrantyMonths int, exclusion string, now time.Time, loc *time.Location) string {
	paid, err := time.ParseInLocation("2006-01-02", paidOn, loc)
	if err != nil {
		return WarrantyUnknown
	}
	if warrantyMonths <= 0 || !now.In(loc).Before(paid.AddDate(0, warrantyMonths, 0)) {
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
