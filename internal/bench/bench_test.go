package bench

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"frontdesk/config"
	"frontdesk/internal/testkit/base"
)

func smallOptions(t *testing.T) Options {
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return Options{Cases: 600, Rate: 100, Customers: 5, Concurrency: 4, Duration: 300 * time.Millisecond, Runs: 2,
		Dir: t.TempDir(), RedisURL: base.RedisURL(t), Config: cfg, Live: [2]int{20, 60}}
}

// TestBenchRunsToItsLastLineAndLeavesNothing runs the whole bench on a
// small store: every query answers, the desk answers at saturation and at
// the fixed rate, and the store and the Redis keys are gone afterwards.
func TestBenchRunsToItsLastLineAndLeavesNothing(t *testing.T) {
	o := smallOptions(t)
	var out bytes.Buffer
	rep, err := Run(context.Background(), o, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	s := rep.Seeded
	if s.Cases != 600 || s.Clocks != 1200 || s.Running == 0 || s.Running > 60 || s.Events < 1200 || s.Orders != 100 || s.Visits == 0 || s.Surveys == 0 || s.Photos == 0 {
		t.Errorf("seeded %+v", s)
	}
	if len(rep.Queries) < 15 {
		t.Errorf("%d queries timed", len(rep.Queries))
	}
	for _, q := range rep.Queries {
		if q.Median <= 0 || q.Rows == 0 && (q.Group == "digest" || q.Group == "search") {
			t.Errorf("query %s: %+v", q.Name, q)
		}
	}
	if rep.Saturation.Msgs == 0 || rep.Fixed.Msgs == 0 || rep.Ceiling <= 0 || rep.Ratio() <= 0 {
		t.Errorf("desk runs: %+v %+v ceiling %v", rep.Saturation, rep.Fixed, rep.Ceiling)
	}
	if rep.MemoryUsage <= 0 || rep.Live10k.RSS <= 0 {
		t.Errorf("live dialogs: %+v %v", rep.Live10k, rep.MemoryUsage)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	last := lines[len(lines)-1]
	for _, name := range []string{"digest_ms=", "sla_scan_ms=", "search_ms=", "list_ms=", "desk_msgs_per_s=", "ceiling_pairs_per_s=",
		"ratio=", "p99_ms_at_100=", "redis_bytes_per_dialog=", "rss_mb_1k=", "rss_mb_10k="} {
		if !strings.Contains(last, name) {
			t.Errorf("last line has no %s: %s", name, last)
		}
	}
	if left, _ := os.ReadDir(o.Dir); len(left) != 0 {
		t.Errorf("left in the data folder: %v", left)
	}
	keys, err := base.Redis(t).Keys(context.Background(), "frontdesk-bench:*").Result()
	if err != nil || len(keys) != 0 {
		t.Errorf("left in Redis: %d keys %v", len(keys), err)
	}
}

// TestBenchRefusesBadInputAndMakesNothing: no cases, a negative rate, a
// Redis that does not answer, a data folder that cannot be written: each a
// message naming it, ErrInput, and nothing made.
func TestBenchRefusesBadInputAndMakesNothing(t *testing.T) {
	notAFolder := t.TempDir() + "/file"
	if err := os.WriteFile(notAFolder, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		edit func(*Options)
		want string
	}{
		{"no cases", func(o *Options) { o.Cases = 0 }, "--cases 0"},
		{"negative cases", func(o *Options) { o.Cases = -5 }, "--cases -5"},
		{"negative rate", func(o *Options) { o.Rate = -1 }, "--rate -1"},
		{"no customers", func(o *Options) { o.Customers = 0 }, "--customers 0"},
		{"no runs", func(o *Options) { o.Runs = 0 }, "--runs 0"},
		{"redis down", func(o *Options) { o.RedisURL = "redis://127.0.0.1:1/0" }, "redis at 127.0.0.1:1 does not answer"},
		{"bad redis URL", func(o *Options) { o.RedisURL = "http://x" }, "redis URL"},
		{"data folder not writable", func(o *Options) { o.Dir = notAFolder + "/sub" }, "data folder"},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := smallOptions(t)
			c.edit(&o)
			var out bytes.Buffer
			_, err := Run(context.Background(), o, &out)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one naming %q", err, c.want)
			}
			if !strings.HasPrefix(err.Error(), "bench: ") {
				t.Errorf("error %q is not ErrInput's", err)
			}
			if left, _ := os.ReadDir(o.Dir); len(left) != 0 {
				t.Errorf("left in the data folder: %v", left)
			}
		})
	}
}
