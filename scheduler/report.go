package scheduler

import (
	"context"
	"fmt"
	"time"

	"frontdesk/internal/photos"
	"frontdesk/store"
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
	chart, err := j.chartOptions().Render(d)
	if err != nil {
		return err
	}
	_, err = j.Reporter.PostToManagers(ctx, "digest:"+d.Date, d.TextIn(j.lang()), chart)
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
	text, err := WeeklyReportIn(ctx, j.Store, j.Cal, now, j.lang())
	if err != nil {
		return err
	}
	_, err = j.Reporter.PostToManagers(ctx, "weekly:"+j.day(now), text, nil)
	return err
}

// RetentionJob forgets the personal data older than the configured number
// of days (ID-5): message and note texts, photos, the customer's name,
// phone, chat and words on resolved cases, survey comments, delivered
// messages, chat bindings and stored back-office answers (store.Purge), a
// batch at a time; then the photo files no record needs any more, among
// them uploads that never reached a case once they are older than Grace.
// It logs what it forgot, by kind, in one line.
type RetentionJob struct {
	*Jobs
	Days   int
	Photos *photos.Store // nil: no photo files to remove
	// Grace is how long an upload no case took is kept: a dialog may still
	// hold it, so at least the dialog lifetime. A day when zero.
	Grace time.Duration
	Batch int // rows per transaction; store.PurgeBatch when zero
}

// Name implements Job.
func (RetentionJob) Name() string { return "retention" }

// Run implements Job.
func (j RetentionJob) Run(ctx context.Context, now time.Time) error {
	if j.Days <= 0 {
		return fmt.Errorf("scheduler: retention of %d days: want at least one day", j.Days)
	}
	grace := j.Grace
	if grace <= 0 {
		grace = 24 * time.Hour
	}
	purged, err := j.Store.Purge(ctx, store.Retention{Before: now.AddDate(0, 0, -j.Days), Batch: j.Batch})
	files := 0
	if err == nil {
		files, err = j.removeUnusedFiles(ctx, now.Add(-grace))
	}
	args := append(purged.LogArgs(), "photo_files", files)
	if err != nil {
		j.Log.Error("retention: purge stopped", append(args, "err", err)...)
		return fmt.Errorf("scheduler: retention: %w", err)
	}
	j.Log.Info("retention: purged", args...)
	return nil
}

// removeUnusedFiles removes the photo files written before t that no record
// needs, and says how many.
func (j RetentionJob) removeUnusedFiles(ctx context.Context, t time.Time) (int, error) {
	if j.Photos == nil {
		return 0, nil
	}
	files, err := j.Photos.Before(t)
	if err != nil {
		return 0, err
	}
	var hashes []string
	for _, f := range files {
		if f.Hash != "" {
			hashes = append(hashes, f.Hash)
		}
	}
	used, err := j.Store.PhotosInUse(ctx, hashes)
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, f := range files {
		if f.Hash != "" && used[f.Hash] {
			continue
		}
		ok, err := j.Photos.Remove(f)
		if err != nil {
			return removed, err
		}
		if ok {
			removed++
		}
	}
	return removed, nil
}
