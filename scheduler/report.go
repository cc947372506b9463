package scheduler

import (
	"context"
	"os"
	"time"

	"frontdesk/internal/photos"
)

// Reporter posts to the managers: text, with a picture when there is one.
type Reporter interface {
	PostToManagers(ctx context.Context, key, text string, png []byte) (bool, error)
}

// DigestJob posts the daily digest with its chart (MGR-1, MGR-2).
type DigestJob struct {
	*Jobs
	Reporter Reporter
}

// Name implements Job.
func (DigestJob) Name() string { return "digest" }

// Run implements Job.
func (j DigestJob) Run(ctx context.Context, now time.Time) error {
	d, err := BuildDigest(ctx, j.Store, j.Cal, now)
	if err != nil {
		return err
	}
	chart, err := Chart(d)
	if err != nil {
		return err
	}
	_, err = j.Reporter.PostToManagers(ctx, "digest:"+d.Date, d.Text(), chart)
	return err
}

// WeeklyJob posts the weekly problem report (MGR-3).
type WeeklyJob struct {
	*Jobs
	Reporter Reporter
}

// Name implements Job.
func (WeeklyJob) Name() string { return "weekly" }

// Run implements Job.
func (j WeeklyJob) Run(ctx context.Context, now time.Time) error {
	text, err := WeeklyReport(ctx, j.Store, j.Cal, now)
	if err != nil {
		return err
	}
	_, err = j.Reporter.PostToManagers(ctx, "weekly:"+j.day(now), text, nil)
	return err
}

// RetentionJob purges photos and message bodies older than the configured
// number of days (ID-5).
type RetentionJob struct {
	*Jobs
	Days   int
	Photos *photos.Store
}

// Name implements Job.
func (RetentionJob) Name() string { return "retention" }

// Run implements Job.
func (j RetentionJob) Run(ctx context.Context, now time.Time) error {
	files, err := j.Store.Purge(ctx, now.AddDate(0, 0, -j.Days))
	if err != nil {
		return err
	}
	for _, f := range files {
		if err := os.Remove(j.Photos.Path(f.SHA256, f.MIME)); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}
