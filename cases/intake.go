package cases

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"frontdesk/config"
)

// The intake channels: how a request reached the shop when staff, not the
// customer's chat, open its case (000 §3.1, 001 §2.2.1, 004 四(二)1).
const (
	IntakePhone  = "phone"
	IntakeStore  = "store"
	IntakeLetter = "letter"
	IntakeFax    = "fax"
)

// IntakeChannels lists the intake channels, in the order a form offers them.
var IntakeChannels = []string{IntakePhone, IntakeStore, IntakeLetter, IntakeFax}

// The longest texts an intake takes, in characters.
const (
	MaxIntakeName        = 50
	MaxIntakeOrderNo     = 64
	MaxIntakeItems       = 20
	MaxIntakeItem        = 100
	MaxIntakeDescription = 2000
)

// Intake is a request that came by phone, in the shop, by letter or by fax,
// as the staff member who took it writes it down (INT-1).
type Intake struct {
	Kind         string   `json:"kind"`
	Channel      string   `json:"channel"` // IntakeChannels
	CustomerName string   `json:"customer_name"`
	Phone        string   `json:"phone"`
	OrderNo      string   `json:"order_no"`
	Items        []string `json:"items"`
	Description  string   `json:"description"`
	Severity     string   `json:"severity"` // normal (default) or major
}

// FieldError is a refusal of one field of an input: the edges show it next
// to the field (Slack's per-field errors, the form, the API's "field").
type FieldError struct {
	Name string // the field, as the API names it: "phone", "items[2]"
	Err  *Error
}

func (e *FieldError) Error() string { return e.Name + ": " + e.Err.Message }

// Unwrap gives the coded error, so ErrorCode and ErrorMessage read it.
func (e *FieldError) Unwrap() error { return e.Err }

// Field is the field the error is about.
func (e *FieldError) Field() string { return e.Name }

// FieldErrorf is a refusal of field with code and a message for people.
func FieldErrorf(field string, code Code, format string, args ...any) *FieldError {
	return &FieldError{Name: field, Err: Errorf(code, format, args...)}
}

var orderNoPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_/.-]*$`)

// Check tidies an intake (spaces trimmed, the phone's digits kept, the
// severity defaulted) and lists every field that is wrong, each once, in
// the order of the form. An intake with no problems may be opened: the
// desk still checks what only the store knows (the order exists and is
// the phone's).
func (in Intake) Check() (Intake, []*FieldError) {
	var probs []*FieldError
	bad := func(field, format string, args ...any) {
		probs = append(probs, FieldErrorf(field, Invalid, format, args...))
	}
	in.Kind = strings.TrimSpace(in.Kind)
	if !config.CaseKind(in.Kind).Valid() {
		names := make([]string, len(config.CaseKinds))
		for i, k := range config.CaseKinds {
			names[i] = string(k)
		}
		bad("kind", "kind %q: want one of %s", clip(in.Kind), strings.Join(names, ", "))
	}
	in.Channel = strings.TrimSpace(in.Channel)
	if !slices.Contains(IntakeChannels, in.Channel) {
		bad("channel", "channel %q: want one of %s", clip(in.Channel), strings.Join(IntakeChannels, ", "))
	}
	var ok bool
	if in.CustomerName, ok = line(in.CustomerName, MaxIntakeName); !ok {
		bad("customer_name", "customer_name: at most %d characters of plain text (no control characters, no < or >)", MaxIntakeName)
	}
	phone := strings.TrimSpace(in.Phone)
	if phone != "" {
		digits, ok := phoneDigits(phone)
		if !ok {
			bad("phone", "phone %q: want 7 to 15 digits (spaces, dashes and a leading + are fine)", clip(phone))
		}
		in.Phone = digits
	} else {
		in.Phone = ""
	}
	if in.OrderNo = strings.TrimSpace(in.OrderNo); in.OrderNo != "" &&
		(len(in.OrderNo) > MaxIntakeOrderNo || !orderNoPattern.MatchString(in.OrderNo)) {
		bad("order_no", "order_no %q: want up to %d letters, digits and - _ / .", clip(in.OrderNo), MaxIntakeOrderNo)
	}
	if in.Phone == "" && in.OrderNo == "" && !fieldIn(probs, "phone", "order_no") {
		bad("phone", "give the customer's phone or an order number (or both)")
	}
	if in.CustomerName == "" && in.OrderNo == "" && !fieldIn(probs, "customer_name", "order_no") {
		bad("customer_name", "give the customer's name (or an order number to take it from)")
	}
	if len(in.Items) > MaxIntakeItems {
		bad("items", "items: at most %d", MaxIntakeItems)
	} else {
		items := make([]string, 0, len(in.Items))
		for i, it := range in.Items {
			it, ok := line(it, MaxIntakeItem)
			if !ok {
				bad(fmt.Sprintf("items[%d]", i), "items[%d]: at most %d characters of plain text (no control characters, no < or >)", i, MaxIntakeItem)
				continue
			}
			if it != "" {
				items = append(items, it)
			}
		}
		in.Items = items
	}
	in.Description = strings.TrimSpace(in.Description)
	if utf8.RuneCountInString(in.Description) > MaxIntakeDescription || !plain(in.Description, true) {
		bad("description", "description: at most %d characters of text (no control characters)", MaxIntakeDescription)
	}
	switch in.Severity = strings.TrimSpace(in.Severity); in.Severity {
	case "":
		in.Severity = Normal
	case Normal, Major:
	default:
		bad("severity", "severity %q: want normal or major", clip(in.Severity))
	}
	return in, probs
}

// Validate is Check for the edges that show one problem at a time: the
// first field that is wrong, or nil.
func (in Intake) Validate() (Intake, error) {
	in, probs := in.Check()
	if len(probs) > 0 {
		return in, probs[0]
	}
	return in, nil
}

func fieldIn(probs []*FieldError, fields ...string) bool {
	return slices.ContainsFunc(probs, func(p *FieldError) bool { return slices.Contains(fields, p.Name) })
}

// line is a one-line text field trimmed, and whether it is acceptable: at
// most max characters, valid UTF-8, no control or format characters (a
// right-to-left override that disguises a name), and no angle brackets,
// which no name or product has and markup injection needs.
func line(s string, max int) (string, bool) {
	s = strings.TrimSpace(s)
	return s, utf8.RuneCountInString(s) <= max && plain(s, false) && !strings.ContainsAny(s, "<>")
}

// plain reports whether s is valid UTF-8 with no control or format
// characters; multiline text may have line breaks and tabs.
func plain(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return true
}

// phoneDigits keeps a phone's digits, dropping a mainland +86; it accepts
// only digits, spaces, dashes, dots, brackets and a leading plus.
func phoneDigits(s string) (string, bool) {
	var b strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == ' ' || r == '-' || r == '.' || r == '(' || r == ')':
		case r == '+' && i == 0:
		default:
			return "", false
		}
	}
	d := b.String()
	if len(d) == 13 && strings.HasPrefix(d, "86") {
		d = d[2:]
	}
	return d, len(d) >= 7 && len(d) <= 15
}

// clip shortens a bad value for the message that quotes it.
func clip(s string) string {
	if utf8.RuneCountInString(s) > 40 {
		return string([]rune(s)[:40]) + "…"
	}
	return s
}
