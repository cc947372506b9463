package scheduler

import (
	"context"
	"strings"
	"testing"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// The digest lists the providers flagged for their complaint rate, with
// the note, until staff clear them.
// rule: PRV-6
func TestDigestListsFlaggedProviders(t *testing.T) {
	ctx := context.Background()
	db := testkit.OpenStore(t)
	cfg := config.Default()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	day := time.Date(2026, 11, 24, 10, 0, 0, 0, cfg.Calendar.Location())
	var id int64
	err := db.Update(ctx, func(tx *store.Tx) (err error) {
		if id, err = tx.UpsertProvider(cases.Provider{Name: "投诉多师傅", Regions: []string{"上海"}}); err != nil {
			return err
		}
		if _, err := tx.UpsertProvider(cases.Provider{Name: "好师傅", Regions: []string{"上海"}}); err != nil {
			return err
		}
		_, err = tx.FlagProvider(id, "2 complaints or low scores in 10 visits", day)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := BuildDigest(ctx, db, &cfg.Calendar, day)
	if err != nil {
		t.Fatal(err)
	}
	text := d.Text()
	if !strings.Contains(text, "🚩 投诉多师傅: 2 complaints or low scores in 10 visits") || strings.Contains(text, "好师傅") {
		t.Fatalf("digest:\n%s", text)
	}
	if err := db.Update(ctx, func(tx *store.Tx) error { return tx.ClearProvider(id, "已约谈", day) }); err != nil {
		t.Fatal(err)
	}
	d, _ = BuildDigest(ctx, db, &cfg.Calendar, day)
	if !strings.Contains(d.Text(), "Providers flagged for complaints (> 3 %): none") {
		t.Fatalf("after clearing:\n%s", d.Text())
	}
}
