package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"frontdesk/backoffice"
	"frontdesk/config"
)

// importParts is `frontdesk import parts FILE.csv`: the parts price list
// (sku, name, price_yuan; UTF-8 or GBK), saved all or nothing (PRT-5).
func importParts(ctx context.Context, cfg config.Config, r io.Reader, file string, dryRun bool, stdout io.Writer) error {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	rep, err := backoffice.ImportParts(ctx, db, r, time.Now(), dryRun)
	for _, e := range rep.Errors {
		fmt.Fprintln(stdout, e.String())
	}
	if errors.Is(err, backoffice.ErrRejected) {
		return fmt.Errorf("import: %d problem(s) in %s; nothing was saved", len(rep.Errors), file)
	}
	if err != nil {
		return err
	}
	if dryRun {
		fmt.Fprintf(stdout, "dry run: %d rows, %d parts, all valid; nothing saved\n", rep.Rows, rep.Records)
		return nil
	}
	fmt.Fprintf(stdout, "imported %d rows: %d parts in the price list\n", rep.Rows, rep.Records)
	return nil
}
