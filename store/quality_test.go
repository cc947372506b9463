package store_test

import (
	"context"
	"testing"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// A spot-check result is saved once: a second one for the same task is a
// conflict and changes nothing; a week is drawn once.
// rule: QLT-1
func TestSpotCheckStoredOnce(t *testing.T) {
	db := testkit.OpenStore(t)
	ctx := context.Background()
	now := time.Date(2026, 4, 6, 0, 0, 0, 0, time.UTC)
	if err := db.UpsertOrder(ctx, store.Order{No: "SO-1", CustomerName: "王芳", Phone: "13800001234",
		Items: []store.Item{{Name: "沙发", Quantity: 1, Category: config.Furniture}}}, now); err != nil {
		t.Fatal(err)
	}
	draw := store.SpotDraw{Week: "2026-04-06", Seed: 1<<63 + 5, Percent: 10, Population: 1, DrawnAt: now}
	for i, want := range []bool{true, false} {
		var fresh bool
		if err := db.Update(ctx, func(tx *store.Tx) (err error) {
			fresh, err = tx.RecordSpotDraw(draw, []store.SpotSubject{{Kind: "visit", ID: "V-1", OrderNo: "SO-1"}})
			return err
		}); err != nil || fresh != want {
			t.Fatalf("draw %d: fresh %v, %v", i, fresh, err)
		}
	}
	got, err := db.SpotDrawOf(ctx, "2026-04-06")
	if err != nil || got.Seed != draw.Seed {
		t.Fatalf("the seed comes back as %d: %v", got.Seed, err)
	}
	tasks, _ := db.SpotTasks(ctx, "")
	if len(tasks) != 1 || tasks[0].Phone != "13800001234" || tasks[0].CustomerName != "王芳" {
		t.Fatalf("tasks %+v", tasks)
	}
	sc := tasks[0].SpotCheck
	sc.Status, sc.Note, sc.Checker, sc.DoneAt = cases.SpotFine, "ok", "周主管", now
	save := func(sc cases.SpotCheck) error {
		return db.Update(ctx, func(tx *store.Tx) error { return tx.SaveSpotResult(sc) })
	}
	if err := save(sc); err != nil {
		t.Fatal(err)
	}
	sc.Status, sc.Note = cases.SpotProblem, "changed my mind"
	if err := save(sc); cases.ErrorCode(err) != cases.Conflict {
		t.Fatalf("second result: %v", err)
	}
	if tasks, _ := db.SpotTasks(ctx, ""); tasks[0].Status != cases.SpotFine || tasks[0].Note != "ok" {
		t.Fatalf("changed: %+v", tasks[0])
	}
}

// Retention forgets the customer of a call-back (keeping its scores) and a
// spot check's note.
// rule: QLT-2
func TestRetentionForgetsTheQualityLoopsPersonalData(t *testing.T) {
	db := testkit.OpenStore(t)
	ctx := context.Background()
	old := time.Date(2025, 1, 2, 10, 0, 0, 0, time.UTC)
	var id int64
	if err := db.Update(ctx, func(tx *store.Tx) error {
		c, _, err := tx.AddQualityCall(store.QualityCall{Kind: "callback", Period: "2024-Q4", Phone: "13800001234", CustomerName: "王芳",
			Channel: "web", ChatID: "w1", SentAt: old})
		id = c.ID
		if err != nil {
			return err
		}
		if _, _, err := tx.AnswerQualityCall(c.ID, "product", 4, old); err != nil {
			return err
		}
		_, _, err = tx.AnswerQualityCall(c.ID, "service", 5, old)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Purge(ctx, store.Retention{Before: old.AddDate(0, 1, 0)}); err != nil {
		t.Fatal(err)
	}
	calls, _ := db.QualityCalls(ctx, "callback", "2024-Q4")
	if len(calls) != 1 || calls[0].Phone == "13800001234" || calls[0].CustomerName != "" || calls[0].ChatID != "" ||
		calls[0].Product != 4 || calls[0].Service != 5 || calls[0].ID != id {
		t.Fatalf("after the purge: %+v", calls)
	}
}
