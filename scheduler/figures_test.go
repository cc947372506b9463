package scheduler

import (
	"context"
	"testing"
	"time"

	"frontdesk/config"
)

// TestChartKeepsTheFiguresOfDaysThatAreOver: the digest counts a day of the
// 14-day chart once it is over and reads it from daily_figures after that
// (so the chart costs 14 look-ups, not 28 counts, at a million cases);
// today, and a day not over at the time the digest is made as of, are
// counted afresh each time.
func TestChartKeepsTheFiguresOfDaysThatAreOver(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.clock.Set(at("2026-11-23 10:00"))
	w.openCase(config.KindComplaint, "")
	w.openCase(config.KindInquiry, "")
	chartOf := func(day string, d Digest) map[string]int {
		t.Helper()
		for i, name := range d.InflowDays {
			if name == day {
				return d.Inflow[i]
			}
		}
		t.Fatalf("no %s in the chart %v", day, d.InflowDays)
		return nil
	}
	// Made on the 23rd itself: the day is not over, nothing is kept.
	d, err := BuildDigestAt(ctx, w.db, &w.cfg.Calendar, at("2026-11-23 18:00"), at("2026-11-23 18:00"))
	if err != nil || chartOf("11-23", d)["complaint"] != 1 {
		t.Fatalf("chart of the 23rd on the 23rd: %v %v", d.Inflow, err)
	}
	day := at("2026-11-23 00:00")
	if _, kept, err := w.db.ClosedDay(ctx, day, day.AddDate(0, 0, 1)); kept || err != nil {
		t.Fatalf("the 23rd was kept before it was over (%v)", err)
	}
	// On the 25th the 23rd is over: counted once and kept.
	w.clock.Set(at("2026-11-25 09:00"))
	w.openCase(config.KindRepair, "")
	d, err = BuildDigestAt(ctx, w.db, &w.cfg.Calendar, at("2026-11-25 18:00"), at("2026-11-25 18:00"))
	if err != nil || chartOf("11-23", d)["complaint"] != 1 || chartOf("11-23", d)["inquiry"] != 1 || chartOf("11-25", d)["repair"] != 1 {
		t.Fatalf("chart on the 25th: %v %v", d.Inflow, err)
	}
	kept, ok, err := w.db.ClosedDay(ctx, day, day.AddDate(0, 0, 1))
	if !ok || err != nil || kept.NewByKind["complaint"] != 1 || kept.Total == 0 {
		t.Fatalf("kept for the 23rd: %+v %v %v", kept, ok, err)
	}
	// A case recorded for the 23rd after it was kept (only a clock set
	// back can do that) does not change the kept day; today's does.
	w.clock.Set(at("2026-11-23 11:00"))
	w.openCase(config.KindComplaint, "")
	w.clock.Set(at("2026-11-25 10:00"))
	w.openCase(config.KindRepair, "")
	d, err = BuildDigestAt(ctx, w.db, &w.cfg.Calendar, at("2026-11-25 18:00"), at("2026-11-25 18:00").Add(time.Hour))
	if err != nil || chartOf("11-23", d)["complaint"] != 1 || chartOf("11-25", d)["repair"] != 2 {
		t.Fatalf("chart on the 25th again: %v %v", d.Inflow, err)
	}
}
