package config

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// The customer's products (002 五, 003 用户档案): where the warranty card
// is reached from the chat, the care reminders by product age, and the
// knowledge base of questions and answers per category (ARC-1 … ARC-4).

// KBLangs are the languages every knowledge-base entry and care text is
// written in.
var KBLangs = []string{"zh-Hans", "zh-Hant", "en"}

// Products configures the customer's products.
type Products struct {
	// PublicURL is the address customers reach the desk at (the warranty
	// card link in the chat); "http://" + addr when empty.
	PublicURL string `json:"public_url"` // FRONTDESK_PUBLIC_URL
	// CareRules are the care reminders by product age; nil keeps the
	// defaults, an empty list sends none.
	CareRules []CareRule `json:"care_rules"`
	// Knowledge replaces the embedded knowledge base when set; entries
	// added through the back office come on top of either.
	Knowledge []KBEntry `json:"knowledge"`
}

// CareRule is one care reminder: for the items of a category or SKU, every
// EveryMonths months after purchase (ARC-3).
type CareRule struct {
	ID       string   `json:"id"`
	Category Category `json:"category,omitempty"`
	// SKU matches an item's SKU exactly, or every SKU that starts with it
	// when it ends in "*" ("MT-*").
	SKU         string            `json:"sku,omitempty"`
	EveryMonths int               `json:"every_months"`
	Text        map[string]string `json:"text"` // per language of KBLangs
}

// Matches reports whether the rule is for an item of this category and SKU.
func (r CareRule) Matches(category Category, sku string) bool {
	switch {
	case r.SKU != "" && strings.HasSuffix(r.SKU, "*"):
		return strings.HasPrefix(sku, strings.TrimSuffix(r.SKU, "*"))
	case r.SKU != "":
		return sku == r.SKU
	}
	return r.Category != "" && r.Category == category
}

// Validate names the first thing wrong with a care rule.
func (r CareRule) Validate() error {
	switch {
	case r.ID == "" || len(r.ID) > 40:
		return fmt.Errorf("id: want 1 to 40 characters")
	case r.Category == "" && r.SKU == "":
		return fmt.Errorf("care rule %s: category or sku: set one, e.g. \"category\": \"furniture\" or \"sku\": \"MT-*\"", r.ID)
	case r.Category != "" && !validCategory(r.Category):
		return fmt.Errorf("care rule %s: category %q: want furniture, bathroom, wallpaper or building_material", r.ID, r.Category)
	case r.EveryMonths <= 0 || r.EveryMonths > 120:
		return fmt.Errorf("care rule %s: every_months is %d; give the months between reminders, 1 to 120, e.g. 3", r.ID, r.EveryMonths)
	}
	return allLangs(r.Text, "care rule "+r.ID+": text", 500)
}

func validCategory(c Category) bool {
	return slices.Contains([]Category{Furniture, Bathroom, Wallpaper, BuildingMaterial}, c)
}

// allLangs checks that m has a text of at most max characters in every
// language of KBLangs, and no other language.
func allLangs(m map[string]string, field string, max int) error {
	for _, l := range KBLangs {
		s := strings.TrimSpace(m[l])
		if s == "" {
			return fmt.Errorf("%s.%s: is empty; every entry needs zh-Hans, zh-Hant and en", field, l)
		}
		if n := utf8.RuneCountInString(s); n > max || !utf8.ValidString(s) {
			return fmt.Errorf("%s.%s: has %d characters; give at most %d", field, l, n, max)
		}
	}
	for l := range m {
		if !slices.Contains(KBLangs, l) {
			return fmt.Errorf("%s.%s: unknown language; want zh-Hans, zh-Hant or en", field, l)
		}
	}
	return nil
}

// KBEntry is one question and its answer in the knowledge base (ARC-4).
type KBEntry struct {
	ID string `json:"id"`
	// Category is the goods it is about; empty for every product.
	Category Category `json:"category,omitempty"`
	// Keywords, in any language, that point to this entry when the
	// customer's text holds one.
	Keywords []string          `json:"keywords"`
	Question map[string]string `json:"question"`
	Answer   map[string]string `json:"answer"`
	// Next are the menu entries offered with the answer: repair, status,
	// products, where, install, human.
	Next []string `json:"next,omitempty"`
	// SmallTalk: a greeting, answered with the menu, not asked whether it
	// helped.
	SmallTalk bool `json:"small_talk,omitempty"`
	// FromCase is the case a staff member wrote it from.
	FromCase string `json:"from_case,omitempty"`
}

// KBNext are the menu entries an answer may offer.
var KBNext = []string{"repair", "status", "products", "where", "install", "human", "return", "damage"}

