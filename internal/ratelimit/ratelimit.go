// Package ratelimit keeps outbound sends within a platform's pace: at most
// one send per key (a chat, a channel) per gap and, when asked, at most so
// many a second overall. It never sleeps: Reserve says how long to wait, so
// the outbox hands the message back with a retry time and serves the other
// chats meanwhile.
package ratelimit

import (
	"sync"
	"time"
)

// Limiter paces sends by key and overall. It is safe for concurrent use.
type Limiter struct {
	gap       time.Duration
	perSecond int

	mu     sync.Mutex
	last   map[string]time.Time // the last send of each key
	window []time.Time          // the sends of the last second, oldest first
}

// New allows one send per key per gap; perSecond > 0 also allows at most
// that many sends, of all keys together, in any one second.
func New(gap time.Duration, perSecond int) *Limiter {
	return &Limiter{gap: gap, perSecond: perSecond, last: map[string]time.Time{}}
}

// Reserve takes a send slot for key at now and returns 0, or how long to
// wait when the key's gap or the overall budget is spent; then nothing is
// taken.
func (l *Limiter) Reserve(key string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if last, ok := l.last[key]; ok && now.Sub(last) < l.gap {
		return l.gap - now.Sub(last)
	}
	if l.perSecond > 0 {
		cut := 0
		for cut < len(l.window) && now.Sub(l.window[cut]) >= time.Second {
			cut++
		}
		l.window = l.window[cut:]
		if len(l.window) >= l.perSecond {
			return time.Second - now.Sub(l.window[0])
		}
		l.window = append(l.window, now)
	}
	l.last[key] = now
	return 0
}
