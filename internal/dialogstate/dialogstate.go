// Package dialogstate reads the dialog state of each customer conversation
// fast. The truth is the desk's store: the desk writes a step's state, with
// a version check, in the same transaction as the step's effects, so a
// state never runs ahead of what it caused, nor behind it. With REDIS_URL,
// Redis holds a fast copy the desk keeps after each commit; a copy Redis
// lost (a restart without persistence) or holds stale is read again from
// the store. Without Redis the store is read directly.
package dialogstate

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"frontdesk/conversations"
	"frontdesk/store"
)

// ErrConflict is returned when the state changed since it was loaded; the
// desk reloads from the store and steps again.
var ErrConflict = store.ErrConflict

// Store reads dialog states and keeps the committed ones.
type Store interface {
	// Load returns the state and its version; a missing or expired key is
	// the zero state at version 0.
	Load(ctx context.Context, key string) (conversations.State, int64, error)
	// Keep holds st as the committed version of key, renewing its time to
	// live; an older version never replaces a newer one.
	Keep(ctx context.Context, key string, st conversations.State, version int64) error
	// Cached reports whether Load reads a copy that may miss or lag the
	// store; then the desk reads the store when the copy has nothing, and
	// after a conflict.
	Cached() bool
	// TTL is how long a conversation is kept after its last step.
	TTL() time.Duration
	// Ping reports whether it answers.
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

// keepScript writes a version only over an older one, in one step on the
// server: two replicas keeping one conversation leave the newer.
var keepScript = redis.NewScript(`
local v = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if v >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'v', ARGV[1], 's', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
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
	version, err := strconv.ParseInt(vs, 10, 64) // fmt.Sscan was a reflective scan per message
	if err != nil {
		return conversations.State{}, 0, fmt.Errorf("dialogstate: redis load %s: bad version %q", key, vs)
	}
	var st conversations.State
	if err := json.Unmarshal([]byte(ss), &st); err != nil {
		return conversations.State{}, 0, fmt.Errorf("dialogstate: redis load %s: %w", key, err)
	}
	return st, version, nil
}

// Keep implements Store.
func (r *Redis) Keep(ctx context.Context, key string, st conversations.State, version int64) error {
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("dialogstate: encode state: %w", err)
	}
	return r.KeepEncoded(ctx, key, data, version)
}

// KeepEncoded is Keep for a state the caller has encoded already (the desk
// encodes it for the store in the same step): one encoding per message.
func (r *Redis) KeepEncoded(ctx context.Context, key string, data []byte, version int64) error {
	if err := keepScript.Run(ctx, r.rdb, []string{r.prefix + key}, version, data, r.ttl.Milliseconds()).Err(); err != nil {
		return fmt.Errorf("dialogstate: redis keep %s: %w", key, err)
	}
	return nil
}

// Cached implements Store: Redis holds a copy.
func (r *Redis) Cached() bool { return true }

// TTL implements Store.
func (r *Redis) TTL() time.Duration { return r.ttl }

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
	return LoadStored(ctx, e.db, key, e.now())
}

// DialogLoader is the store's read of a kept dialog state.
type DialogLoader interface {
	LoadDialog(ctx context.Context, key string, now time.Time) ([]byte, int64, error)
}

// LoadStored reads the dialog state the store keeps under key, with its
// version: the empty state and version 0 when there is none.
func LoadStored(ctx context.Context, db DialogLoader, key string, now time.Time) (conversations.State, int64, error) {
	data, version, err := db.LoadDialog(ctx, key, now)
	if err != nil || data == nil {
		return conversations.State{}, 0, err
	}
	var st conversations.State
	if err := json.Unmarshal(data, &st); err != nil {
		return conversations.State{}, 0, fmt.Errorf("dialogstate: stored state %s: %w", key, err)
	}
	return st, version, nil
}

// Keep implements Store: the desk's commit wrote the state already.
func (e *Embedded) Keep(context.Context, string, conversations.State, int64) error { return nil }

// Cached implements Store: Load reads the store itself.
func (e *Embedded) Cached() bool { return false }

// TTL implements Store.
func (e *Embedded) TTL() time.Duration { return e.ttl }

// Ping implements Store.
func (e *Embedded) Ping(ctx context.Context) error { return e.db.Ping(ctx) }
