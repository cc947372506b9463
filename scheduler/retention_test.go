package scheduler

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/store"
)

// customer is everything personal one customer leaves in the desk.
type customer struct {
	name, phone, chat, order string
	message, reply, note     string // the customer's message, a staff reply, a staff note
	description, when        string // the fault in their words, their preferred time
	resolution, comment      string // staff's words on resolving, the survey comment
	photo                    []byte
}

// secrets are the strings that must not outlive the retention anywhere.
func (c customer) secrets() []string {
	return []string{c.name, c.phone, c.chat, c.message, c.reply, c.note, c.description, c.when, c.resolution, c.comment}
}

var (
	oldCustomer = customer{name: "王芳", phone: "13800007391", chat: "5550001", order: "SO-OLD",
		message: "我家地址是幸福路88号3单元", reply: "明天上午师傅带新沙发腿上门", note: "客户说邻居也买了同款",
		description: "沙发腿断了一根，幸福路88号", when: "周六上午九点以后", resolution: "师傅已上门换好，客户满意",
		comment: "师傅态度很好就是迟到半小时", photo: []byte("\x89PNG\r\n\x1a\n" + strings.Repeat("\x03", 40))}
	newCustomer = customer{name: "李雷", phone: "13900004826", chat: "5550002", order: "SO-NEW",
		message: "柜门合不上，朝阳路12号", reply: "下周二安排师傅调整铰链", note: "铰链批次可能有问题",
		description: "柜门关不严，朝阳路12号", when: "工作日晚上七点后", resolution: "铰链已调整好",
		comment: "很快就修好了非常感谢", photo: []byte("\x89PNG\r\n\x1a\n" + strings.Repeat("\x04", 40))}
)

