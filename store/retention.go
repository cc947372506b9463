package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PurgeBatch is how many rows one purge transaction changes at most. The
// desk has a single writer: every customer message waits while a batch
// runs, so a purge is many short transactions, never one long one.
const PurgeBatch = 1000

// Retention says what Purge forgets (ID-5).
type Retention struct {
	Before time.Time // personal data older than this is forgotten
	Batch  int       // rows per transaction; PurgeBatch when zero
}

// Expiry says what PurgeExpired forgets: records that live only briefly.
type Expiry struct {
	Now            time.Time
	DedupeBefore   time.Time     // inbound dedupe marks older than this
	ThrottleWindow time.Duration // the longest window of any Throttle
	// WebSessionsBefore: web-chat sessions ended, or last used, before it
	// are forgotten (zero: kept).
	WebSessionsBefore time.Time
	Batch             int // rows per transaction; PurgeBatch when zero
}

// PurgedKind is how many rows of one kind a purge forgot, in how many
// transactions.
type PurgedKind struct {
	Kind    string
	Rows    int64
	Batches int
}

// Purged is what a purge did: rows forgotten by kind, in a fixed order, how
// many transactions it took and how long the longest held the writer.
type Purged struct {
	Kinds   []PurgedKind
	Batches int
	Longest time.Duration
}

// Kind returns the counts of kind.
func (p Purged) Kind(kind string) PurgedKind {
	for _, k := range p.Kinds {
		if k.Kind == kind {
			return k
		}
	}
	return PurgedKind{Kind: kind}
}

// LogArgs are the counts as slog key-value pairs, for one log line.
func (p Purged) LogArgs() []any {
	out := make([]any, 0, 2*len(p.Kinds)+4)
	for _, k := range p.Kinds {
		out = append(out, k.Kind, k.Rows)
	}
	return append(out, "batches", p.Batches, "longest_batch_ms", p.Longest.Milliseconds())
}

// keptTexts are the case events and audit actions whose text a purge keeps:
// codes and staff decisions the case summary is made of (the triage, the
// remedy, the provider sent, the cause found and the action taken), never
// words a customer wrote. Every other text (messages either way, notes,
// escalations naming the customer, reasons typed by staff) is forgotten.
var keptTexts = sqlList("opened", "claimed", "assigned", "classified", "remedy", "approved", "dispatched",
	"appointment", "installer_confirmed", "cause", "action", "major",
	"repair_step") // repairs: the step of the call flow, a code

// keptDetails are the keys of a case's details a purge keeps: what the
// digests and the summary read (the order lines the weekly report counts
// by product, the warranty, the provider), not the customer's answers.
var keptDetails = sqlList("lines", "warranty", "provider_id", "provider", "appointment", "deadline", "visit_id",
	"satisfaction", "on_time", "reason", "severity", "compensation_requested",
	"repair_step", "repair_steps", "return_status", "shop_error") // repairs and returns: codes, no customer words

// sqlList quotes constant names for an IN (…) list.
func sqlList(names ...string) string {
	return "'" + strings.Join(names, "', '") + "'"
}

