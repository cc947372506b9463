package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/redis/go-redis/v9"

	"frontdesk/config"
	"frontdesk/store"
)

// Options are the flags of `frontdesk bench`.
type Options struct {
	Cases       int           // cases to seed
	Rate        float64       // messages per second of the fixed-rate run
	Customers   int           // customers writing at once in the fixed-rate run
	Concurrency int           // customers at saturation, and Redis clients of the ceiling
	Duration    time.Duration // of each desk run
	Runs        int           // timed runs of each query
	Dir         string        // the folder the temporary store is made in
	RedisURL    string
	Config      config.Config // the shop's configuration (calendar, SLA, limits)
	// Live are the two counts of live dialogs whose memory is measured;
	// 1 000 and 10 000 when zero.
	Live [2]int
	// CPUProfile, when set, receives the CPU profile of the saturation run.
	CPUProfile io.Writer
}

// ErrInput is an option or a surrounding (Redis, the data folder) the bench
// cannot run with; nothing was left behind.
var ErrInput = errors.New("bench")

// Validate checks the options before anything is made.
func (o Options) Validate() error {
	switch {
	case o.Cases < 1:
		return fmt.Errorf("%w: --cases %d: want at least 1", ErrInput, o.Cases)
	case o.Rate < 0:
		return fmt.Errorf("%w: --rate %g: want messages per second, 0 or more", ErrInput, o.Rate)
	case o.Customers < 1:
		return fmt.Errorf("%w: --customers %d: want at least 1", ErrInput, o.Customers)
	case o.Concurrency < 1:
		return fmt.Errorf("%w: --concurrency %d: want at least 1", ErrInput, o.Concurrency)
	case o.Duration <= 0:
		return fmt.Errorf("%w: --seconds: want a positive duration", ErrInput)
	case o.Runs < 1:
		return fmt.Errorf("%w: --runs %d: want at least 1", ErrInput, o.Runs)
	}
	return nil
}

// Report is what one bench found.
type Report struct {
	Seeded      Seeded
	Queries     []Timing
	Ceiling     float64
	Saturation  Drove
	Fixed       Drove
	Live1k      Live
	Live10k     Live
	MemoryUsage float64 // MEMORY USAGE of a live dialog's key, on average
}

// Ratio is the desk's messages per second over the Redis ceiling's pairs.
func (r Report) Ratio() float64 {
	if r.Ceiling == 0 {
		return 0
	}
	return r.Saturation.PerSecond() / r.Ceiling
}