var kbIDPattern = func(s string) bool {
	if s == "" || len(s) > 40 {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
			return false
		}
	}
	return true
}

// FieldError is a problem with one field of an entry; Field names it as
// the JSON has it (answer.en, keywords[2]).
type FieldError struct {
	Field, Message string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Message }

func fieldErr(field, format string, args ...any) error {
	return &FieldError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// Validate names the first thing wrong with an entry, as a *FieldError.
func (e KBEntry) Validate() error {
	if !kbIDPattern(e.ID) {
		return fieldErr("id", "%q: want 1 to 40 of a-z, 0-9, _ and -", e.ID)
	}
	if e.Category != "" && !validCategory(e.Category) {
		return fieldErr("category", "%q: want furniture, bathroom, wallpaper, building_material or none", e.Category)
	}
	if len(e.Keywords) == 0 || len(e.Keywords) > 30 {
		return fieldErr("keywords", "give 1 to 30")
	}
	for i, k := range e.Keywords {
		if n := utf8.RuneCountInString(strings.TrimSpace(k)); n < 1 || n > 40 {
			return fieldErr(fmt.Sprintf("keywords[%d]", i), "want 1 to 40 characters")
		}
	}
	for _, part := range []struct {
		name string
		m    map[string]string
		max  int
	}{{"question", e.Question, 200}, {"answer", e.Answer, 1500}} {
		for _, l := range KBLangs {
			s := strings.TrimSpace(part.m[l])
			if s == "" {
				return fieldErr(part.name+"."+l, "is empty; every entry needs zh-Hans, zh-Hant and en")
			}
			if n := utf8.RuneCountInString(s); n > part.max || !utf8.ValidString(s) {
				return fieldErr(part.name+"."+l, "has %d characters; give at most %d", n, part.max)
			}
		}
		for l := range part.m {
			if !slices.Contains(KBLangs, l) {
				return fieldErr(part.name+"."+l, "unknown language; want zh-Hans, zh-Hant or en")
			}
		}
	}
	for i, n := range e.Next {
		if !slices.Contains(KBNext, n) {
			return fieldErr(fmt.Sprintf("next[%d]", i), "%q: want one of %s", n, strings.Join(KBNext, ", "))
		}
	}
	return nil
}

//go:embed knowledge.json
var defaultKnowledge []byte

//go:embed care.json
var defaultCare []byte

// DefaultKnowledge is the embedded knowledge base.
func DefaultKnowledge() []KBEntry {
	var out []KBEntry
	if err := json.Unmarshal(defaultKnowledge, &out); err != nil {
		panic("config: knowledge.json: " + err.Error())
	}
	return out
}

// DefaultCareRules are the embedded care reminders.
func DefaultCareRules() []CareRule {
	var out []CareRule
	if err := json.Unmarshal(defaultCare, &out); err != nil {
		panic("config: care.json: " + err.Error())
	}
	return out
}

// KnowledgeBase is the configured knowledge base: the file's, or the
// embedded one.
func (p Products) KnowledgeBase() []KBEntry {
	if p.Knowledge != nil {
		return p.Knowledge
	}
	return DefaultKnowledge()
}

// Care is the configured care reminders: the file's, or the embedded ones.
func (p Products) Care() []CareRule {
	if p.CareRules != nil {
		return p.CareRules
	}
	return DefaultCareRules()
}

// BaseURL is where a customer opens the desk's pages.
func (p Products) BaseURL(addr string) string {
	if p.PublicURL != "" {
		return strings.TrimSuffix(p.PublicURL, "/")
	}
	return "http://" + addr
}

func (p Products) validate() []error {
	var errs []error
	if p.PublicURL != "" {
		u, err := url.Parse(p.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			errs = append(errs, fmt.Errorf("config: products.public_url (FRONTDESK_PUBLIC_URL) %q: want an http(s) address such as https://shop.example.com", p.PublicURL))
		}
	}
	seen := map[string]bool{}
	for i, r := range p.Care() {
		if err := r.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("config: products.care_rules[%d]: %w", i, err))
		}
		if seen[r.ID] {
			errs = append(errs, fmt.Errorf("config: products.care_rules[%d]: id %q is used twice", i, r.ID))
		}
		seen[r.ID] = true
	}
	seen = map[string]bool{}
	for i, e := range p.KnowledgeBase() {
		if err := e.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("config: products.knowledge[%d] (%s): %w", i, e.ID, err))
		}
		if seen[e.ID] {
			errs = append(errs, fmt.Errorf("config: products.knowledge[%d]: id %q is used twice", i, e.ID))
		}
		seen[e.ID] = true
	}
	return errs
}
