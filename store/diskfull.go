package store

import (
	"context"
	"fmt"
	"strings"
)

// fillerTable receives the blobs that SimulateFullDisk's triggers cannot
// store.
const fillerTable = "disk_full_filler"

// SimulateFullDisk makes the store behave as on a full disk, for tests of
// what the desk does then, and undoes it when full is false. Every write
// that changes a row then fails with SQLITE_FULL from SQLite itself (code
// Unavailable) while reads go on, as they do on a full disk. It caps the
// database at its current size (PRAGMA max_page_count) on the one write
// connection, and adds temporary triggers there that make every INSERT,
// UPDATE and DELETE also store a blob larger than the free pages left:
// SQLite refuses the statement as it would on a full disk. A cap alone is
// not enough: a write that fits in the pages the file has already succeeds.
func (db *DB) SimulateFullDisk(ctx context.Context, full bool) error {
	conn, err := db.write.Conn(ctx) // the write pool's one connection
	if err != nil {
		return fmt.Errorf("store: simulate full disk: %w", err)
	}
	defer conn.Close()
	if !full {
		rows, err := conn.QueryContext(ctx, "SELECT name FROM sqlite_temp_master WHERE type = 'trigger' AND name LIKE 'disk_full_%'")
		names, err := collect(rows, err, "simulated full disk", func(r scanner) (s string, err error) { return s, r.Scan(&s) })
		if err != nil {
			return err
		}
		for _, n := range names {
			if _, err := conn.ExecContext(ctx, `DROP TRIGGER temp."`+n+`"`); err != nil {
				return fmt.Errorf("store: free the simulated disk: %w", err)
			}
		}
		for _, q := range []string{"PRAGMA max_page_count = 4294967294", "DELETE FROM " + fillerTable} {
			if _, err := conn.ExecContext(ctx, q); err != nil && !strings.Contains(err.Error(), "no such table") {
				return fmt.Errorf("store: free the simulated disk: %w", err)
			}
		}
		return nil
	}
	if _, err := conn.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+fillerTable+" (b BLOB)"); err != nil {
		return fmt.Errorf("store: simulate full disk: %w", err)
	}
	var pageSize, free int64
	if err := conn.QueryRowContext(ctx, "PRAGMA page_size").Scan(&pageSize); err != nil {
		return fmt.Errorf("store: simulate full disk: %w", err)
	}
	if err := conn.QueryRowContext(ctx, "PRAGMA freelist_count").Scan(&free); err != nil {
		return fmt.Errorf("store: simulate full disk: %w", err)
	}
	rows, err := conn.QueryContext(ctx, `SELECT name FROM sqlite_master
		WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != ?`, fillerTable)
	tables, err := collect(rows, err, "simulated full disk", func(r scanner) (s string, err error) { return s, r.Scan(&s) })
	if err != nil {
		return err
	}
	blob := (free + 8) * pageSize // more than the free pages hold
	for _, t := range tables {
		for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
			q := fmt.Sprintf(`CREATE TEMP TRIGGER IF NOT EXISTS "disk_full_%s_%s" AFTER %s ON main."%s"
				BEGIN INSERT INTO %s (b) VALUES (zeroblob(%d)); END`, t, strings.ToLower(op), op, t, fillerTable, blob)
			if _, err := conn.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("store: simulate full disk on %s: %w", t, err)
			}
		}
	}
	var pages int64
	if err := conn.QueryRowContext(ctx, "PRAGMA max_page_count = 1").Scan(&pages); err != nil {
		return fmt.Errorf("store: simulate full disk: %w", err)
	}
	return nil
}
