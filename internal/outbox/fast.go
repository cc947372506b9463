package outbox

import (
	"context"
	"sync"
	"time"

	"frontdesk/store"
)

// The fast path. While Run runs, the store hands the sender each message
// the moment its transaction commits (store.DB.OnOutboxCommitted), and the
// sender delivers it from memory: no read of the outbox per message, and
// the "sent" marks of many deliveries go in one write transaction that
// shares its commit with the desk's (store.DB.MarkSentBatch). The store
// stays the source of truth: the sender polls it at start, every
// PollEvery, and whenever the fast path left something to it — a
// recipient with a message the feed did not bring (written before the
// start, retried after a failure, sent again by staff) is "slow", and all
// its messages go the store's way until none is pending, so that a chat
// still gets its messages in order.

// maxFresh bounds the messages waiting in memory; beyond it the store
// delivers them (they are in the table anyway).
const maxFresh = 10000

// fastState is the fast path's memory, guarded by Sender.mu.
type fastState struct {
	on     bool
	fresh  map[string][]store.OutboxMessage // by channel, in id order
	known  map[int64]bool                   // heard of from the feed and not settled yet
	slow   map[string]uint64                // recipientKey → when it was last found slow
	seq    uint64                           // the clock of slow
	poll   map[string]bool                  // channel → its store poll is wanted now
	marks  []*outcome                       // delivered, waiting for their batch mark
	nFresh int
	// heard is the highest id the feed brought; settled the ids the fast
	// path let go of since the last refreshSlow began. A pending row above
	// heard is on its way through the feed, and one in settled was marked
	// while the poll read it: neither makes its chat slow.
	heard   int64
	settled map[int64]bool
	// byStore are the ids the store's poll claimed before the feed brought
	// them, and when (by the machine's clock): the feed must not bring
	// them to a second send.
	byStore map[int64]time.Time
}

// marker writes the marks of the fast path's deliveries in batches.
type marker struct {
	wake    chan struct{}
	flushMu sync.Mutex // one batch at a time, so marks land in order
}

// onCommitted takes the messages a commit wrote (the store's feed).
func (s *Sender) onCommitted(msgs []store.OutboxMessage) {
	s.mu.Lock()
	for _, m := range msgs {
		k := recipientKey(m)
		if _, claimed := s.fast.byStore[m.ID]; claimed {
			delete(s.fast.byStore, m.ID)
			continue // the store's poll found it first and delivers it
		}
		if _, isSlow := s.fast.slow[k]; isSlow || s.fast.nFresh >= maxFresh {
			s.markSlowLocked(m)
			continue
		}
		s.fast.fresh[m.Channel] = append(s.fast.fresh[m.Channel], m)
		s.fast.known[m.ID] = true
		s.fast.nFresh++
	}
	if n := len(msgs); n > 0 && msgs[n-1].ID > s.fast.heard {
		s.fast.heard = msgs[n-1].ID
	}
	s.mu.Unlock()
	s.Wake()
}

// markSlowLocked leaves m's recipient to the store's poll until it has
// nothing pending, and asks for that poll.
func (s *Sender) markSlowLocked(m store.OutboxMessage) {
	s.fast.seq++
	s.fast.slow[recipientKey(m)] = s.fast.seq
	s.fast.poll[m.Channel] = true
	delete(s.fast.known, m.ID)
}

// startFast turns the fast path on for Run; the returned func turns it off.
func (s *Sender) startFast() (stop func()) {
	s.mu.Lock()
	s.fast = fastState{on: true, fresh: map[string][]store.OutboxMessage{}, known: map[int64]bool{},
		slow: map[string]uint64{}, poll: map[string]bool{}, settled: map[int64]bool{}, byStore: map[int64]time.Time{}}
	s.marker.wake = make(chan struct{}, 1)
	s.mu.Unlock()
	unsubscribe := s.Store.OnOutboxCommitted(s.onCommitted)
	return func() {
		unsubscribe()
		s.mu.Lock()
		s.fast.on = false
		s.mu.Unlock()
	}
}

