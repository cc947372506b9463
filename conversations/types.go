// Package conversations holds every guided dialog of the desk as a pure
// state machine: Step takes the dialog state and one inbound event and
// returns the next state and the effects to apply. It reads data only
// through the Lookup interface it declares, and never touches Redis,
// SQLite or a network, so a dialog is tested without a server.
package conversations

import (
	"context"
	"errors"
	"time"
)

// Inbound is one thing a customer did, in channel-neutral form.
type Inbound struct {
	Channel    string   // "web", "telegram"
	ChatID     string   // the conversation on that channel
	ExternalID string   // the channel's id of this update, for dedupe
	LangHint   string   // the language the channel reports, e.g. Telegram's language_code
	Text       string   // typed text or a command
	Choice     string   // the data of a pressed button
	Photo      *Photo   // a photo, already checked and stored by the channel
	Contact    *Contact // a shared phone contact
	Rejected   Rejection
	// Echo asks the desk to keep the customer's own message in the chat's
	// history (the web chat shows it again after a reload); Label is the
	// tapped button's words, shown instead of its data.
	Echo  bool
	Label string
	// ButtonRef is the channel's id of the message the tapped button was
	// on (Telegram's message_id, the web chat's message id): a question
	// answered in place edits that message (Reply.Edit).
	ButtonRef string
	// MessageRef is the channel's id of the customer's message itself
	// (Telegram's message_id): an edit of it names the same id.
	MessageRef string
	// Edited: the customer edited a message sent before (Telegram's
	// edited_message); MessageRef names it (edited.go).
	Edited bool
	// Album is the channel's id of the album a photo came in (Telegram's
	// media_group_id); AlbumLast marks the last photo of the album the
	// channel has seen, which alone is acknowledged (edited.go).
	Album     string
	AlbumLast bool
}

// Photo is a picture the channel has checked and stored content-addressed.
type Photo struct {
	SHA256 string
	MIME   string
	Size   int64
}

// Contact is a phone contact shared through the chat app. Own is true only
// when the app says the contact is the sender's own (Telegram user_id match).
type Contact struct {
	Phone string
	Own   bool
}

// Rejection is why a channel refused what the customer sent; the dialog
// answers it in the customer's language and changes nothing.
type Rejection string

// The rejections a channel can report.
const (
	RejectNone        Rejection = ""
	RejectNotImage    Rejection = "not_image"
	RejectTooLarge    Rejection = "too_large"
	RejectUnsupported Rejection = "unsupported" // a sticker, a voice note …
)

// State is one customer's dialog state. It is stored between messages
// (Redis or the embedded store), so it is plain data.
type State struct {
	Lang        Lang      `json:"lang,omitempty"`
	Flow        string    `json:"flow,omitempty"`
	Step        string    `json:"step,omitempty"`
	Pending     string    `json:"pending,omitempty"` // what to do once verified
	OrderNo     string    `json:"order_no,omitempty"`
	Verified    *Identity `json:"verified,omitempty"`
	Failures    int       `json:"failures,omitempty"`
	LockedUntil time.Time `json:"locked_until,omitzero"`
	Draft       *Draft    `json:"draft,omitempty"`      // answers of the flow in progress
	HandedOff   bool      `json:"handed_off,omitempty"` // messages go to staff
	// HandoffAckAt is when a handed-over customer's message was last
	// acknowledged (CAS-5).
	HandoffAckAt time.Time `json:"handoff_ack_at,omitzero"`
	// LastActive is when the customer last did something in this chat; on
	// a shared-device channel a verification lapses after Limits.VerifyIdle
	// without activity (ID-7).
	LastActive time.Time `json:"last_active,omitzero"`
	// VerifyLapsed: the verification lapsed and the customer has not been
	// told yet; they are, once, when they next ask for something that needs
	// it.
	VerifyLapsed bool `json:"verify_lapsed,omitempty"`
	// LastText is the customer's latest message when it was typed text;
	// an edit of it may correct the answer (edited.go).
	LastText *LastText `json:"last_text,omitempty"`
}

// ChannelWeb is the built-in web chat: a browser that may be a shared
// device, where a verification lapses after an idle time (ID-7). Telegram
// runs on the customer's own phone and keeps its verification.
const ChannelWeb = "web"

