package backoffice

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

var now = time.Date(2026, 11, 24, 10, 0, 0, 0, shanghai)

const ordersCSV = "order_no,customer_name,phone,paid_on,promised_delivery,urgency,installation_included,item_name,sku,quantity,category,custom_made,warranty_months\n" +
	"SO-8001,王芳,13800001234,2026-11-20,2026-12-10,normal,是,布艺沙发,SF-300,1,furniture,否,36\n" +
	"SO-8001,王芳,13800001234,2026-11-20,2026-12-10,normal,是,玻璃茶几,TB-120,1,furniture,no,12\n" +
	"SO-8002,李雷,13900005678,2026-11-21,,urgent,no,浴室柜,BC-80,2,bathroom,0,24\n"

func TestImportOrdersInEveryEncoding(t *testing.T) {
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(ordersCSV))
	if err != nil {
		t.Fatal(err)
	}
	for name, file := range map[string][]byte{
		"utf-8":          []byte(ordersCSV),
		"utf-8 with BOM": append([]byte("\xef\xbb\xbf"), ordersCSV...),
		"gbk":            gbk,
		"crlf":           []byte(strings.ReplaceAll(ordersCSV, "\n", "\r\n")),
	} {
		t.Run(name, func(t *testing.T) {
			db := testkit.OpenStore(t)
			rep, err := Import(context.Background(), db, "orders", bytes.NewReader(file), shanghai, now, false)
			if err != nil || !rep.Committed || rep.Rows != 3 || rep.Records != 2 {
				t.Fatalf("import: %+v %v", rep, err)
			}
			o, err := db.Order(context.Background(), "SO-8001")
			if err != nil || o.CustomerName != "王芳" || len(o.Items) != 2 || o.Items[1].Name != "玻璃茶几" || !o.InstallIncluded {
				t.Fatalf("order: %+v %v", o, err)
			}
			urgent, _ := db.Order(context.Background(), "SO-8002")
			if !urgent.Urgent || urgent.Items[0].Quantity != 2 {
				t.Fatalf("second order: %+v", urgent)
			}
		})
	}
}

func TestImportReportsEveryProblemAndSavesNothing(t *testing.T) {
	db := testkit.OpenStore(t)
	bad := ordersCSV +
		"SO-8003,张三,13700000000,2026-13-01,,normal,no,床,BD-1,1,furniture,no,12\n" + // line 5: bad date
		"SO-8004,赵四,13700000001,,,normal,no,柜子,CB-1,two,furniture,no,12\n" + // line 6: quantity
		"SO-8004,赵四,13600000001,,,normal,no,门,DR-1,1,doors,no,12\n" + // line 7: phone differs, category
		"SO-8005,钱五,1370000000\n" // line 8: too few cells
	rep, err := Import(context.Background(), db, "orders", strings.NewReader(bad), shanghai, now, false)
	if !errors.Is(err, ErrRejected) {
		t.Fatalf("err = %v", err)
	}
	want := []string{
		"line 5, column paid_on",
		"line 6, column quantity",
		"line 7, column phone: differs from line 6",
		"line 8: 3 cells, the header has 13",
	}
	var got []string
	for _, e := range rep.Errors {
		got = append(got, e.String())
	}
	for _, w := range want {
		found := false
		for _, g := range got {
			if strings.HasPrefix(g, w) {
				found = true
			}
		}
		if !found {
			t.Errorf("no error %q among:\n%s", w, strings.Join(got, "\n"))
		}
	}
	if _, err := db.Order(context.Background(), "SO-8001"); !errors.Is(err, store.ErrNotFound) {
		t.Fatal("the valid rows of a rejected file were saved")
	}
}

func TestImportHeaderProblems(t *testing.T) {
	db := testkit.OpenStore(t)
	for name, file := range map[string]string{
		"empty":          "",
		"missing column": "order_no,customer_name\nSO-1,a\n",
		"unknown column": "order_no,customer_name,phone,item_name,quantity,category,colour\nSO-1,a,13700000000,x,1,furniture,red\n",
		"only a header":  "order_no,customer_name,phone,item_name,quantity,category\n",
		"broken quotes":  "order_no,customer_name,phone,item_name,quantity,category\n\"SO-1,a,1,x,1,furniture\n",
	} {
		rep, err := Import(context.Background(), db, "orders", strings.NewReader(file), shanghai, now, false)
		if err == nil || rep.Committed {
			t.Errorf("%s: accepted (%+v)", name, rep)
		}
	}
	if _, err := Import(context.Background(), db, "invoices", strings.NewReader("a\n1\n"), shanghai, now, false); err == nil {
		t.Error("an unknown kind was imported")
	}
}

