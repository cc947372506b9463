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

// The daily digest counts the money granted that day, in yuan and in rolls,
// and nothing of other days.
// rule: APR-1, APR-2, WAL-6
func TestDigestCountsGrants(t *testing.T) {
	ctx := context.Background()
	db := testkit.OpenStore(t)
	cfg := config.Default()
	if err := cfg.Validate(); err != nil { // loads the calendar's zone
		t.Fatal(err)
	}
	loc := cfg.Calendar.Location()
	day := time.Date(2026, 11, 24, 10, 0, 0, 0, loc)
	empty, err := BuildDigest(ctx, db, &cfg.Calendar, day)
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
	d, err := BuildDigest(ctx, db, &cfg.Calendar, day)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Granted today (3): compensation ¥800, wallpaper 5 rolls, advances ¥300"; !strings.Contains(d.Text(), want) {
		t.Fatalf("digest lacks %q:\n%s", want, d.Text())
	}
}