// Draft holds what a guided flow has gathered so far. Nothing of it is
// saved as a record until the flow finishes, so /cancel leaves nothing
// half-saved.
type Draft struct {
	OrderNo string            `json:"order,omitempty"`
	Lines   []int             `json:"lines,omitempty"`
	Answers map[string]string `json:"answers,omitempty"`
	Photos  []StepPhoto       `json:"photos,omitempty"`
	// Albums are the channel's albums already acknowledged (edited.go).
	Albums []string `json:"albums,omitempty"`
}

// clone copies the draft, so a step never changes the state it was given
// (the desk compares the two to know whether to save).
func (d *Draft) clone() *Draft {
	if d == nil {
		return nil
	}
	c := &Draft{OrderNo: d.OrderNo, Lines: append([]int(nil), d.Lines...), Photos: append([]StepPhoto(nil), d.Photos...),
		Albums: append([]string(nil), d.Albums...)}
	if d.Answers != nil {
		c.Answers = make(map[string]string, len(d.Answers))
		for k, v := range d.Answers {
			c.Answers[k] = v
		}
	}
	return c
}

// StepPhoto is a photo sent at one step of a flow ("packaging", "whole",
// "closeup").
type StepPhoto struct {
	Step  string `json:"step"`
	Photo Photo  `json:"photo"`
}

// Identity is a verified customer: the phone that matched their orders.
type Identity struct {
	Phone string `json:"phone"`
	Name  string `json:"name"`
}

// Effect is something Step asks the desk to do. The desk applies all the
// effects of one step in one store transaction.
type Effect interface{ isEffect() }

// Reply sends a message to the customer in this conversation.
type Reply struct {
	Text           string
	Buttons        [][]Button
	RequestContact bool // channels that can, offer a "share my phone" button
	// Edit asks the channel to update the message the tapped button was on
	// (Inbound.ButtonRef) instead of sending a new one: a multi-choice
	// question shows its ticks in place. A channel that cannot edit, or an
	// event without a ButtonRef, sends the reply as a new message.
	Edit bool
	// Aside is a short note that does not supersede the question in front
	// of the customer: its buttons stay live (an edit not read).
	Aside bool
}

// Button is one choice under a reply.
type Button struct {
	Label string `json:"label"`
	Data  string `json:"data"`
}

// VerifyFailed counts a failed verification on an order number (and the
// phone of the order) across every chat; the desk warns the customer's own
// chats when it locks the order (ID-6).
type VerifyFailed struct {
	OrderNo string
}

// Audit records something worth a line in the audit trail, such as a failed
// verification.
type Audit struct {
	Action string
	Detail string
}

// OpenCase opens an after-sales case. Replies of the same step may name it
// with CasePlaceholder; the desk puts the number in.
type OpenCase struct {
	Kind           string
	OrderNo        string
	Lines          []int
	Severity       string // normal, major
	Description    string
	Classification string // why the dialog chose the kind (triage)
	Details        map[string]string
	Photos         []StepPhoto
	Customer       Identity
}

// CasePlaceholder in a reply's text stands for the number of the case
// opened by the same step.
const CasePlaceholder = "{case}"

// Handoff opens a case for a person to take over the conversation.
type Handoff struct {
	Customer *Identity // nil when not verified
}

// Forward puts what the customer wrote into the thread of the case that was
// handed off.
type Forward struct {
	CaseNumber string
	Text       string
	Photo      *Photo
}

// Escalate tells staff at once that the case opened by the same step needs
// attention (a delivery past its deadline).
type Escalate struct {
	Reason string
}

// SurveyAnswered records a finished callback survey: the answers, the
// provider's stars for the visit, and whether a supervisor must follow up.
type SurveyAnswered struct {
	VisitID      string
	Stage        string
	OnTime       bool
	Satisfaction string
	Scores       map[string]int
	Comment      string
	Stars        float64
	Low          bool
}

// SurveySent records that a survey went to this chat.
type SurveySent struct {
	VisitID string
	Stage   string
}

// BindChat records that this chat belongs to the verified customer, so
// proactive messages reach them here.
type BindChat struct {
	Phone string
}

func (Reply) isEffect()          {}
func (Audit) isEffect()          {}
func (VerifyFailed) isEffect()   {}
func (OpenCase) isEffect()       {}
func (Handoff) isEffect()        {}
func (Forward) isEffect()        {}
func (Escalate) isEffect()       {}
func (SurveyAnswered) isEffect() {}
func (BindChat) isEffect()       {}
func (SurveySent) isEffect()     {}

// ErrNotFound is what a Lookup returns for a record that does not exist.
var ErrNotFound = errors.New("conversations: not found")