// Purge forgets the personal data older than r.Before (ID-5), a batch at a
// time. Case events and the audit trail keep their kind, time and actor but
// lose their text (except the codes in keptTexts), and the audit no longer
// names the customer's chat; photos are forgotten; a case resolved before
// then keeps its number, kind, dates, status, severity, classification,
// remedy, cause and action, and loses the customer's name, phone, chat,
// description and answers; surveys keep their scores and lose the comment
// and chat; delivered and dead outbound messages, the phone-to-chat
// bindings and the stored back-office answers are deleted. The photo files
// are the caller's (see PhotosInUse). On an error it returns what it had
// done so far.
func (db *DB) Purge(ctx context.Context, r Retention) (Purged, error) {
	s := sweeper{db: db, ctx: ctx, batch: r.Batch}
	b := millis(r.Before)
	sweeps := []sweep{
		{kind: "case_events", table: "case_events",
			cond: `at < ? AND (((body != '' OR words != '') AND kind NOT IN (` + keptTexts + `)) OR photo_id IS NOT NULL)`,
			args: []any{b},
			change: `UPDATE case_events SET photo_id = NULL, body = CASE WHEN kind IN (` + keptTexts + `) THEN body ELSE '' END,
				words = CASE WHEN kind IN (` + keptTexts + `) THEN words ELSE '' END`},
		{kind: "photos", table: "photos", cond: `created_at < ?`, args: []any{b},
			first:  `UPDATE case_events SET photo_id = NULL WHERE photo_id IN (SELECT value FROM json_each(?))`,
			change: `DELETE FROM photos`},
		{kind: "audit", table: "audit",
			cond: `at < ? AND ((detail != '' AND action NOT IN (` + keptTexts + `)) OR actor LIKE 'customer %' OR subject LIKE 'chat %')`,
			args: []any{b},
			change: `UPDATE audit SET detail = CASE WHEN action IN (` + keptTexts + `) THEN detail ELSE '' END,
				actor = CASE WHEN actor LIKE 'customer %' THEN 'customer' ELSE actor END,
				subject = CASE WHEN subject LIKE 'chat %' THEN 'chat' ELSE subject END`},
		{kind: "cases", table: "cases",
			cond: `resolved_at < ? AND (customer_name != '' OR phone != '' OR chat_id != '' OR description != ''
				OR EXISTS (SELECT 1 FROM json_each(cases.details) WHERE key NOT IN (` + keptDetails + `)))`,
			args: []any{b},
			change: `UPDATE cases SET customer_name = '', phone = '', chat_id = '', description = '',
				details = (SELECT json_group_object(key, value) FROM json_each(cases.details) WHERE key IN (` + keptDetails + `))`},
		// The chat becomes a placeholder unique to the row: surveys are
		// unique per visit, stage and chat.
		{kind: "surveys", table: "surveys",
			cond:   `COALESCE(answered_at, sent_at) < ? AND (comment != '' OR chat_id != ('purged-' || id))`,
			args:   []any{b},
			change: `UPDATE surveys SET comment = '', chat_id = 'purged-' || id`},
		{kind: "outbox", table: "outbox", cond: `status != 'pending' AND created_at < ?`, args: []any{b},
			change: `DELETE FROM outbox`},
		// The quality loop (quality.go): a call-back keeps its scores and
		// loses the customer (the phone becomes a placeholder unique to the
		// row); a spot check loses the supervisor's note.
		{kind: "quality_calls", table: "quality_calls", cond: `sent_at < ? AND phone != ('purged-' || id)`, args: []any{b},
			change: `UPDATE quality_calls SET phone = 'purged-' || id, customer_name = '', channel = '', chat_id = ''`},
		{kind: "spot_checks", table: "spot_checks", cond: `done_at < ? AND note != ''`, args: []any{b},
			change: `UPDATE spot_checks SET note = ''`},
	}
	for _, w := range sweeps {
		if err := s.byID(w); err != nil {
			return s.out, err
		}
	}
	if err := s.limited("customer_chats", `DELETE FROM customer_chats WHERE (channel, chat_id) IN
		(SELECT channel, chat_id FROM customer_chats WHERE verified_at < ? LIMIT ?)`, b); err != nil {
		return s.out, err
	}
	// The customer's own words at the acceptance (验收, PRV-5) are a free
	// text like a survey's comment: the answer stays, the words go. Visits
	// are keyed by text, so the batch is taken by rowid.
	if err := s.limited("visits", `UPDATE visits SET acceptance_note = '' WHERE rowid IN
		(SELECT rowid FROM visits WHERE accepted_at < ? AND acceptance_note != '' LIMIT ?)`, b); err != nil {
		return s.out, err
	}
	if err := s.limited("idempotency_keys", `DELETE FROM idempotency_keys WHERE key IN
		(SELECT key FROM idempotency_keys WHERE created_at < ? LIMIT ?)`, b); err != nil {
		return s.out, err
	}
	return s.out, nil
}

