package scheduler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"frontdesk/bot"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/metrics"
	"frontdesk/store"
)

// Desk is what the jobs ask of the desk.
type Desk interface {
	EscalateClock(ctx context.Context, c store.Clock, managers bool) (bool, error)
	PostToStaff(ctx context.Context, key, text string) (bool, error)
	OpenDelayCase(ctx context.Context, orderNo, reason string) (string, error)
	NotifyShipment(ctx context.Context, trackingNo string) (bool, error)
	StartArrivalCheck(ctx context.Context, trackingNo string) error
	StartSurvey(ctx context.Context, visitID, stage string) error
	RemindSurvey(ctx context.Context, visitID, stage string) error
}

// Jobs holds what every job needs.
type Jobs struct {
	Store *store.DB
	Desk  Desk
	Cal   *config.Calendar
	Log   *slog.Logger
	// Metrics, when set, counts clocks past due and escalations sent.
	Metrics *metrics.Ops
	// Lang is the managers' channel's language (FRONTDESK_STAFF_LANG),
	// zh-Hans when empty; ChartFont the digest chart's CJK font, found on
	// the system when empty (digest_lang.go).
	Lang      conversations.Lang
	ChartFont string
}

func (j *Jobs) day(t time.Time) string { return t.In(j.Cal.Location()).Format("2006-01-02") }

// SLAJob escalates clocks that ran out: once to the case thread, and once
// to the managers when far past due (SLA-7).
type SLAJob struct{ *Jobs }

// Name implements Job.
func (SLAJob) Name() string { return "sla" }

// Run implements Job.
func (j SLAJob) Run(ctx context.Context, now time.Time) error {
	clocks, err := j.Store.OverdueClocks(ctx, now)
	if err != nil {
		return err
	}
	for _, c := range clocks {
		if c.EscalatedAt.IsZero() && !now.Before(c.DueAt) {
			sent, err := j.Desk.EscalateClock(ctx, c, false)
			if err != nil {
				return err
			}
			j.countEscalation(c, sent, "staff")
		}
		if c.ManagersAt.IsZero() && !now.Before(c.FarDueAt) {
			sent, err := j.Desk.EscalateClock(ctx, c, true)
			if err != nil {
				return err
			}
			j.countEscalation(c, sent, "managers")
		}
	}
	return nil
}

// countEscalation counts an escalation the desk sent; the first one of a
// clock (to staff) is also the moment the clock is counted as breached. An
// escalation the desk did not send (another replica did, or the case was
// closed meanwhile) counts nothing, so no breach is counted twice.
func (j SLAJob) countEscalation(c store.Clock, sent bool, level string) {
	if !sent {
		return
	}
	if level == "staff" {
		j.Metrics.ClockBreached(c.Name)
	}
	j.Metrics.Escalated(level)
}

// reminderDays are the days before a deadline at which staff are reminded
// to check production (000 §1.4.1): two weeks; urgent orders earlier and
// more often.
func reminderDays(urgent bool) []int {
	if urgent {
		return []int{21, 14, 7, 3, 1}
	}
	return []int{14}
}

// DeadlineJob watches promised delivery dates (DLV-5, DLV-6).
type DeadlineJob struct{ *Jobs }

// Name implements Job.
func (DeadlineJob) Name() string { return "deadline" }

// Run implements Job.
func (j DeadlineJob) Run(ctx context.Context, now time.Time) error {
	today := j.day(now)
	orders, err := j.Store.OrdersAwaitingDelivery(ctx)
	if err != nil {
		return err
	}
	for _, o := range orders {
		deadline, err := time.ParseInLocation("2006-01-02", o.Deadline, j.Cal.Location())
		if err != nil {
			continue
		}
		if today > o.Deadline {
			reason := fmt.Sprintf("the promised date %s passed without delivery", o.Deadline)
			if _, err := j.Desk.OpenDelayCase(ctx, o.No, reason); err != nil {
				return err
			}
			continue
		}
		// Only the latest stage reached is posted: a first run a week before
		// an urgent deadline reminds once, not for every stage passed.
		stage := -1
		for _, n := range reminderDays(o.Urgent) {
			if today >= deadline.AddDate(0, 0, -n).Format("2006-01-02") {
				stage = n
			}
		}
		if stage >= 0 {
			text := fmt.Sprintf("📦 Order %s (%s) is promised for %s, %d days from now%s: please check production.",
				o.No, o.CustomerName, o.Deadline, daysBetween(today, o.Deadline), urgentMark(o.Urgent))
			// Keyed on the date too: a new promised date is watched again (DLV-8).
			if _, err := j.Desk.PostToStaff(ctx, fmt.Sprintf("deadline:%s:%s:%d", o.No, o.Deadline, stage), text); err != nil {
				return err
			}
		}
	}
	late, err := j.Store.LateShipments(ctx)
	if err != nil {
		return err
	}
	for _, s := range late {
		reason := fmt.Sprintf("shipment %s is expected %s, after the promised date", s.TrackingNo, s.ExpectedArrival)
		if _, err := j.Desk.OpenDelayCase(ctx, s.OrderNo, reason); err != nil {
			return err
		}
	}
	return nil
}

