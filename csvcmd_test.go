package main

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// rule: DLV-1
// `frontdesk import` runs beside a serving desk (it is no second desk, so
// the serve lock does not turn it away): a customer who verified in the web
// chat gets the shipping notice of an imported shipment, once; importing
// the same file again queues nothing more.
func TestImportBesideAServingDesk(t *testing.T) {
	env := freshEnv(t)
	desk := start(t, env)
	getenv := func(k string) string { return env[k] }
	dir := t.TempDir()
	write := func(name, body string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	importCmd := func(kind, file string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(context.Background(), []string{"import", kind, file}, getenv, &out, io.Discard); err != nil {
			t.Fatalf("import %s while the desk serves: %v\n%s", kind, err, out.String())
		}
		return out.String()
	}
	importCmd("orders", write("orders.csv", "order_no,customer_name,phone,item_name,quantity,category\nSO-7001,周敏,13600002468,岩板餐桌,1,furniture\n"))
	c := &chat{t: t, in: desk, s: desk.newSession(), lang: "zh-CN"}
	c.verify("SO-7001", "2468")

	shipments := write("shipments.csv", "order_no,carrier,tracking_no,carrier_phone,packages,pieces,shipped_on,expected_arrival\n"+
		"SO-7001,安能物流,ANE7001,4001009288,2,3,2026-11-24,2026-11-28\n")
	if out := importCmd("shipments", shipments); !strings.Contains(out, "imported 1 rows: 1 shipments (1 new)") {
		t.Fatalf("output: %s", out)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(c.all(), "ANE7001") {
		if time.Now().After(deadline) {
			t.Fatalf("the shipping notice never reached the chat:\n%s", c.all())
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.expect("安能物流", "2026-11-28")
	if out := importCmd("shipments", shipments); !strings.Contains(out, "(0 new)") {
		t.Fatalf("output: %s", out)
	}
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(env["FRONTDESK_DATA"], "frontdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	var notices int
	if err := raw.QueryRow("SELECT COUNT(*) FROM outbox WHERE payload LIKE '%ANE7001%'").Scan(&notices); err != nil || notices != 1 {
		t.Fatalf("%d shipping notices queued, want 1 (%v)", notices, err)
	}
}
