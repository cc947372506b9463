package config

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDefaultProductsAreValid: the embedded knowledge base and care rules
// pass their own checks, every entry in the three languages.
// rule: ARC-3, ARC-4
func TestDefaultProductsAreValid(t *testing.T) {
	cfg := Default()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(DefaultKnowledge()) < 8 || len(DefaultCareRules()) < 3 {
		t.Fatalf("%d entries, %d care rules", len(DefaultKnowledge()), len(DefaultCareRules()))
	}
	if cfg.Products.BaseURL("127.0.0.1:8080") != "http://127.0.0.1:8080" {
		t.Error(cfg.Products.BaseURL("127.0.0.1:8080"))
	}
}

// TestBadCareRulesAndEntriesAreRefused: a care rule with an interval of
// zero, or no text in a language, or for nothing; a knowledge entry with no
// answer in a language; a bad public URL: the desk does not start, and the
// message names the field.
// rule: ARC-3, ARC-4
func TestBadCareRulesAndEntriesAreRefused(t *testing.T) {
	text := `{"zh-Hans":"翻面","zh-Hant":"翻面","en":"Turn it"}`
	cases := []struct{ file, want string }{
		{`{"products":{"care_rules":[{"id":"m","sku":"MT-*","every_months":0,"text":` + text + `}]}}`, "products.care_rules[0]: care rule m: every_months is 0"},
		{`{"products":{"care_rules":[{"id":"m","sku":"MT-*","every_months":3,"text":{"zh-Hans":"翻面","en":"Turn it"}}]}}`, "text.zh-Hant: is empty"},
		{`{"products":{"care_rules":[{"id":"m","every_months":3,"text":` + text + `}]}}`, "category or sku"},
		{`{"products":{"care_rules":[{"id":"m","category":"cars","every_months":3,"text":` + text + `}]}}`, `category "cars"`},
		{`{"products":{"knowledge":[{"id":"x","keywords":["a"],"question":` + text + `,"answer":{"zh-Hans":"a","zh-Hant":"a"}}]}}`, "products.knowledge[0] (x): answer.en: is empty"},
		{`{"products":{"public_url":"shop.example.com"}}`, "products.public_url (FRONTDESK_PUBLIC_URL)"},
	}
	for _, c := range cases {
		path := filepath.Join(t.TempDir(), "c.json")
		if err := os.WriteFile(path, []byte(c.file), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := Load(func(k string) string { return map[string]string{"FRONTDESK_CONFIG": path}[k] })
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.file, err, c.want)
		}
	}
	var fe *FieldError
	if err := (KBEntry{ID: "Bad ID"}).Validate(); !errors.As(err, &fe) || fe.Field != "id" {
		t.Errorf("bad id: %v", err)
	}
}

// TestCareRuleMatches by SKU, SKU prefix or category.
// rule: ARC-3
func TestCareRuleMatches(t *testing.T) {
	for _, c := range []struct {
		r    CareRule
		cat  Category
		sku  string
		want bool
	}{
		{CareRule{SKU: "MT-*"}, Furniture, "MT-180", true},
		{CareRule{SKU: "MT-*"}, Furniture, "SF-300", false},
		{CareRule{SKU: "SF-300"}, Furniture, "SF-300", true},
		{CareRule{SKU: "SF-300"}, Furniture, "SF-3000", false},
		{CareRule{Category: Bathroom}, Bathroom, "", true},
		{CareRule{Category: Bathroom}, Furniture, "BC-80", false},
	} {
		if got := c.r.Matches(c.cat, c.sku); got != c.want {
			t.Errorf("%+v.Matches(%s, %s) = %v", c.r, c.cat, c.sku, got)
		}
	}
}
