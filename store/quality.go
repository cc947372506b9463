package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"frontdesk/cases"
)

// SpotSubject is a finished job a spot check may draw: a visit completed or
// a case resolved (QLT-1).
type SpotSubject struct {
	Kind    string // visit or case
	ID      string // the visit id or the case number
	OrderNo string
}

// Key is the subject as the draw sees it: "visit:V-1", "case:AS-…".
func (s SpotSubject) Key() string { return s.Kind + ":" + s.ID }

// FinishedJobs lists the visits completed and the cases resolved in
// [from, to): the population of a week's spot-check draw.
func (db *DB) FinishedJobs(ctx context.Context, from, to time.Time) ([]SpotSubject, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT 'visit', id, order_no FROM visits WHERE completed_at >= ? AND completed_at < ?
		UNION ALL SELECT 'case', number, COALESCE(order_no, '') FROM cases WHERE status = 'resolved' AND resolved_at >= ? AND resolved_at < ?
		ORDER BY 1, 2`, millis(from), millis(to), millis(from), millis(to))
	return collect(rows, err, "finished jobs", scanFields(func(s *SpotSubject) []any {
		return []any{&s.Kind, &s.ID, &s.OrderNo}
	}))
}

// SpotDraw is a week's draw: its seed, share and population size.
type SpotDraw struct {
	Week       string
	Seed       uint64
	Percent    int
	Population int
	DrawnAt    time.Time
}

// RecordSpotDraw keeps a week's draw and its tasks; fresh is false when the
// week was drawn already (then nothing is written).
func (tx *Tx) RecordSpotDraw(d SpotDraw, drawn []SpotSubject) (fresh bool, err error) {
	res, err := tx.exec(`INSERT INTO spot_draws (week, seed, percent, population, drawn_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(week) DO NOTHING`, d.Week, int64(d.Seed), d.Percent, d.Population, millis(d.DrawnAt))
	if err != nil {
		return false, fmt.Errorf("store: spot draw: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	for _, s := range drawn {
		if _, err := tx.exec("INSERT INTO spot_checks (week, subject_kind, subject, order_no) VALUES (?, ?, ?, ?)",
			d.Week, s.Kind, s.ID, s.OrderNo); err != nil {
			return false, fmt.Errorf("store: spot check: %w", err)
		}
	}
	return true, nil
}

// SpotDrawOf reads a week's draw.
func (db *DB) SpotDrawOf(ctx context.Context, week string) (SpotDraw, error) {
	var d SpotDraw
	var seed, at int64
	err := db.read.QueryRowContext(ctx, "SELECT week, seed, percent, population, drawn_at FROM spot_draws WHERE week = ?", week).
		Scan(&d.Week, &seed, &d.Percent, &d.Population, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return d, notFound("no spot-check draw for the week of %s", week)
	}
	if err != nil {
		return d, fmt.Errorf("store: spot draw: %w", err)
	}
	d.Seed, d.DrawnAt = uint64(seed), fromMillis(at)
	return d, nil
}

// SpotTask is a spot check with the customer's contact, read from the
// order or the case.
type SpotTask struct {
	cases.SpotCheck
	CustomerName string
	Phone        string
}

const spotColumns = `s.id, s.week, s.subject_kind, s.subject, s.order_no, s.status, s.method, s.note, s.checker, s.case_number, s.done_at,
	COALESCE(o.customer_name, c.customer_name, ''), COALESCE(o.phone, c.phone, '')`

const spotFrom = ` FROM spot_checks s LEFT JOIN orders o ON o.order_no = s.order_no
	LEFT JOIN cases c ON s.subject_kind = 'case' AND c.number = s.subject`

func scanSpot(row scanner) (SpotTask, error) {
	var t SpotTask
	var done sql.NullInt64
	err := row.Scan(&t.ID, &t.Week, &t.SubjectKind, &t.Subject, &t.OrderNo, &t.Status, &t.Method, &t.Note, &t.Checker,
		&t.CaseNumber, &done, &t.CustomerName, &t.Phone)
	t.DoneAt = fromNullMillis(done)
	return t, err
}

// SpotTasks lists the spot checks of a week ("" for every week), open ones
// first, then by id.
func (db *DB) SpotTasks(ctx context.Context, week string) ([]SpotTask, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+spotColumns+spotFrom+
		" WHERE ? = '' OR s.week = ? ORDER BY s.status <> 'open', s.week DESC, s.id", week, week)
	return collect(rows, err, "spot checks", scanSpot)
}

// SpotTaskTx reads one spot check inside a transaction.
func (tx *Tx) SpotTaskTx(id int64) (SpotTask, error) {
	t, err := scanSpot(tx.queryRow("SELECT "+spotColumns+spotFrom+" WHERE s.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, notFound("there is no spot check %d", id)
	}
	if err != nil {
		return t, fmt.Errorf("store: spot check: %w", err)
	}
	return t, nil
}

// SaveSpotResult records a spot check's result, only while it is open: a
// second result for the same check is a Conflict and changes nothing.
func (tx *Tx) SaveSpotResult(sc cases.SpotCheck) error {
	res, err := tx.exec(`UPDATE spot_checks SET status = ?, method = ?, note = ?, checker = ?, case_number = ?, done_at = ?
		WHERE id = ? AND status = 'open'`, sc.Status, sc.Method, sc.Note, sc.Checker, sc.CaseNumber, millis(sc.DoneAt), sc.ID)
	if err != nil {
		return fmt.Errorf("store: spot result: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: %w", cases.Errorf(cases.Conflict, "spot check %d is not open", sc.ID))
	}
	return nil
}

// Corrective actions (QLT-4).

const correctiveColumns = `id, source_kind, source, sku, problem, owner, department, due_on, status, opened_by, opened_at,
	done_at, check_at, closed_at, effect`

func scanCorrective(row scanner) (cases.Corrective, error) {
	var a cases.Corrective
	var opened int64
	var done, check, closed sql.NullInt64
	err := row.Scan(&a.ID, &a.SourceKind, &a.Source, &a.SKU, &a.Problem, &a.Owner, &a.Department, &a.DueOn, &a.Status,
		&a.OpenedBy, &opened, &done, &check, &closed, &a.Effect)
	a.OpenedAt, a.DoneAt, a.CheckAt, a.ClosedAt = fromMillis(opened), fromNullMillis(done), fromNullMillis(check), fromNullMillis(closed)
	return a, err
}

// AddCorrective inserts a corrective action and gives it its id.
func (tx *Tx) AddCorrective(a cases.Corrective) (cases.Corrective, error) {
	res, err := tx.exec(`INSERT INTO corrective_actions (source_kind, source, sku, problem, owner, department, due_on, status,
		opened_by, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.SourceKind, a.Source, a.SKU, a.Problem, a.Owner,
		a.Department, a.DueOn, a.Status, a.OpenedBy, millis(a.OpenedAt))
	if err != nil {
		return a, fmt.Errorf("store: corrective action: %w", err)
	}
	a.ID, _ = res.LastInsertId()
	return a, nil
}

// CorrectiveTx reads a corrective action inside a transaction.
func (tx *Tx) CorrectiveTx(id int64) (cases.Corrective, error) {
	a, err := scanCorrective(tx.queryRow("SELECT "+correctiveColumns+" FROM corrective_actions WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, notFound("there is no corrective action %d", id)
	}
	if err != nil {
		return a, fmt.Errorf("store: corrective action: %w", err)
	}
	return a, nil
}

// SaveCorrective writes a corrective action's state back.
func (tx *Tx) SaveCorrective(a cases.Corrective) error {
	_, err := tx.exec("UPDATE corrective_actions SET status = ?, done_at = ?, check_at = ?, closed_at = ?, effect = ? WHERE id = ?",
		a.Status, nullMillis(a.DoneAt), nullMillis(a.CheckAt), nullMillis(a.ClosedAt), a.Effect, a.ID)
	if err != nil {
		return fmt.Errorf("store: corrective action: %w", err)
	}
	return nil
}

// AddCorrectiveNote appends a progress note.
func (tx *Tx) AddCorrectiveNote(id int64, at time.Time, actor, body string) error {
	if _, err := tx.exec("INSERT INTO corrective_notes (action_id, at, actor, body) VALUES (?, ?, ?, ?)", id, millis(at), actor, body); err != nil {
		return fmt.Errorf("store: corrective note: %w", err)
	}
	return nil
}

// CorrectiveNote is one progress note of a corrective action.
type CorrectiveNote struct {
	At    time.Time
	Actor string
	Body  string
}

// CorrectiveNotes lists an action's notes in order.
func (db *DB) CorrectiveNotes(ctx context.Context, id int64) ([]CorrectiveNote, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT at, actor, body FROM corrective_notes WHERE action_id = ? ORDER BY id", id)
	return collect(rows, err, "corrective notes", func(row scanner) (CorrectiveNote, error) {
		var n CorrectiveNote
		var at int64
		err := row.Scan(&at, &n.Actor, &n.Body)
		n.At = fromMillis(at)
		return n, err
	})
}

// Correctives lists the corrective actions: the open and checking ones when
// all is false, by due date.
func (db *DB) Correctives(ctx context.Context, all bool) ([]cases.Corrective, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+correctiveColumns+" FROM corrective_actions WHERE ? OR status <> 'closed' ORDER BY status = 'closed', due_on, id", all)
	return collect(rows, err, "corrective actions", scanCorrective)
}

// EffectChecksDue lists the carried-out actions whose effect check is due at now.
func (db *DB) EffectChecksDue(ctx context.Context, now time.Time) ([]cases.Corrective, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+correctiveColumns+" FROM corrective_actions WHERE status = 'checking' AND check_at <= ? ORDER BY id", millis(now))
	return collect(rows, err, "effect checks", scanCorrective)
}

