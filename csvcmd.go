package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"frontdesk/backoffice"
	"frontdesk/config"
)

// importCSV is `frontdesk import orders|shipments|visits|providers|wallpaper-stock FILE.csv`.
// It runs beside a serving desk (it is no desk itself, so it takes no serve
// lock), in short transactions that leave the desk the writer between them
// (backoffice.ImportWith). New shipments and visits get their shipping
// notice or survey queued once the import is applied; the running desk
// delivers them.
func importCSV(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dryRun := fs.Bool("dry-run", false, "check the file and report, save nothing")
	if len(args) < 2 {
		return fmt.Errorf("%w: import orders|shipments|visits|providers|parts FILE.csv [--dry-run]", errUsage)
	}
	kind, file := args[0], args[1]
	if err := fs.Parse(args[2:]); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	f, err := os.Open(file)
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	defer f.Close()
	if kind == "parts" { // the parts price list: partscmd.go
		return importParts(ctx, cfg, f, file, *dryRun, stdout)
	}
	d, err := buildForImport(ctx, cfg, slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if err != nil {
		return err
	}
	defer d.close()
	if kind == "wallpaper-stock" { // the rolls of each batch in stock (WAL-3, WAL-8)
		return importWallpaperStock(ctx, d, f, file, stdout)
	}
	rep, err := backoffice.ImportWith(ctx, d.db, kind, f, cfg.Calendar.Location(), time.Now(),
		backoffice.Options{DryRun: *dryRun, FileName: filepath.Base(file)})
	for _, e := range rep.Errors {
		fmt.Fprintln(stdout, e.String())
	}
	if len(rep.Kept) > 0 {
		fmt.Fprintf(stdout, "kept, as the desk refers to them meanwhile: %s\n", strings.Join(rep.Kept, ", "))
	}
	if errors.Is(err, backoffice.ErrRejected) {
		return fmt.Errorf("import: %d problem(s) in %s; nothing was saved", len(rep.Errors), file)
	}
	if err != nil {
		return err // says whether the import was rolled back, or applied
	}
	if *dryRun {
		fmt.Fprintf(stdout, "dry run: %d rows, %d %s, all valid; nothing saved\n", rep.Rows, rep.Records, kind)
		return nil
	}
	fmt.Fprintf(stdout, "imported %d rows: %d %s (%d new)\n", rep.Rows, rep.Records, kind, len(rep.Created))
	for _, key := range rep.Created {
		switch kind {
		case "shipments":
			if _, err := d.desk.NotifyShipment(ctx, key); err != nil {
				fmt.Fprintf(stdout, "  shipping notice for %s waits: %v\n", key, err)
			}
		case "visits":
			if err := d.desk.StartSurvey(ctx, key, "visit"); err != nil {
				fmt.Fprintf(stdout, "  survey of visit %s waits: %v\n", key, err)
			}
		}
	}
	return nil
}

// buildForImport is build without the serve lock: the import queues
// notices through a desk of its own, and the serving desk (if any) sends
// them.
func buildForImport(ctx context.Context, cfg config.Config, log *slog.Logger) (*desk, error) {
	return assemble(ctx, cfg, log, false)
}

// exportCSV is `frontdesk export cases [--since YYYY-MM-DD]`.
func exportCSV(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) < 1 || args[0] != "cases" {
		return fmt.Errorf("%w: export cases [--since YYYY-MM-DD]", errUsage)
	}
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	sinceFlag := fs.String("since", "", "only cases created on or after this day (YYYY-MM-DD)")
	if err := fs.Parse(args[1:]); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	var since time.Time
	if *sinceFlag != "" {
		if since, err = time.ParseInLocation("2006-01-02", *sinceFlag, cfg.Calendar.Location()); err != nil {
			return fmt.Errorf("%w: --since %q: want YYYY-MM-DD", errUsage, *sinceFlag)
		}
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = backoffice.ExportCases(ctx, db, stdout, since, cfg.Calendar.Location())
	return err
}

// importWallpaperStock imports the stock of wallpaper batches, all lines or
// none.
func importWallpaperStock(ctx context.Context, d *desk, f io.Reader, file string, stdout io.Writer) error {
	rep, err := backoffice.ImportWallpaperStock(ctx, d.db, f, time.Now())
	for _, e := range rep.Errors {
		fmt.Fprintln(stdout, e.String())
	}
	if errors.Is(err, backoffice.ErrRejected) {
		return fmt.Errorf("import: %d problem(s) in %s; nothing was saved", len(rep.Errors), file)
	}
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	fmt.Fprintf(stdout, "imported %d rows: %d wallpaper stock lines\n", rep.Rows, rep.Records)
	return nil
}
