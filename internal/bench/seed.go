// Package bench is `frontdesk bench`: it seeds a temporary store with years
// of records, times the queries the managers and staff wait for, and drives
// the desk (Redis dialog state, the store, the outbox) beside the plain
// Redis ceiling of the same machine.
package bench

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// Seeded describes what Seed wrote.
type Seeded struct {
	Cases, Orders, Clocks, Running, Events, Photos, Visits, Surveys int
	Took                                                            time.Duration
	// Phones, OrderNos and Numbers are some of the seeded customers'
	// phones, orders and case numbers, to search for and to verify with.
	Phones, OrderNos, Numbers []string
	Staff                     []string
}

// Rows is every row written.
func (s Seeded) Rows() int {
	return s.Cases + s.Orders + s.Clocks + s.Events + s.Photos + s.Visits + s.Surveys
}

var kinds = []struct {
	name   string
	weight int
	clock  string // the second clock of the kind
}{
	{"delivery_delay", 18, "case_confirm"}, {"transport_damage", 14, "case_confirm"},
	{"quality_defect", 10, "case_confirm"}, {"installation_help", 12, "case_confirm"},
	{"repair", 10, "repair_resolve"}, {"return_exchange", 6, "return_review"},
	{"complaint", 5, "complaint_solution"}, {"inquiry", 20, "inquiry_answer"},
	{"low_survey_score", 5, "low_score_follow_up"},
}

var items = []struct{ sku, name, category string }{
	{"SF-201", "布艺沙发", "furniture"}, {"BD-110", "实木床", "furniture"}, {"TB-305", "岩板餐桌", "furniture"},
	{"WC-020", "智能马桶", "bathroom"}, {"SH-011", "淋浴房", "bathroom"}, {"WP-730", "无纺布墙纸", "wallpaper"},
	{"TL-800", "瓷砖", "building_material"}, {"CB-440", "衣柜", "furniture"},
}

// openCases is how many of the newest cases are still open (two running
// clocks each): 10 000 running clocks at a million cases.
func openCases(n int) int { return min(5000, n/20) }

// staffNames are the colleagues the cases are assigned to.
var staffNames = []string{"王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周杰", "吴霞", "徐丽", "孙强"}

// Seed writes n cases over the two years before now, with 20 000 orders (fewer
// for a small n), their items, shipments, two clocks and two to four events
// per case, photo rows for damage and defects, visits with their
// providers, and surveys. It writes straight to the store's file on its
// own connection, without a journal, one transaction per 20 000 cases
// and 64 rows to a statement, with the store's
// indexes dropped while it writes and built again at the end (as a bulk
// load does).
func Seed(ctx context.Context, path string, n int, now time.Time, loc *time.Location) (Seeded, error) {
	start := time.Now()
	s := Seeded{Staff: staffNames}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_pragma=synchronous(OFF)&_pragma=foreign_keys(0)")
	if err != nil {
		return s, fmt.Errorf("bench: seed: %w", err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	// A bulk load into a file nobody else has open: no journal (a failed
	// seed leaves a store that is thrown away), a large cache; WAL again
	// at the end, as the desk runs it.
	for _, q := range []string{"PRAGMA journal_mode = OFF", "PRAGMA cache_size = -262144"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return s, fmt.Errorf("bench: seed: %s: %w", q, err)
		}
	}
	indexes, err := dropIndexes(ctx, db)
	if err != nil {
		return s, err
	}
	g := &gen{r: rand.New(rand.NewPCG(20, 26)), now: now, loc: loc, n: n}
	if err := g.seedOrders(ctx, db, &s); err != nil {
		return s, err
	}
	for from := 0; from < n; from += 20000 {
		if err := g.seedCases(ctx, db, &s, from, min(n, from+20000)); err != nil {
			return s, err
		}
	}
	for _, ddl := range indexes {
		if _, err := db.ExecContext(ctx, ddl); err != nil {
			return s, fmt.Errorf("bench: seed: %s: %w", ddl, err)
		}
	}
	// No ANALYZE: a shop's store has none, and its plans are the ones
	// store/plan_test.go checks.
	for _, q := range []string{"PRAGMA journal_mode = WAL"} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return s, fmt.Errorf("bench: seed: %s: %w", q, err)
		}
	}
	s.Took = time.Since(start)
	return s, nil
}

