// Package bot runs the desk: it turns an inbound event into a dialog step,
// applies the step's effects in one store transaction with the outbound
// messages, keeps the dialog state, and tells the outbox sender. The desk's
// infrastructure has packages of its own (internal/dialogstate,
// internal/outbox, internal/photos, internal/ratelimit); the channel
// adapters live in sub-packages and reach the desk and the store only
// through what this package declares.
package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"strings"
	"sync"
	"time"

	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/dialogstate"
	"frontdesk/internal/metrics"
	"frontdesk/internal/photos"
	"frontdesk/store"
)

// Message is an outbound message in channel-neutral form, as it is written
// to the outbox; each channel adapter renders it its own way.
type Message struct {
	Text           string                   `json:"text"`
	Buttons        [][]conversations.Button `json:"buttons,omitempty"`
	RequestContact bool                     `json:"request_contact,omitempty"`
	Receipt        *Receipt                 `json:"receipt,omitempty"` // a staff reply, marked once delivered
	// From is "customer" on the customer's own message kept in the chat's
	// history (conversations.Inbound.Echo); Ref is the channel's id of it
	// and Photo the photo's SHA-256, when it was one.
	From      string `json:"from,omitempty"`
	Ref       string `json:"ref,omitempty"`
	Photo     string `json:"photo,omitempty"`
	PhotoMIME string `json:"photo_mime,omitempty"`
	// Replaces is the channel's id of an earlier message this one updates
	// in place (its buttons, on Telegram through editMessageReplyMarkup;
	// the web chat replaces that bubble); "" for a new message. It is
	// delivered in order with the chat's other messages (the outbox).
	Replaces string `json:"replaces,omitempty"`
	// Aside is a short note that leaves the chat's current question live.
	Aside bool `json:"aside,omitempty"`
}

// FromCustomer marks a Message that is the customer's own, kept for the
// chat's history.
const FromCustomer = "customer"

// Desk is the loop of ARCHITECTURE.md: load the dialog state, step the
// dialog, apply its effects and the outbound messages in one transaction,
// save the state.
type Desk struct {
	State    dialogstate.Store
	Store    *store.DB
	Now      func() time.Time
	Location *time.Location // the shop's zone, for case numbers

	// StaffLang is the staff channels' language (FRONTDESK_STAFF_LANG):
	// the bot's posts to the case threads and the managers; zh-Hans when
	// empty (stafftext.go).
	StaffLang conversations.Lang

	Limits   conversations.Limits
	Promises conversations.Promises
	Shop     conversations.Shop // who the customer talks to, for /help
	// ClerkLimitYuan is the compensation a clerk decides alone.
	ClerkLimitYuan int
	// InstallerConfirm is how long before an appointment the installer
	// must have confirmed it.
	InstallerConfirm time.Duration
	// CallBackAfter is how long after the resolve of a service its
	// call-back is due (CAS-3).
	CallBackAfter time.Duration
	// ClerkLimitRolls is the rolls of wallpaper a clerk grants alone (3
	// when 0); WrittenSolution and GMCallback the clocks of a major
	// complaint (24 h when 0).
	ClerkLimitRolls             int
	WrittenSolution, GMCallback time.Duration
	// PartsReturnDays is how long after parts ship the replaced parts are
	// due back (30 days when 0, PRT-4).
	PartsReturnDays int
	// Photos keeps pictures the desk makes itself (the digest chart).
	Photos *photos.Store
	// Clocks gives the service-time clocks a new case starts (config.ClocksFor).
	Clocks  func(kind string, opened time.Time) []config.ClockSpec
	Metrics *metrics.Metrics
	Log     *slog.Logger
	Notify  func() // wakes the outbox sender after a commit
	// Calendar, when set, keeps proactive messages to opening hours: one
	// written when the shop is closed waits for the next opening (deadlines.go).
	Calendar *config.Calendar

	// ClocksOn gives the clocks a case event starts (config.ClocksOn).
	ClocksOn func(kind, event string, at time.Time) []config.ClockSpec
	// Quality is the quality loop's configuration (quality.go); the
	// defaults when zero.
	Quality config.Quality

	// Products configures the product dialogs (the knowledge base, the
	// warranty card's address); CareRules the care reminders (products.go).
	Products  conversations.ProductsEnv
	CareRules []config.CareRule

	locks [64]sync.Mutex
}

