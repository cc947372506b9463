package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"time"

	"frontdesk/internal/bench"
)

// benchCmd is `frontdesk bench [--cases N] [--rate R] …`: it seeds a
// temporary store, times the digest, the lists and the searches, drives the
// desk beside the plain Redis ceiling, and prints a table and, last, one
// line of name=value figures. Bad flags, a Redis that does not answer or a
// data folder it cannot write to end it with exit code 2, nothing made.
func benchCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := bench.Options{}
	fs.IntVar(&o.Cases, "cases", 1_000_000, "cases to seed over two years")
	fs.Float64Var(&o.Rate, "rate", 1000, "messages per second of the fixed-rate run (0: none)")
	fs.IntVar(&o.Customers, "customers", 1000, "customers writing at once in the fixed-rate run")
	fs.IntVar(&o.Concurrency, "concurrency", 16*runtime.GOMAXPROCS(0), "customers at saturation, and Redis clients of the ceiling")
	seconds := fs.Float64("seconds", 5, "length of each desk run")
	fs.IntVar(&o.Runs, "runs", 5, "timed runs of each query")
	fs.StringVar(&o.Dir, "data", os.TempDir(), "folder to make the temporary store in")
	redisURL := getenv("REDIS_URL")
	if redisURL == "" {
		redisURL = "redis://127.0.0.1:6379/0"
	}
	fs.StringVar(&o.RedisURL, "redis", redisURL, "Redis to keep the dialog state in (REDIS_URL)")
	profile := fs.String("cpuprofile", "", "write the CPU profile of the saturation run to this file")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: bench: unexpected %q", errUsage, fs.Arg(0))
	}
	o.Duration = time.Duration(*seconds * float64(time.Second))
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	o.Config = cfg
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return fmt.Errorf("%w: --cpuprofile: %v", errUsage, err)
		}
		defer f.Close()
		o.CPUProfile = f
	}
	_, err = bench.Run(ctx, o, stdout)
	if errors.Is(err, bench.ErrInput) {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return err
}