// dropIndexes drops the indexes of the tables Seed fills and returns the
// statements that make them again.
func dropIndexes(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
		AND tbl_name IN ('cases', 'sla_clocks', 'case_events', 'photos', 'orders', 'order_items', 'shipments', 'visits', 'surveys')`)
	if err != nil {
		return nil, fmt.Errorf("bench: seed: indexes: %w", err)
	}
	var names, ddl []string
	for rows.Next() {
		var name, q string
		if err := rows.Scan(&name, &q); err != nil {
			rows.Close()
			return nil, err
		}
		names, ddl = append(names, name), append(ddl, q)
	}
	rows.Close()
	for _, name := range names {
		if _, err := db.ExecContext(ctx, `DROP INDEX "`+name+`"`); err != nil {
			return nil, fmt.Errorf("bench: seed: drop %s: %w", name, err)
		}
	}
	return ddl, nil
}

type gen struct {
	r       *rand.Rand
	now     time.Time
	loc     *time.Location
	n       int
	bought  []order
	photoID int64
	day     string // the day of the last case number, and its sequence
	seq     int
}

type order struct {
	no, phone string
	lines     int
}

const twoYears = 730 * 24 * time.Hour

func (g *gen) seedOrders(ctx context.Context, db *sql.DB, s *Seeded) error {
	count := min(20000, max(100, g.n/50))
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	insOrder, _ := tx.PrepareContext(ctx, `INSERT INTO orders (order_no, customer_name, phone, paid_on, deadline, status,
		delivered_on, install_included, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	insItem, _ := tx.PrepareContext(ctx, `INSERT INTO order_items (order_no, line, name, sku, quantity, category, warranty_months)
		VALUES (?, ?, ?, ?, ?, ?, 24)`)
	insShip, _ := tx.PrepareContext(ctx, `INSERT INTO shipments (order_no, carrier, tracking_no, shipped_on, expected_arrival, created_at)
		VALUES (?, '德邦物流', ?, ?, ?, ?)`)
	insProvider, _ := tx.PrepareContext(ctx, `INSERT INTO providers (name, region, stars, visits, last_summary) VALUES (?, ?, ?, ?, '')`)
	for p := 1; p <= 40; p++ {
		if _, err := insProvider.ExecContext(ctx, fmt.Sprintf("安装师傅%02d", p), []string{"浦东", "闵行", "徐汇", "嘉定"}[p%4],
			2.5+float64(p%6)*0.5, 50+p); err != nil {
			return fmt.Errorf("bench: seed providers: %w", err)
		}
	}
	surnames := []rune("王李张刘陈杨赵黄周吴")
	for i := 0; i < count; i++ {
		o := order{no: fmt.Sprintf("SO-%06d", 100000+i), phone: fmt.Sprintf("139%08d", g.r.IntN(100000000)), lines: 1 + g.r.IntN(3)}
		g.bought = append(g.bought, o)
		placed := g.now.Add(-time.Duration(float64(twoYears) * float64(count-i) / float64(count)))
		deadline := placed.AddDate(0, 0, 20)
		delivered := ""
		status := "placed"
		if deadline.Before(g.now) {
			status, delivered = "delivered", placed.AddDate(0, 0, 14+g.r.IntN(10)).In(g.loc).Format("2006-01-02")
		}
		if _, err := insOrder.ExecContext(ctx, o.no, string(surnames[i%len(surnames)])+"先生", o.phone, placed.In(g.loc).Format("2006-01-02"),
			deadline.In(g.loc).Format("2006-01-02"), status, delivered, i%3 == 0, ms(placed), ms(placed)); err != nil {
			return fmt.Errorf("bench: seed orders: %w", err)
		}
		for l := 1; l <= o.lines; l++ {
			it := items[g.r.IntN(len(items))]
			if _, err := insItem.ExecContext(ctx, o.no, l, it.name, it.sku, 1+g.r.IntN(2), it.category); err != nil {
				return fmt.Errorf("bench: seed items: %w", err)
			}
		}
		shipped := placed.AddDate(0, 0, 10)
		if _, err := insShip.ExecContext(ctx, o.no, "DB"+o.no, shipped.In(g.loc).Format("2006-01-02"),
			shipped.AddDate(0, 0, 4+g.r.IntN(14)).In(g.loc).Format("2006-01-02"), ms(shipped)); err != nil {
			return fmt.Errorf("bench: seed shipments: %w", err)
		}
		s.Orders++
		if i%(count/20+1) == 0 {
			s.Phones, s.OrderNos = append(s.Phones, o.phone), append(s.OrderNos, o.no)
		}
	}
	return tx.Commit()
}

func (g *gen) kind() (string, string) {
	total := 0
	for _, k := range kinds {
		total += k.weight
	}
	x := g.r.IntN(total)
	for _, k := range kinds {
		if x < k.weight {
			return k.name, k.clock
		}
		x -= k.weight
	}
	return kinds[0].name, kinds[0].clock
}

// cases writes the cases [from, to) of n, oldest first, spread evenly over
// two years up to now; the newest openCases(n) are still open.
func (g *gen) seedCases(ctx context.Context, db *sql.DB, s *Seeded, from, to int) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	prep := func(q string) *batch {
		b, err2 := newBatch(ctx, tx, q)
		if err2 != nil && err == nil {
			err = err2
		}
		return b
	}
	insCase := prep(`INSERT INTO cases (id, number, kind, order_no, customer_name, phone, channel, chat_id, status, severity,
		classification, remedy, assignee, description, details, deadline_at, created_at, updated_at, resolved_at)
		VALUES (?, ?, ?, ?, '', ?, ?, ?, ?, 'normal', '', ?, ?, ?, ?, ?, ?, ?, ?)`)
	insClock := prep(`INSERT INTO sla_clocks (case_id, name, started_at, due_at, far_due_at, stop_on, stopped_at, escalated_at, managers_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	insEvent := prep(`INSERT INTO case_events (case_id, at, actor, kind, body, photo_id) VALUES (?, ?, ?, ?, ?, ?)`)
	insPhoto := prep(`INSERT INTO photos (id, case_id, sha256, mime, size, step, created_at) VALUES (?, ?, ?, 'image/jpeg', ?, 'overview', ?)`)
	insVisit := prep(`INSERT INTO visits (id, order_no, provider_id, kind, appointment_at, completed_at) VALUES (?, ?, ?, ?, ?, ?)`)
	insSurvey := prep(`INSERT INTO surveys (visit_id, case_id, stage, sent_at, answered_at, answers, channel, chat_id, score)
		VALUES (?, ?, 'visit', ?, ?, ?, ?, ?, ?)`)
	insCounter, err2 := tx.PrepareContext(ctx, `INSERT INTO case_counters (day, last) VALUES (?, ?) ON CONFLICT(day) DO UPDATE SET last = MAX(last, excluded.last)`)
	if err == nil {
		err = err2
	}
	if err != nil {
		return fmt.Errorf("bench: seed: %w", err)
	}
	open := g.n - openCases(g.n)
	day, seq := g.day, g.seq
	defer func() { g.day, g.seq = day, seq }()
	for i := from; i < to; i++ {
		id := int64(i + 1)
		created := g.now.Add(-time.Duration(float64(twoYears) * float64(g.n-i) / float64(g.n)))
		kind, second := g.kind()
		o := g.bought[g.r.IntN(len(g.bought))]
		if d := created.In(g.loc).Format("20060102"); d != day {
			if day != "" {
				if _, err := insCounter.ExecContext(ctx, day, seq); err != nil {
					return fmt.Errorf("bench: seed counters: %w", err)
				}
			}
			day, seq = d, 0
		}
		seq++
		number := fmt.Sprintf("AS-%s-%04d", day, seq)
		channel, chat := "telegram", fmt.Sprint(700000000+g.r.IntN(1000000))
		if g.r.IntN(3) == 0 {
			channel, chat = "web", fmt.Sprintf("w%x", g.r.Uint64())
		}
		status, assignee, remedy := "resolved", staffNames[g.r.IntN(len(staffNames))], ""
		var resolved, deadline any
		firstDue, secondDue := created.Add(2*time.Hour), created.Add(48*time.Hour)
		if i >= open {
			status = []string{"open", "claimed", "claimed"}[g.r.IntN(3)]
			if status == "open" {
				assignee = ""
			}
			deadline = ms(firstDue)
		} else {
			resolved = ms(created.Add(time.Duration(1+g.r.IntN(96)) * time.Hour))
			remedy = []string{"repair", "replace", "refund", "compensate", "explain"}[g.r.IntN(5)]
		}
		details := fmt.Sprintf(`{"lines":"%d"}`, 1+g.r.IntN(o.lines))
		if _, err := insCase.ExecContext(ctx, id, number, kind, o.no, o.phone, channel, chat, status, remedy, assignee,
			"客户反馈："+kind, details, deadline, ms(created), ms(created), resolved); err != nil {
			return fmt.Errorf("bench: seed cases: %w", err)
		}
		s.Cases++
		if i%(g.n/20+1) == 0 || i == g.n-1 {
			s.Numbers = append(s.Numbers, number)
		}
		// Two clocks: the first answer and the kind's own.
		for c, clock := range []struct {
			name string
			due  time.Time
			stop string
		}{{"first_response", firstDue, "message_out"}, {second, secondDue, "resolved"}} {
			if kind == "complaint" && c == 0 {
				clock.name = "complaint_apology"
			}
			far := clock.due.Add(clock.due.Sub(created))
			var stopped, escalated, managers any
			if status == "resolved" || (c == 0 && status == "claimed") {
				late := g.r.IntN(10) == 0
				at := created.Add(time.Duration(g.r.Int64N(int64(clock.due.Sub(created)))))
				if late {
					at = clock.due.Add(time.Duration(g.r.IntN(180)) * time.Minute)
					escalated = ms(clock.due)
				}
				stopped = ms(at)
			} else {
				s.Running++
				if clock.due.Before(g.now) {
					escalated = ms(clock.due)
				}
				if far.Before(g.now) {
					managers = ms(far)
				}
			}
			if _, err := insClock.ExecContext(ctx, id, clock.name, ms(created), ms(clock.due), ms(far), clock.stop,
				stopped, escalated, managers); err != nil {
				return fmt.Errorf("bench: seed clocks: %w", err)
			}
			s.Clocks++
		}
		// The history: the customer's message, the bot's answer, and the
		// claim and the resolution when they happened.
		var photo any
		if kind == "transport_damage" || kind == "quality_defect" {
			g.photoID++
			if _, err := insPhoto.ExecContext(ctx, g.photoID, id, fmt.Sprintf("%064x", g.r.Uint64()), 200000+g.r.IntN(2000000), ms(created)); err != nil {
				return fmt.Errorf("bench: seed photos: %w", err)
			}
			photo = g.photoID
			s.Photos++
		}
		events := []seedEvent{
			{created, "customer", "message_in", "您好，我的订单有问题", photo},
			{created.Add(time.Minute), "bot", "message_out", "已收到，工作人员会尽快联系您", nil},
		}
		if status != "open" {
			events = append(events, seedEvent{created.Add(30 * time.Minute), assignee, "claimed", "", nil})
		}
		if status == "resolved" {
			events = append(events, seedEvent{created.Add(time.Hour), assignee, "resolved", remedy, nil})
		}
		for _, e := range events {
			if _, err := insEvent.ExecContext(ctx, id, ms(e.at), e.actor, e.kind, e.body, e.photo); err != nil {
				return fmt.Errorf("bench: seed events: %w", err)
			}
			s.Events++
		}
		// Installation and repair cases get a visit and its survey.
		if kind == "installation_help" || kind == "repair" {
			vkind := map[string]string{"installation_help": "install", "repair": "repair"}[kind]
			visit := fmt.Sprintf("V-%d", id)
			done := created.Add(time.Duration(24+g.r.IntN(72)) * time.Hour)
			var completed any
			if done.Before(g.now) {
				completed = ms(done)
			}
			if _, err := insVisit.ExecContext(ctx, visit, o.no, 1+g.r.IntN(40), vkind, ms(done.Add(-2*time.Hour)), completed); err != nil {
				return fmt.Errorf("bench: seed visits: %w", err)
			}
			s.Visits++
			if completed != nil {
				var answered any
				answers := "{}"
				score := any(nil)
				if g.r.IntN(10) < 7 {
					answered = ms(done.Add(3 * time.Hour))
					sat := []string{"fair", "fair", "basic", "unsatisfied"}[g.r.IntN(4)]
					answers = fmt.Sprintf(`{"on_time":%t,"satisfaction":%q}`, g.r.IntN(10) < 9, sat)
					score = 3 + g.r.IntN(3)
				}
				if _, err := insSurvey.ExecContext(ctx, visit, id, ms(done), answered, answers, channel, chat, score); err != nil {
					return fmt.Errorf("bench: seed surveys: %w", err)
				}
				s.Surveys++
			}
		}
	}
	if day != "" { // again in the next batch if the day goes on there
		if _, err := insCounter.ExecContext(ctx, day, seq); err != nil {
			return fmt.Errorf("bench: seed counters: %w", err)
		}
	}
	for _, b := range []*batch{insCase, insClock, insPhoto, insEvent, insVisit, insSurvey} {
		if err := b.flush(ctx); err != nil {
			return fmt.Errorf("bench: seed: %w", err)
		}
	}
	return tx.Commit()
}

// batch inserts rows many to a statement: at a million cases the cost of a
// statement's execution, not of its row, is what a bulk load pays most.
type batch struct {
	tx        *sql.Tx
	head, row string
	params    int
	full      *sql.Stmt
	args      []any
}

// rowsPerBatch rows go in one statement.
const rowsPerBatch = 64

func newBatch(ctx context.Context, tx *sql.Tx, insert string) (*batch, error) {
	i := strings.LastIndex(insert, "VALUES")
	b := &batch{tx: tx, head: insert[:i+len("VALUES")], row: strings.TrimSpace(insert[i+len("VALUES"):])}
	b.params = strings.Count(b.row, "?")
	var err error
	b.full, err = tx.PrepareContext(ctx, b.statement(rowsPerBatch))
	return b, err
}

func (b *batch) statement(rows int) string {
	return b.head + " " + strings.TrimSuffix(strings.Repeat(b.row+", ", rows), ", ")
}

// ExecContext adds one row, and writes the batch when it is full.
func (b *batch) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	b.args = append(b.args, args...)
	if len(b.args) < rowsPerBatch*b.params {
		return nil, nil
	}
	_, err := b.full.ExecContext(ctx, b.args...)
	b.args = b.args[:0]
	return nil, err
}

// flush writes the rows not written yet.
func (b *batch) flush(ctx context.Context) error {
	if len(b.args) == 0 {
		return nil
	}
	_, err := b.tx.ExecContext(ctx, b.statement(len(b.args)/b.params), b.args...)
	b.args = b.args[:0]
	return err
}

func ms(t time.Time) int64 { return t.UnixMilli() }

// describe is the seeding line of the report.
func (s Seeded) describe() string {
	var b strings.Builder
	fmt.Fprintf(&b, "seeded %d cases (%d running clocks), %d orders, %d clocks, %d events, %d photos, %d visits, %d surveys",
		s.Cases, s.Running, s.Orders, s.Clocks, s.Events, s.Photos, s.Visits, s.Surveys)
	fmt.Fprintf(&b, " in %.1f s: %.0f rows/s", s.Took.Seconds(), float64(s.Rows())/s.Took.Seconds())
	return b.String()
}

// seedEvent is one line of a seeded case's history.
type seedEvent struct {
	at    time.Time
	actor string
	kind  string
	body  string
	photo any
}
