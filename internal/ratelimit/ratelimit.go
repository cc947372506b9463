// Package ratelimit keeps outbound sends within a platform's pace with
// token buckets (golang.org/x/time/rate): per key (a chat, a channel) a
// short burst and then a steady rate, and, when asked, a budget of all keys
// together. A burst lets the answer to a tap, or a survey's three messages,
// go out at once; the steady rate keeps a long exchange within the
// platform's limits. It never sleeps: Reserve says how long to wait, so the
// outbox hands the message back with a retry time and serves the other
// chats meanwhile.
package ratelimit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Bucket is one token bucket: a send every Every, and up to Burst at once
// after a quiet spell. The zero Bucket limits nothing.
type Bucket struct {
	Every time.Duration
	Burst int
}

func (b Bucket) none() bool { return b.Every <= 0 }

func (b Bucket) limiter() *rate.Limiter {
	return rate.NewLimiter(rate.Every(b.Every), max(b.Burst, 1))
}

// Limits are a platform's limits.
type Limits struct {
	PerKey  Bucket // each key's own bucket
	Overall Bucket // all keys together; zero for none
	// Group is the bucket of the keys IsGroup says are group chats (which
	// platforms limit harder); PerKey when IsGroup is nil.
	Group   Bucket
	IsGroup func(key string) bool
}

// Telegram's limits (core.telegram.org/bots/faq): about one message a
// second per chat, short bursts allowed; 30 a second overall; 20 a minute
// in a group. Each bucket is set so that no window of its length ever holds
// more than the platform allows: a burst of 5 plus 25 a second is at most
// 30 in any second, one plus one every 3.2 s at most 20 in any minute.
var Telegram = Limits{
	PerKey:  Bucket{Every: time.Second, Burst: 3},
	Overall: Bucket{Every: time.Second / 25, Burst: 5},
	Group:   Bucket{Every: 3200 * time.Millisecond, Burst: 1},
	IsGroup: func(chat string) bool { return len(chat) > 0 && chat[0] == '-' },
}

// Slack's chat.postMessage allows about one message a second per channel,
// with short bursts.
var Slack = Limits{PerKey: Bucket{Every: time.Second, Burst: 3}}

// Limiter paces sends by key and overall. It is safe for concurrent use.
type Limiter struct {
	limits Limits

	mu      sync.Mutex
	keys    map[string]*rate.Limiter
	overall *rate.Limiter // nil: no overall budget
	taken   int           // sends since the last sweep of idle keys
}

// sweepEvery is how many sends pass between sweeps of the keys whose
// bucket is full again (they are as good as new, so they are dropped):
// the map holds the chats of the last few seconds, not every chat ever.
const sweepEvery = 1024

// New returns a limiter of these limits.
func New(l Limits) *Limiter {
	lim := &Limiter{limits: l, keys: map[string]*rate.Limiter{}}
	if !l.Overall.none() {
		lim.overall = l.Overall.limiter()
	}
	return lim
}

// Reserve takes a send slot for key at now and returns 0, or how long to
// wait when the key's bucket or the overall budget is empty; then nothing
// is taken.
func (l *Limiter) Reserve(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	own, wait := take(l.bucketOf(key), now)
	if wait > 0 {
		return wait
	}
	if _, wait := take(l.overall, now); wait > 0 {
		if own != nil {
			own.CancelAt(now) // the key's token goes back
		}
		return wait
	}
	l.sweep(now)
	return 0
}

// take reserves one token of b at now and returns the reservation, or how
// long until there is one, and then takes nothing. A nil bucket limits
// nothing.
func take(b *rate.Limiter, now time.Time) (*rate.Reservation, time.Duration) {
	if b == nil {
		return nil, 0
	}
	r := b.ReserveN(now, 1)
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		return nil, max(wait.Round(time.Millisecond), time.Millisecond)
	}
	return r, 0
}

// bucketOf returns key's bucket, made on first use; nil when the limits
// have no bucket per key.
func (l *Limiter) bucketOf(key string) *rate.Limiter {
	spec := l.limits.PerKey
	if l.limits.IsGroup != nil && l.limits.IsGroup(key) && !l.limits.Group.none() {
		spec = l.limits.Group
	}
	if spec.none() {
		return nil
	}
	b, ok := l.keys[key]
	if !ok {
		b = spec.limiter()
		l.keys[key] = b
	}
	return b
}

func (l *Limiter) sweep(now time.Time) {
	if l.taken++; l.taken < sweepEvery {
		return
	}
	l.taken = 0
	for k, b := range l.keys {
		if b.TokensAt(now) >= float64(b.Burst()) {
			delete(l.keys, k)
		}
	}
}

// Keys is how many keys the limiter holds a bucket for now.
func (l *Limiter) Keys() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}
