package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func (l *liveDesk) api(method, path, body string) (int, string) {
	l.t.Helper()
	req, _ := http.NewRequest(method, l.base+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer backoffice-token")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		l.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// rule: DLV-1
// rule: DLV-2
// rule: SRV-1
// The back office posts an order, the customer verifies in the web chat,
// the back office posts the shipment: the chat gets the shipping notice with
// the pickup rules, once. A finished visit brings the survey.
func TestBackOfficeFeedsTheConversations(t *testing.T) {
	l := startLive(t)
	status, body := l.api("POST", "/api/v1/orders", `{"order_no":"SO-5001","customer_name":"周敏","phone":"13600002468",
		"paid_on":"2026-11-20","promised_delivery":"2026-12-20","installation_included":true,
		"items":[{"name":"岩板餐桌","quantity":1,"category":"furniture","glass":false,"warranty_months":24}]}`)
	if status != 201 {
		t.Fatalf("order: %d %s", status, body)
	}
	c := l.verified("zh-CN", "SO-5001", "2468")
	shipment := `{"order_no":"SO-5001","carrier":"安能物流","tracking_no":"ANE5001","carrier_phone":"4001009288",
		"packages":2,"pieces":3,"volume_m3":1.2,"freight_fee":150,"packaging_fee":20,"contains_glass":false,
		"shipped_on":"2026-11-24","expected_arrival":"2026-11-28"}`
	for i, want := range []string{`"notice":"sent"`, `"notice":"sent_before"`} {
		status, body := l.api("POST", "/api/v1/shipments", shipment)
		if !strings.Contains(body, want) {
			t.Fatalf("shipment %d: %d %s", i, status, body)
		}
	}
	c.expect("安能物流", "ANE5001", "4001009288", "2 包，3 件", "150.00", "20.00", "2026-11-28", "先验货，再签收", "请不要拒签")
	if strings.Contains(c.all(), "内有玻璃") {
		t.Error("the glass rule for a shipment without glass")
	}
	if n := strings.Count(c.all(), "ANE5001"); n != 1 {
		t.Fatalf("the notice came %d times", n)
	}
	status, body = l.api("POST", "/api/v1/providers", `{"name":"周师傅","region":"徐汇"}`)
	if status != 200 {
		t.Fatalf("provider: %d %s", status, body)
	}
	status, body = l.api("POST", "/api/v1/visits", `{"visit_id":"VIS-1","order_no":"SO-5001","provider_id":1,"kind":"install",
		"completed_at":"2026-11-29T16:00:00+08:00"}`)
	if status != 201 || !strings.Contains(body, `"survey":"sent"`) {
		t.Fatalf("visit: %d %s", status, body)
	}
	c.expect("安装服务已经完成", "提前和您约好时间")
	c.press("ans:yes", "ans:fair", "ans:5", "ans:5", "ans:5")
	if status, body = l.api("GET", "/api/v1/providers", ""); status != 200 || !strings.Contains(body, `"stars":5`) || !strings.Contains(body, `"visits":1`) {
		t.Fatalf("provider rating: %s", body)
	}
}

func TestImportAndExportCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"FRONTDESK_DATA": dir}
	getenv := func(k string) string { return env[k] }
	file := filepath.Join(dir, "orders.csv")
	os.WriteFile(file, []byte("\xef\xbb\xbforder_no,customer_name,phone,item_name,quantity,category\nSO-1,王芳,13800001234,沙发,1,furniture\n"), 0o600)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"import", "orders", file, "--dry-run"}, getenv, &out, io.Discard); err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if err := run(context.Background(), []string{"import", "orders", file}, getenv, &out, io.Discard); err != nil {
		t.Fatalf("import: %v", err)
	}
	if !strings.Contains(out.String(), "dry run: 1 rows") || !strings.Contains(out.String(), "imported 1 rows") {
		t.Fatalf("output: %s", out.String())
	}
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("order_no,customer_name,phone,item_name,quantity,category\nSO-2,a,13800001234,x,zero,furniture\n"), 0o600)
	out.Reset()
	err := run(context.Background(), []string{"import", "orders", bad}, getenv, &out, io.Discard)
	if err == nil || !strings.Contains(out.String(), "line 2, column quantity") {
		t.Fatalf("bad file: %v %s", err, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"export", "cases", "--since", "2026-01-01"}, getenv, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "\xef\xbb\xbfnumber,") {
		t.Fatalf("export: %q", out.String())
	}
	for _, args := range [][]string{{"import"}, {"import", "invoices", file}, {"export", "orders"}, {"export", "cases", "--since", "yesterday"}} {
		if err := run(context.Background(), args, getenv, io.Discard, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}
