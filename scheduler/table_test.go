package scheduler

import (
	"context"
	"strings"
	"testing"
	"time"

	"frontdesk/config"
	"frontdesk/internal/testkit"
)

// The table holds every job once, on the specs the README promises, and
// every spec reads.
func TestTableHasEveryJobOnItsSpec(t *testing.T) {
	cfg := config.Default()
	table := Table(TableConfig{Jobs: &Jobs{Cal: &cfg.Calendar}, DigestAt: cfg.DigestAt, RetentionDays: 365, DedupeWindow: time.Hour})
	want := map[string]string{"sla": "* * * * *", "deadline": "0 9 * * *", "arrival": "*/30 * * * *", "survey": "5 * * * *",
		"digest": cfg.DigestAt, "weekly": "0 9 * * 1", "retention": "0 3 * * *", "purge": "17 * * * *",
		"delivery": "15,45 * * * *", "callback": "*/10 * * * *", "appointments": "25 * * * *",
		"spot_check": "0 8 * * 1", "effect_check": "30 8 * * *", "monthly": "0 9 3 * *",
		"quality_callback": "0 10 2 1,4,7,10 *", "quality_questionnaire": "30 10 2 1,7 *",
		"warranty": "*/20 * * * *", "care": "40 * * * *",
		"parts_due": "30 9 * * *", "parts_counts": "0 9 3 * *"}
	got := map[string]string{}
	for _, e := range table {
		if _, dup := got[e.Job.Name()]; dup {
			t.Errorf("job %s twice", e.Job.Name())
		}
		got[e.Job.Name()] = e.Spec
	}
	for name, spec := range want {
		if got[name] != spec {
			t.Errorf("%s runs on %q, want %q", name, got[name], spec)
		}
	}
	if len(got) != len(want) {
		t.Errorf("jobs %v, want %v", got, want)
	}
	log := testkit.Log()
	s, err := NewWithTable(context.Background(), time.UTC, time.Now, log, nil, table)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.cron.Entries()); n != len(table) {
		t.Fatalf("%d cron entries for %d jobs", n, len(table))
	}
}

func TestNewWithTableNamesTheJobOfABadSpec(t *testing.T) {
	log := testkit.Log()
	_, err := NewWithTable(context.Background(), time.UTC, time.Now, log, nil, []Entry{{"at half past six", failingJob{}}})
	if err == nil || !strings.Contains(err.Error(), "fails") {
		t.Fatalf("bad spec: %v", err)
	}
}
