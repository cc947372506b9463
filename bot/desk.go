package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"sync"
	"time"

	"frontdesk/conversations"
	"frontdesk/store"
)

// Message is an outbound message in channel-neutral form, as it is written
// to the outbox; each channel adapter renders it its own way.
type Message struct {
	Text           string                   `json:"text"`
	Buttons        [][]conversations.Button `json:"buttons,omitempty"`
	RequestContact bool                     `json:"request_contact,omitempty"`
}

// Desk is the loop of ARCHITECTURE.md: load the dialog state, step the
// dialog, apply its effects and the outbound messages in one transaction,
// save the state.
type Desk struct {
	State    StateStore
	Store    *store.DB
	Now      func() time.Time
	Location *time.Location // the shop's zone, for case numbers
	Limits   conversations.Limits
	Metrics  *Metrics
	Log      *slog.Logger
	Notify   func() // wakes the outbox sender after a commit

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
	d.Metrics.inbound(in.Channel)
	if in.Channel == "" || in.ChatID == "" {
		return errors.New("bot: inbound without channel or chat")
	}
	key := in.Channel + ":" + in.ChatID
	// One replica handles a customer's messages one at a time; across
	// replicas the state version keeps them from overwriting each other.
	mu := d.lockFor(key)
	mu.Lock()
	defer mu.Unlock()
	if in.ExternalID != "" {
		seen, err := d.Store.InboundSeen(ctx, in.Channel, in.ExternalID)
		if err != nil {
			return err
		}
		if seen {
			d.Metrics.duplicate(in.Channel)
			return ErrDuplicate
		}
	}
	err := d.handleLocked(ctx, key, in)
	d.Metrics.observeStep(time.Since(start))
	if errors.Is(err, ErrDuplicate) {
		d.Metrics.duplicate(in.Channel)
	}
	return err
}

func (d *Desk) handleLocked(ctx context.Context, key string, in conversations.Inbound) error {
	lookup := storeLookup{db: d.Store}
	for attempt := 0; attempt < maxStateRetries; attempt++ {
		now := d.Now()
		st, version, err := d.State.Load(ctx, key)
		if err != nil {
			return err
		}
		env := conversations.Env{Now: now, Lookup: lookup, Limits: d.Limits}
		next, effects, err := conversations.Step(ctx, env, st, in)
		if err != nil {
			return err
		}
		changed, err := stateChanged(st, next)
		if err != nil {
			return err
		}
		if changed {
			if err := d.State.Save(ctx, key, next, version); errors.Is(err, ErrConflict) {
				continue
			} else if err != nil {
				return err
			}
		}
		if err := d.commit(ctx, key, in, effects, now); err != nil {
			if changed {
				d.restoreState(ctx, key, st, version+1)
			}
			return err
		}
		if d.Notify != nil {
			d.Notify()
		}
		return nil
	}
	return fmt.Errorf("bot: %s: state kept changing under %d attempts", key, maxStateRetries)
}

// restoreState puts the state back after the transaction failed, so the
// dialog does not run ahead of what was recorded.
func (d *Desk) restoreState(ctx context.Context, key string, st conversations.State, version int64) {
	if err := d.State.Save(ctx, key, st, version); err != nil {
		d.Log.Error("bot: restore dialog state after a failed commit", "key", key, "err", err)
	}
}

func stateChanged(a, b conversations.State) (bool, error) {
	ja, err := json.Marshal(a)
	if err != nil {
		return false, err
	}
	jb, err := json.Marshal(b)
	return string(ja) != string(jb), err
}

// commit applies the effects of one step and marks the inbound update seen,
// all in one transaction (which may share its commit with other customers').
func (d *Desk) commit(ctx context.Context, key string, in conversations.Inbound, effects []conversations.Effect, now time.Time) error {
	return d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
		if in.ExternalID != "" {
			if err := tx.MarkInbound(in.Channel, in.ExternalID, now); err != nil {
				return err
			}
		}
		for _, e := range effects {
			if err := d.apply(tx, key, in, e, now); err != nil {
				return err
			}
		}
		return nil
	})
}

func (d *Desk) apply(tx *store.Tx, key string, in conversations.Inbound, e conversations.Effect, now time.Time) error {
	switch e := e.(type) {
	case conversations.Reply:
		payload, err := json.Marshal(Message{Text: e.Text, Buttons: e.Buttons, RequestContact: e.RequestContact})
		if err != nil {
			return err
		}
		_, err = tx.Enqueue(store.OutboxMessage{Channel: in.Channel, Recipient: in.ChatID, Payload: payload}, now)
		return err
	case conversations.Audit:
		return tx.Audit(store.AuditEntry{At: now, Actor: "customer " + key, Action: e.Action, Subject: "chat " + key, Detail: e.Detail})
	default:
		return fmt.Errorf("bot: no way to apply effect %T", e)
	}
}

func (d *Desk) lockFor(key string) *sync.Mutex {
	h := fnv.New32a()
	h.Write([]byte(key))
	return &d.locks[h.Sum32()%uint32(len(d.locks))]
}

// storeLookup serves the dialogs' reads from the store.
type storeLookup struct{ db *store.DB }

func (l storeLookup) Order(ctx context.Context, no string) (conversations.Order, error) {
	o, err := l.db.Order(ctx, no)
	if errors.Is(err, store.ErrNotFound) {
		return conversations.Order{}, conversations.ErrNotFound
	}
	if err != nil {
		return conversations.Order{}, err
	}
	return l.view(ctx, o)
}

func (l storeLookup) OrdersByPhone(ctx context.Context, phone string) ([]conversations.Order, error) {
	orders, err := l.db.OrdersByPhone(ctx, phone)
	if err != nil {
		return nil, err
	}
	out := make([]conversations.Order, 0, len(orders))
	for _, o := range orders {
		v, err := l.view(ctx, o)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (l storeLookup) OpenCases(ctx context.Context, phone string) ([]conversations.Case, error) {
	cases, err := l.db.CasesByPhone(ctx, phone, true)
	if err != nil {
		return nil, err
	}
	out := make([]conversations.Case, 0, len(cases))
	for _, c := range cases {
		out = append(out, conversations.Case{Number: c.Number, Kind: string(c.Kind), Status: string(c.Status), CreatedAt: c.CreatedAt})
	}
	return out, nil
}

func (l storeLookup) view(ctx context.Context, o store.Order) (conversations.Order, error) {
	v := conversations.Order{No: o.No, CustomerName: o.CustomerName, Phone: o.Phone, Status: string(o.Status), Deadline: o.Deadline}
	for _, it := range o.Items {
		v.Items = append(v.Items, it.Name)
	}
	shipments, err := l.db.ShipmentsByOrder(ctx, o.No)
	if err != nil {
		return conversations.Order{}, err
	}
	for _, s := range shipments {
		v.Shipments = append(v.Shipments, conversations.Shipment{Carrier: s.Carrier, TrackingNo: s.TrackingNo,
			CarrierPhone: s.CarrierPhone, ExpectedArrival: s.ExpectedArrival})
	}
	return v, nil
}