// PurgeExpired forgets, a batch at a time, the records whose use is over:
// inbound dedupe marks older than e.DedupeBefore, expired dialog states, and
// throttle keys whose window and lock have both ended (a key carries an order
// number or a phone).
func (db *DB) PurgeExpired(ctx context.Context, e Expiry) (Purged, error) {
	s := sweeper{db: db, ctx: ctx, batch: e.Batch}
	if err := s.inbound(e.DedupeBefore); err != nil {
		return s.out, err
	}
	if err := s.dialogs(e.Now); err != nil {
		return s.out, err
	}
	err := s.limited("throttle", `DELETE FROM throttle WHERE key IN
		(SELECT key FROM throttle WHERE window_start <= ? AND locked_until <= ? LIMIT ?)`,
		millis(e.Now.Add(-e.ThrottleWindow)), millis(e.Now))
	if err != nil || e.WebSessionsBefore.IsZero() {
		return s.out, err
	}
	err = s.limited("web_sessions", `DELETE FROM web_sessions WHERE id_hash IN
		(SELECT id_hash FROM web_sessions WHERE last_seen < ? OR ended_at < ? LIMIT ?)`,
		millis(e.WebSessionsBefore), millis(e.WebSessionsBefore))
	return s.out, err
}

// PurgeInbound forgets dedupe marks older than before; a retry older than
// that window is no longer expected from any channel.
func (db *DB) PurgeInbound(ctx context.Context, before time.Time) (int64, error) {
	s := sweeper{db: db, ctx: ctx}
	err := s.inbound(before)
	return s.out.Kind("inbound_seen").Rows, err
}

// PurgeDialogs deletes expired dialog states.
func (db *DB) PurgeDialogs(ctx context.Context, now time.Time) (int64, error) {
	s := sweeper{db: db, ctx: ctx}
	err := s.dialogs(now)
	return s.out.Kind("dialog_state").Rows, err
}

func (s *sweeper) inbound(before time.Time) error {
	return s.limited("inbound_seen", `DELETE FROM inbound_seen WHERE (channel, external_id) IN
		(SELECT channel, external_id FROM inbound_seen WHERE seen_at < ? LIMIT ?)`, millis(before))
}

func (s *sweeper) dialogs(now time.Time) error {
	return s.limited("dialog_state", `DELETE FROM dialog_state WHERE key IN
		(SELECT key FROM dialog_state WHERE expires_at <= ? LIMIT ?)`, millis(now))
}

// sweep forgets what cond selects in a table with integer ids.
type sweep struct {
	kind   string
	table  string
	cond   string // the rows still holding what the sweep forgets
	args   []any  // of cond
	first  string // optional, run first on each batch with the batch's ids (JSON) alone
	change string // "UPDATE table SET …" or "DELETE FROM table", applied to the batch
}

// sweeper runs sweeps in batches, a write transaction each, and counts.
type sweeper struct {
	db    *DB
	ctx   context.Context
	batch int
	out   Purged
}

func (s *sweeper) size() int {
	if s.batch > 0 {
		return s.batch
	}
	return PurgeBatch
}

