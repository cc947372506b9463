package scheduler

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/store"
)

// quarter is a shop's first quarter of 2026, driven by a fake clock: every
// Tuesday eight visits are finished (five installations, three repairs, by
// a Shanghai and a Hangzhou provider) and three cases are resolved (two
// quality defects by 小李, one transport damage by 小张), each answered
// half an hour after it came.
type quarter struct {
	*world
	pa, pb int64
}

func newQuarter(t *testing.T) *quarter {
	w := newWorld(t)
	w.clock.Set(at("2026-01-05 07:00"))
	q := &quarter{world: w}
	q.pa = w.desk.Seed().Provider(cases.Provider{Name: "申城安装", Region: "上海"}, 4)
	q.pb = w.desk.Seed().Provider(cases.Provider{Name: "杭州家修", Region: "杭州"}, 5)
	return q
}

// tuesday seeds the week's work on the Tuesday after monday.
func (q *quarter) tuesday(monday time.Time) {
	q.t.Helper()
	day := monday.AddDate(0, 0, 1).Add(10 * time.Hour)
	q.clock.Set(day)
	tag := day.Format("0102")
	for i := range 8 {
		no := fmt.Sprintf("SO-%s-%d", tag, i)
		q.desk.Seed().Order(store.Order{No: no, CustomerName: "客户" + no, Phone: fmt.Sprintf("1390000%s%d", tag, i), Status: config.OrderInstalled,
			Items: []store.Item{{Name: "布艺沙发", SKU: "SOFA-1", Quantity: 1, Category: config.Furniture}}})
		kind, provider := "install", q.pa
		if i >= 5 {
			kind = "repair"
		}
		if i%2 == 1 {
			provider = q.pb
		}
		q.desk.Seed().Visit(store.Visit{ID: "V-" + no, OrderNo: no, Kind: kind, ProviderID: provider, CompletedAt: day.Add(time.Duration(i) * time.Minute)})
	}
	var open []cases.Case
	for i := range 3 {
		kind := config.KindQualityDefect
		if i == 2 {
			kind = config.KindTransportDamage
		}
		open = append(open, q.openCase(kind, fmt.Sprintf("SO-%s-%d", tag, i)))
	}
	q.clock.Advance(30 * time.Minute)
	for i, c := range open {
		who, cause := "小李", "封边胶水不足"
		if i == 2 {
			who, cause = "小张", "运输包装不足"
		}
		for _, a := range [][2]string{{bot.ActClaim, ""}, {bot.ActReply, "您好，我们已收到"}, {bot.ActCause, cause}, {bot.ActAction, "上门修复"}, {bot.ActResolve, "已修复"}} {
			if _, err := q.desk.Staff(context.Background(), bot.StaffAction{Case: c.Number, Actor: who, Kind: a[0], Value: a[1]}); err != nil {
				q.t.Fatalf("%s %s: %v", c.Number, a[0], err)
			}
		}
	}
}

// The Monday draw over a quarter: every week 10 % of last week's finished
// visits and resolved cases (11 → 2) become spot-check tasks with the
// customer's contact in the staff channel; the draw is redone from the seed
// kept with it; a second run in the week draws nothing.
// rule: QLT-1
func TestSpotChecksOverASeededQuarter(t *testing.T) {
	q := newQuarter(t)
	ctx := context.Background()
	job := SpotCheckJob{Desk: q.desk.Desk}
	monday := at("2026-01-05 00:00")
	seeds := map[uint64]bool{}
	for week := range 13 {
		q.clock.Set(monday.Add(8 * time.Hour))
		if err := job.Run(ctx, q.clock.Now()); err != nil {
			t.Fatal(err)
		}
		if n, err := q.desk.DrawSpotChecks(ctx); err != nil || n != 0 {
			t.Fatalf("week %d: a second draw drew %d: %v", week, n, err)
		}
		draw, err := q.db.SpotDrawOf(ctx, monday.Format("2006-01-02"))
		if err != nil {
			t.Fatalf("week %d: %v", week, err)
		}
		tasks, err := q.db.SpotTasks(ctx, draw.Week)
		if err != nil {
			t.Fatal(err)
		}
		wantPop, wantTasks := 11, 2
		if week == 0 {
			wantPop, wantTasks = 0, 0 // nothing was finished the week before the quarter
		}
		if draw.Population != wantPop || draw.Percent != 10 || len(tasks) != wantTasks {
			t.Fatalf("week %d: population %d, %d %%, %d tasks", week, draw.Population, draw.Percent, len(tasks))
		}
		// The draw is redone from its seed over the same finished jobs.
		jobs, err := q.db.FinishedJobs(ctx, monday.AddDate(0, 0, -7), monday)
		if err != nil {
			t.Fatal(err)
		}
		var keys, got []string
		for _, j := range jobs {
			keys = append(keys, j.Key())
		}
		for _, tk := range tasks {
			got = append(got, tk.SubjectKind+":"+tk.Subject)
			if tk.Status != cases.SpotOpen || tk.Phone == "" || tk.CustomerName == "" {
				t.Errorf("week %d: task %+v", week, tk)
			}
			if !strings.Contains(strings.Join(q.postTexts(), "\n"), tk.Phone) {
				t.Errorf("week %d: no staff post gives %s", week, tk.Phone)
			}
		}
		slices.Sort(got)
		if redo := cases.DrawSample(draw.Seed, keys, draw.Percent); !slices.Equal(redo, got) && len(got) > 0 {
			t.Fatalf("week %d: seed %d redraws %v, kept %v", week, draw.Seed, redo, got)
		}
		seeds[draw.Seed] = true
		if week < 12 {
			q.tuesday(monday)
		}
		monday = monday.AddDate(0, 0, 7)
	}
	if len(seeds) < 12 {
		t.Errorf("only %d seeds in 13 weeks", len(seeds))
	}
}

