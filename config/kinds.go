package config

import "slices"

// The vocabulary every package shares: what a case is about, what an item
// is, where an order is. It lives here, beside the SLA targets keyed by it,
// because the pure packages (conversations, cases) may import config and
// nothing else of ours; one declaration serves the dialogs, the case
// lifecycle, the store and the channels.

// CaseKind is what an after-sales case is about.
type CaseKind string

// The case kinds of DOMAIN.md.
const (
	KindDeliveryDelay    CaseKind = "delivery_delay"
	KindTransportDamage  CaseKind = "transport_damage"
	KindQualityDefect    CaseKind = "quality_defect"
	KindInstallationHelp CaseKind = "installation_help"
	KindRepair           CaseKind = "repair"
	KindReturnExchange   CaseKind = "return_exchange"
	KindComplaint        CaseKind = "complaint"
	KindInquiry          CaseKind = "inquiry"
	KindLowSurveyScore   CaseKind = "low_survey_score"
)

// CaseKinds lists every kind, in the order staff menus show them.
var CaseKinds = []CaseKind{KindTransportDamage, KindQualityDefect, KindDeliveryDelay, KindInstallationHelp,
	KindRepair, KindReturnExchange, KindComplaint, KindInquiry, KindLowSurveyScore}

// Valid reports whether k is one of CaseKinds.
func (k CaseKind) Valid() bool {
	return slices.Contains(CaseKinds, k)
}

// Category is the kind of goods an item is.
type Category string

// The categories the shops sell.
const (
	Furniture        Category = "furniture"
	Bathroom         Category = "bathroom"
	Wallpaper        Category = "wallpaper"
	BuildingMaterial Category = "building_material"
)

// OrderStatus is where an order is on its way to the customer.
type OrderStatus string

// The order statuses.
const (
	OrderPlaced       OrderStatus = "placed"
	OrderInProduction OrderStatus = "in_production"
	OrderShipped      OrderStatus = "shipped"
	OrderDelivered    OrderStatus = "delivered"
	OrderInstalled    OrderStatus = "installed"
)

// RemedyLadder is the order in which staff choose a remedy for damage
// (000 §2.2.6), cheapest first. It is shown to staff, never offered to the
// customer: the bot's replies name no remedy.
var RemedyLadder = []string{"touch_up_paint", "onsite_repair", "replacement_parts", "full_replacement"}
