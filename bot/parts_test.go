package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// partsRepair opens a repair of a washbasin tap in warranty in chat p1 and
// takes the call flow to the parts step; the price list has the tap's
// cartridge.
func partsRepair(t *testing.T, desk *testkit.Desk) cases.Case {
	t.Helper()
	ctx := context.Background()
	today := desk.Clock.Now().In(desk.Location)
	desk.Seed().Order(store.Order{No: "SO-5001", PaidOn: today.AddDate(0, -3, 0).Format("2006-01-02"), Status: config.OrderInstalled,
		Items: []store.Item{{Name: "面盆龙头", SKU: "TAP-1", Quantity: 1, Category: config.Bathroom, WarrantyMonths: 24}}})
	if err := desk.Store.Update(ctx, func(tx *store.Tx) error {
		return tx.PutPartPrices([]cases.PartPrice{{SKU: "CART-35", Name: "阀芯", PriceCents: 6800}}, desk.Clock.Now())
	}); err != nil {
		t.Fatal(err)
	}
	c := talker{t, desk, "p1"}
	c.verify("SO-5001", "1234")
	c.press("menu:repair")
	c.text("龙头一直滴水")
	for _, d := range []string{"ans:none", "ans:none", "ans:visit"} {
		c.press(d)
	}
	open, err := desk.Store.CasesByPhone(ctx, testkit.Phone, true)
	if err != nil || len(open) != 1 || open[0].Kind != config.KindRepair || open[0].Details["warranty"] != "free" {
		t.Fatalf("the repair: %+v %v (%q)", open, err, c.last())
	}
	for _, s := range []string{cases.StepFaultConfirmed, cases.StepPhoneUnsolved, cases.StepVisit, cases.StepChoseRepair} {
		if _, err := desk.Staff(ctx, bot.StaffAction{Case: open[0].Number, Actor: "小李", Kind: bot.ActRepairStep, Value: s}); err != nil {
			t.Fatal(err)
		}
	}
	return open[0]
}

