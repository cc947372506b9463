package scheduler

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/store"
)

// runSLA runs the SLA job minute by minute from the clock's time until end.
func (w *world) runSLA(end time.Time) {
	w.t.Helper()
	job := SLAJob{Jobs: w.jobs}
	for w.clock.Now().Before(end) {
		if err := job.Run(context.Background(), w.clock.Now()); err != nil {
			w.t.Fatal(err)
		}
		w.clock.Advance(time.Minute)
	}
}

func (w *world) provider() string {
	w.t.Helper()
	var id int64
	err := w.db.Update(context.Background(), func(tx *store.Tx) (err error) {
		id, err = tx.UpsertProvider(cases.Provider{Name: "好师傅", Region: "浦东"})
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return strconv.FormatInt(id, 10)
}

func (w *world) at(when string) { w.clock.Set(at(when)) }

// rule: SLA-10
// A request at 02:00 on Sunday: its first response (an hour, counted in
// opening hours) is due at 10:00 on Monday, an hour after the shop opens,
// and is escalated then and not a minute before; the managers hear at
// 11:00. A clock that counts wall time (the inquiry's full answer, 24 h) is
// not moved, and with first_response taken out of sla.business_hours the
// first response is escalated at 03:00 on Sunday.
func TestSundayNightRequestEscalatesAfterMondayOpening(t *testing.T) {
	w := newWorld(t)
	w.at("2026-11-22 02:00") // a Sunday
	c := w.openCase(config.KindInquiry, "")
	w.runSLA(at("2026-11-23 09:59"))
	if k := w.clocks(c)["first_response"]; !k.EscalatedAt.IsZero() {
		t.Fatalf("escalated before Monday's opening hour was up: %s", k.EscalatedAt.In(shanghai))
	}
	w.runSLA(at("2026-11-23 12:00"))
	k := w.clocks(c)["first_response"]
	if !k.DueAt.Equal(at("2026-11-23 10:00")) || !k.EscalatedAt.Equal(at("2026-11-23 10:00")) || !k.ManagersAt.Equal(at("2026-11-23 11:00")) {
		t.Fatalf("first response due %s escalated %s managers %s", k.DueAt.In(shanghai), k.EscalatedAt.In(shanghai), k.ManagersAt.In(shanghai))
	}
	if a := w.clocks(c)["inquiry_answer"]; !a.EscalatedAt.Equal(at("2026-11-23 02:00")) {
		t.Fatalf("the wall-time inquiry answer escalated at %s", a.EscalatedAt.In(shanghai))
	}
	posts := w.countPosts(c.Number, func(text string) bool {
		return strings.HasPrefix(text, "⏰") && strings.Contains(text, "“首次响应”") // zh-Hans by default (STF-2)
	})
	if posts != 1 {
		t.Fatalf("%d first-response escalations", posts)
	}

	wall := newWorld(t)
	wall.cfg.SLA.BusinessHours["first_response"] = false
	wall.at("2026-11-22 02:00")
	c = wall.openCase(config.KindInquiry, "")
	wall.runSLA(at("2026-11-22 04:00"))
	if k := wall.clocks(c)["first_response"]; !k.EscalatedAt.Equal(at("2026-11-22 03:00")) {
		t.Fatalf("a wall-time first response escalated at %s", k.EscalatedAt.In(shanghai))
	}
}

// rule: SLA-8
// rule: REP-4
// The repair-dispatch clock stops when a provider is sent, not when a clerk
// claims the case: claimed but not dispatched, it runs out.
func TestRepairDispatchStopsOnDispatchNotClaim(t *testing.T) {
	w := newWorld(t)
	w.at("2026-11-23 10:00")
	sent := w.openCase(config.KindRepair, "")
	claimed := w.openCase(config.KindRepair, "")
	w.at("2026-11-23 10:10")
	w.staff(sent, bot.ActClaim, "")
	w.staff(claimed, bot.ActClaim, "")
	if k := w.clocks(claimed)["repair_dispatch"]; !k.StoppedAt.IsZero() {
		t.Fatal("a claim stopped the dispatch clock")
	}
	w.at("2026-11-23 10:40")
	w.staff(sent, bot.ActDispatch, w.provider())
	w.runSLA(at("2026-11-23 11:30"))
	if k := w.clocks(sent)["repair_dispatch"]; !k.StoppedAt.Equal(at("2026-11-23 10:40")) || !k.EscalatedAt.IsZero() {
		t.Fatalf("dispatched repair: %+v", k)
	}
	if k := w.clocks(claimed)["repair_dispatch"]; !k.EscalatedAt.Equal(at("2026-11-23 11:00")) {
		t.Fatalf("claimed, undispatched repair escalated at %s", k.EscalatedAt.In(shanghai))
	}
}

// rule: SLA-9
// rule: SLA-3
// Service starts within 3 working days of the confirmation (the claim),
// not of the intake; a dispatch, an appointment or a remedy starts it.
func TestServiceStartsWithinThreeWorkingDaysOfConfirmation(t *testing.T) {
	w := newWorld(t)
	w.at("2026-11-23 10:00")
	appointed := w.openCase(config.KindInstallationHelp, "")
	remedied := w.openCase(config.KindTransportDamage, "")
	dispatched := w.openCase(config.KindQualityDefect, "")
	idle := w.openCase(config.KindTransportDamage, "")
	if _, ok := w.clocks(idle)["service_start"]; ok {
		t.Fatal("service_start runs before the case is confirmed")
	}
	w.at("2026-11-24 15:00")
	for _, c := range []cases.Case{appointed, remedied, dispatched, idle} {
		w.staff(c, bot.ActClaim, "")
	}
	k := w.clocks(idle)
	// Wed, (Thu is a holiday), Fri, (Sat is off), the make-up Sunday
	if !k["service_start"].DueAt.Equal(at("2026-11-29 15:00")) || !k["service_start"].StartedAt.Equal(at("2026-11-24 15:00")) {
		t.Fatalf("service_start %+v", k["service_start"])
	}
	if !k["case_confirm"].StoppedAt.Equal(at("2026-11-24 15:00")) {
		t.Fatalf("the claim did not confirm the case: %+v", k["case_confirm"])
	}
	w.at("2026-11-25 10:00")
	w.staff(appointed, bot.ActAppoint, "2026-11-27 09:00")
	w.staff(remedied, bot.ActRemedy, "onsite_repair")
	w.staff(dispatched, bot.ActDispatch, w.provider())
	w.staff(idle, bot.ActClaim, "") // a second claim does not move the target
	w.at("2026-11-29 14:00")
	w.runSLA(at("2026-11-29 15:30"))
	for _, c := range []cases.Case{appointed, remedied, dispatched} {
		if k := w.clocks(c)["service_start"]; !k.StoppedAt.Equal(at("2026-11-25 10:00")) || !k.EscalatedAt.IsZero() {
			t.Errorf("%s service_start: %+v", c.Kind, k)
		}
	}
	if k := w.clocks(idle)["service_start"]; !k.EscalatedAt.Equal(at("2026-11-29 15:00")) {
		t.Fatalf("an unserved case escalated at %s", k.EscalatedAt.In(shanghai))
	}
}

// rule: SLA-11
// Installation and damage cases: a provider sent, or a word to the
// customer, within 24 hours; neither, and the clock runs out.
func TestDispatchOrProgressUpdateWithin24Hours(t *testing.T) {
	w := newWorld(t)
	w.at("2026-11-23 10:00")
	updated := w.openCase(config.KindInstallationHelp, "")
	sent := w.openCase(config.KindTransportDamage, "")
	silent := w.openCase(config.KindInstallationHelp, "")
	w.at("2026-11-23 16:00")
	w.staff(updated, bot.ActReply, "师傅明天上午联系您确认时间。")
	w.staff(sent, bot.ActDispatch, w.provider())
	w.runSLA(at("2026-11-24 10:30"))
	for _, c := range []cases.Case{updated, sent} {
		if k := w.clocks(c)["progress_update"]; !k.StoppedAt.Equal(at("2026-11-23 16:00")) || !k.EscalatedAt.IsZero() {
			t.Errorf("%s progress_update: %+v", c.Kind, k)
		}
	}
	if k := w.clocks(silent)["progress_update"]; !k.EscalatedAt.Equal(at("2026-11-24 10:00")) {
		t.Fatalf("no word in 24 h escalated at %s", k.EscalatedAt.In(shanghai))
	}
}

// rule: SLA-12
// rule: SLA-13
// Returned goods checked within 3 working days of receipt, refunded within
// 3 after the check; a mail-in repair back within 5 working days.
func TestReturnAndMailInClocks(t *testing.T) {
	w := newWorld(t)
	w.at("2026-11-27 10:00") // a Friday
	ret := w.openCase(config.KindReturnExchange, "")
	late := w.openCase(config.KindReturnExchange, "")
	repair := w.openCase(config.KindRepair, "")
	w.staff(ret, bot.ActReturnReceived, "两箱")
	w.staff(late, bot.ActReturnReceived, "")
	w.staff(repair, bot.ActRepairReceived, "")
	// Sun 29 (make-up), Mon 30, Tue 1
	if k := w.clocks(late)["return_check"]; !k.DueAt.Equal(at("2026-12-01 10:00")) {
		t.Fatalf("return_check due %s", k.DueAt.In(shanghai))
	}
	// Sun 29, Mon 30, Tue 1, Wed 2, Thu 3
	if k := w.clocks(repair)["mailin_repair"]; !k.DueAt.Equal(at("2026-12-03 10:00")) {
		t.Fatalf("mailin_repair due %s", k.DueAt.In(shanghai))
	}
	w.at("2026-11-30 11:00")
	w.staff(ret, bot.ActReturnChecked, "合格")
	if k := w.clocks(ret)["return_refund"]; !k.DueAt.Equal(at("2026-12-03 11:00")) {
		t.Fatalf("return_refund due %s", k.DueAt.In(shanghai))
	}
	w.runSLA(at("2026-12-02 09:00"))
	w.staff(ret, bot.ActReturnRefunded, "")
	w.staff(repair, bot.ActRepairReturned, "SF1234567")
	w.runSLA(at("2026-12-04 12:00"))
	for name, k := range w.clocks(ret) {
		if name != "first_response" && name != "return_review" && !k.EscalatedAt.IsZero() {
			t.Errorf("return %s escalated: %+v", name, k)
		}
	}
	if k := w.clocks(repair)["mailin_repair"]; k.StoppedAt.IsZero() || !k.EscalatedAt.IsZero() {
		t.Errorf("mail-in repair back in time: %+v", k)
	}
	if k := w.clocks(late)["return_check"]; !k.EscalatedAt.Equal(at("2026-12-01 10:00")) {
		t.Fatalf("an unchecked return escalated at %s", k.EscalatedAt.In(shanghai))
	}
}

// rule: SLA-14
// The digest made at 18:30 counts a clock as missed only once it is past
// due: one due at 20:00 and still running is no failure (nor overdue) yet,
// one stopped early counts as met; the next day's digest of that day counts
// the 20:00 clock missed once it ran out unstopped.
func TestDigestCountsOnlyClocksPastDue(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.at("2026-11-24 08:00")
	c := w.openCase(config.KindComplaint, "") // its own clocks are due later
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		for _, k := range []store.Clock{
			{Name: "t_missed", DueAt: at("2026-11-24 17:00")},
			{Name: "t_running", DueAt: at("2026-11-24 20:00")},
			{Name: "t_early", DueAt: at("2026-11-24 21:00"), StoppedAt: at("2026-11-24 18:00")},
			{Name: "t_met", DueAt: at("2026-11-24 12:00"), StoppedAt: at("2026-11-24 11:00")},
		} {
			k.CaseID, k.StartedAt, k.FarDueAt, k.StopOn = c.ID, at("2026-11-24 08:00"), k.DueAt.Add(time.Hour), []string{k.Name}
			if err := tx.StartClock(k); err != nil {
				return err
			}
			if !k.StoppedAt.IsZero() {
				if err := tx.StopClocks(c.ID, k.Name, k.StoppedAt); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	count := func(d Digest) (Ratio, int) {
		var r Ratio
		r.Met, r.Total, err = w.db.ClocksMetAsOf(ctx, "t_%", at("2026-11-24 00:00"), at("2026-11-25 00:00"), at("2026-11-24 18:30"))
		if err != nil {
			t.Fatal(err)
		}
		return r, d.Overdue
	}
	d, err := BuildDigest(ctx, w.db, &w.cfg.Calendar, at("2026-11-24 18:30"))
	if err != nil {
		t.Fatal(err)
	}
	apology := w.clocks(c)["complaint_apology"] // due at 10:00, unanswered: missed
	if !apology.DueAt.Equal(at("2026-11-24 10:00")) {
		t.Fatalf("apology due %s", apology.DueAt.In(shanghai))
	}
	r, overdue := count(d)
	if r != (Ratio{2, 3}) || d.SLA != (Ratio{2, 4}) || overdue != 2 {
		t.Fatalf("at 18:30: test clocks %+v, digest %+v, overdue %d; want 2/3, 2/4 (with the apology), 2 overdue", r, d.SLA, overdue)
	}
	next, err := BuildDigestAt(ctx, w.db, &w.cfg.Calendar, at("2026-11-24 12:00"), at("2026-11-25 18:30"))
	if err != nil {
		t.Fatal(err)
	}
	if next.SLA != (Ratio{2, 5}) || next.Overdue != 3 {
		t.Fatalf("the day after: %+v, overdue %d; want 2/5 and 3", next.SLA, next.Overdue)
	}
}
