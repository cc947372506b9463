package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// A corrective action is opened from a serious case (not from an ordinary
// one), worked with progress notes, carried out, and its effect checked
// after the configured days: the product's problem recurred, so it is open
// again; carried out again with no recurrence, it closes. The managers hear
// of each check.
// rule: QLT-4
func TestCorrectiveActionFromASeriousCaseToItsEffect(t *testing.T) {
	desk := testkit.NewDesk(t)
	desk.Quality.EffectCheckDays = 30
	desk.Seed().Orders()
	ctx := context.Background()
	c := desk.ReportDamage("w1", "SO-1001", "沙发腿断了")
	clerk := cases.Actor{Name: "小李", Role: cases.Clerk}
	in := cases.Corrective{SourceKind: "case", Source: c.Number, SKU: "SF-300", Problem: "沙发腿运输中断裂", Owner: "王工",
		Department: "logistics", DueOn: desk.Clock.Now().AddDate(0, 0, 14).Format("2006-01-02")}
	if _, err := desk.OpenCorrective(ctx, clerk, in); cases.ErrorCode(err) != cases.Invalid || !strings.Contains(err.Error(), "major") {
		t.Fatalf("from an ordinary case: %v", err)
	}
	if _, err := desk.Staff(ctx, bot.StaffAction{Case: c.Number, Actor: "小李", Kind: bot.ActMajor}); err != nil {
		t.Fatal(err)
	}
	a, err := desk.OpenCorrective(ctx, clerk, in)
	if err != nil || a.ID == 0 || a.Status != cases.ActionOpen {
		t.Fatalf("open: %+v %v", a, err)
	}
	if !strings.Contains(strings.Join(qualityPosts(desk, bot.ChannelRecipient), "\n"), "沙发腿运输中断裂") {
		t.Error("the staff channel was not told")
	}
	if _, err := desk.ActOnCorrective(ctx, a.ID, clerk, cases.ActionNote, "已与物流公司沟通加固包装"); err != nil {
		t.Fatal(err)
	}
	if a, err = desk.ActOnCorrective(ctx, a.ID, clerk, cases.ActionDone, ""); err != nil || a.Status != cases.ActionChecking {
		t.Fatalf("done: %+v %v", a, err)
	}
	// Not due yet: nothing is checked.
	if n, err := desk.CheckCorrectiveEffects(ctx); n != 0 || err != nil {
		t.Fatalf("early check: %d %v", n, err)
	}
	// The problem comes back for the same product.
	desk.Clock.Advance(10 * 24 * time.Hour)
	desk.Seed().Order(store.Order{No: "SO-3001", CustomerName: "张三", Phone: "13700001111"})
	qualityCase(t, desk, "SO-3001")
	desk.Clock.Advance(21 * 24 * time.Hour)
	if n, err := desk.CheckCorrectiveEffects(ctx); n != 1 || err != nil {
		t.Fatalf("check: %d %v", n, err)
	}
	list, _ := desk.Store.Correctives(ctx, false)
	if len(list) != 1 || list[0].Status != cases.ActionOpen || list[0].Effect != "recurred" {
		t.Fatalf("after a recurrence: %+v", list)
	}
	if _, err := desk.ActOnCorrective(ctx, a.ID, clerk, cases.ActionDone, "改用木箱包装"); err != nil {
		t.Fatal(err)
	}
	desk.Clock.Advance(31 * 24 * time.Hour)
	if n, err := desk.CheckCorrectiveEffects(ctx); n != 1 || err != nil {
		t.Fatalf("second check: %d %v", n, err)
	}
	if list, _ := desk.Store.Correctives(ctx, false); len(list) != 0 {
		t.Fatalf("still open after an effective check: %+v", list)
	}
	notes, _ := desk.Store.CorrectiveNotes(ctx, a.ID)
	if len(notes) != 5 {
		t.Fatalf("notes: %+v", notes)
	}
	managers := strings.Join(qualityPosts(desk, bot.ManagersRecipient), "\n")
	if !strings.Contains(managers, "重新打开") || !strings.Contains(managers, "措施关闭") {
		t.Fatalf("managers' posts: %s", managers)
	}
	if _, err := desk.ActOnCorrective(ctx, a.ID, clerk, cases.ActionNote, "x"); cases.ErrorCode(err) != cases.Conflict {
		t.Fatalf("note on a closed action: %v", err)
	}
}

// Bad input opens nothing: an unknown department, a missing owner, a case
// that does not exist.
// rule: QLT-4
func TestCorrectiveActionBadInput(t *testing.T) {
	desk := testkit.NewDesk(t)
	ctx := context.Background()
	clerk := cases.Actor{Name: "小李", Role: cases.Clerk}
	due := desk.Clock.Now().AddDate(0, 0, 7).Format("2006-01-02")
	for _, in := range []cases.Corrective{
		{SourceKind: "report", Source: "SF-300 ×4", Problem: "p", Owner: "o", Department: "marketing", DueOn: due},
		{SourceKind: "report", Source: "SF-300 ×4", Problem: "p", Owner: "", Department: "production", DueOn: due},
		{SourceKind: "case", Source: "AS-20990101-0001", Problem: "p", Owner: "o", Department: "production", DueOn: due},
	} {
		if _, err := desk.OpenCorrective(ctx, clerk, in); cases.ErrorCode(err) != cases.Invalid {
			t.Errorf("%+v: %v", in, err)
		}
	}
	if list, _ := desk.Store.Correctives(ctx, true); len(list) != 0 {
		t.Fatalf("saved: %+v", list)
	}
	if _, err := desk.ActOnCorrective(ctx, 42, clerk, cases.ActionNote, "x"); cases.ErrorCode(err) != cases.NotFound {
		t.Fatalf("no such action: %v", err)
	}
}

func qualityPosts(desk *testkit.Desk, recipient string) []string {
	var out []string
	for _, p := range desk.StaffPosts(recipient) {
		out = append(out, p.Text)
	}
	return out
}

func qualityCase(t *testing.T, desk *testkit.Desk, orderNo string) {
	t.Helper()
	err := desk.Store.Update(context.Background(), func(tx *store.Tx) error {
		_, err := tx.OpenCase(cases.Case{Kind: "quality_defect", OrderNo: orderNo, Phone: "13700001111"}, desk.Clock.Now(), time.UTC)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
