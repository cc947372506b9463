// Package dialogstate keeps one dialog state per customer conversation, with
// a version so that two messages of one customer never overwrite each other:
// in Redis (REDIS_URL), or embedded in the desk's SQLite file so that
// frontdesk runs alone. Both pass one contract test.
package dialogstate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"frontdesk/conversations"
	"frontdesk/store"
)

// ErrConflict is returned by Store.Save when the state changed since it
// was loaded; the caller reloads and steps again.
var ErrConflict = errors.New("dialogstate: dialog state changed concurrently")

// Store keeps one dialog state per conversation key, with a version so
// that two concurrent messages of one customer cannot overwrite each other.
type Store interface {
	// Load returns the state and its version; a missing or expired key is
	// the zero state at version 0.
	Load(ctx context.Context, key string) (conversations.State, int64, error)
	// Save stores st as version+1 if the stored version is still version,
	// and renews the key's time to live; otherwise it returns ErrConflict.
	Save(ctx context.Context, key string, st conversations.State, version int64) error
	// Ping reports whether the store answers.
	Ping(ctx context.Context) error
}

// Redis keeps dialog state in Redis: one hash per conversation (fields
// v, the version, and s, the state as JSON) with a TTL.
type Redis struct {
	rdb    *redis.Client
	prefix string
	ttl    time.Duration
}

// NewRedis uses rdb with keys under prefix (e.g. "frontdesk:dialog:").
func NewRedis(rdb *redis.Client, prefix string, ttl time.Duration) *Redis {
	return &Redis{rdb: rdb, prefix: prefix, ttl: ttl}
}

// saveScript compares the version and writes in one step on the server, so
// the optimistic check costs one round trip.
var saveScript = redis.NewScript(`
local v = redis.call('HGET', KEYS[1], 'v')
if (v or '0') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[2], 's', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1`)

// Load implements Store.
func (r *Redis) Load(ctx context.Context, key string) (conversations.State, int64, error) {
	vals, err := r.rdb.HMGet(ctx, r.prefix+key, "v", "s").Result()
	if err != nil {
		return conversations.State{}, 0, fmt.Errorf("dialogstate: redis load %s: %w", key, err)
	}
	vs, _ := vals[0].(string)
	ss, _ := vals[1].(string)
	if vs == "" {
		return conversations.State{}, 0, nil
	}
	var version int64
	if _, err := fmt.Sscan(vs, &version); err != nil {
		return conversations.State{}, 0, fmt.Errorf("dialogstate: redis load %s: bad version %q", key, vs)
	}
	var st conversations.State
	if err := json.Unmarshal([]byte(ss), &st); err != nil {
		return conversations.State{}, 0, fmt.Errorf("dialogstate: redis load %s: %w", key, err)
	}
	return st, version, nil
}

// Save implements Store.
func (r *Redis) Save(ctx context.Context, key string, st conversations.State, version int64) error {
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("dialogstate: encode state: %w", err)
	}
	ok, err := saveScript.Run(ctx, r.rdb, []string{r.prefix + key},
		version, version+1, data, r.ttl.Milliseconds()).Int()
	if err != nil {
		return fmt.Errorf("dialogstate: redis save %s: %w", key, err)
	}
	if ok != 1 {
		return ErrConflict
	}
	return nil
}

// Ping implements Store.
func (r *Redis) Ping(ctx context.Context) error {
	if err := r.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("dialogstate: redis: %w", err)
	}
	return nil
}

// Embedded keeps dialog state in the desk's own SQLite file, so that
// `frontdesk` runs alone (no REDIS_URL) and still keeps every conversation
// across a restart.
type Embedded struct {
	db  *store.DB
	ttl time.Duration
	now func() time.Time
}

// NewEmbedded keeps state in db; now is the desk's clock.
func NewEmbedded(db *store.DB, ttl time.Duration, now func() time.Time) *Embedded {
	return &Embedded{db: db, ttl: ttl, now: now}
}

// Load implements Store.
func (e *Embedded) Load(ctx context.Context, key string) (conversations.State, int64, error) {
	data, version, err := e.db.LoadDialog(ctx, key, e.now())
	if err != nil || data == nil {
		return conversations.State{}, 0, err
	}
	var st conversations.State
	if err := json.Unmarshal(data, &st); err != nil {
		return conversations.State{}, 0, fmt.Errorf("dialogstate: embedded load %s: %w", key, err)
	}
	return st, version, nil
}

// Save implements Store.
func (e *Embedded) Save(ctx context.Context, key string, st conversations.State, version int64) error {
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("dialogstate: encode state: %w", err)
	}
	err = e.db.SaveDialog(ctx, key, data, version, e.now(), e.ttl)
	if errors.Is(err, store.ErrConflict) {
		return ErrConflict
	}
	return err
}

// Ping implements Store.
func (e *Embedded) Ping(ctx context.Context) error { return e.db.Ping(ctx) }