// ProblemsOfSKUTx counts the damage, defect, repair and complaint cases
// opened in [from, to) whose items include sku: whether a problem recurred
// for that product.
func (tx *Tx) ProblemsOfSKUTx(sku string, from, to time.Time) (int, error) {
	var n int
	err := tx.queryRow(`SELECT COUNT(DISTINCT c.id) FROM cases c JOIN order_items i ON i.order_no = c.order_no
		WHERE i.sku = ? AND c.kind IN ('transport_damage','quality_defect','repair','complaint')
		AND c.created_at >= ? AND c.created_at < ?`, sku, millis(from), millis(to)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: problems of %s: %w", sku, err)
	}
	return n, nil
}

// Monthly figures (QLT-5).

// ComplaintCause is a kind of problem with a recorded cause and how often
// it came in a month.
type ComplaintCause struct {
	Kind  string
	Cause string // "" when no cause was recorded yet
	Count int
}

// TopComplaints lists the most frequent problems opened in [from, to) by
// kind and recorded cause (002 四(一)): complaints, defects, damage, delays,
// repairs and low scores, not inquiries; at most limit.
func (db *DB) TopComplaints(ctx context.Context, from, to time.Time, limit int) ([]ComplaintCause, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT kind, TRIM(cause), COUNT(*) AS n FROM cases
		WHERE kind NOT IN ('inquiry','installation_help') AND created_at >= ? AND created_at < ?
		GROUP BY kind, TRIM(cause) ORDER BY n DESC, kind, TRIM(cause) LIMIT ?`, millis(from), millis(to), limit)
	return collect(rows, err, "top complaints", scanFields(func(c *ComplaintCause) []any {
		return []any{&c.Kind, &c.Cause, &c.Count}
	}))
}

// AreaCount is how many visits of a kind were completed in an area.
type AreaCount struct {
	Area  string // the provider's region; "" when the visit had no provider
	Kind  string // install or repair
	Count int
}

// VisitsByArea counts the installations and repairs completed in
// [from, to) by area (003 分工 9–10).
func (db *DB) VisitsByArea(ctx context.Context, from, to time.Time) ([]AreaCount, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT COALESCE(p.region, ''), v.kind, COUNT(*) FROM visits v
		LEFT JOIN providers p ON p.id = v.provider_id WHERE v.completed_at >= ? AND v.completed_at < ?
		GROUP BY 1, 2 ORDER BY 1, 2`, millis(from), millis(to))
	return collect(rows, err, "visits by area", scanFields(func(a *AreaCount) []any {
		return []any{&a.Area, &a.Kind, &a.Count}
	}))
}

