package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"frontdesk/cases"
	"frontdesk/config"
)

// The staff workbench's list (STF-3): search, filters, counts, the unread
// marker, and the canned replies admins keep (STF-4).

// MaxSearch is the longest search the workbench accepts, in characters.
const MaxSearch = 100

// WorkbenchStatuses are the status filters: "" is every case still being
// worked (open or claimed).
var WorkbenchStatuses = []string{"", "open", "claimed", "resolved", "all"}

// WorkbenchChannels are the channel filters: the chats, and the ways staff
// take a request in themselves (INT-1).
var WorkbenchChannels = []string{"web", "telegram", "phone", "store", "letter", "fax"}

// WorkbenchQuery selects the cases of the workbench's list.
type WorkbenchQuery struct {
	Search     string // a case number (or its start), a phone, an order number, or the start of a name
	Kind       string
	Status     string // one of WorkbenchStatuses
	Channel    string // one of WorkbenchChannels
	Assignee   string // a staff member's name
	Overdue    bool   // only cases whose next clock is past due
	Unassigned bool
	Viewer     string    // the login whose unread marks are shown
	Now        time.Time // overdue is measured at Now
	Limit      int
}

// Validate says which field of q is wrong, as a coded Invalid error whose
// message starts with the field, or nil.
func (q WorkbenchQuery) Validate() error {
	bad := func(_, format string, args ...any) error { return invalid(format, args...) }
	switch {
	case utf8.RuneCountInString(q.Search) > MaxSearch:
		return bad("q", "search: at most %d characters, got %d", MaxSearch, utf8.RuneCountInString(q.Search))
	case q.Kind != "" && !config.CaseKind(q.Kind).Valid():
		return bad("kind", "kind %q: not a case kind", q.Kind)
	case !slices.Contains(WorkbenchStatuses, q.Status):
		return bad("status", "status %q: want open, claimed, resolved or all", q.Status)
	case q.Channel != "" && !slices.Contains(WorkbenchChannels, q.Channel):
		return bad("channel", "channel %q: want one of %s", q.Channel, strings.Join(WorkbenchChannels, ", "))
	case utf8.RuneCountInString(q.Assignee) > 100:
		return bad("assignee", "assignee: at most 100 characters")
	}
	return nil
}

// WorkbenchRow is one case of the list.
type WorkbenchRow struct {
	cases.Case
	Unread bool // a customer message came after the viewer last opened the case
}

// WorkbenchCounts are the numbers beside the filters, over every case
// still being worked.
type WorkbenchCounts struct {
	Active, Open, Claimed, Mine, Unassigned, Overdue int
	Kinds                                            map[string]int
}

// Workbench returns the cases matching q, the next due first (cases with
// no clock running last, newest first).
func (db *DB) Workbench(ctx context.Context, q WorkbenchQuery) ([]WorkbenchRow, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	query, args := workbenchSQL(q)
	rows, err := db.read.QueryContext(ctx, query, args...)
	return collect(rows, err, "workbench", func(row scanner) (WorkbenchRow, error) {
		var r WorkbenchRow
		c, err := scanCase(unreadScanner{row, &r.Unread})
		r.Case = c
		return r, err
	})
}