func (q *quarter) postTexts() []string {
	var out []string
	for _, p := range q.staffPosts(bot.ChannelRecipient) {
		out = append(out, p.Text)
	}
	return out
}

// A supervisor records each task once: fine, or a problem that becomes a
// quality case in the same step; a second result, a clerk's result and a
// result for no task are refused and change nothing.
// rule: QLT-1
func TestSpotCheckResults(t *testing.T) {
	q := newQuarter(t)
	ctx := context.Background()
	q.tuesday(at("2026-01-05 00:00"))
	q.clock.Set(at("2026-01-12 08:00"))
	if n, err := q.desk.DrawSpotChecks(ctx); err != nil || n != 2 {
		t.Fatalf("drew %d: %v", n, err)
	}
	tasks, _ := q.db.SpotTasks(ctx, "")
	sup := cases.Actor{Name: "周主管", Role: cases.Supervisor}
	casesBefore, _ := q.db.OpenCaseCount(ctx, at("2027-01-01 00:00"))
	if _, err := q.desk.RecordSpotCheck(ctx, tasks[0].ID, cases.Actor{Name: "小李", Role: cases.Clerk}, cases.SpotFine, "call", ""); cases.ErrorCode(err) != cases.Forbidden {
		t.Fatalf("clerk: %v", err)
	}
	if _, err := q.desk.RecordSpotCheck(ctx, 999, sup, cases.SpotFine, "call", ""); cases.ErrorCode(err) != cases.NotFound {
		t.Fatalf("no task: %v", err)
	}
	q.clock.Set(at("2026-01-13 10:00"))
	fine, err := q.desk.RecordSpotCheck(ctx, tasks[0].ID, sup, cases.SpotFine, "call", "客户满意")
	if err != nil || fine.Status != cases.SpotFine || fine.CaseNumber != "" {
		t.Fatalf("fine: %+v %v", fine, err)
	}
	bad, err := q.desk.RecordSpotCheck(ctx, tasks[1].ID, sup, cases.SpotProblem, "visit", "沙发扶手松动，安装未紧固")
	if err != nil || bad.Status != cases.SpotProblem || bad.CaseNumber == "" {
		t.Fatalf("problem: %+v %v", bad, err)
	}
	c, err := q.db.CaseByNumber(ctx, bad.CaseNumber)
	if err != nil || c.Kind != config.KindQualityDefect || c.Description != "沙发扶手松动，安装未紧固" || c.OrderNo != tasks[1].OrderNo || c.Phone != tasks[1].Phone {
		t.Fatalf("the problem's case: %+v %v", c, err)
	}
	casesAfter, _ := q.db.OpenCaseCount(ctx, at("2027-01-01 00:00"))
	for _, again := range []int64{tasks[0].ID, tasks[1].ID} {
		if _, err := q.desk.RecordSpotCheck(ctx, again, sup, cases.SpotProblem, "call", "再来一次"); cases.ErrorCode(err) != cases.Conflict {
			t.Fatalf("second result: %v", err)
		}
	}
	if n, _ := q.db.OpenCaseCount(ctx, at("2027-01-01 00:00")); n != casesAfter || casesAfter != casesBefore+1 {
		t.Fatalf("open cases %d → %d → %d", casesBefore, casesAfter, n)
	}
	now, _ := q.db.SpotTasks(ctx, "")
	for _, tk := range now {
		if tk.ID == tasks[0].ID && (tk.Status != cases.SpotFine || tk.Note != "客户满意") {
			t.Fatalf("the fine task changed: %+v", tk)
		}
	}
}