// StaffFigures are one staff member's figures for a month (001 §7.3.1).
type StaffFigures struct {
	Name string
	// Handled counts the cases assigned to them resolved in the month.
	Handled int
	// Complaints counts the complaint cases among them.
	Complaints int
	// FirstResponses counts their cases' first-response clocks stopped in
	// the month, and FirstResponseMin is those responses' mean in minutes.
	FirstResponses   int
	FirstResponseMin float64
	// CallBacks counts their cases' call-backs answered in the month, and
	// Satisfied those answered good or ok.
	CallBacks, Satisfied int
}

// StaffMonth computes the per-staff figures of [from, to), by name.
func (db *DB) StaffMonth(ctx context.Context, from, to time.Time) ([]StaffFigures, error) {
	rows, err := db.read.QueryContext(ctx, `WITH people AS (
			SELECT DISTINCT assignee AS name FROM cases WHERE assignee <> '' AND (
				(resolved_at >= ?1 AND resolved_at < ?2) OR (created_at >= ?1 AND created_at < ?2)))
		SELECT p.name,
			(SELECT COUNT(*) FROM cases c WHERE c.assignee = p.name AND c.status = 'resolved' AND c.resolved_at >= ?1 AND c.resolved_at < ?2),
			(SELECT COUNT(*) FROM cases c WHERE c.assignee = p.name AND c.kind = 'complaint' AND c.status = 'resolved' AND c.resolved_at >= ?1 AND c.resolved_at < ?2),
			(SELECT COUNT(*) FROM sla_clocks k JOIN cases c ON c.id = k.case_id WHERE c.assignee = p.name AND k.name = 'first_response'
				AND k.stopped_at >= ?1 AND k.stopped_at < ?2),
			(SELECT COALESCE(AVG(k.stopped_at - k.started_at), 0) / 60000.0 FROM sla_clocks k JOIN cases c ON c.id = k.case_id
				WHERE c.assignee = p.name AND k.name = 'first_response' AND k.stopped_at >= ?1 AND k.stopped_at < ?2),
			(SELECT COUNT(*) FROM callbacks b JOIN cases c ON c.id = b.case_id WHERE c.assignee = p.name AND b.answered_at >= ?1 AND b.answered_at < ?2),
			(SELECT COUNT(*) FROM callbacks b JOIN cases c ON c.id = b.case_id WHERE c.assignee = p.name AND b.answer IN ('good','ok')
				AND b.answered_at >= ?1 AND b.answered_at < ?2)
		FROM people p ORDER BY p.name`, millis(from), millis(to))
	return collect(rows, err, "staff figures", scanFields(func(s *StaffFigures) []any {
		return []any{&s.Name, &s.Handled, &s.Complaints, &s.FirstResponses, &s.FirstResponseMin, &s.CallBacks, &s.Satisfied}
	}))
}

