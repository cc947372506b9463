package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchCommandRefusesBadInput: `frontdesk bench` with no cases, a
// negative rate, a Redis that is down or a data folder it cannot write to
// says which, ends with the usage error (exit code 2) and leaves nothing.
func TestBenchCommandRefusesBadInput(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"FRONTDESK_DATA": dir}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--cases", "0"}, "--cases 0: want at least 1"},
		{[]string{"--cases", "10", "--rate", "-3"}, "--rate -3"},
		{[]string{"--cases", "10", "--redis", "redis://127.0.0.1:1/0"}, "redis at 127.0.0.1:1 does not answer"},
		{[]string{"--cases", "10", "--data", filepath.Join(file, "sub")}, "data folder"},
		{[]string{"--cases", "ten"}, "invalid value"},
		{[]string{"--cases", "10", "extra"}, `unexpected "extra"`},
	} {
		var out bytes.Buffer
		err := run(context.Background(), append([]string{"bench"}, c.args...), func(k string) string { return env[k] }, &out, &out)
		if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("bench %v: %v, want the usage error naming %q", c.args, err, c.want)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 1 {
		t.Errorf("left behind: %v", left)
	}
}