// workbenchSQL builds the list's query for a valid q. The page of cases is
// chosen first, by ids alone, then only its rows are read whole with their
// unread marks. The page is two parts, each a range of an index that stops
// at the limit: the cases with a clock running by next due, then those with
// none, newest first (every resolved case is among them). One sort over
// every matching case would read all of them at a million cases.
func workbenchSQL(q WorkbenchQuery) (string, []any) {
	var where []string
	var args []any
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	switch q.Status {
	case "":
		add("status IN ('open', 'claimed')")
	case "all":
	default:
		add("status = ?", q.Status)
	}
	if q.Kind != "" {
		add("kind = ?", q.Kind)
	}
	if q.Channel != "" {
		if slices.Contains([]string{"web", "telegram"}, q.Channel) {
			add("channel = ? AND intake = ''", q.Channel)
		} else {
			add("intake = ?", q.Channel)
		}
	}
	if q.Assignee != "" {
		add("assignee = ?", q.Assignee)
	}
	if q.Unassigned {
		add("assignee = ''")
	}
	if q.Overdue {
		add("deadline_at < ? AND status != 'resolved'", millis(q.Now))
	}
	from := "cases"
	if s := strings.TrimSpace(q.Search); s != "" {
		// Each alternative is an indexed lookup of its own, and the hits
		// drive the filters (CROSS JOIN keeps that order), so the search
		// stays fast on a large store: a number or a name by its start, an
		// order or a phone whole.
		up := strings.ToUpper(s)
		hits := `SELECT id FROM cases WHERE number >= ? AND number < ?
			UNION SELECT id FROM cases WHERE order_no = ?
			UNION SELECT id FROM cases WHERE customer_name >= ? AND customer_name < ?`
		a := []any{up, up + "\U0010FFFF", s, s, s + "\U0010FFFF"}
		if p := NormalizePhone(s); len(p) >= 7 {
			hits += "\n\t\t\tUNION SELECT id FROM cases WHERE phone = ?"
			a = append(a, p)
		}
		from = "(" + hits + ") AS hit CROSS JOIN cases USING (id)"
		args = append(a, args...)
	}
	if q.Limit <= 0 || q.Limit > 500 {
		q.Limit = 200
	}
	part := func(from, cond, order string) string {
		return "SELECT * FROM (SELECT id, deadline_at FROM " + from + " WHERE " +
			strings.Join(append(slices.Clone(where), cond), " AND ") + " ORDER BY " + order + " LIMIT ?)"
	}
	// The cases with a clock running are few (only cases being worked have
	// one): read them all from cases_due, whatever else the filter names,
	// rather than every case of an assignee or a kind.
	due := from
	if due == "cases" {
		due = "cases INDEXED BY cases_due"
	}
	// The cases being worked with no clock running are few too: a range of
	// cases_status_due, not a walk through every case of an assignee.
	idle := from
	if from == "cases" && q.Status != "resolved" && q.Status != "all" {
		idle = "cases INDEXED BY cases_status_due"
	}
	page := part(due, "deadline_at IS NOT NULL", "deadline_at, id DESC") + "\n\t\tUNION ALL " +
		part(idle, "deadline_at IS NULL", "id DESC")
	order := " ORDER BY deadline_at IS NULL, deadline_at, id DESC"
	query := "SELECT " + caseColumns + `,
		COALESCE((SELECT MAX(e.id) FROM case_events e WHERE e.case_id = cases.id AND e.actor = 'customer'), 0) >
		COALESCE((SELECT s.event FROM case_seen s WHERE s.login = ? AND s.case_id = cases.id), 0)
		FROM cases WHERE id IN (SELECT id FROM (` + page + ")" + order + " LIMIT ?)" + order
	all := []any{q.Viewer}
	all = append(append(all, args...), q.Limit)
	all = append(append(all, args...), q.Limit, q.Limit)
	return query, all
}

// unreadScanner scans a case row followed by its unread flag.
type unreadScanner struct {
	row    scanner
	unread *bool
}

func (s unreadScanner) Scan(dest ...any) error { return s.row.Scan(append(dest, s.unread)...) }

// WorkbenchCounts counts the cases being worked by status, kind, overdue,
// unassigned and those assigned to me. All but overdue come from
// workbench_counts, which triggers keep in step with every change of a case
// (migration 0027); overdue is a range of cases_status_due per status.
func (db *DB) WorkbenchCounts(ctx context.Context, me string, now time.Time) (WorkbenchCounts, error) {
	c := WorkbenchCounts{Kinds: map[string]int{}}
	rows, err := db.read.QueryContext(ctx, workbenchCountsQuery, me)
	if err != nil {
		return c, coded(fmt.Errorf("store: workbench counts: %w", err))
	}
	defer rows.Close()
	for rows.Next() {
		var status, kind string
		var mine, unassigned bool
		var n int
		if err := rows.Scan(&status, &kind, &mine, &unassigned, &n); err != nil {
			return c, fmt.Errorf("store: workbench counts: %w", err)
		}
		c.Active += n
		if status == "open" {
			c.Open += n
		} else {
			c.Claimed += n
		}
		c.Kinds[kind] += n
		if mine && me != "" {
			c.Mine += n
		}
		if unassigned {
			c.Unassigned += n
		}
	}
	if err := rows.Err(); err != nil {
		return c, fmt.Errorf("store: workbench counts: %w", err)
	}
	if err := db.read.QueryRowContext(ctx, workbenchOverdueQuery, millis(now), millis(now)).Scan(&c.Overdue); err != nil {
		return c, coded(fmt.Errorf("store: workbench overdue count: %w", err))
	}
	return c, nil
}