// Lookup is the data a dialog may read. The desk implements it over the
// store.
type Lookup interface {
	Order(ctx context.Context, no string) (Order, error)
	OrdersByPhone(ctx context.Context, phone string) ([]Order, error)
	OpenCases(ctx context.Context, phone string) ([]Case, error)
	// HandoffCase returns the number of the unresolved handoff case of
	// this chat, or ErrNotFound once staff resolved it.
	HandoffCase(ctx context.Context, channel, chatID string) (string, error)
	// VerifyThrottle returns the failed verifications counted on an order
	// number, and on the phone of that order, across every chat, session
	// and channel (ID-6).
	VerifyThrottle(ctx context.Context, orderNo string) (Throttle, error)
}

// Throttle is what the store counted of failed verifications.
type Throttle struct {
	Failures    int
	LockedUntil time.Time
}

// Order is what a dialog knows of an order.
type Order struct {
	No              string
	CustomerName    string
	Phone           string // digits only
	Status          string
	PaidOn          string // YYYY-MM-DD
	Deadline        string // YYYY-MM-DD
	DeliveredOn     string // YYYY-MM-DD, when recorded: the return window runs from it (RET-5)
	InstallIncluded bool
	Items           []Item
	Shipments       []Shipment
}

// Item is one line of an order.
type Item struct {
	Line           int
	Name           string
	Quantity       int
	Category       string
	CustomMade     bool
	WarrantyMonths int
	// Wallpaper (004): the batch number when the order knows it, and the
	// rolls of that batch in stock when the back office told it (WAL-2, WAL-8).
	BatchNo    string
	StockRolls int
	StockKnown bool
}

// Shipment is what a dialog tells of a shipment (000 §1.5.2).
type Shipment struct {
	Carrier           string
	TrackingNo        string
	CarrierPhone      string
	Packages          int
	Pieces            int
	VolumeM3          float64
	FreightFeeCents   int64
	PackagingFeeCents int64
	ContainsGlass     bool
	ExpectedArrival   string
}

// Case is what a dialog tells of a case.
type Case struct {
	Number    string
	Kind      string
	Status    string
	CreatedAt time.Time
}

// Limits bound what the dialogs accept.
type Limits struct {
	MaxTextBytes   int
	MaxTextChars   int // the longest text in characters (DefaultMaxTextChars when 0)
	MaxUploadBytes int64
	VerifyAttempts int
	VerifyCooldown time.Duration
	// VerifyIdle is how long a web-chat verification lasts without
	// activity (ID-7); 0 keeps it for as long as the dialog state lives.
	VerifyIdle time.Duration
}

// Promises are the service times the customer is told (DOMAIN, SLA clocks).
type Promises struct {
	FirstResponse     time.Duration
	ConfirmDays       int
	RepairDispatch    time.Duration
	RepairResolve     time.Duration
	RepairResolveMax  time.Duration
	ComplaintApology  time.Duration
	ComplaintSolution time.Duration
	ComplaintFollowUp time.Duration
	ReturnReviewDays  int
	LowScoreFollowUp  time.Duration
	// When says, for a clock of target d started at from, when the shop
	// opens and when the clock is due (config.Config.Promise, SLA-10); nil
	// counts wall time from now.
	When func(clock string, from time.Time, d time.Duration) (opens, due time.Time)
}

// DefaultPromises are the targets of DOMAIN.md.
func DefaultPromises() Promises {
	return Promises{FirstResponse: time.Hour, ConfirmDays: 2, RepairDispatch: time.Hour, RepairResolve: 24 * time.Hour,
		RepairResolveMax: 48 * time.Hour, ComplaintApology: time.Hour, ComplaintSolution: 24 * time.Hour,
		ComplaintFollowUp: 72 * time.Hour, ReturnReviewDays: 1, LowScoreFollowUp: time.Hour}
}

// Env is what Step needs besides the state and the event.
type Env struct {
	Now      time.Time
	Location *time.Location // the shop's zone, for dates
	Lookup   Lookup
	Limits   Limits
	Promises Promises
	Shop     Shop        // who the customer talks to, for /help
	Products ProductsEnv // products.go: the knowledge base, the warranty card's address
}

func (e Env) loc() *time.Location {
	if e.Location == nil {
		return time.UTC
	}
	return e.Location
}

// DefaultMaxTextChars is the longest text a customer may send, in
// characters, when Limits.MaxTextChars is not set.
const DefaultMaxTextChars = 1000

func (l Limits) maxTextChars() int {
	if l.MaxTextChars > 0 {
		return l.MaxTextChars
	}
	return DefaultMaxTextChars
}
