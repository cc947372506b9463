package scheduler

import (
	"context"
	"log/slog"
	"time"

	"frontdesk/internal/photos"
)

// Entry is one line of the cron table: a job and when it runs.
type Entry struct {
	Spec string
	Job  Job
}

// TableConfig is what the desk's cron table is made from.
type TableConfig struct {
	Jobs          *Jobs
	Reporter      Reporter      // posts the daily digest and the weekly report
	Photos        *photos.Store // whose old files retention removes
	DigestAt      string        // cron spec of the daily digest (config digest_at)
	RetentionDays int
	// PhotoGrace is how long an upload no case took is kept (the dialog
	// lifetime: a dialog may still hold it); a day when zero.
	PhotoGrace   time.Duration
	DedupeWindow time.Duration // how long inbound dedupe marks are kept
	CallBacks    CallBacker    // sends the call-backs that are due (CAS-3)
	Visits       VisitReminder // reminds customers the day before a visit (PRV-3), providers.go
	Quality      QualityDesk   // the quality loop (quality.go)
	Products     ProductsDesk  // warranty cards and care reminders (products.go)
	Parts        PartsDesk     // replaced parts due back and the monthly parts counts (parts.go)
	// PartsRemindBefore is how long before their date replaced parts are reminded of.
	PartsRemindBefore time.Duration
}

// Table is the desk's cron table (README, "Scheduler"), in the shop's zone:
// cron only says when to look, each job decides from the store what is due.
func Table(c TableConfig) []Entry {
	return []Entry{
		{"* * * * *", SLAJob{Jobs: c.Jobs}},
		{"0 9 * * *", DeadlineJob{Jobs: c.Jobs}},
		{"*/30 * * * *", ArrivalJob{Jobs: c.Jobs}},
		{"15,45 * * * *", DeliveryJob{Jobs: c.Jobs}}, // delivery.go
		{"5 * * * *", SurveyJob{Jobs: c.Jobs}},
		{c.DigestAt, DigestJob{Jobs: c.Jobs, Reporter: c.Reporter}},
		{"0 9 * * 1", WeeklyJob{Jobs: c.Jobs, Reporter: c.Reporter}},
		{"0 3 * * *", RetentionJob{Jobs: c.Jobs, Days: c.RetentionDays, Photos: c.Photos, Grace: c.PhotoGrace}},
		{"*/10 * * * *", CallBackJob{Desk: c.CallBacks}},
		{"25 * * * *", AppointmentJob{Desk: c.Visits}},
		{"0 8 * * 1", SpotCheckJob{Desk: c.Quality}},                              // quality.go
		{"30 8 * * *", EffectCheckJob{Desk: c.Quality}},                           // quality.go
		{"0 9 3 * *", MonthlyJob{Jobs: c.Jobs, Reporter: c.Reporter}},             // quality.go
		{"0 10 2 1,4,7,10 *", QualityCallJob{Desk: c.Quality, Kind: "callback"}},  // quality.go
		{"30 10 2 1,7 *", QualityCallJob{Desk: c.Quality, Kind: "questionnaire"}}, // quality.go
		{"*/20 * * * *", WarrantyJob{Desk: c.Products}},
		{"40 * * * *", CareJob{Desk: c.Products}},
		{"30 9 * * *", PartsDueJob{Desk: c.Parts, RemindBefore: c.PartsRemindBefore}}, // parts.go
		{"0 9 3 * *", PartsCountJob{Desk: c.Parts}},
		{"17 * * * *", PurgeJob{Store: c.Jobs.Store, DedupeWindow: c.DedupeWindow, WebSessionIdle: c.PhotoGrace, Log: c.Jobs.Log}},
	}
}

// NewWithTable builds a scheduler in loc whose jobs run under locker (one
// replica runs each; nil: every replica does) on the entries' specs. It
// fails on a spec cron does not read, naming the job.
func NewWithTable(ctx context.Context, loc *time.Location, now func() time.Time, log *slog.Logger, locker Locker, table []Entry) (*Scheduler, error) {
	s := New(ctx, loc, now, log)
	s.Locker = locker
	for _, e := range table {
		if err := s.Add(e.Spec, e.Job); err != nil {
			return nil, err
		}
	}
	return s, nil
}