// ProviderFigures are one provider's figures for a month.
type ProviderFigures struct {
	Name, Region string
	Stars        float64
	Visits       int // completed in the month
	Surveys      int // answered in the month
	Satisfied    int // basically or fairly satisfied among them
	LowScores    int // low-score cases opened for their visits in the month
}

// ProvidersMonth computes the per-provider figures of [from, to) for the
// providers who had a visit or a survey in it.
func (db *DB) ProvidersMonth(ctx context.Context, from, to time.Time) ([]ProviderFigures, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT p.name, p.region, p.stars,
			(SELECT COUNT(*) FROM visits v WHERE v.provider_id = p.id AND v.completed_at >= ?1 AND v.completed_at < ?2),
			(SELECT COUNT(*) FROM surveys s JOIN visits v ON v.id = s.visit_id WHERE v.provider_id = p.id AND s.answered_at >= ?1 AND s.answered_at < ?2),
			(SELECT COUNT(*) FROM surveys s JOIN visits v ON v.id = s.visit_id WHERE v.provider_id = p.id AND s.answered_at >= ?1 AND s.answered_at < ?2
				AND json_extract(s.answers, '$.satisfaction') IN ('basic','fair')),
			(SELECT COUNT(*) FROM cases c JOIN visits v ON v.id = json_extract(c.details, '$.visit_id')
				WHERE v.provider_id = p.id AND c.kind = 'low_survey_score' AND c.created_at >= ?1 AND c.created_at < ?2)
		FROM providers p ORDER BY p.region, p.name`, millis(from), millis(to))
	all, err := collect(rows, err, "provider figures", scanFields(func(f *ProviderFigures) []any {
		return []any{&f.Name, &f.Region, &f.Stars, &f.Visits, &f.Surveys, &f.Satisfied, &f.LowScores}
	}))
	var out []ProviderFigures
	for _, f := range all {
		if f.Visits+f.Surveys+f.LowScores > 0 {
			out = append(out, f)
		}
	}
	return out, err
}

// Call-backs and questionnaires (QLT-2, QLT-3).

// Customer is a customer the quality loop calls: phone and name.
type Customer struct {
	Phone string
	Name  string
}

// CustomersServed lists the customers with a visit completed or a case
// resolved in [from, to), by phone.
func (db *DB) CustomersServed(ctx context.Context, from, to time.Time) ([]Customer, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT phone, MAX(name) FROM (
			SELECT o.phone AS phone, o.customer_name AS name FROM visits v JOIN orders o ON o.order_no = v.order_no
				WHERE v.completed_at >= ?1 AND v.completed_at < ?2
			UNION ALL SELECT phone, customer_name FROM cases WHERE status = 'resolved' AND resolved_at >= ?1 AND resolved_at < ?2)
		WHERE phone <> '' GROUP BY phone ORDER BY phone`, millis(from), millis(to))
	return collect(rows, err, "customers served", scanFields(func(c *Customer) []any {
		return []any{&c.Phone, &c.Name}
	}))
}

