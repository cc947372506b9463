package testkit

import (
	"testing"

	"frontdesk/config"
)

// Config is the default configuration, validated: its calendar compiled
// and its zone loaded, as the desk runs it. A test changes what it needs.
func Config(tb testing.TB) config.Config {
	tb.Helper()
	cfg := config.Default()
	if err := cfg.Validate(); err != nil {
		tb.Fatal(err)
	}
	return cfg
}
