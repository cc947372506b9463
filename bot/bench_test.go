package bot_test

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"frontdesk/conversations"
	"frontdesk/internal/testkit"
)

// benchParallelism × GOMAXPROCS goroutines act as that many customers
// writing at once.
const benchParallelism = 16

// script is one customer's visit: menu, ask, verify, answer, switch
// language, leave. Every message changes the dialog state and writes a
// reply, so each is a full load–step–commit–save.
var script = []conversations.Inbound{
	{Text: "/start"},
	{Choice: "menu:where"},
	{Text: "SO-1001"},
	{Text: "1234"},
	{Choice: "lang:en"},
	{Text: "/cancel"},
}

// BenchmarkDeskHandle drives concurrent customers through Desk.Handle with
// Redis dialog state and the SQLite store, and reports messages/s and the
// p50/p99 step latency.
func BenchmarkDeskHandle(b *testing.B) {
	desk := testkit.NewDesk(b, testkit.WithRedis())
	desk.Seed().Orders()
	var customers atomic.Int64
	var mu sync.Mutex
	var latencies []time.Duration
	b.SetParallelism(benchParallelism)
	b.ResetTimer()
	start, cpu0 := time.Now(), processCPU()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		var mine []time.Duration
		chat, step := "", len(script)
		for pb.Next() {
			if step == len(script) {
				chat, step = fmt.Sprintf("bench-%d", customers.Add(1)), 0
			}
			in := script[step]
			in.Channel, in.ChatID = "web", chat
			t0 := time.Now()
			if err := desk.Handle(ctx, in); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(t0))
			step++
		}
		mu.Lock()
		latencies = append(latencies, mine...)
		mu.Unlock()
	})
	elapsed, cpu := time.Since(start), processCPU()-cpu0
	b.StopTimer()
	reportRate(b, "msgs/s", elapsed)
	// CPU time per message is comparable across a loaded machine; the rate
	// and the latencies are not.
	b.ReportMetric(float64(cpu.Microseconds())/float64(b.N), "cpu-µs/msg")
	reportPercentiles(b, latencies)
}

// BenchmarkRedisCeiling measures the machine's ceiling for the same
// concurrency: one plain GET and one SET per operation, no work between.
func BenchmarkRedisCeiling(b *testing.B) {
	rdb := testkit.Redis(b)
	prefix := testkit.RedisPrefix(b)
	var n atomic.Int64
	b.SetParallelism(benchParallelism)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		ctx := context.Background()
		key := fmt.Sprintf("%sk%d", prefix, n.Add(1))
		for pb.Next() {
			if err := rdb.Get(ctx, key).Err(); err != nil && err.Error() != "redis: nil" {
				b.Error(err)
				return
			}
			if err := rdb.Set(ctx, key, "state", time.Minute).Err(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportRate(b, "pairs/s", time.Since(start))
}

// processCPU is the user + system time this process has used so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportRate(b *testing.B, unit string, elapsed time.Duration) {
	if elapsed > 0 {
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), unit)
	}
}

func reportPercentiles(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	at := func(p float64) float64 { return float64(d[int(p*float64(len(d)-1))].Microseconds()) }
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}
