package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"frontdesk/bot"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/dialogstate"
	"frontdesk/internal/outbox"
	"frontdesk/internal/photos"
	"frontdesk/store"
)

// Rig is the desk as `frontdesk serve` builds it for the web chat: dialog
// state in Redis under its own prefix, the seeded store, and an outbox
// sender delivering to a channel that takes every message at once.
type Rig struct {
	Desk      *bot.Desk
	Redis     *redis.Client
	Prefix    string
	Delivered atomic.Int64
	customers []customer
	next      atomic.Int64
	stop      context.CancelFunc
	done      chan struct{}
}

type customer struct{ order, last4 string }

// discard is the web chat's side of the outbox: every message arrives.
type discard struct{ n *atomic.Int64 }

func (d discard) Send(context.Context, store.OutboxMessage) error { d.n.Add(1); return nil }

// NewRig builds the desk on db with the dialog state in rdb under prefix,
// and starts its outbox sender; Close stops it.
func NewRig(ctx context.Context, cfg *config.Config, db *store.DB, rdb *redis.Client, prefix, dir string, s Seeded) *Rig {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	wake := outbox.NewSignal()
	r := &Rig{Redis: rdb, Prefix: prefix, done: make(chan struct{})}
	r.Desk = &bot.Desk{
		State: dialogstate.NewRedis(rdb, prefix, cfg.Limits.DialogTTL.D()), Store: db, Now: time.Now,
		Location: cfg.Calendar.Location(), Log: log, Notify: wake.Notify,
		Photos: &photos.Store{Dir: filepath.Join(dir, "photos"), MaxBytes: cfg.Limits.MaxUploadBytes},
		Clocks: cfg.ClocksFor, ClocksOn: cfg.ClocksOn, Calendar: &cfg.Calendar,
		ClerkLimitYuan: cfg.ClerkCompensationLimitYuan, ClerkLimitRolls: cfg.ClerkCompensationLimitRolls,
		Promises: conversations.DefaultPromises(),
		Limits: conversations.Limits{MaxTextBytes: cfg.Limits.MaxTextBytes, MaxUploadBytes: cfg.Limits.MaxUploadBytes,
			VerifyAttempts: cfg.Limits.VerifyAttempts, VerifyCooldown: cfg.Limits.VerifyCooldown.D(),
			VerifyIdle: cfg.Limits.VerifyIdle.D()},
		Shop: conversations.Shop{Name: cfg.Shop.Name, Phone: cfg.Shop.Phone, Days: cfg.Calendar.Weekdays(), Hours: cfg.Calendar.Hours(),
			Open: cfg.Calendar.IsWorkingDay},
	}
	sender := &outbox.Sender{Store: db, Channels: map[string]outbox.Channel{"web": discard{&r.Delivered}}, Now: time.Now,
		Config: cfg.Outbox, Log: log, Signal: wake}
	sctx, stop := context.WithCancel(ctx)
	r.stop = stop
	go func() { defer close(r.done); sender.Run(sctx) }()
	for i, no := range s.OrderNos {
		r.customers = append(r.customers, customer{order: no, last4: s.Phones[i][len(s.Phones[i])-4:]})
	}
	return r
}

// Close stops the outbox sender.
func (r *Rig) Close() { r.stop(); <-r.done }

// script is one customer's visit: the menu, "where is my order", the
// order number and the phone's last four digits, a language switch, and
// leaving. Every message changes the dialog state and writes a reply.
func (r *Rig) script(c customer) []conversations.Inbound {
	return []conversations.Inbound{{Text: "/start"}, {Choice: "menu:where"}, {Text: c.order}, {Text: c.last4},
		{Choice: "lang:en"}, {Text: "/cancel"}}
}

// visitor is one customer going through the script, again and again, as
// a new chat each time.
type visitor struct {
	rig  *Rig
	chat string
	step int
	msgs []conversations.Inbound
}

func (r *Rig) visitor() *visitor { return &visitor{rig: r} }

func (v *visitor) send(ctx context.Context) (time.Duration, error) {
	if v.msgs == nil || v.step == len(v.msgs) {
		n := v.rig.next.Add(1)
		c := v.rig.customers[int(n)%len(v.rig.customers)]
		v.chat, v.step, v.msgs = "bench-"+strconv.FormatInt(n, 10), 0, v.rig.script(c)
	}
	in := v.msgs[v.step]
	in.Channel, in.ChatID = "web", v.chat
	t0 := time.Now()
	err := v.rig.Desk.Handle(ctx, in)
	v.step++
	return time.Since(t0), err
}

// Drove is one driving of the desk.
type Drove struct {
	Customers int
	Rate      float64 // asked for; 0 for saturation
	Msgs      int
	Took      time.Duration
	P50, P99  time.Duration
	P999      time.Duration
	// CPU is the process's CPU time (user and system) from the start of
	// the run until the outbox had delivered its messages: the cost of
	// the messages that the machine's load does not distort, unlike the
	// rate. Redis's own CPU is not in it.
	CPU time.Duration
}

// CPUPerMsg is the process's CPU time per message handled.
func (r Drove) CPUPerMsg() time.Duration {
	if r.Msgs == 0 {
		return 0
	}
	return r.CPU / time.Duration(r.Msgs)
}

// PerSecond is the messages handled per second.
func (r Drove) PerSecond() float64 { return float64(r.Msgs) / r.Took.Seconds() }

