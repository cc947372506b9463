package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
)

// rule: ID-5
// The purge changes at most Batch rows per transaction, so the one writer
// is never held for long, and still forgets every old row; new rows stay.
func TestPurgeRunsInBoundedBatches(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	old, recent := t0.AddDate(-2, 0, 0), t0.AddDate(0, 0, -1)
	var number string
	err := db.Update(ctx, func(tx *Tx) error {
		c, err := tx.OpenCase(cases.Case{Kind: config.KindInquiry, CustomerName: "王芳", Phone: "13800001234"}, old, shanghai)
		if err != nil {
			return err
		}
		number = c.Number
		for i := 0; i < 5; i++ {
			if _, err := tx.AddCaseEvent(CaseEvent{CaseID: c.ID, At: old, Actor: "customer", Kind: "message_in", Body: fmt.Sprint("old words ", i)}); err != nil {
				return err
			}
		}
		if _, err := tx.AddCaseEvent(CaseEvent{CaseID: c.ID, At: old, Actor: "小李", Kind: "cause", Body: "包装不足"}); err != nil {
			return err
		}
		if _, err := tx.AddCaseEvent(CaseEvent{CaseID: c.ID, At: recent, Actor: "customer", Kind: "message_in", Body: "new words"}); err != nil {
			return err
		}
		for i := 0; i < 3; i++ {
			if err := tx.BindChat(CustomerChat{Phone: "13800001234", Channel: "web", ChatID: fmt.Sprint("old", i), VerifiedAt: old}); err != nil {
				return err
			}
		}
		return tx.BindChat(CustomerChat{Phone: "13800001234", Channel: "web", ChatID: "new", VerifiedAt: recent})
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.Purge(ctx, Retention{Before: t0.AddDate(-1, 0, 0), Batch: 2})
	if err != nil {
		t.Fatal(err)
	}
	if k := p.Kind("case_events"); k.Rows != 5 || k.Batches != 3 {
		t.Errorf("case events: %+v, want 5 rows in 3 batches of at most 2", k)
	}
	if k := p.Kind("customer_chats"); k.Rows != 3 || k.Batches != 2 {
		t.Errorf("chats: %+v, want 3 rows in 2 batches", k)
	}
	if p.Batches < 5 || p.Longest <= 0 {
		t.Errorf("batches %d, longest %v", p.Batches, p.Longest)
	}
	c, err := db.CaseByNumber(ctx, number)
	if err != nil {
		t.Fatal(err)
	}
	events, err := db.CaseEvents(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var bodies []string
	for _, e := range events {
		bodies = append(bodies, e.Body)
	}
	if got := strings.Join(bodies, "|"); got != "|||||包装不足|new words" {
		t.Errorf("bodies after the purge: %q", got)
	}
	if chats, _ := db.ChatsByPhone(ctx, "13800001234"); len(chats) != 1 || chats[0].ChatID != "new" {
		t.Errorf("chats after the purge: %+v", chats)
	}
	// The case is not resolved: it keeps its customer until it is.
	if c, _ := db.CaseByNumber(ctx, number); c.Phone != "13800001234" {
		t.Errorf("an open case lost its customer: %+v", c)
	}
}

// A photo file is in use while a case's photo, an undelivered message or a
// kept value names it; a delivered message does not keep it.
func TestPhotosInUse(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	hash := func(c byte) string { return strings.Repeat(string(c), 64) }
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.AddPhoto(Photo{SHA256: hash('a'), MIME: "image/png", Size: 1, CreatedAt: t0}); err != nil {
			return err
		}
		for _, h := range []string{hash('b'), hash('c')} {
			if _, err := tx.Enqueue(OutboxMessage{Channel: "staff", Recipient: "AS-1", Payload: []byte(`{"photo_sha256":"` + h + `"}`)}, t0); err != nil {
				return err
			}
		}
		return tx.SetSettingTx("latest_digest", `{"photo_sha256":"`+hash('d')+`"}`)
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.MarkSent(ctx, 2, t0); err != nil { // the message naming c
		t.Fatal(err)
	}
	var all []string
	for _, c := range "abcde" {
		all = append(all, hash(byte(c)))
	}
	for i := 0; i < 600; i++ { // more than one query's worth
		all = append(all, fmt.Sprintf("%064x", i))
	}
	used, err := db.PhotosInUse(ctx, all)
	if err != nil {
		t.Fatal(err)
	}
	if len(used) != 3 || !used[hash('a')] || !used[hash('b')] || !used[hash('d')] {
		t.Fatalf("in use: %v", used)
	}
}

// The expired records go, each after its own lifetime; live ones stay.
func TestPurgeExpiredForgetsThrottleKeysOnceTheirWindowAndLockEnded(t *testing.T) {
	db, ctx := MustOpen(t), context.Background()
	th := Throttle{Limit: 1, Window: 24 * time.Hour, Lock: time.Hour}
	err := db.Update(ctx, func(tx *Tx) error {
		if _, err := tx.Fail(th, t0.Add(-30*time.Hour), "verify:phone:13800000001"); err != nil { // window and lock over
			return err
		}
		if _, err := tx.Fail(th, t0.Add(-2*time.Hour), "verify:phone:13800000002"); err != nil { // window running
			return err
		}
		// Failed again late in its window: locked past the window's end.
		long := Throttle{Limit: 1, Window: 24 * time.Hour, Lock: 24 * time.Hour}
		for _, at := range []time.Time{t0.Add(-30 * time.Hour), t0.Add(-7 * time.Hour)} {
			if _, err := tx.Fail(long, at, "verify:phone:13800000003"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.PurgeExpired(ctx, Expiry{Now: t0, DedupeBefore: t0.Add(-72 * time.Hour), ThrottleWindow: 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind("throttle").Rows != 1 {
		t.Errorf("throttle: %+v", p.Kind("throttle"))
	}
	for key, want := range map[string]int{"verify:phone:13800000001": 0, "verify:phone:13800000002": 1, "verify:phone:13800000003": 2} {
		var n int
		db.read.QueryRow("SELECT COALESCE(SUM(failures), 0) FROM throttle WHERE key = ?", key).Scan(&n)
		if n != want {
			t.Errorf("%s: %d failures kept, want %d", key, n, want)
		}
	}
}

// BenchmarkPurge forgets the texts of 100 000 old case events and audit
// lines among 100 000 new ones, and reports how long the longest batch held
// the writer.
func BenchmarkPurge(b *testing.B) {
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := MustOpen(b)
		err := db.Update(ctx, func(tx *Tx) error {
			c, err := tx.OpenCase(cases.Case{Kind: config.KindInquiry}, t0, shanghai)
			if err != nil {
				return err
			}
			for j := 0; j < 200_000; j++ {
				at := t0.AddDate(-2, 0, 0)
				if j%2 == 1 {
					at = t0
				}
				if _, err := tx.AddCaseEvent(CaseEvent{CaseID: c.ID, At: at, Actor: "customer", Kind: "message_in", Body: "some words of the customer"}); err != nil {
					return err
				}
				if err := tx.Audit(AuditEntry{At: at, Actor: "小李", Action: "note", Subject: c.Number, Detail: "a note on the customer"}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		p, err := db.Purge(ctx, Retention{Before: t0.AddDate(-1, 0, 0)})
		if err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		if p.Kind("case_events").Rows != 100_000 || p.Kind("audit").Rows != 100_000 {
			b.Fatalf("%+v", p)
		}
		b.ReportMetric(float64(p.Longest.Microseconds())/1000, "longest-batch-ms")
		b.ReportMetric(float64(p.Batches), "batches")
		db.Close()
	}
}

// rule: ID-7
func TestPurgeForgetsOldWebSessions(t *testing.T) {
	ctx := context.Background()
	db := MustOpen(t)
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	for _, id := range []string{"old", "ended", "recent"} {
		if err := db.CreateWebSession(ctx, id, t0); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.TouchWebSession(ctx, "recent", t0.Add(28*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.TouchWebSession(ctx, "ended", t0.Add(20*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := db.EndWebSession(ctx, "ended", t0.Add(20*24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	now := t0.Add(30 * 24 * time.Hour)
	if _, err := db.PurgeExpired(ctx, Expiry{Now: now, DedupeBefore: now, ThrottleWindow: time.Hour,
		WebSessionsBefore: now.Add(-7 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	for id, kept := range map[string]bool{"old": false, "ended": false, "recent": true} {
		_, err := db.WebSession(ctx, id)
		if (err == nil) != kept {
			t.Errorf("session %s kept=%v: %v", id, err == nil, err)
		}
	}
}