// rule: PRT-4, PRT-1
// Parts in warranty ship free at once; the replaced cartridge is due back
// 30 days after, the customer and the thread are reminded three days
// before, once a day at most; not back by the date, it is charged at the
// price list on the case; a return recorded after the charge is kept, the
// charge stands, and a second return is refused.
func TestReplacedPartsRemindedThenCharged(t *testing.T) {
	desk := testkit.NewDesk(t, testkit.WithLocation(time.UTC))
	ctx := context.Background()
	c := partsRepair(t, desk)
	staff := func(kind, value string) error {
		_, err := desk.Staff(ctx, bot.StaffAction{Case: c.Number, Actor: "小李", Kind: kind, Value: value})
		return err
	}
	if err := staff(bot.ActPartsAdd, "CART-35 1"); err != nil {
		t.Fatal(err)
	}
	if err := staff(bot.ActPartsQuote, ""); cases.ErrorCode(err) != cases.Conflict {
		t.Fatalf("a free part quoted: %v", err)
	}
	shipOn := desk.Clock.Now().Format("2006-01-02")
	if err := staff(bot.ActPartsShip, shipOn+" SF5001"); err != nil {
		t.Fatal(err)
	}
	due := desk.Clock.Now().AddDate(0, 0, 30).Format("2006-01-02")
	if last := desk.Texts("web", "p1"); !strings.Contains(last[len(last)-1], "SF5001") || !strings.Contains(last[len(last)-1], due) {
		t.Fatalf("ship notice: %q", last[len(last)-1])
	}
	run := func() (int, int) {
		t.Helper()
		r, ch, err := desk.RunPartsDue(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		return r, ch
	}
	if r, ch := run(); r+ch != 0 {
		t.Fatalf("at once: %d reminded, %d charged", r, ch)
	}
	desk.Clock.Advance(27 * 24 * time.Hour)
	if r, ch := run(); r != 1 || ch != 0 {
		t.Fatalf("three days before: %d reminded, %d charged", r, ch)
	}
	if r, ch := run(); r+ch != 0 {
		t.Fatalf("the same day again: %d reminded, %d charged", r, ch)
	}
	texts := desk.Texts("web", "p1")
	if last := texts[len(texts)-1]; !strings.Contains(last, "旧配件") || !strings.Contains(last, due) {
		t.Fatalf("reminder: %q", last)
	}
	thread := desk.StaffPosts(c.Number)
	if !strings.Contains(strings.Join(postTexts(thread), "\n"), "须于 "+due+" 前寄回") {
		t.Fatalf("no reminder in the thread: %v", postTexts(thread))
	}
	desk.Clock.Advance(4 * 24 * time.Hour) // a day past the date
	if r, ch := run(); r != 0 || ch != 1 {
		t.Fatalf("past the date: %d reminded, %d charged", r, ch)
	}
	got, _ := desk.Store.CaseByNumber(ctx, c.Number)
	if got.Details[cases.DetailPartsCharged] != "6800" {
		t.Fatalf("charge: %v", got.Details)
	}
	if r, ch := run(); r+ch != 0 {
		t.Fatalf("charged twice: %d %d", r, ch)
	}
	if err := staff(bot.ActPartsReturned, ""); err != nil {
		t.Fatal(err)
	}
	if err := staff(bot.ActPartsReturned, ""); cases.ErrorCode(err) != cases.Conflict || !strings.Contains(cases.ErrorMessage(err), "already") {
		t.Fatalf("returned twice: %v", err)
	}
	lines, _ := desk.Store.PartLines(ctx, c.ID)
	if len(lines) != 1 || !lines[0].Returned || !lines[0].Charged || !lines[0].Warranty || lines[0].FeeCents != 0 {
		t.Fatalf("lines: %+v", lines)
	}
}

func postTexts(posts []bot.StaffPost) []string {
	out := make([]string, len(posts))
	for i, p := range posts {
		out[i] = p.Text
	}
	return out
}

// rule: PRT-7
// On the 3rd the month before is counted: parts issued (free in warranty
// or paid), returned and charged, posted once to the managers and kept for
// the digest page.
func TestMonthlyPartsCountsToTheManagers(t *testing.T) {
	clock := testkit.ClockAt(time.Date(2026, 11, 10, 2, 0, 0, 0, time.UTC))
	desk := testkit.NewDesk(t, testkit.WithClock(clock))
	ctx := context.Background()
	c := partsRepair(t, desk)
	for _, a := range [][2]string{{bot.ActPartsAdd, "CART-35 2"}, {bot.ActPartsShip, "2026-11-10 SF5002"}} {
		if _, err := desk.Staff(ctx, bot.StaffAction{Case: c.Number, Actor: "小李", Kind: a[0], Value: a[1]}); err != nil {
			t.Fatal(err)
		}
	}
	clock.Set(time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC))
	if _, err := desk.Staff(ctx, bot.StaffAction{Case: c.Number, Actor: "小李", Kind: bot.ActPartsReturned}); err != nil {
		t.Fatal(err)
	}
	clock.Set(time.Date(2026, 12, 3, 1, 0, 0, 0, time.UTC))
	posted, err := desk.PostPartsCounts(ctx)
	if err != nil || !posted {
		t.Fatalf("posted %v %v", posted, err)
	}
	if again, _ := desk.PostPartsCounts(ctx); again {
		t.Fatal("posted twice")
	}
	managers := desk.StaffPosts(bot.ManagersRecipient)
	text := managers[len(managers)-1].Text
	for _, want := range []string{"2026-11 配件月报：发出 2 件（保修内免费 2 件），旧件退回 2 件，未退回收费 0 件", "Parts, 2026-11: 2 issued"} {
		if !strings.Contains(text, want) {
			t.Errorf("the post lacks %q:\n%s", want, text)
		}
	}
	latest, ok, err := desk.LatestManagersPost(ctx, "parts")
	if err != nil || !ok || latest.Text != text {
		t.Fatalf("digest page: %v %v %+v", ok, err, latest)
	}
}
