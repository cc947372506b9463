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

// The digest sections that list what was decided: money granted and
// providers flagged.

// digestFixture opens an empty store and gives the default calendar (its
// zone loaded) and a Tuesday morning in that zone: what a digest section
// test builds on.
func digestFixture(t *testing.T) (context.Context, *store.DB, *config.Calendar, time.Time) {
	t.Helper()
	cfg := testkit.Config(t)
	return context.Background(), testkit.OpenStore(t), &cfg.Calendar, time.Date(2026, 11, 24, 10, 0, 0, 0, cfg.Calendar.Location())
}

// The daily digest counts the money granted that day, in yuan and in rolls,
// and nothing of other days.
// rule: APR-1, APR-2, WAL-6
func TestDigestCountsGrants(t *testing.T) {
	ctx, db, cal, day := digestFixture(t)
	loc := cal.Location()
	empty, err := BuildDigest(ctx, db, cal, day)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(empty.Text(), "Granted today: nothing") {
		t.Fatalf("no grants: %s", empty.Text())
	}
	err = db.Update(ctx, func(tx *store.Tx) error {
		c, err := tx.OpenCase(cases.Case{Kind: config.KindQualityDefect, Phone: "13800001234"}, day, loc)
		if err != nil {
			return err
		}
		for _, g := range []store.Grant{{At: day, Kind: "compensation", Yuan: 800, DecidedBy: "周主管 and 吴经理"},
			{At: day.Add(time.Hour), Kind: "compensation", Rolls: 5, DecidedBy: "周主管 and 吴经理"},
			{At: day.Add(2 * time.Hour), Kind: "advance", Yuan: 300, DecidedBy: "小李"},
			{At: day.Add(-24 * time.Hour), Kind: "compensation", Yuan: 100, DecidedBy: "小李"}} {
			g.CaseID = c.ID
			if err := tx.AddGrant(g); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	d, err := BuildDigest(ctx, db, cal, day)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Granted today (3): compensation ¥800, wallpaper 5 rolls, advances ¥300"; !strings.Contains(d.Text(), want) {
		t.Fatalf("digest lacks %q:\n%s", want, d.Text())
	}
}

// The digest lists the providers flagged for their complaint rate, with
// the note, until staff clear them.
// rule: PRV-6
func TestDigestListsFlaggedProviders(t *testing.T) {
	ctx, db, cal, day := digestFixture(t)
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
	d, err := BuildDigest(ctx, db, cal, day)
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
	d, _ = BuildDigest(ctx, db, cal, day)
	if !strings.Contains(d.Text(), "Providers flagged for complaints (> 3 %): none") {
		t.Fatalf("after clearing:\n%s", d.Text())
	}
}