// MainCustomers lists the customers with at least minOrders orders, the
// main customers of the half-yearly questionnaire (004 三.4).
func (db *DB) MainCustomers(ctx context.Context, minOrders int) ([]Customer, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT phone, MAX(customer_name) FROM orders WHERE phone <> ''
		GROUP BY phone HAVING COUNT(*) >= ? ORDER BY phone`, minOrders)
	return collect(rows, err, "main customers", scanFields(func(c *Customer) []any {
		return []any{&c.Phone, &c.Name}
	}))
}

// QualityCall is a call-back or questionnaire sent to a customer.
type QualityCall struct {
	ID           int64
	Kind         string // callback or questionnaire
	Period       string // 2026-Q1, 2026-H1
	Phone        string
	CustomerName string
	Channel      string // "" when the customer has no chat: staff call
	ChatID       string
	SentAt       time.Time
	AnsweredAt   time.Time
	Product      int
	Service      int
}

// AddQualityCall records a call-back or questionnaire for a customer and
// period; fresh is false when the customer already has one for the period.
func (tx *Tx) AddQualityCall(c QualityCall) (QualityCall, bool, error) {
	res, err := tx.exec(`INSERT INTO quality_calls (kind, period, phone, customer_name, channel, chat_id, sent_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(kind, period, phone) DO NOTHING`,
		c.Kind, c.Period, c.Phone, c.CustomerName, c.Channel, c.ChatID, millis(c.SentAt))
	if err != nil {
		return c, false, fmt.Errorf("store: quality call: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return c, false, nil
	}
	c.ID, _ = res.LastInsertId()
	return c, true, nil
}

const qualityCallColumns = "id, kind, period, phone, customer_name, channel, chat_id, sent_at, answered_at, product, service"

func scanQualityCall(row scanner) (QualityCall, error) {
	var c QualityCall
	var sent int64
	var answered sql.NullInt64
	err := row.Scan(&c.ID, &c.Kind, &c.Period, &c.Phone, &c.CustomerName, &c.Channel, &c.ChatID, &sent, &answered, &c.Product, &c.Service)
	c.SentAt, c.AnsweredAt = fromMillis(sent), fromNullMillis(answered)
	return c, err
}

// QualityCallOfChat reads a questionnaire sent to this chat; another
// chat's or none is ErrNotFound.
func (db *DB) QualityCallOfChat(ctx context.Context, channel, chatID string, id int64) (QualityCall, error) {
	c, err := scanQualityCall(db.read.QueryRowContext(ctx, "SELECT "+qualityCallColumns+
		" FROM quality_calls WHERE id = ? AND channel = ? AND chat_id = ? AND chat_id <> ''", id, channel, chatID))
	if errors.Is(err, sql.ErrNoRows) {
		return c, notFound("no questionnaire %d in this chat", id)
	}
	if err != nil {
		return c, fmt.Errorf("store: quality call: %w", err)
	}
	return c, nil
}

// QualityCalls lists the calls of a kind and period, by id.
func (db *DB) QualityCalls(ctx context.Context, kind, period string) ([]QualityCall, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT "+qualityCallColumns+" FROM quality_calls WHERE kind = ? AND period = ? ORDER BY id", kind, period)
	return collect(rows, err, "quality calls", scanQualityCall)
}

// AnswerQualityCall records one score of a questionnaire, once: fresh is
// false when that question was answered before (nothing changes). The
// questionnaire counts as answered when both scores are in.
func (tx *Tx) AnswerQualityCall(id int64, question string, score int, at time.Time) (QualityCall, bool, error) {
	col := map[string]string{"product": "product", "service": "service"}[question]
	if col == "" || score < 1 || score > 5 {
		return QualityCall{}, false, invalid("questionnaire answer %s=%d: give product or service, 1 to 5", question, score)
	}
	res, err := tx.exec("UPDATE quality_calls SET "+col+" = ? WHERE id = ? AND "+col+" = 0", score, id)
	if err != nil {
		return QualityCall{}, false, fmt.Errorf("store: questionnaire answer: %w", err)
	}
	fresh := false
	if n, _ := res.RowsAffected(); n > 0 {
		fresh = true
		if _, err := tx.exec("UPDATE quality_calls SET answered_at = ? WHERE id = ? AND product > 0 AND service > 0 AND answered_at IS NULL",
			millis(at), id); err != nil {
			return QualityCall{}, false, fmt.Errorf("store: questionnaire answer: %w", err)
		}
	}
	c, err := scanQualityCall(tx.queryRow("SELECT "+qualityCallColumns+" FROM quality_calls WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return c, false, notFound("there is no questionnaire %d", id)
	}
	return c, fresh, err
}

// CallSummary sums the call-backs and questionnaires sent in a window.
type CallSummary struct {
	Kind                   string
	Sent, Answered         int
	AvgProduct, AvgService float64 // over the answered, 0 when none
}

// QualityCallSummary sums the calls sent in [from, to) by kind.
func (db *DB) QualityCallSummary(ctx context.Context, from, to time.Time) ([]CallSummary, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT kind, COUNT(*), COUNT(answered_at),
			COALESCE(AVG(CASE WHEN answered_at IS NOT NULL THEN product END), 0),
			COALESCE(AVG(CASE WHEN answered_at IS NOT NULL THEN service END), 0)
		FROM quality_calls WHERE sent_at >= ? AND sent_at < ? GROUP BY kind ORDER BY kind`, millis(from), millis(to))
	return collect(rows, err, "quality call summary", scanFields(func(s *CallSummary) []any {
		return []any{&s.Kind, &s.Sent, &s.Answered, &s.AvgProduct, &s.AvgService}
	}))
}