// Run seeds a temporary store under o.Dir, times the queries, drives the
// desk, prints the table to out as it goes and returns the report. The
// store and every Redis key it made are gone when it returns.
func Run(ctx context.Context, o Options, out io.Writer) (rep Report, err error) {
	if err := o.Validate(); err != nil {
		return rep, err
	}
	ropts, err := redis.ParseURL(o.RedisURL)
	if err != nil {
		return rep, fmt.Errorf("%w: redis URL %q: %v", ErrInput, o.RedisURL, err)
	}
	ropts.PoolSize = max(ropts.PoolSize, o.Concurrency)
	rdb := redis.NewClient(ropts)
	defer rdb.Close()
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	err = rdb.Ping(pctx).Err()
	cancel()
	if err != nil {
		return rep, fmt.Errorf("%w: redis at %s does not answer: %v", ErrInput, ropts.Addr, err)
	}
	dir, err := os.MkdirTemp(o.Dir, "frontdesk-bench-")
	if err != nil {
		return rep, fmt.Errorf("%w: data folder %s: %v", ErrInput, o.Dir, err)
	}
	defer os.RemoveAll(dir)
	var tag [6]byte
	rand.Read(tag[:])
	prefix := "frontdesk-bench:" + hex.EncodeToString(tag[:]) + ":"
	defer func() {
		if ferr := forget(context.WithoutCancel(ctx), rdb, prefix); ferr != nil && err == nil {
			err = fmt.Errorf("bench: forget the Redis keys: %w", ferr)
		}
	}()

	cfg := o.Config
	cal := &cfg.Calendar
	now := time.Now()
	path := filepath.Join(dir, "frontdesk.db")
	fmt.Fprintf(out, "frontdesk bench: %d cases, %d CPUs (GOMAXPROCS %d), %s, Redis %s\n",
		o.Cases, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version(), ropts.Addr)
	db, err := store.Open(ctx, path) // the schema, migrations and all
	if err != nil {
		return rep, err
	}
	db.Close()
	if rep.Seeded, err = Seed(ctx, path, o.Cases, now, cal.Location()); err != nil {
		return rep, err
	}
	fmt.Fprintln(out, rep.Seeded.describe())
	if db, err = store.Open(ctx, path); err != nil {
		return rep, err
	}
	defer db.Close()

	if rep.Queries, err = TimeQueries(ctx, db, cal, rep.Seeded, now, o.Runs); err != nil {
		return rep, err
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "query\tmedian ms\tmax ms\tCPU ms\trows\ttarget ms\t\t\n")
	for _, t := range rep.Queries {
		mark := "ok"
		if !t.Met() {
			mark = "SLOW"
		}
		fmt.Fprintf(tw, "%s\t%.2f\t%.2f\t%.2f\t%d\t%.0f\t%s\t\n", t.Name, msOf(t.Median), msOf(t.Max), msOf(t.CPU), t.Rows, msOf(t.Target), mark)
	}
	tw.Flush()

	rig := NewRig(ctx, &cfg, db, rdb, prefix, dir, rep.Seeded)
	defer rig.Close()
	if rep.Ceiling, err = Ceiling(ctx, rdb, prefix, o.Concurrency, o.Duration/2); err != nil {
		return rep, err
	}
	if o.CPUProfile != nil {
		if err := pprof.StartCPUProfile(o.CPUProfile); err != nil {
			return rep, fmt.Errorf("bench: profile: %w", err)
		}
	}
	rep.Saturation, err = rig.Drive(ctx, o.Concurrency, 0, o.Duration)
	if o.CPUProfile != nil {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return rep, err
	}
	// The ceiling again after the desk, and the better of the two counts:
	// the ratio is then the desk's share of what the machine could do.
	if again, err := Ceiling(ctx, rdb, prefix, o.Concurrency, o.Duration/2); err != nil {
		return rep, err
	} else if again > rep.Ceiling {
		rep.Ceiling = again
	}
	if o.Rate > 0 {
		if rep.Fixed, err = rig.Drive(ctx, o.Customers, o.Rate, o.Duration); err != nil {
			return rep, err
		}
	}
	tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "desk run\tcustomers\tmsgs\tmsgs/s\tp50 ms\tp99 ms\tp99.9 ms\tCPU µs/msg\t\n")
	fmt.Fprintf(tw, "Redis GET+SET ceiling\t%d\t\t%.0f\t\t\t\t\t\n", o.Concurrency, rep.Ceiling)
	for _, r := range []Drove{rep.Saturation, rep.Fixed} {
		if r.Msgs == 0 {
			continue
		}
		name := "saturation"
		if r.Rate > 0 {
			name = fmt.Sprintf("fixed %.0f/s", r.Rate)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%.0f\t\n", name, r.Customers, r.Msgs, r.PerSecond(), msOf(r.P50), msOf(r.P99), msOf(r.P999),
			float64(r.CPUPerMsg())/float64(time.Microsecond))
	}
	tw.Flush()
	fmt.Fprintf(out, "desk / ceiling: %.2f\n", rep.Ratio())

	base, err := redisUsed(ctx, rdb)
	if err != nil {
		return rep, err
	}
	live := o.Live
	if live[0] == 0 || live[1] <= live[0] {
		live = [2]int{1000, 10000}
	}
	if rep.Live1k, err = rig.LiveDialogs(ctx, live[0], 0, base); err != nil {
		return rep, err
	}
	if rep.Live10k, err = rig.LiveDialogs(ctx, live[1], live[0], base); err != nil {
		return rep, err
	}
	if rep.MemoryUsage, err = memoryUsage(ctx, rdb, prefix, min(100, live[0])); err != nil {
		return rep, err
	}
	for _, l := range []Live{rep.Live1k, rep.Live10k} {
		fmt.Fprintf(out, "%5d live dialogs: Redis %.0f bytes each (used_memory delta), resident memory %.1f MB\n",
			l.Dialogs, l.BytesPerDialog, mb(l.RSS))
	}
	fmt.Fprintf(out, "Redis MEMORY USAGE of a live dialog's key: %.0f bytes\n", rep.MemoryUsage)
	fmt.Fprintln(out, rep.Line())
	return rep, nil
}