// seed leaves c's personal data in every place the desk keeps it, at the
// clock's time: order, chat binding, verification audit, a case with its
// photo, message, escalations, reply, note, cause, action and resolution
// (through the desk, as staff do it), its staff posts and replies
// delivered, a survey, and a back-office answer kept for its
// Idempotency-Key. It returns the case and its photo's file.
func (w *world) seed(c customer) (cases.Case, string) {
	w.t.Helper()
	ctx := context.Background()
	start := w.clock.Now()
	o := store.Order{No: c.order, CustomerName: c.name, Phone: c.phone, PaidOn: start.Format("2006-01-02"), Status: config.OrderDelivered,
		Items: []store.Item{{Line: 1, Name: "布艺沙发", SKU: "SF-300", Quantity: 1, Category: config.Furniture, WarrantyMonths: 36}}}
	must(w.t, w.db.UpsertOrder(ctx, o, start))
	photo, err := w.photos.Save(bytes.NewReader(c.photo))
	must(w.t, err)
	file := w.photos.Path(photo.SHA256, photo.MIME)
	must(w.t, os.Chtimes(file, start, start))
	var kase cases.Case
	must(w.t, w.db.Update(ctx, func(tx *store.Tx) (err error) {
		key := "telegram:" + c.chat
		if err := tx.BindChat(store.CustomerChat{Phone: c.phone, Channel: "telegram", ChatID: c.chat, Lang: "zh-Hans", VerifiedAt: start}); err != nil {
			return err
		}
		for _, a := range []store.AuditEntry{{Action: "verify_failed", Detail: "order " + c.order}, {Action: "verified"}} {
			a.At, a.Actor, a.Subject = start, "customer "+key, "chat "+key
			if err := tx.Audit(a); err != nil {
				return err
			}
		}
		kase, err = tx.OpenCase(cases.Case{Kind: config.KindQualityDefect, OrderNo: c.order, CustomerName: c.name, Phone: c.phone,
			Channel: "telegram", ChatID: c.chat, Classification: "damage not explained by the packaging", Description: c.description,
			Details: map[string]string{"lines": "1", "preferred_time": c.when, "contact_phone": c.phone, "same_place": "no"}}, start, shanghai)
		if err != nil {
			return err
		}
		for _, s := range w.cfg.ClocksFor(string(kase.Kind), start) {
			if err := tx.StartClock(store.Clock{CaseID: kase.ID, Name: s.Name, StartedAt: start, DueAt: s.Due, FarDueAt: s.FarDue, StopOn: s.StopOn}); err != nil {
				return err
			}
		}
		if err := tx.Audit(store.AuditEntry{At: start, Actor: "customer " + key, Action: "opened", Subject: kase.Number,
			Detail: "quality_defect: damage not explained by the packaging"}); err != nil {
			return err
		}
		id, err := tx.AddPhoto(store.Photo{CaseID: kase.ID, SHA256: photo.SHA256, MIME: photo.MIME, Size: photo.Size, Step: "closeup", CreatedAt: start})
		if err != nil {
			return err
		}
		if _, err := tx.AddCaseEvent(store.CaseEvent{CaseID: kase.ID, At: start, Actor: "customer", Kind: "photo", Body: "closeup", PhotoID: id}); err != nil {
			return err
		}
		if _, err := tx.AddCaseEvent(store.CaseEvent{CaseID: kase.ID, At: start, Actor: "customer", Kind: "message_in", Body: c.message}); err != nil {
			return err
		}
		for _, p := range []bot.StaffPost{{Kind: "thread", From: "customer", Text: c.message}, {Kind: "thread", From: "customer", PhotoSH: photo.SHA256, PhotoMT: photo.MIME}} {
			payload, _ := json.Marshal(p)
			if _, err := tx.Enqueue(store.OutboxMessage{Channel: bot.StaffChannel, Recipient: kase.Number, Payload: payload, CaseID: kase.ID}, start); err != nil {
				return err
			}
		}
		return nil
	}))
	// Nobody answered in time: the thread and the managers hear of it,
	// naming the customer.
	w.clock.Advance(10 * 24 * time.Hour)
	must(w.t, SLAJob{Jobs: w.jobs}.Run(ctx, w.clock.Now()))
	for _, a := range [][2]string{{bot.ActReply, c.reply}, {bot.ActNote, c.note}, {bot.ActCause, "包装内缺少护角"},
		{bot.ActAction, "更换配件并加固包装"}, {bot.ActResolve, c.resolution}} {
		w.staff(kase, a[0], a[1])
	}
	w.deliverAll()
	must(w.t, w.db.Update(ctx, func(tx *store.Tx) error {
		v := store.Visit{ID: "V-" + c.order, OrderNo: c.order, Kind: "repair", CompletedAt: w.clock.Now()}
		if _, err := tx.AddVisit(v); err != nil {
			return err
		}
		s := store.Survey{VisitID: v.ID, Stage: "visit", Channel: "telegram", ChatID: c.chat, SentAt: w.clock.Now(),
			AnsweredAt: w.clock.Now(), Answers: `{"on_time":false,"satisfaction":"fair","scores":{}}`, Comment: c.comment, Score: 4}
		if _, err := tx.StartSurvey(s); err != nil {
			return err
		}
		return tx.AnswerSurvey(s)
	}))
	body, _ := json.Marshal(map[string]any{"order_no": c.order, "customer_name": c.name, "phone": c.phone})
	must(w.t, w.db.SaveIdempotentResponse(ctx, "idem-"+c.order, store.IdempotentResponse{Request: "POST /api/v1/orders", Status: 200, Body: body}, w.clock.Now()))
	return kase, file
}

// shortLived leaves what lives only briefly: an inbound dedupe mark, a
// dialog state and a throttle key, each naming the customer.
func (w *world) shortLived(c customer, at time.Time) {
	w.t.Helper()
	ctx := context.Background()
	must(w.t, w.db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.MarkInbound("telegram", "update-"+c.chat, at); err != nil {
			return err
		}
		_, err := tx.Fail(store.Throttle{Limit: 5, Window: 24 * time.Hour, Lock: 15 * time.Minute}, at, "verify:phone:"+c.phone)
		return err
	}))
	data, _ := json.Marshal(map[string]string{"phone": c.phone, "draft": c.description})
	must(w.t, w.db.SaveDialog(ctx, "telegram:"+c.chat, data, 0, at, 7*24*time.Hour))
}

