package store

import (
	"context"
	"fmt"
	"runtime"

	"frontdesk/cases"
)

// Group commit. SQLite has one writer, and most of a small transaction's cost
// is its commit (the WAL write). When many customers write at once, the desk
// runs their transactions as savepoints inside one SQLite transaction and
// commits once: each caller still gets its own all-or-nothing outcome.

// maxGroup bounds how many callers share one commit, so that one slow batch
// does not hold the others for long.
const maxGroup = 64

type groupRequest struct {
	fn   func(*Tx) error
	done chan error
}

// ErrClosed is returned for a write attempted after Close (code
// Unavailable: the desk is shutting down).
var ErrClosed error = &cases.Error{Code: cases.Unavailable, Message: "the desk is shutting down; try again in a moment"}

// UpdateGrouped runs fn like Update, all-or-nothing, but may share the
// commit with other callers' transactions. fn must not keep the Tx or call
// UpdateGrouped itself. It returns once the commit is durable (or failed).
func (db *DB) UpdateGrouped(ctx context.Context, fn func(*Tx) error) error {
	db.groupStart.Do(func() { go db.groupLoop() })
	req := groupRequest{fn: fn, done: make(chan error, 1)}
	select {
	case db.groupCh <- req:
	case <-db.groupQuit:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once handed over, fn may be running: wait for its outcome whatever
	// ctx does, so the caller never mistakes a commit for a failure.
	return <-req.done
}

func (db *DB) groupLoop() {
	defer close(db.groupDone)
	for {
		var first groupRequest
		select {
		case first = <-db.groupCh:
		case <-db.groupQuit:
			return
		}
		batch := db.gather(first)
		db.runGroup(batch)
	}
}

// gather takes the callers queued behind first. When none is, it yields
// the processor once before it commits: the callers that were about to
// queue (their step done, on the other core or just woken) join this
// commit instead of paying one of their own.
func (db *DB) gather(first groupRequest) []groupRequest {
	batch := []groupRequest{first}
	yielded := false
	for len(batch) < maxGroup {
		select {
		case r := <-db.groupCh:
			batch = append(batch, r)
			continue
		default:
		}
		if yielded {
			break
		}
		runtime.Gosched()
		yielded = true
	}
	return batch
}

// runGroup runs each request in its own savepoint and commits once. A
// request whose fn fails is rolled back to its savepoint alone.
func (db *DB) runGroup(batch []groupRequest) {
	ctx := context.Background()
	errs := make([]error, len(batch))
	err := db.Update(ctx, func(tx *Tx) error {
		if len(batch) == 1 {
			// Alone in its commit: the transaction's own rollback is the
			// savepoint's, and two statements fewer.
			errs[0] = coded(batch[0].fn(tx))
			return errs[0]
		}
		for i, r := range batch {
			if _, err := tx.exec("SAVEPOINT grouped"); err != nil {
				return err
			}
			wrote := len(tx.enqueued)
			errs[i] = coded(r.fn(tx))
			var err error
			if errs[i] != nil {
				tx.enqueued = tx.enqueued[:wrote] // rolled back: nothing to deliver
				_, err = tx.tx.ExecContext(ctx, "ROLLBACK TO grouped; RELEASE grouped")
			} else {
				_, err = tx.exec("RELEASE grouped") // prepared once: parsing it was a cost per message
			}
			if err != nil {
				return fmt.Errorf("store: savepoint: %w", err)
			}
		}
		return nil
	})
	for i, r := range batch {
		if err != nil && errs[i] == nil {
			errs[i] = err
		}
		r.done <- errs[i]
	}
}

// stopGroup ends the group-commit loop; later callers get ErrClosed.
func (db *DB) stopGroup() {
	close(db.groupQuit)
	// A loop never started must not start now; its done is closed here.
	db.groupStart.Do(func() { close(db.groupDone) })
	<-db.groupDone
}
