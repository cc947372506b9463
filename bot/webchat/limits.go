package webchat

import (
	"math"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// addrLimiter is a token bucket per client address: perMinute tokens a
// minute, at most burst at once. Buckets left alone long enough to be full
// again are forgotten, so the map does not grow with every address seen.
type addrLimiter struct {
	every rate.Limit
	burst int
	idle  time.Duration // how long an unused bucket takes to fill up

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	used time.Time
}

func newAddrLimiter(perMinute, burst int) *addrLimiter {
	every := rate.Limit(float64(perMinute) / 60)
	return &addrLimiter{every: every, burst: burst, buckets: map[string]*bucket{},
		idle: time.Duration(float64(burst) / float64(every) * float64(time.Second))}
}

// take takes a token for addr at now, and returns 0, or how long to wait
// for one (then nothing is taken).
func (l *addrLimiter) take(addr string, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) >= l.idle {
		for a, b := range l.buckets {
			if now.Sub(b.used) >= l.idle {
				delete(l.buckets, a)
			}
		}
		l.lastSweep = now
	}
	b, ok := l.buckets[addr]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.every, l.burst)}
		l.buckets[addr] = b
	}
	b.used = now
	res := b.lim.ReserveN(now, 1)
	if !res.OK() {
		return time.Minute
	}
	if wait := res.DelayFrom(now); wait > 0 {
		res.CancelAt(now)
		return wait
	}
	return 0
}

// allow takes a token of l for the request's client address; when none is
// left it has answered 429 with Retry-After and a JSON error.
func (c *Chat) allow(w http.ResponseWriter, r *http.Request, l *addrLimiter, what string) bool {
	wait := l.take(c.clientAddr(r), c.now())
	if wait == 0 {
		return true
	}
	secs := int(math.Ceil(wait.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeError(w, http.StatusTooManyRequests, "rate_limited", what+"; try again in "+strconv.Itoa(secs)+" s")
	return false
}

// clientAddr is the address a request's rates are counted on: the
// connection's, or, when a trusted proxy is in front (and only then, since
// anyone can send the header), the last address in X-Forwarded-For, the
// one the proxy added. An IPv6 address counts by its /64, which one
// customer line usually holds whole.
func (c *Chat) clientAddr(r *http.Request) string {
	if c.Limits.TrustedProxy {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			if a, err := netip.ParseAddr(strings.TrimSpace(hops[i])); err == nil {
				return addrKey(a)
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if a, err := netip.ParseAddr(host); err == nil {
		return addrKey(a)
	}
	return host
}

func addrKey(a netip.Addr) string {
	a = a.Unmap()
	if a.Is6() {
		p, _ := a.WithZone("").Prefix(64)
		return p.String()
	}
	return a.String()
}

// uploadSlot takes one of the slots of concurrent uploads; when all are in
// use it has answered 503 and returns false. release gives the slot back.
func (c *Chat) uploadSlot(w http.ResponseWriter) (release func(), ok bool) {
	select {
	case c.uploadSlots <- struct{}{}:
		return func() { <-c.uploadSlots }, true
	default:
		w.Header().Set("Retry-After", "5")
		writeError(w, http.StatusServiceUnavailable, "busy", "too many photos are being uploaded right now; try again in a few seconds")
		return nil, false
	}
}
