// Command frontdesk is the after-sales front desk: customers chat with the
// bot, staff work the cases, the scheduler keeps the clocks.
//
//	frontdesk [serve] [--demo]   run the desk (the default)
//	frontdesk migrate            bring the database schema up to date
//	frontdesk import KIND FILE   import orders, shipments, visits, providers or the parts price list
//	frontdesk export cases       write the cases as CSV
//	frontdesk staff …            the staff accounts (add, passwd, role, disable, enable, slack, list)
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "frontdesk:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

const usage = `usage:
  frontdesk [serve] [--demo]   run the desk (web chat at /chat); --demo loads demo orders
  frontdesk migrate            bring the database schema up to date and list the migrations
  frontdesk import orders|shipments|visits|providers|parts FILE.csv [--dry-run]
                               import a CSV (UTF-8, UTF-8 with BOM or GBK), all or nothing
  frontdesk export cases [--since YYYY-MM-DD]
                               write the cases as CSV to standard output
  frontdesk digest --print [--date YYYY-MM-DD] [--chart FILE]
                               the managers' daily digest and weekly problem report
  frontdesk staff add LOGIN --name NAME --role ROLE [--lang en] [--slack ID] [--password-stdin]
  frontdesk staff passwd LOGIN [--password-stdin] | role LOGIN ROLE | disable LOGIN | enable LOGIN
  frontdesk staff slack LOGIN SLACK_USER_ID|- | list
                               the staff accounts; a made-up password is printed once
  frontdesk bench [--cases N] [--rate R] [--customers N] [--seconds S] [--data DIR]
                               seed a temporary store, time the queries, drive the desk
  frontdesk help               this text

Configuration: see README.md (FRONTDESK_ADDR, FRONTDESK_DATA, FRONTDESK_CONFIG, REDIS_URL, …).
`

// run is main without the process: tests call it with their own arguments,
// environment and output.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, args, getenv, stdout, stderr)
	case "migrate":
		return migrate(ctx, args, getenv, stdout)
	case "import":
		return importCSV(ctx, args, getenv, stdout, stderr)
	case "export":
		return exportCSV(ctx, args, getenv, stdout, stderr)
	case "digest":
		return digest(ctx, args, getenv, stdout, stderr)
	case "bench":
		return benchCmd(ctx, args, getenv, stdout, stderr)
	case "staff":
		return staffCmd(ctx, args, getenv, os.Stdin, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
}