// takeFresh claims the recipients of the fresh messages of channel that
// may be sent now (room at most), in order: a recipient busy or with an
// earlier message still waiting keeps its messages for later; a slow one
// is left to the store.
func (s *Sender) takeFresh(channel string, room int) []store.OutboxMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.fast.fresh[channel]
	if len(q) == 0 {
		return nil
	}
	if s.busy == nil {
		s.busy = map[string]int64{}
	}
	var start []store.OutboxMessage
	held := map[string]bool{} // recipients with an earlier message left waiting
	keep := q[:0]
	for _, m := range q {
		k := recipientKey(m)
		_, isSlow := s.fast.slow[k]
		_, isBusy := s.busy[k]
		switch {
		case held[k]:
			keep = append(keep, m)
		case isSlow:
			s.markSlowLocked(m)
			s.fast.nFresh--
		case isBusy || len(start) >= room:
			held[k] = true
			keep = append(keep, m)
		default:
			s.busy[k] = m.ID
			held[k] = true
			start = append(start, m)
			s.fast.nFresh--
		}
	}
	clear(q[len(keep):]) // let the payloads go
	s.fast.fresh[channel] = keep
	return start
}

// dropFresh removes m from the fresh messages: the store's poll claimed
// it first and delivers it.
func (s *Sender) dropFresh(m store.OutboxMessage) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.fast.known[m.ID] {
		if s.fast.byStore != nil && (s.fast.heard == 0 || m.ID > s.fast.heard) {
			// Maybe committed and not brought yet: the feed skips it.
			s.fast.byStore[m.ID] = time.Now()
		}
		return
	}
	q := s.fast.fresh[m.Channel]
	for i := range q {
		if q[i].ID == m.ID {
			s.fast.fresh[m.Channel] = append(q[:i], q[i+1:]...)
			s.fast.nFresh--
			break
		}
	}
	delete(s.fast.known, m.ID)
}

// forget drops m from what the fast path knows once it is settled.
func (s *Sender) forget(m store.OutboxMessage) {
	s.mu.Lock()
	if s.fast.known[m.ID] && s.fast.settled != nil {
		s.fast.settled[m.ID] = true
	}
	delete(s.fast.known, m.ID)
	s.mu.Unlock()
}

// deliverFresh makes one attempt at m, a message from the feed whose
// recipient is claimed. A delivery waits for the next batch mark with its
// recipient busy; any other outcome is recorded at once and makes the
// recipient slow (its message is pending again, in the store's hands).
func (s *Sender) deliverFresh(ctx context.Context, m store.OutboxMessage) {
	o := s.attempt(ctx, m)
	if o.late != nil {
		s.mu.Lock()
		s.abandonLocked(m)
		s.markSlowLocked(m)
		s.mu.Unlock()
		go s.afterAbandoned(ctx, m, o.late)
	}
	if o.result == sent && o.late == nil {
		s.mu.Lock()
		s.fast.marks = append(s.fast.marks, o)
		s.mu.Unlock()
		poke(s.marker.wake)
		return
	}
	if o.result == failed || o.result == deferred {
		s.mu.Lock()
		s.markSlowLocked(m)
		s.mu.Unlock()
	}
	s.settle(ctx, o)
	s.forget(m)
}

// runMarker writes the waiting marks, a batch at a time, until quit; then
// the last batch.
func (s *Sender) runMarker(ctx context.Context, quit <-chan struct{}) {
	for {
		select {
		case <-s.marker.wake:
			s.flushMarks(ctx)
		case <-quit:
			s.flushMarks(ctx)
			return
		}
	}
}

