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
}

// Button is one choice under a reply.
type Button struct {
	Label string `json:"label"`
	Data  string `json:"data"`
}

// Audit records something worth a line in the audit trail, such as a failed
// verification.
type Audit struct {
	Action string
	Detail string
}

func (Reply) isEffect() {}
func (Audit) isEffect() {}

// ErrNotFound is what a Lookup returns for a record that does not exist.
var ErrNotFound = errors.New("conversations: not found")

// Lookup is the data a dialog may read. The desk implements it over the
// store.
type Lookup interface {
	Order(ctx context.Context, no string) (Order, error)
	OrdersByPhone(ctx context.Context, phone string) ([]Order, error)
	OpenCases(ctx context.Context, phone string) ([]Case, error)
}

// Order is what a dialog knows of an order.
type Order struct {
	No           string
	CustomerName string
	Phone        string // digits only
	Status       string
	Deadline     string
	Items        []string
	Shipments    []Shipment
}

// Shipment is what a dialog tells of a shipment.
type Shipment struct {
	Carrier         string
	TrackingNo      string
	CarrierPhone    string
	ExpectedArrival string
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
	MaxUploadBytes int64
	VerifyAttempts int
	VerifyCooldown time.Duration
}

// Env is what Step needs besides the state and the event.
type Env struct {
	Now    time.Time
	Lookup Lookup
	Limits Limits
}