// memoryUsage is the average MEMORY USAGE of n live dialogs' keys.
func memoryUsage(ctx context.Context, rdb *redis.Client, prefix string, n int) (float64, error) {
	var total int64
	for i := 0; i < n; i++ {
		b, err := rdb.MemoryUsage(ctx, prefix+fmt.Sprintf("web:live-%d", i), 0).Result()
		if err != nil {
			return 0, fmt.Errorf("bench: memory usage: %w", err)
		}
		total += b
	}
	return float64(total) / float64(n), nil
}

// Line is the report's figures as one line of name=value.
func (r Report) Line() string {
	dialogBytes := max(r.MemoryUsage, r.Live10k.BytesPerDialog)
	f := []string{
		fmt.Sprintf("cases=%d", r.Seeded.Cases),
		fmt.Sprintf("seed_rows_per_s=%.0f", float64(r.Seeded.Rows())/r.Seeded.Took.Seconds()),
		fmt.Sprintf("digest_ms=%.2f", msOf(slowest(r.Queries, "digest", false))),
		fmt.Sprintf("sla_scan_ms=%.2f", msOf(slowest(r.Queries, "sla", false))),
		fmt.Sprintf("search_ms=%.2f", msOf(slowest(r.Queries, "search", false))),
		fmt.Sprintf("list_ms=%.2f", msOf(slowest(r.Queries, "list", false))),
		fmt.Sprintf("my_cases_ms=%.2f", msOf(slowest(r.Queries, "mine", false))),
		fmt.Sprintf("digest_cpu_ms=%.2f", msOf(slowest(r.Queries, "digest", true))),
		fmt.Sprintf("list_cpu_ms=%.2f", msOf(slowest(r.Queries, "list", true))),
		fmt.Sprintf("load_avg=%s", loadAvg()),
		fmt.Sprintf("desk_msgs_per_s=%.0f", r.Saturation.PerSecond()),
		fmt.Sprintf("ceiling_pairs_per_s=%.0f", r.Ceiling),
		fmt.Sprintf("ratio=%.2f", r.Ratio()),
		fmt.Sprintf("cpu_us_per_msg=%.0f", float64(r.Saturation.CPUPerMsg())/float64(time.Microsecond)),
		fmt.Sprintf("p99_ms_saturation=%.2f", msOf(r.Saturation.P99)),
		fmt.Sprintf("p99_ms_at_%.0f=%.2f", r.Fixed.Rate, msOf(r.Fixed.P99)),
		fmt.Sprintf("redis_bytes_per_dialog=%.0f", dialogBytes),
		fmt.Sprintf("rss_mb_1k=%.1f", mb(r.Live1k.RSS)),
		fmt.Sprintf("rss_mb_10k=%.1f", mb(r.Live10k.RSS)),
	}
	return strings.Join(f, " ")
}

func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
func mb(b int64) float64           { return float64(b) / (1 << 20) }

// loadAvg is the machine's one-minute load average when the report is
// made (Linux), "?" elsewhere: the figures of a loaded machine say so.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}