// Drive has customers customers write for d: at rate messages per second
// in all (each at rate/customers, evenly spread), or as fast as the desk
// answers when rate is 0.
func (r *Rig) Drive(ctx context.Context, customers int, rate float64, d time.Duration) (Drove, error) {
	var mu sync.Mutex
	var all []time.Duration
	var firstErr error
	var wg sync.WaitGroup
	start, cpu0 := time.Now(), cpuTime()
	end := start.Add(d)
	for c := 0; c < customers; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			v := r.visitor()
			var mine []time.Duration
			var every time.Duration
			next := start
			if rate > 0 {
				every = time.Duration(float64(time.Second) * float64(customers) / rate)
				next = start.Add(every * time.Duration(c) / time.Duration(customers))
			}
			for {
				if rate > 0 {
					if wait := time.Until(next); wait > 0 {
						time.Sleep(wait)
					}
					next = next.Add(every)
				}
				if time.Now().After(end) || ctx.Err() != nil {
					break
				}
				took, err := v.send(ctx)
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				mine = append(mine, took)
			}
			mu.Lock()
			all = append(all, mine...)
			mu.Unlock()
		}(c)
	}
	wg.Wait()
	run := Drove{Customers: customers, Rate: rate, Msgs: len(all), Took: time.Since(start)}
	r.drain(ctx, 10*time.Second)
	run.CPU = cpuTime() - cpu0
	if firstErr != nil {
		return run, fmt.Errorf("bench: desk: %w", firstErr)
	}
	run.P50, run.P99, run.P999 = quantile(all, 0.50), quantile(all, 0.99), quantile(all, 0.999)
	return run, nil
}

// drain waits, at most for limit, until the outbox has delivered what the
// desk wrote, so that a run's CPU time includes the sender's work.
func (r *Rig) drain(ctx context.Context, limit time.Duration) {
	for end := time.Now().Add(limit); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
		if n, err := r.Desk.Store.OutboxBacklog(ctx); err != nil || n == 0 {
			return
		}
	}
}

func quantile(d []time.Duration, p float64) time.Duration {
	if len(d) == 0 {
		return 0
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	return d[int(p*float64(len(d)-1))]
}

// Ceiling is the plain Redis GET and SET, one after the other, by as many
// clients at once as the desk had customers, for d: pairs per second.
func Ceiling(ctx context.Context, rdb *redis.Client, prefix string, clients int, d time.Duration) (float64, error) {
	var pairs atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Value
	end := time.Now().Add(d)
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			key := fmt.Sprintf("%sceiling:%d", prefix, c)
			for time.Now().Before(end) && ctx.Err() == nil {
				if err := rdb.Get(ctx, key).Err(); err != nil && !errors.Is(err, redis.Nil) {
					failed.Store(err)
					return
				}
				if err := rdb.Set(ctx, key, "state", time.Minute).Err(); err != nil {
					failed.Store(err)
					return
				}
				pairs.Add(1)
			}
		}(c)
	}
	wg.Wait()
	if err, ok := failed.Load().(error); ok {
		return 0, fmt.Errorf("bench: redis ceiling: %w", err)
	}
	return float64(pairs.Load()) / time.Since(start).Seconds(), nil
}

// Live is what n live dialogs cost.
type Live struct {
	Dialogs        int
	RedisBytes     int64 // Redis's used memory above what it used before
	BytesPerDialog float64
	RSS            int64 // this process's resident memory
}

// LiveDialogs has new customers open dialogs (the menu, then "where is my
// order") until n are live, and measures Redis's memory per dialog and this
// process's resident memory. base is Redis's used memory before any.
func (r *Rig) LiveDialogs(ctx context.Context, n, already int, base int64) (Live, error) {
	sem := make(chan struct{}, 32)
	var wg sync.WaitGroup
	var failed atomic.Value
	for i := already; i < n; i++ {
		sem <- struct{}{}
		wg.Add(1)
		go func(i int) {
			defer func() { <-sem; wg.Done() }()
			chat := fmt.Sprintf("live-%d", i)
			for _, in := range []conversations.Inbound{{Text: "/start"}, {Choice: "menu:where"}} {
				in.Channel, in.ChatID = "web", chat
				if err := r.Desk.Handle(ctx, in); err != nil {
					failed.Store(err)
					return
				}
			}
		}(i)
	}
	wg.Wait()
	if err, ok := failed.Load().(error); ok {
		return Live{}, fmt.Errorf("bench: live dialogs: %w", err)
	}
	used, err := redisUsed(ctx, r.Redis)
	if err != nil {
		return Live{}, err
	}
	runtime.GC()
	debug.FreeOSMemory()
	l := Live{Dialogs: n, RedisBytes: used - base, RSS: rss()}
	l.BytesPerDialog = float64(l.RedisBytes) / float64(n)
	return l, nil
}

// redisUsed is Redis's used_memory.
func redisUsed(ctx context.Context, rdb *redis.Client) (int64, error) {
	info, err := rdb.Info(ctx, "memory").Result()
	if err != nil {
		return 0, fmt.Errorf("bench: redis info: %w", err)
	}
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "used_memory:"); ok {
			return strconv.ParseInt(v, 10, 64)
		}
	}
	return 0, errors.New("bench: redis info: no used_memory")
}

// rss is the resident memory of this process (Linux), 0 elsewhere.
func rss() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// Forget deletes every key under the rig's prefix.
func (r *Rig) Forget(ctx context.Context) error { return forget(ctx, r.Redis, r.Prefix) }

func forget(ctx context.Context, rdb *redis.Client, prefix string) error {
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
		if len(keys) == 1000 {
			if err := rdb.Unlink(ctx, keys...).Err(); err != nil {
				return err
			}
			keys = keys[:0]
		}
	}
	if len(keys) > 0 {
		if err := rdb.Unlink(ctx, keys...).Err(); err != nil {
			return err
		}
	}
	return iter.Err()
}