// The monthly figures on the 3rd of each month of the quarter: the top
// complaints with their causes, installations and repairs by area, the
// staff's and the providers' figures, posted once to the managers.
// rule: QLT-5
func TestMonthlyFiguresOverASeededQuarter(t *testing.T) {
	q := newQuarter(t)
	ctx := context.Background()
	for monday := at("2026-01-05 00:00"); monday.Before(at("2026-03-30 00:00")); monday = monday.AddDate(0, 0, 7) {
		q.tuesday(monday)
	}
	job := MonthlyJob{Jobs: q.jobs, Reporter: q.desk.Desk}
	// Tuesdays seeded: four in each month (March 3 to 24).
	for _, m := range []struct {
		run      string
		month    string
		tuesdays int
	}{{"2026-02-03 09:00", "2026-01", 4}, {"2026-03-03 09:00", "2026-02", 4}, {"2026-04-03 09:00", "2026-03", 4}} {
		q.clock.Set(at(m.run))
		for range 2 { // a rerun posts nothing more
			if err := job.Run(ctx, q.clock.Now()); err != nil {
				t.Fatal(err)
			}
		}
		fig, err := BuildMonthly(ctx, q.db, &q.cfg.Calendar, q.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		n := m.tuesdays
		if fig.Month != m.month {
			t.Fatalf("month %s, want %s", fig.Month, m.month)
		}
		wantTop := []store.ComplaintCause{{Kind: "quality_defect", Cause: "封边胶水不足", Count: 2 * n}, {Kind: "transport_damage", Cause: "运输包装不足", Count: n}}
		if !slices.Equal(fig.Top, wantTop) {
			t.Errorf("%s top %+v, want %+v", m.month, fig.Top, wantTop)
		}
		wantAreas := []store.AreaCount{{Area: "上海", Kind: "install", Count: 3 * n}, {Area: "上海", Kind: "repair", Count: n},
			{Area: "杭州", Kind: "install", Count: 2 * n}, {Area: "杭州", Kind: "repair", Count: 2 * n}}
		if !slices.Equal(fig.Areas, wantAreas) {
			t.Errorf("%s areas %+v, want %+v", m.month, fig.Areas, wantAreas)
		}
		if len(fig.Staff) != 2 {
			t.Fatalf("%s staff %+v", m.month, fig.Staff)
		}
		for _, s := range fig.Staff {
			want := map[string]int{"小李": 2 * n, "小张": n}[s.Name]
			if s.Handled != want || s.FirstResponses != want || s.FirstResponseMin != 30 {
				t.Errorf("%s staff %+v, want %d handled in 30 min", m.month, s, want)
			}
		}
		if len(fig.Providers) != 2 || fig.Providers[0].Name != "申城安装" || fig.Providers[0].Visits != 4*n || fig.Providers[1].Visits != 4*n {
			t.Errorf("%s providers %+v", m.month, fig.Providers)
		}
		posts := 0
		for _, p := range q.staffPosts(bot.ManagersRecipient) {
			if strings.HasPrefix(p.Text, "月度数据 "+m.month) { // the managers' channel speaks zh-Hans by default
				posts++
				for _, want := range []string{"封边胶水不足", "上海", "杭州", "小李", "申城安装", "质量问题", "安装"} {
					if !strings.Contains(p.Text, want) {
						t.Errorf("%s post lacks %s:\n%s", m.month, want, p.Text)
					}
				}
			}
		}
		if posts != 1 {
			t.Errorf("%s posted %d times", m.month, posts)
		}
	}
}

// An open corrective action stays in the daily digest, carried out or not,
// until its effect check closes it.
// rule: QLT-4
func TestOpenCorrectiveActionsStayInTheDigest(t *testing.T) {
	q := newQuarter(t)
	ctx := context.Background()
	q.clock.Set(at("2026-01-06 10:00"))
	clerk := cases.Actor{Name: "小李", Role: cases.Clerk}
	a, err := q.desk.OpenCorrective(ctx, clerk, cases.Corrective{SourceKind: "report", Source: "周报 SOFA-1 quality_defect ×8", SKU: "SOFA-1",
		Problem: "封边开胶", Owner: "王工", Department: "production", DueOn: "2026-01-31"})
	if err != nil {
		t.Fatal(err)
	}
	digest := func() string {
		d, err := BuildDigest(ctx, q.db, &q.cfg.Calendar, q.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return d.Text()
	}
	if s := digest(); !strings.Contains(s, "封边开胶") || !strings.Contains(s, "due 2026-01-31") {
		t.Fatalf("open action not in the digest:\n%s", s)
	}
	q.desk.ActOnCorrective(ctx, a.ID, clerk, cases.ActionDone, "更换胶水供应商")
	q.clock.Set(at("2026-01-20 18:30"))
	if s := digest(); !strings.Contains(s, "封边开胶") || !strings.Contains(s, "effect check 2026-02-05") {
		t.Fatalf("carried-out action not in the digest:\n%s", s)
	}
	q.clock.Set(at("2026-02-06 08:30"))
	if err := (EffectCheckJob{Desk: q.desk.Desk}).Run(ctx, q.clock.Now()); err != nil {
		t.Fatal(err)
	}
	if s := digest(); strings.Contains(s, "封边开胶") {
		t.Fatalf("closed action still in the digest:\n%s", s)
	}
}