// deliverAll marks every pending outbound message sent, as the outbox
// sender would have.
func (w *world) deliverAll() {
	w.t.Helper()
	ctx := context.Background()
	for {
		due, err := w.db.DueOutbox(ctx, w.clock.Now().AddDate(1, 0, 0), 100)
		must(w.t, err)
		if len(due) == 0 {
			return
		}
		for _, m := range due {
			must(w.t, w.db.MarkSent(ctx, m.ID, m.CreatedAt))
		}
	}
}

// orphan is an upload that never reached a case, last written at t: its
// path and hash.
func (w *world) orphan(seed byte, t time.Time) (string, string) {
	w.t.Helper()
	p, err := w.photos.Save(bytes.NewReader(append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{seed}, 40)...)))
	must(w.t, err)
	path := w.photos.Path(p.SHA256, p.MIME)
	must(w.t, os.Chtimes(path, t, t))
	return path, p.SHA256
}

// column reads the one text column of a query's rows.
func column(t *testing.T, db *sql.DB, q string, args ...any) []string {
	t.Helper()
	rows, err := db.Query(q, args...)
	must(t, err)
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		must(t, rows.Scan(&v))
		out = append(out, v)
	}
	return out
}

// foundIn lists the table.column of every value in the database that
// contains needle: every column of every table, read as text. The orders
// table is left out: it is the back office's record of the sale (the
// customer's name and phone with the goods and their warranty), which a
// customer verifies against for as long as the warranty runs; the back
// office owns it, and retention of sales records is not the desk's to
// decide.
func foundIn(t *testing.T, db *sql.DB, needle string) []string {
	t.Helper()
	names := column(t, db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('orders', 'schema_migrations')")
	if len(names) < 15 {
		t.Fatalf("only %d tables: %v", len(names), names)
	}
	var out []string
	for _, table := range names {
		columns := column(t, db, "SELECT name FROM pragma_table_info(?)", table)
		for _, col := range columns {
			var n int
			q := fmt.Sprintf(`SELECT COUNT(*) FROM %q WHERE typeof(%q) IN ('text', 'blob') AND instr(CAST(%q AS TEXT), ?) > 0`, table, col, col)
			must(t, db.QueryRow(q, needle).Scan(&n))
			if n > 0 {
				out = append(out, fmt.Sprintf("%s.%s (%d)", table, col, n))
			}
		}
	}
	return out
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func exists(path string) bool { _, err := os.Stat(path); return err == nil }

// rule: ID-5
// A customer served two years ago leaves nothing personal behind after the
// nightly retention and the hourly purge: not in any column of any table
// (messages, replies and notes with their audit copies, the case's name,
// phone, chat, description and answers, photos, survey comment, delivered
// messages, the chat binding, the stored back-office answer, the dedupe
// mark, the throttle key, the dialog), and not on disk (the photo, and an
// upload that never reached a case). A customer served this month keeps
// all of it, an upload younger than the grace period and the chart of the
// latest digest stay, the old case keeps its summary, and the digest and
// weekly report of the old dates read the same as before the purge.
func TestRetentionLeavesNoPersonalData(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	var logs bytes.Buffer
	w.jobs.Log = slog.New(slog.NewTextHandler(&logs, nil))

	w.clock.Set(at("2024-11-11 10:00"))
	oldCase, oldPhoto := w.seed(oldCustomer)
	w.shortLived(oldCustomer, w.clock.Now())
	w.clock.Set(at("2026-11-02 10:00"))
	newCase, newPhoto := w.seed(newCustomer)

	now := at("2026-11-24 03:00")
	w.clock.Set(now)
	w.shortLived(newCustomer, now.Add(-time.Hour))
	oldOrphan, _ := w.orphan(0x05, now.Add(-3*24*time.Hour))
	youngOrphan, _ := w.orphan(0x06, now.Add(-time.Hour))
	chart, chartHash := w.orphan(0x07, now.Add(-30*24*time.Hour))
	latest, _ := json.Marshal(bot.StaffPost{Kind: "managers", Text: "Daily digest", PhotoSH: chartHash, PhotoMT: "image/png"})
	must(t, w.db.SetSetting(ctx, "latest_managers_digest", string(latest)))

	digestDay, weekDay := at("2024-11-11 18:30"), at("2024-11-18 09:00")
	before, err := BuildDigest(ctx, w.db, &w.cfg.Calendar, digestDay)
	must(t, err)
	weeklyBefore, err := WeeklyReport(ctx, w.db, &w.cfg.Calendar, weekDay)
	must(t, err)
	if before.NewByKind["quality_defect"] != 1 || !strings.Contains(weeklyBefore, "SF-300") {
		t.Fatalf("the old case is not in its digest to begin with: %v\n%s", before.NewByKind, weeklyBefore)
	}
	summary, err := w.db.CaseByNumber(ctx, oldCase.Number)
	must(t, err)
	eventsBefore, err := w.db.CaseEvents(ctx, oldCase.ID)
	must(t, err)

	must(t, RetentionJob{Jobs: w.jobs, Days: 365, Photos: w.photos, Grace: 24 * time.Hour}.Run(ctx, now))
	must(t, PurgeJob{Store: w.db, DedupeWindow: 72 * time.Hour, Log: w.jobs.Log}.Run(ctx, now))

	raw, err := sql.Open("sqlite", "file:"+w.db.Path()+"?_pragma=query_only(1)")
	must(t, err)
	defer raw.Close()
	for _, s := range oldCustomer.secrets() {
		if where := foundIn(t, raw, s); len(where) > 0 {
			t.Errorf("%q outlived the retention in %v", s, where)
		}
	}
	for _, s := range newCustomer.secrets() {
		if where := foundIn(t, raw, s); len(where) == 0 {
			t.Errorf("%q of this month's customer was purged", s)
		}
	}

	// On disk: the old photo and the old orphan are gone; the rest stays.
	for path, want := range map[string]bool{oldPhoto: false, oldOrphan: false, newPhoto: true, youngOrphan: true, chart: true} {
		if exists(path) != want {
			t.Errorf("%s: exists %v, want %v", path, exists(path), want)
		}
	}

	// The old case keeps its summary and its history's shape.
	got, err := w.db.CaseByNumber(ctx, oldCase.Number)
	must(t, err)
	if got.Number != summary.Number || got.Kind != summary.Kind || got.Status != cases.Resolved || got.Classification != summary.Classification ||
		got.Cause != "包装内缺少护角" || got.Action != "更换配件并加固包装" || !got.CreatedAt.Equal(summary.CreatedAt) ||
		!got.ResolvedAt.Equal(summary.ResolvedAt) || got.OrderNo != oldCustomer.order || got.Details["lines"] != "1" {
		t.Errorf("the case summary changed:\nbefore %+v\nafter  %+v", summary, got)
	}
	if got.CustomerName != "" || got.Phone != "" || got.ChatID != "" || got.Description != "" || len(got.Details) != 1 {
		t.Errorf("the old case kept personal data: %+v", got)
	}
	events, err := w.db.CaseEvents(ctx, oldCase.ID)
	must(t, err)
	if len(events) != len(eventsBefore) {
		t.Errorf("%d events, had %d", len(events), len(eventsBefore))
	}
	// The digest and weekly report of the old dates read as before.
	after, err := BuildDigest(ctx, w.db, &w.cfg.Calendar, digestDay)
	must(t, err)
	weeklyAfter, err := WeeklyReport(ctx, w.db, &w.cfg.Calendar, weekDay)
	must(t, err)
	if after.NewByKind["quality_defect"] != 1 || after.Text() != before.Text() || weeklyAfter != weeklyBefore {
		t.Errorf("the old digest changed:\n%s\n---\n%s\n---\n%s\n---\n%s", before.Text(), after.Text(), weeklyBefore, weeklyAfter)
	}

	// This month's customer can still be served.
	if c, err := w.db.CaseByNumber(ctx, newCase.Number); err != nil || c.Phone != newCustomer.phone || c.ChatID != newCustomer.chat {
		t.Errorf("the new case lost its customer: %+v %v", c, err)
	}
	if chats, err := w.db.ChatsByPhone(ctx, newCustomer.phone); err != nil || len(chats) != 1 {
		t.Errorf("the new chat binding: %v %v", chats, err)
	}
	if seen, _ := w.db.InboundSeen(ctx, "telegram", "update-"+newCustomer.chat); !seen {
		t.Error("the new dedupe mark was purged")
	}
	if st, err := w.db.Throttled(ctx, store.Throttle{Limit: 5, Window: 24 * time.Hour}, now, "verify:phone:"+newCustomer.phone); err != nil || st.Failures != 1 {
		t.Errorf("the new throttle key: %+v %v", st, err)
	}
	if _, v, _ := w.db.LoadDialog(ctx, "telegram:"+newCustomer.chat, now); v != 1 {
		t.Error("the live dialog was purged")
	}
	if _, err := w.db.IdempotentResponse(ctx, "idem-"+newCustomer.order); err != nil {
		t.Errorf("the new idempotent answer: %v", err)
	}

	// One line for each job, with its counts by kind.
	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	var retention, purge string
	for _, l := range lines {
		switch {
		case strings.Contains(l, "retention: purged"):
			retention += l
		case strings.Contains(l, "purge: expired"):
			purge += l
		}
	}
	for _, want := range []string{"case_events=", "photos=1", "audit=", "cases=1", "surveys=1", "outbox=", "customer_chats=1",
		"idempotency_keys=1", "photo_files=2", "batches=", "longest_batch_ms="} {
		if !strings.Contains(retention, want) {
			t.Errorf("retention log line lacks %q: %s", want, retention)
		}
	}
	for _, want := range []string{"inbound_seen=1", "dialog_state=1", "throttle=1"} {
		if !strings.Contains(purge, want) {
			t.Errorf("purge log line lacks %q: %s", want, purge)
		}
	}

	// A second night finds nothing more to forget.
	logs.Reset()
	must(t, RetentionJob{Jobs: w.jobs, Days: 365, Photos: w.photos, Grace: 24 * time.Hour}.Run(ctx, now.Add(time.Minute)))
	for _, kind := range []string{"case_events", "photos", "audit", "cases", "surveys", "outbox", "customer_chats", "idempotency_keys", "photo_files"} {
		if !strings.Contains(logs.String(), " "+kind+"=0") {
			t.Errorf("second run: %s not 0: %s", kind, logs.String())
		}
	}
}

// A retention of zero days would forget everything at once: the job
// refuses it.
func TestRetentionRefusesZeroDays(t *testing.T) {
	w := newWorld(t)
	w.clock.Set(at("2026-11-02 10:00"))
	kase, _ := w.seed(newCustomer)
	err := RetentionJob{Jobs: w.jobs, Days: 0, Photos: w.photos}.Run(context.Background(), at("2026-11-24 03:00"))
	if err == nil || !strings.Contains(err.Error(), "at least one day") {
		t.Fatalf("err = %v", err)
	}
	if c, _ := w.db.CaseByNumber(context.Background(), kase.Number); c.Phone != newCustomer.phone {
		t.Fatalf("a refused run purged: %+v", c)
	}
}
