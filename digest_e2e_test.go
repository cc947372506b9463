package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/scheduler"
	"frontdesk/store"
)

// seedFortnight writes two weeks of cases, clocks, visits and surveys, as
// the desk would have, for the digest.
func seedFortnight(t *testing.T, dir string) {
	t.Helper()
	ctx := context.Background()
	cfg := config.Default()
	cfg.Validate()
	db := testkit.ReopenStore(t, filepath.Join(dir, testkit.StoreFile))
	defer db.Close() // before the command opens it
	loc := cfg.Calendar.Location()
	day0 := time.Date(2026, 11, 11, 9, 0, 0, 0, loc)
	if _, err := store.LoadDemo(ctx, db, day0, loc); err != nil {
		t.Fatal(err)
	}
	kinds := []config.CaseKind{config.KindTransportDamage, config.KindQualityDefect, config.KindRepair, config.KindComplaint, config.KindInquiry}
	err := db.Update(ctx, func(tx *store.Tx) error {
		p, err := tx.UpsertProvider(cases.Provider{Name: "张师傅安装队", Region: "浦东"})
		if err != nil {
			return err
		}
		q, err := tx.UpsertProvider(cases.Provider{Name: "赵师傅维修", Region: "闵行"})
		if err != nil {
			return err
		}
		tx.RateProvider(p, 4.5, "2026-11-20 install: fair, on time")
		tx.RateProvider(q, 2.0, "2026-11-23 repair: unsatisfied, late")
		for d := 0; d < 14; d++ {
			for i := 0; i <= (d*7)%4; i++ {
				kind := kinds[(d+i)%len(kinds)]
				opened := day0.AddDate(0, 0, d).Add(time.Duration(i) * 97 * time.Minute)
				c, err := tx.OpenCase(cases.Case{Kind: kind, OrderNo: "SO-1001", Phone: "13800001234", CustomerName: "王芳",
					Details: map[string]string{"lines": fmt.Sprint(1 + i%2)}}, opened, loc)
				if err != nil {
					return err
				}
				for _, s := range cfg.ClocksFor(string(kind), opened) {
					k := store.Clock{CaseID: c.ID, Name: s.Name, StartedAt: opened, DueAt: s.Due, FarDueAt: s.FarDue, StopOn: s.StopOn}
					if err := tx.StartClock(k); err != nil {
						return err
					}
					if (d+i)%3 != 0 { // two in three answered in time
						for _, ev := range s.StopOn {
							tx.StopClocks(c.ID, ev, s.Due.Add(-10*time.Minute))
						}
					}
				}
			}
			v := store.Visit{ID: fmt.Sprintf("V-%d", d), OrderNo: "SO-1001", ProviderID: []int64{p, q}[d%2],
				Kind: []string{"install", "repair"}[d%2], CompletedAt: day0.AddDate(0, 0, d).Add(6 * time.Hour)}
			if _, err := tx.AddVisit(v); err != nil {
				return err
			}
			sat := []string{"fair", "basic", "fair", "unsatisfied"}[d%4]
			s := store.Survey{VisitID: v.ID, Stage: "visit", Channel: "web", ChatID: "w1", SentAt: v.CompletedAt,
				AnsweredAt: v.CompletedAt.Add(time.Hour), Answers: fmt.Sprintf(`{"on_time":%v,"satisfaction":%q}`, d%5 != 0, sat)}
			if _, err := tx.StartSurvey(s); err != nil {
				return err
			}
			if err := tx.AnswerSurvey(s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// rule: MGR-1
func TestDigestPrintCommand(t *testing.T) {
	dir := t.TempDir()
	seedFortnight(t, dir)
	chart := filepath.Join(dir, "digest.png")
	if p := os.Getenv("FD_DIGEST_CHART"); p != "" {
		chart = p
	}
	var out bytes.Buffer
	env := map[string]string{"FRONTDESK_DATA": dir}
	err := run(context.Background(), []string{"digest", "--print", "--date", "2026-11-24", "--chart", chart},
		func(k string) string { return env[k] }, &out, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("FD_DIGEST_PRINT") != "" {
		fmt.Println(out.String())
	}
	// The staff channels speak zh-Hans unless configured (STF-2): kinds and
	// targets by name, no codes.
	for _, want := range []string{"经理日报 2026-11-24", "新建服务单", "投诉按时处理", "一次上门解决", "赵师傅维修", "每周问题报告", "SF-300"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("digest lacks %q:\n%s", want, out.String())
		}
	}
	for _, code := range []string{"quality_defect", "transport_damage", "installation_help"} {
		if strings.Contains(out.String(), code) {
			t.Errorf("digest shows the code %q:\n%s", code, out.String())
		}
	}
	var en bytes.Buffer
	env["FRONTDESK_STAFF_LANG"] = "en"
	err = run(context.Background(), []string{"digest", "--print", "--date", "2026-11-24"}, func(k string) string { return env[k] }, &en, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Daily digest 2026-11-24", "New cases:", "Complaints handled on time", "CSAT", "First-visit fix",
		"赵师傅维修", "Weekly problem report", "SF-300", "quality defect"} {
		if !strings.Contains(en.String(), want) {
			t.Errorf("English digest lacks %q:\n%s", want, en.String())
		}
	}
	delete(env, "FRONTDESK_STAFF_LANG")
	f, err := os.Open(chart)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if img, err := png.Decode(f); err != nil || img.Bounds().Dx() != scheduler.ChartWidth {
		t.Fatalf("chart: %v", err)
	}
	if err := run(context.Background(), []string{"digest"}, func(k string) string { return env[k] }, io.Discard, io.Discard); err == nil {
		t.Error("digest without --print accepted")
	}
}