// maxStateRetries bounds the optimistic loop; more conflicts than this on
// one conversation in one message means something is wrong.
const maxStateRetries = 8

// ErrDuplicate is returned for an inbound update that was already handled.
var ErrDuplicate = store.ErrDuplicate

// Handle processes one inbound event to the end: when it returns nil the
// effects and replies are committed and the state saved.
func (d *Desk) Handle(ctx context.Context, in conversations.Inbound) error {
	start := time.Now()
	d.Metrics.Inbound(in.Channel)
	if in.Channel == "" || in.ChatID == "" {
		return errors.New("bot: inbound without channel or chat")
	}
	key := in.Channel + ":" + in.ChatID
	if handled, err := d.providerChat(ctx, key, in); handled || err != nil { // providerchat.go: a provider's own chat
		return err
	}
	// One replica handles a customer's messages one at a time; across
	// replicas the state version keeps them from overwriting each other.
	defer d.lock(key)()
	if in.ExternalID != "" {
		seen, err := d.Store.InboundSeen(ctx, in.Channel, in.ExternalID)
		if err != nil {
			return err
		}
		if seen {
			d.Metrics.Duplicate(in.Channel)
			return ErrDuplicate
		}
	}
	err := d.handleLocked(ctx, key, in)
	d.Metrics.ObserveStep(time.Since(start))
	if errors.Is(err, ErrDuplicate) {
		d.Metrics.Duplicate(in.Channel)
	}
	return err
}

func (d *Desk) handleLocked(ctx context.Context, key string, in conversations.Inbound) error {
	return d.run(ctx, key, in, func(ctx context.Context, env conversations.Env, st conversations.State) (conversations.State, []conversations.Effect, error) {
		return conversations.Step(ctx, env, st, in)
	})
}

// stepFunc is one dialog step on a loaded state: an inbound message, or a
// proactive start.
type stepFunc func(ctx context.Context, env conversations.Env, st conversations.State) (conversations.State, []conversations.Effect, error)

func (d *Desk) env(now time.Time, lookup conversations.Lookup) conversations.Env {
	return conversations.Env{Now: now, Location: d.Location, Lookup: lookup, Limits: d.Limits, Promises: d.Promises, Shop: d.Shop,
		Products: d.Products}
}

// run loads the state of key, steps it, and commits the new state with the
// step's effects in one transaction, stepping again on the newer state when
// another writer got there first. The fast copy (Redis) is kept only after
// the commit, so it never runs ahead of what was recorded.
func (d *Desk) run(ctx context.Context, key string, in conversations.Inbound, step stepFunc) error {
	for attempt := 0; attempt < maxStateRetries; attempt++ {
		now := d.Now()
		st, version, err := d.loadState(ctx, key, now, attempt > 0)
		if err != nil {
			return err
		}
		next, effects, err := step(ctx, d.env(now, newLookup(d.Store, d.verifyThrottle(), now)), st)
		if err != nil {
			return err
		}
		data, changed, err := stateChanged(st, next)
		if err != nil {
			return err
		}
		err = d.commit(ctx, key, in, effects, now, func(tx *store.Tx) error {
			if !changed {
				return nil
			}
			return tx.SaveDialog(key, data, version, now, d.State.TTL())
		})
		if errors.Is(err, dialogstate.ErrConflict) {
			continue
		}
		if err != nil {
			return err
		}
		if changed {
			if err := d.keep(ctx, key, next, data, version+1); err != nil {
				// The store has it; the next step reads it from there.
				d.Log.Warn("bot: keep dialog state", "key", key, "err", err)
			}
		}
		if d.Notify != nil {
			d.Notify()
		}
		return nil
	}
	return fmt.Errorf("bot: %s: state kept changing under %d attempts", key, maxStateRetries)
}