func urgentMark(u bool) string {
	if u {
		return " (urgent)"
	}
	return ""
}

func daysBetween(a, b string) int {
	x, _ := time.Parse("2006-01-02", a)
	y, _ := time.Parse("2006-01-02", b)
	return int(y.Sub(x).Hours() / 24)
}

// ArrivalJob asks on the expected arrival day whether goods arrived
// (DLV-4), and sends the shipping notices that could not go out yet.
type ArrivalJob struct{ *Jobs }

// Name implements Job.
func (ArrivalJob) Name() string { return "arrival" }

// Run implements Job.
func (j ArrivalJob) Run(ctx context.Context, now time.Time) error {
	pending, err := j.Store.ShipmentsWithoutNotice(ctx)
	if err != nil {
		return err
	}
	for _, s := range pending {
		if _, err := j.Desk.NotifyShipment(ctx, s.TrackingNo); err != nil && !errors.Is(err, bot.ErrNoChat) {
			return err
		}
	}
	if !j.Cal.NextOpen(now).Equal(now.In(j.Cal.Location())) {
		return nil // the arrival question waits for opening hours
	}
	due, err := j.Store.ShipmentsArrivingOn(ctx, j.day(now))
	if err != nil {
		return err
	}
	for _, s := range due {
		key := "arrival:" + s.TrackingNo
		if done, err := j.Store.Done(ctx, key); err != nil || done {
			if err != nil {
				return err
			}
			continue
		}
		err := j.Desk.StartArrivalCheck(ctx, s.TrackingNo)
		if err != nil && !errors.Is(err, bot.ErrNoChat) {
			return err
		}
		if err := j.Store.Update(ctx, func(tx *store.Tx) error { _, err := tx.DoOnce(key, now); return err }); err != nil {
			return err
		}
	}
	return nil
}

// wallpaperStages are the wallpaper callbacks after the work (004 四(六)(3)).
var wallpaperStages = []struct {
	stage string
	after time.Duration
}{{"week1", 7 * 24 * time.Hour}, {"month1", 30 * 24 * time.Hour}, {"month3", 90 * 24 * time.Hour}, {"month6", 182 * 24 * time.Hour}}

// SurveyJob sends the callback surveys in business hours (SRV-1, SRV-6) and
// one reminder of an unanswered one.
type SurveyJob struct{ *Jobs }

// Name implements Job.
func (SurveyJob) Name() string { return "survey" }

// Run implements Job.
func (j SurveyJob) Run(ctx context.Context, now time.Time) error {
	if !j.Cal.NextOpen(now).Equal(now.In(j.Cal.Location())) {
		return nil // nobody is asked for their opinion at night
	}
	visits, err := j.Store.VisitsCompletedSince(ctx, now.AddDate(0, -7, 0))
	if err != nil {
		return err
	}
	for _, v := range visits {
		if err := j.send(ctx, v.ID, "visit"); err != nil {
			return err
		}
		if !j.hasWallpaper(ctx, v.OrderNo) || v.Kind != "install" {
			continue
		}
		for _, w := range wallpaperStages {
			if !now.Before(v.CompletedAt.Add(w.after)) {
				if err := j.send(ctx, v.ID, w.stage); err != nil {
					return err
				}
			}
		}
	}
	unanswered, err := j.Store.UnansweredSurveys(ctx, now.Add(-24*time.Hour))
	if err != nil {
		return err
	}
	for _, s := range unanswered {
		key := "survey-reminder:" + s.VisitID + ":" + s.Stage
		if done, _ := j.Store.Done(ctx, key); done {
			continue
		}
		if err := j.Desk.RemindSurvey(ctx, s.VisitID, s.Stage); err != nil && !errors.Is(err, bot.ErrNoChat) {
			return err
		}
		if err := j.Store.Update(ctx, func(tx *store.Tx) error { _, err := tx.DoOnce(key, now); return err }); err != nil {
			return err
		}
	}
	return nil
}

func (j SurveyJob) send(ctx context.Context, visitID, stage string) error {
	sent, err := j.Store.SurveyStageSent(ctx, visitID, stage)
	if err != nil || sent {
		return err
	}
	if err := j.Desk.StartSurvey(ctx, visitID, stage); err != nil && !errors.Is(err, bot.ErrNoChat) {
		return err
	}
	return nil
}

func (j SurveyJob) hasWallpaper(ctx context.Context, orderNo string) bool {
	o, err := j.Store.Order(ctx, orderNo)
	if err != nil {
		return false
	}
	for _, it := range o.Items {
		if it.Category == config.Wallpaper {
			return true
		}
	}
	return false
}