// byID finds the next batch of ids on the read pool, so that scanning a
// large table holds no writer, then changes them in one write transaction,
// checking cond again (a row may have changed since it was found).
func (s *sweeper) byID(w sweep) error {
	find := "SELECT id FROM " + w.table + " WHERE id > ? AND (" + w.cond + ") ORDER BY id LIMIT ?"
	change := w.change + " WHERE id IN (SELECT value FROM json_each(?)) AND (" + w.cond + ")"
	var cursor int64
	for {
		ids, err := s.ids(find, cursor, w.args)
		if err != nil {
			return fmt.Errorf("store: purge %s: %w", w.kind, err)
		}
		if len(ids) == 0 {
			s.count(w.kind, 0, 0)
			return nil
		}
		cursor = ids[len(ids)-1]
		list := idList(ids)
		var n int64
		err = s.update(func(tx *Tx) error {
			if w.first != "" {
				if _, err := tx.exec(w.first, list); err != nil {
					return err
				}
			}
			res, err := tx.exec(change, append([]any{list}, w.args...)...)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return fmt.Errorf("store: purge %s: %w", w.kind, err)
		}
		s.count(w.kind, n, 1)
		if len(ids) < s.size() {
			return nil
		}
	}
}

func (s *sweeper) ids(find string, cursor int64, args []any) ([]int64, error) {
	rows, err := s.db.query(s.ctx, find, append(append([]any{cursor}, args...), s.size())...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// limited runs q, a DELETE of at most LIMIT ? rows (the last argument),
// until a batch comes short: for the small keyed tables.
func (s *sweeper) limited(kind, q string, args ...any) error {
	args = append(args, s.size())
	for {
		var n int64
		err := s.update(func(tx *Tx) error {
			res, err := tx.exec(q, args...)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return fmt.Errorf("store: purge %s: %w", kind, err)
		}
		s.count(kind, n, 1)
		if n < int64(s.size()) {
			return nil
		}
	}
}

// update is one batch's transaction, timed.
func (s *sweeper) update(fn func(*Tx) error) error {
	start := time.Now()
	err := s.db.Update(s.ctx, fn)
	s.out.Batches++
	s.out.Longest = max(s.out.Longest, time.Since(start))
	return err
}

// count adds a batch of n rows to kind; batches 0 only makes the kind
// appear in the counts.
func (s *sweeper) count(kind string, n int64, batches int) {
	for i := range s.out.Kinds {
		if s.out.Kinds[i].Kind == kind {
			s.out.Kinds[i].Rows += n
			s.out.Kinds[i].Batches += batches
			return
		}
	}
	s.out.Kinds = append(s.out.Kinds, PurgedKind{Kind: kind, Rows: n, Batches: batches})
}

// idList is ids as a JSON array, read back with json_each.
func idList(ids []int64) string {
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// photosInUseChunk bounds the hashes checked in one query.
const photosInUseChunk = 500

// PhotosInUse returns which of these photo files (by SHA-256) a record
// still needs: a case's photo, an outbound message not delivered yet (a
// photo on its way to the staff thread, a digest chart), or a kept value
// (the latest digest shown on the staff page). Every other file under the
// photo folder is an upload that never reached a case, or the file of a
// purged photo.
func (db *DB) PhotosInUse(ctx context.Context, hashes []string) (map[string]bool, error) {
	used := map[string]bool{}
	for len(hashes) > 0 {
		chunk := hashes[:min(len(hashes), photosInUseChunk)]
		hashes = hashes[len(chunk):]
		list := make([]string, len(chunk))
		for i, h := range chunk {
			list[i] = strconv.Quote(h)
		}
		rows, err := db.query(ctx, `SELECT h.value FROM json_each(?) AS h WHERE
			EXISTS (SELECT 1 FROM photos WHERE sha256 = h.value)
			OR EXISTS (SELECT 1 FROM outbox WHERE status = 'pending' AND instr(payload, h.value) > 0)
			OR EXISTS (SELECT 1 FROM settings WHERE instr(settings.value, h.value) > 0)`,
			"["+strings.Join(list, ",")+"]")
		found, err := collect(rows, err, "photos in use", func(r scanner) (string, error) {
			var h string
			return h, r.Scan(&h)
		})
		if err != nil {
			return nil, err
		}
		for _, h := range found {
			used[h] = true
		}
	}
	return used, nil
}