// encodedKeeper is a dialogstate.Store that takes the state as the desk
// encoded it for the store, saving an encoding per message.
type encodedKeeper interface {
	KeepEncoded(ctx context.Context, key string, data []byte, version int64) error
}

// keep writes the fast copy of the state just committed; data is next
// encoded (stateChanged).
func (d *Desk) keep(ctx context.Context, key string, next conversations.State, data []byte, version int64) error {
	if k, ok := d.State.(encodedKeeper); ok {
		return k.KeepEncoded(ctx, key, data, version)
	}
	return d.State.Keep(ctx, key, next, version)
}

// loadState reads the dialog state: from the fast copy, or from the store
// when the copy has none, cannot answer, or lost a race (fresh).
func (d *Desk) loadState(ctx context.Context, key string, now time.Time, fresh bool) (conversations.State, int64, error) {
	st, version, err := d.State.Load(ctx, key)
	if !d.State.Cached() {
		return st, version, err
	}
	if err != nil {
		d.Log.Warn("bot: dialog state copy unavailable; reading the store", "key", key, "err", err)
	} else if version > 0 && !fresh {
		return st, version, nil
	}
	return dialogstate.LoadStored(ctx, d.Store, key, now)
}

// stateChanged reports whether the step changed the state, and returns
// the new state encoded for the store.
func stateChanged(a, b conversations.State) ([]byte, bool, error) {
	ja, err := json.Marshal(a)
	if err != nil {
		return nil, false, err
	}
	jb, err := json.Marshal(b)
	return jb, string(ja) != string(jb), err
}

// commit applies the effects of one step and marks the inbound update seen,
// all in one transaction (which may share its commit with other customers').
func (d *Desk) commit(ctx context.Context, key string, in conversations.Inbound, effects []conversations.Effect, now time.Time,
	saveState func(*store.Tx) error) error {
	return d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
		if err := saveState(tx); err != nil {
			return err
		}
		if in.ExternalID != "" {
			if err := tx.MarkInbound(in.Channel, in.ExternalID, now); err != nil {
				return err
			}
		}
		if !conversations.EditsInPlace(effects) { // a tick in place is no message of the customer's
			if err := echo(tx, in, now); err != nil {
				return err
			}
		}
		a := &applier{desk: d, tx: tx, key: key, in: in, now: now}
		for _, e := range effects {
			if err := a.apply(e); err != nil {
				return err
			}
		}
		return nil
	})
}

func (d *Desk) lockFor(key string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(key))
	return &d.locks[h.Sum32()%uint32(len(d.locks))]
}

// lock takes the lock of key (lockFor) and returns its unlock.
func (d *Desk) lock(key string) (unlock func()) {
	mu := d.lockFor(key)
	mu.Lock()
	return mu.Unlock
}

func (d *Desk) location() *time.Location {
	if d.Location == nil {
		return time.UTC
	}
	return d.Location
}

// echo keeps the customer's own message in the chat's history, before the
// answers to it, when the channel asks for it; a refused upload is not the
// customer's message and is not kept.
func echo(tx *store.Tx, in conversations.Inbound, now time.Time) error {
	if !in.Echo || in.Rejected != conversations.RejectNone {
		return nil
	}
	m := Message{From: FromCustomer, Text: in.Text}
	if in.Label != "" {
		m.Text = in.Label
	}
	if in.Photo != nil {
		m.Photo, m.PhotoMIME = in.Photo.SHA256, in.Photo.MIME
	}
	if _, ref, ok := strings.Cut(in.ExternalID, ":"); ok {
		m.Ref = ref
	}
	if m.Text == "" && m.Photo == "" {
		return nil
	}
	payload, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = tx.Enqueue(store.OutboxMessage{Channel: in.Channel, Recipient: in.ChatID, Payload: payload}, now)
	return err
}