func TestDryRunChecksTheDatabaseToo(t *testing.T) {
	db := testkit.OpenStore(t)
	ctx := context.Background()
	if _, err := Import(ctx, db, "orders", strings.NewReader(ordersCSV), shanghai, now, false); err != nil {
		t.Fatal(err)
	}
	shipments := "order_no,carrier,tracking_no,carrier_phone,packages,pieces,volume_m3,freight_fee,packaging_fee,contains_glass,shipped_on,expected_arrival\n" +
		"SO-8001,德邦物流,DPK8001,95353,3,5,2.6,280,60,yes,2026-11-24,2026-11-27\n" +
		"SO-9999,德邦物流,DPK9999,95353,1,1,0.1,10,0,no,2026-11-24,2026-11-27\n"
	rep, err := Import(ctx, db, "shipments", strings.NewReader(shipments), shanghai, now, true)
	if !errors.Is(err, ErrRejected) || len(rep.Errors) != 1 || rep.Errors[0].Line != 3 {
		t.Fatalf("dry run with an unknown order: %+v %v", rep, err)
	}
	good := strings.Split(shipments, "\n")
	valid := strings.Join(good[:2], "\n") + "\n"
	rep, err = Import(ctx, db, "shipments", strings.NewReader(valid), shanghai, now, true)
	if err != nil || rep.Committed || len(rep.Created) != 1 {
		t.Fatalf("dry run: %+v %v", rep, err)
	}
	if list, _ := db.ShipmentsByOrder(ctx, "SO-8001"); len(list) != 0 {
		t.Fatal("a dry run saved")
	}
	rep, err = Import(ctx, db, "shipments", strings.NewReader(valid), shanghai, now, false)
	if err != nil || len(rep.Created) != 1 || rep.Created[0] != "DPK8001" {
		t.Fatalf("import: %+v %v", rep, err)
	}
	if rep, _ := Import(ctx, db, "shipments", strings.NewReader(valid), shanghai, now, false); len(rep.Created) != 0 {
		t.Fatal("the same shipment twice was created twice")
	}
	visits := "visit_id,order_no,kind,completed_at\nV-1,SO-8001,install,2026-11-24T15:00:00+08:00\n"
	if rep, err := Import(ctx, db, "visits", strings.NewReader(visits), shanghai, now, false); err != nil || len(rep.Created) != 1 {
		t.Fatalf("visits: %+v %v", rep, err)
	}
	providers := "name,region\n张师傅安装队,浦东\n李师傅维修,闵行\n"
	if _, err := Import(ctx, db, "providers", strings.NewReader(providers), shanghai, now, false); err != nil {
		t.Fatal(err)
	}
	if ps, _ := db.Providers(ctx); len(ps) != 2 {
		t.Fatalf("providers: %+v", ps)
	}
}

func TestExportOpensInASpreadsheet(t *testing.T) {
	db := testkit.OpenStore(t)
	ctx := context.Background()
	for i, desc := range []string{"=HYPERLINK(\"http://evil\")", "扶手开裂, 需要更换"} {
		at := now.Add(time.Duration(i) * 24 * time.Hour)
		err := db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.OpenCase(cases.Case{Kind: config.KindQualityDefect, Phone: "13800001234", Description: desc}, at, shanghai)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	n, err := ExportCases(ctx, db, &out, time.Time{}, shanghai)
	if err != nil || n != 2 {
		t.Fatalf("export: %d %v", n, err)
	}
	s := out.String()
	if !strings.HasPrefix(s, "\xef\xbb\xbfnumber,kind,") || !strings.Contains(s, "\r\n") {
		t.Fatalf("not spreadsheet-friendly: %q", s[:40])
	}
	if !strings.Contains(s, `"'=HYPERLINK(""http://evil"")"`) || !strings.Contains(s, `"扶手开裂, 需要更换"`) {
		t.Fatalf("cells: %s", s)
	}
	out.Reset()
	if n, _ := ExportCases(ctx, db, &out, now.Add(12*time.Hour), shanghai); n != 1 {
		t.Fatalf("--since kept %d", n)
	}
}

// BenchmarkImportOrders10k imports a 10 000-row orders file (5 000 orders
// of two items) into an idle store.
func BenchmarkImportOrders10k(b *testing.B) {
	var file strings.Builder
	file.WriteString("order_no,customer_name,phone,paid_on,item_name,quantity,category,warranty_months\n")
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&file, "SO-%06d,客户%d,1380000%04d,2026-11-20,商品%d,1,furniture,12\n", i/2, i/2, i/2%10000, i)
	}
	data := file.String()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db := testkit.OpenStore(b)
		b.StartTimer()
		rep, err := Import(context.Background(), db, "orders", strings.NewReader(data), shanghai, now, false)
		if err != nil || rep.Records != 5000 {
			b.Fatalf("%+v %v", rep.Errors, err)
		}
	}
	b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "rows/s")
}
