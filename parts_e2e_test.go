package main

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// rule: PRT-1, PRT-2, PRT-3, PRT-4, PRT-5, PRT-7
// The parts of a repair through the real server: the price list comes by
// `frontdesk import parts` (a GBK file) while the desk serves; a customer
// asks for a repair of a tap whose warranty is to be checked in the web
// chat; the clerk, on the staff page, adds the broken handle as paid
// (misuse) and the cartridge as free in warranty; the fee goes to the chat
// and the customer agrees; the clerk records the payment and the shipment
// (sent earlier), the customer gets the date and the tracking number; the
// old cartridge comes back after its date and is charged; the month's
// counts say so.
func TestPartsRequestEndToEnd(t *testing.T) {
	env := freshEnv(t)
	env["FRONTDESK_API_TOKEN"] = "parts-token"
	addClerk(t, env)
	fd := start(t, env)
	getenv := func(k string) string { return env[k] }

	gbk, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte("sku,name,price_yuan\nCART-35,恒温阀芯,68\nHDL-2,龙头手柄,25.50\n"))
	file := filepath.Join(t.TempDir(), "parts.csv")
	if err := os.WriteFile(file, gbk, 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"import", "parts", file}, getenv, &out, io.Discard); err != nil ||
		!strings.Contains(out.String(), "2 parts in the price list") {
		t.Fatalf("import: %v %s", err, out.String())
	}
	api := fd.apiCaller(t, "parts-token", "")
	paid := time.Now().AddDate(0, -2, 0).Format("2006-01-02")
	if status, m := api("POST", "/api/v1/orders", `{"order_no":"SO-8001","customer_name":"赵磊","phone":"13700004321","paid_on":"`+paid+`",
		"status":"installed","items":[{"name":"恒温淋浴龙头","sku":"TAP-9","quantity":1,"category":"bathroom"}]}`); status/100 != 2 {
		t.Fatalf("order: %d %v", status, m)
	}

	c := &chat{t: t, in: fd, s: fd.newSession(), lang: "en"}
	c.verify("SO-8001", "4321")
	c.press("menu:repair")
	c.text("The shower tap drips and its handle broke off")
	c.press("ans:none", "ans:none", "ans:visit")

	client, list := fd.staffClient(t, "wang")
	number := caseNumber.FindString(list)
	if number == "" {
		t.Fatalf("no case on /staff:\n%s", list)
	}
	act := func(fields ...string) string {
		t.Helper()
		form := url.Values{}
		for i := 0; i+1 < len(fields); i += 2 {
			form.Set(fields[i], fields[i+1])
		}
		status, page := fd.postForm(t, client, "/staff/case/"+number, form)
		if status != 200 {
			t.Fatalf("%v: %d\n%.1500s", fields, status, page)
		}
		return page
	}
	for _, s := range []string{"fault_confirmed", "phone_unsolved", "visit", "chose_repair"} {
		act("action", "repair_step", "value", s)
	}
	act("action", "parts_add", "sku", "CART-35", "qty", "1", "warranty", "free")
	page := act("action", "parts_add", "sku", "HDL-2", "qty", "2", "warranty", "paid")
	if !strings.Contains(page, "恒温阀芯 (CART-35) × 1：保修内免费") || !strings.Contains(page, "龙头手柄 (HDL-2) × 2：¥51.00") {
		t.Fatalf("lines:\n%.3000s", page)
	}
	act("action", "parts_quote", "amount", "30")
	c.press("partsfee:accept:" + number)
	c.expect("Parts ¥51.00, service ¥30.00, total ¥81.00", "The parts fee of case "+number+" is agreed")
	waitFor(t, "the customer's consent on the case page", func() bool {
		res, err := client.Get(fd.base + "/staff/case/" + number)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		page, _ := io.ReadAll(res.Body)
		return strings.Contains(string(page), "顾客已同意费用，待收款")
	})
	act("action", "parts_paid", "value", "微信转账")
	shipped := time.Now().AddDate(0, 0, -40).Format("2006-01-02")
	act("action", "parts_ship", "ship_date", shipped, "tracking", "SF80010001")
	waitFor(t, "the ship notice in the chat", func() bool { return strings.Contains(c.all(), "SF80010001") })
	due := time.Now().AddDate(0, 0, -10).Format("2006-01-02")
	c.expect("shipped on "+shipped, "send the replaced parts back by "+due)
	page = act("action", "parts_returned")
	if !strings.Contains(page, "旧配件未按时退回，已收费 ¥68.00") || !strings.Contains(page, "旧配件已于") {
		t.Fatalf("late return:\n%.4000s", page)
	}
	shop, _ := time.LoadLocation("Asia/Shanghai") // the default configuration's zone: months are the shop's
	status, counts := api("GET", "/api/v1/parts/counts?month="+time.Now().In(shop).Format("2006-01"), "")
	if status != 200 || counts["issued"] != float64(3) || counts["issued_in_warranty"] != float64(1) || counts["returned"] != float64(1) ||
		counts["charged"] != float64(1) || counts["charged_yuan"] != "68.00" || counts["fees_yuan"] != "51.00" {
		t.Fatalf("counts: %d %v", status, counts)
	}
}

// rule: PRT-5
// `frontdesk import parts --dry-run` checks and saves nothing; a bad file
// names each problem's line and column, fails, and saves nothing either.
func TestImportPartsCommand(t *testing.T) {
	env := freshEnv(t)
	getenv := func(k string) string { return env[k] }
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good.csv"), filepath.Join(dir, "bad.csv")
	os.WriteFile(good, []byte("sku,name,price_yuan\nCART-35,恒温阀芯,68\n"), 0o600)
	os.WriteFile(bad, []byte("sku,name,price_yuan\nCART-35,恒温阀芯,six\n"), 0o600)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"import", "parts", good, "--dry-run"}, getenv, &out, io.Discard); err != nil ||
		!strings.Contains(out.String(), "dry run: 1 rows, 1 parts, all valid; nothing saved") {
		t.Fatalf("dry run: %v %s", err, out.String())
	}
	out.Reset()
	err := run(context.Background(), []string{"import", "parts", bad}, getenv, &out, io.Discard)
	if err == nil || !strings.Contains(out.String(), `line 2, column price_yuan: "six" is not a price in yuan`) {
		t.Fatalf("bad file: %v %s", err, out.String())
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		t.Fatal(err)
	}
	db, err := openStore(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if prices, err := db.PartPrices(context.Background()); err != nil || len(prices) != 0 {
		t.Fatalf("saved: %+v %v", prices, err)
	}
}
