package scheduler

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	"github.com/bsm/redislock"
	"github.com/redis/go-redis/v9"

	"frontdesk/store"
)

// Locker lets one replica run a job at a time: Lock returns ok=false when
// another holds the lease.
type Locker interface {
	Lock(ctx context.Context, name string, ttl time.Duration) (unlock func(), ok bool, err error)
}

// RedisLocker leases locks in Redis (bsm/redislock: SET NX PX with a token,
// released only by its holder).
type RedisLocker struct {
	client *redislock.Client
	prefix string
}

// NewRedisLocker uses rdb with keys under prefix (the installation's
// namespace).
func NewRedisLocker(rdb *redis.Client, prefix string) *RedisLocker {
	return &RedisLocker{client: redislock.New(rdb), prefix: prefix}
}

// Lock implements Locker.
func (l *RedisLocker) Lock(ctx context.Context, name string, ttl time.Duration) (func(), bool, error) {
	lock, err := l.client.Obtain(ctx, l.prefix+"job:"+name, ttl, nil)
	if errors.Is(err, redislock.ErrNotObtained) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return func() { lock.Release(context.Background()) }, true, nil
}

// StoreLocker leases locks in the SQLite file, for the embedded default.
type StoreLocker struct {
	Store  *store.DB
	Now    func() time.Time
	once   sync.Once
	holder string
}

// Lock implements Locker.
func (l *StoreLocker) Lock(ctx context.Context, name string, ttl time.Duration) (func(), bool, error) {
	l.once.Do(func() { // cron may run two jobs at once on one locker
		b := make([]byte, 8)
		rand.Read(b)
		l.holder = hex.EncodeToString(b)
	})
	now := l.Now()
	ok, err := l.Store.AcquireLease(ctx, name, l.holder, now, now.Add(ttl))
	if err != nil || !ok {
		return nil, false, err
	}
	return func() { l.Store.ReleaseLease(context.Background(), name, l.holder) }, true, nil
}
