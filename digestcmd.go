package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"frontdesk/conversations"
	"frontdesk/scheduler"
)

// digest is `frontdesk digest --print [--date YYYY-MM-DD] [--chart FILE]`:
// the managers' daily digest and the weekly problem report, on the terminal.
func digest(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("digest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	print := fs.Bool("print", false, "print the digest to the terminal")
	date := fs.String("date", "", "the shop day (YYYY-MM-DD); today when empty")
	chart := fs.String("chart", "", "also write the chart as a PNG file here")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if !*print {
		return fmt.Errorf("%w: digest --print [--date YYYY-MM-DD] [--chart FILE]", errUsage)
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	day := time.Now()
	if *date != "" {
		if day, err = time.ParseInLocation("2006-01-02", *date, cfg.Calendar.Location()); err != nil {
			return fmt.Errorf("%w: --date %q: want YYYY-MM-DD", errUsage, *date)
		}
		day = day.Add(12 * time.Hour)
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	d, err := scheduler.BuildDigestAt(ctx, db, &cfg.Calendar, day, time.Now())
	if err != nil {
		return err
	}
	lang := conversations.Lang(cfg.StaffLanguage())
	fmt.Fprintln(stdout, d.TextIn(lang))
	weekly, err := scheduler.WeeklyReportIn(ctx, db, &cfg.Calendar, day, lang)
	if err != nil {
		return err
	}
	fmt.Fprint(stdout, weekly)
	if *chart != "" {
		png, err := scheduler.ChartOptions{Lang: lang, FontPath: cfg.ChartFont}.Render(d)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*chart, png, 0o644); err != nil {
			return fmt.Errorf("digest: %w", err)
		}
		fmt.Fprintf(stdout, "\nchart written to %s\n", *chart)
	}
	return nil
}