// flushMarks records every delivery waiting for its mark in one write
// transaction, then frees the recipients. When the store refuses, the
// outcomes are kept like any unrecorded one (recordPending marks them one
// by one later): the messages are not sent again, and their recipients
// wait.
func (s *Sender) flushMarks(ctx context.Context) {
	s.marker.flushMu.Lock()
	defer s.marker.flushMu.Unlock()
	s.mu.Lock()
	todo := s.fast.marks
	s.fast.marks = nil
	s.mu.Unlock()
	if len(todo) == 0 {
		return
	}
	ids := make([]int64, len(todo))
	var at time.Time
	for i, o := range todo {
		ids[i] = o.m.ID
		if o.at.After(at) {
			at = o.at
		}
	}
	if _, err := s.Store.MarkSentBatch(ctx, ids, at); err != nil {
		s.mu.Lock()
		if s.unrecorded == nil {
			s.unrecorded = map[int64]*outcome{}
		}
		for _, o := range todo {
			s.unrecorded[o.m.ID] = o
			delete(s.fast.known, o.m.ID)
		}
		s.mu.Unlock()
		s.storeFailed(err)
		s.Wake()
		return
	}
	s.storeOK()
	for _, o := range todo {
		o.marked = true
		if s.AfterSend != nil {
			if err := s.AfterSend(ctx, o.m); err != nil {
				s.mu.Lock()
				if s.unrecorded == nil {
					s.unrecorded = map[int64]*outcome{}
				}
				s.unrecorded[o.m.ID] = o
				s.mu.Unlock()
				s.storeFailed(err)
			}
		}
		s.release(o.m)
		s.forget(o.m)
	}
	s.Wake()
}

// refreshSlow learns from the store which recipients of channel have a
// pending message the fast path does not know: those are slow; the others
// are slow no more, unless made slow since the poll began (at the clock
// since).
func (s *Sender) refreshSlow(ctx context.Context, channel string, since uint64) error {
	s.mu.Lock()
	heard := s.fast.heard
	clear(s.fast.settled)
	for id, at := range s.fast.byStore {
		if time.Since(at) > time.Minute { // the feed brings a row well before
			delete(s.fast.byStore, id)
		}
	}
	s.mu.Unlock()
	pending, err := s.Store.PendingOn(ctx, channel)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	stillSlow := map[string]bool{}
	for _, m := range pending {
		// Ids grow: once the feed brought one, every row written before
		// the start is below it.
		if heard > 0 && m.ID > heard || s.fast.settled[m.ID] {
			continue // on its way through the feed, or marked meanwhile
		}
		if !s.fast.known[m.ID] {
			k := recipientKey(m)
			stillSlow[k] = true
			if _, was := s.fast.slow[k]; !was {
				s.fast.seq++
				s.fast.slow[k] = s.fast.seq
			}
		}
	}
	prefix := channel + "\x00"
	for k, at := range s.fast.slow {
		if len(k) > len(prefix) && k[:len(prefix)] == prefix && !stillSlow[k] && at <= since {
			delete(s.fast.slow, k)
		}
	}
	return nil
}

// pollWanted reports whether the fast path asked for a store poll of
// channel, and takes the request; it also returns the slow clock now.
func (s *Sender) pollWanted(channel string) (bool, uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	wanted := s.fast.poll[channel]
	delete(s.fast.poll, channel)
	return wanted, s.fast.seq
}

// fastOn reports whether the fast path runs.
func (s *Sender) fastOn() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fast.on
}

// freshChannels names the channels with fresh messages waiting.
func (s *Sender) freshChannels() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for name, q := range s.fast.fresh {
		if len(q) > 0 {
			out = append(out, name)
		}
	}
	return out
}

// wantPoll asks for a store poll of channel at the next pass.
func (s *Sender) wantPoll(channel string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fast.poll != nil {
		s.fast.poll[channel] = true
	}
}

// isKnown reports whether the fast path holds message id.
func (s *Sender) isKnown(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fast.known[id]
}

// unheard reports whether id is above every id the feed brought: a row
// committed that the feed is still bringing.
func (s *Sender) unheard(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fast.heard > 0 && id > s.fast.heard
}
