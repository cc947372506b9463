// Package cases is the case lifecycle as pure rules, beside the pure dialogs
// of package conversations: given a case, what someone does to it, who they
// are and when, it returns the case as it must become and the effects the
// desk must apply in one transaction. It reads no clock, store or network.
package cases

import (
	"time"

	"frontdesk/config"
)

// Status is where a case is in its handling.
type Status string

// The case statuses.
const (
	Open     Status = "open"
	Claimed  Status = "claimed"
	Resolved Status = "resolved"
)

// Severity levels of a case.
const (
	Normal = "normal"
	Major  = "major"
)

// Case is one after-sales issue (000 §3.1): the record the store keeps and
// the lifecycle decides on.
type Case struct {
	ID             int64
	Number         string // AS-20261124-0007
	Kind           config.CaseKind
	OrderNo        string
	CustomerName   string
	Phone          string
	Channel        string
	ChatID         string
	Status         Status
	Severity       string // normal, major
	Classification string
	Remedy         string
	Assignee       string
	Description    string
	Details        map[string]string // what the dialog asked and the customer answered, and what staff recorded
	Cause          string
	Action         string
	DeadlineAt     time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
	ResolvedAt     time.Time
	Intake         string // phone, store, letter, fax: staff opened it for a request that came so (INT-1); "" from a chat
}

// Provider is a local installer or repairer (000 §4).
type Provider struct {
	ID          int64
	Name        string
	Region      string
	Stars       float64
	Visits      int
	LastSummary string
	// The provider record of PRV-1 and PRV-6 (providers.go).
	Regions  []string       // "city" or "city/district" it serves; Region when empty
	Phone    string         // how the customer and staff reach it
	Company  bool           // a company, else an individual
	Prices   map[string]int // agreed price per job kind (install, repair), yuan
	Hours    string         // the hours it works, "HH:MM-HH:MM"; "" any time
	Jobs     int            // visit records so far: none makes it a first-time provider (PRV-4)
	Flagged  bool           // its complaint rate passed the limit (PRV-6)
	FlagNote string
}

// Rated reports whether the provider has a rating yet: a provider with no
// visits has none and may be tried.
func (p Provider) Rated() bool { return p.Visits > 0 }

// clone returns c with a Details map of its own, so a decision never
// writes into the caller's case.
func (c Case) clone() Case {
	d := make(map[string]string, len(c.Details)+2)
	for k, v := range c.Details {
		d[k] = v
	}
	c.Details = d
	return c
}