const (
	workbenchCountsQuery = `SELECT status, kind, assignee = ?, assignee = '', n FROM workbench_counts WHERE n > 0`
	// Two ranges (one per status) of the overdue cases alone.
	workbenchOverdueQuery = `SELECT (SELECT COUNT(*) FROM cases INDEXED BY cases_status_due WHERE status = 'open' AND deadline_at < ?)
		+ (SELECT COUNT(*) FROM cases INDEXED BY cases_status_due WHERE status = 'claimed' AND deadline_at < ?)`
)

// MarkSeen records that login has seen every event of the case so far: its
// unread mark goes until the customer writes again.
func (db *DB) MarkSeen(ctx context.Context, login string, caseID int64) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO case_seen (login, case_id, event)
		VALUES (?, ?, COALESCE((SELECT MAX(id) FROM case_events WHERE case_id = ?), 0))
		ON CONFLICT(login, case_id) DO UPDATE SET event = excluded.event`, login, caseID, caseID)
	if err != nil {
		return coded(fmt.Errorf("store: mark case %d seen: %w", caseID, err))
	}
	return nil
}

// Changes is a mark that moves whenever a case is opened or changed or an
// event is added to one: the workbench's live updates watch it.
func (db *DB) Changes(ctx context.Context) (string, error) {
	var cs, events, updated int64
	err := db.read.QueryRowContext(ctx, `SELECT COALESCE((SELECT MAX(id) FROM cases), 0),
		COALESCE((SELECT MAX(id) FROM case_events), 0), COALESCE((SELECT MAX(updated_at) FROM cases), 0)`).Scan(&cs, &events, &updated)
	if err != nil {
		return "", coded(fmt.Errorf("store: changes: %w", err))
	}
	return fmt.Sprintf("%d.%d.%d", cs, events, updated), nil
}

// CannedReply is a reply admins keep for the clerks (STF-4); its body may
// hold placeholders such as {case}.
type CannedReply struct {
	ID        int64
	Title     string
	Lang      string
	Body      string
	CreatedBy string
	CreatedAt time.Time
}

// CannedReplies lists the kept replies, by language and title.
func (db *DB) CannedReplies(ctx context.Context) ([]CannedReply, error) {
	rows, err := db.query(ctx, "SELECT id, title, lang, body, created_by, created_at FROM canned_replies ORDER BY lang DESC, title, id")
	return collect(rows, err, "canned replies", scanCanned)
}

// CannedReply returns one kept reply, or ErrNotFound.
func (db *DB) CannedReply(ctx context.Context, id int64) (CannedReply, error) {
	r, err := scanCanned(db.queryRow(ctx, "SELECT id, title, lang, body, created_by, created_at FROM canned_replies WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, notFound("no canned reply %d", id)
	}
	return r, err
}

func scanCanned(row scanner) (CannedReply, error) {
	var r CannedReply
	var at int64
	err := row.Scan(&r.ID, &r.Title, &r.Lang, &r.Body, &r.CreatedBy, &at)
	r.CreatedAt = fromMillis(at)
	return r, err
}

// AddCannedReply keeps a reply; the caller has checked its placeholders.
func (db *DB) AddCannedReply(ctx context.Context, r CannedReply) (CannedReply, error) {
	res, err := db.write.ExecContext(ctx, "INSERT INTO canned_replies (title, lang, body, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
		r.Title, r.Lang, r.Body, r.CreatedBy, millis(r.CreatedAt))
	if err != nil {
		return r, coded(fmt.Errorf("store: add canned reply: %w", err))
	}
	r.ID, _ = res.LastInsertId()
	return r, nil
}

// DeleteCannedReply removes a kept reply.
func (db *DB) DeleteCannedReply(ctx context.Context, id int64) error {
	res, err := db.write.ExecContext(ctx, "DELETE FROM canned_replies WHERE id = ?", id)
	if err != nil {
		return coded(fmt.Errorf("store: delete canned reply: %w", err))
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("no canned reply %d", id)
	}
	return nil
}
