package warranty_test

import (
	"context"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"frontdesk/bot/warranty"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// mattressCard opens a store with the installed order SO-3001 of a latex
// mattress (60 months of warranty) and issues the card of its line 1.
func mattressCard(t *testing.T) (*store.DB, store.WarrantyCard, time.Time) {
	t.Helper()
	db := testkit.OpenStore(t)
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	testkit.Seed(t, db, now).Order(store.Order{No: "SO-3001", PaidOn: "2026-05-04", Status: config.OrderInstalled,
		Items: []store.Item{{Name: "乳胶床垫", SKU: "MT-180", Quantity: 1, Category: config.Furniture, WarrantyMonths: 60}}})
	var card store.WarrantyCard
	if err := db.Update(context.Background(), func(tx *store.Tx) (err error) {
		card, _, err = tx.IssueCard("SO-3001", 1, now)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return db, card, now
}

// TestWarrantyCardPage: the card's page shows the number, the shop, the
// product, the purchase and warranty dates and the warranty terms (003
// exclusions), in Chinese or English; a link altered by one character, or
// of another length, finds nothing and tells so.
// rule: ARC-2
func TestWarrantyCardPage(t *testing.T) {
	db, card, now := mattressCard(t)
	p := &warranty.Page{Cards: db, Shop: "林氏家居", Now: func() time.Time { return now }, Log: testkit.Log()}
	srv := testkit.Serve(t, p.Routes)

	status, body := get(t, srv.URL+"/warranty/"+card.Token)
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	for _, want := range []string{"电子保修卡", "WC-SO-3001-1", "林氏家居", "乳胶床垫 (MT-180)", "SO-3001", "2026-05-04", "2031-05-03",
		"保修中", "保修期自购买之日起计算", "购买后自行搬运、移动、安装造成的故障或损坏", "私自维修", "电源、电压、频率不稳定", "自然灾害"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	_, body = get(t, srv.URL+"/warranty/"+card.Token+"?lang=en")
	for _, want := range []string{"Electronic warranty card", "Warranty until", "In warranty", "moving or installing it yourself"} {
		if !strings.Contains(body, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
	// One character changed, at each end and in the middle.
	for _, i := range []int{0, len(card.Token) / 2, len(card.Token) - 1} {
		c := byte('A')
		if card.Token[i] == 'A' {
			c = 'B'
		}
		altered := card.Token[:i] + string(c) + card.Token[i+1:]
		status, body := get(t, srv.URL+"/warranty/"+altered)
		if status != 404 || !strings.Contains(body, "没有找到这张保修卡") || strings.Contains(body, "SO-3001") {
			t.Errorf("altered link %s: %d", altered, status)
		}
	}
	for _, bad := range []string{"x", card.Token + "A", "WC-SO-3001-1", "%3Cscript%3E"} {
		if status, _ := get(t, srv.URL+"/warranty/"+bad); status != 404 {
			t.Errorf("%s: status %d", bad, status)
		}
	}
	// Expired: the page says so.
	p.Now = func() time.Time { return time.Date(2031, 5, 4, 1, 0, 0, 0, time.UTC) }
	if _, body := get(t, srv.URL+"/warranty/"+card.Token); !strings.Contains(body, "已过保修期") {
		t.Error("an expired card is not shown as expired")
	}
}

// TestWarrantyCardImage: the card is also a picture (for Telegram's link
// preview, named by the page's og:image), for the same token only.
// rule: ARC-2
func TestWarrantyCardImage(t *testing.T) {
	db, card, now := mattressCard(t)
	p := &warranty.Page{Cards: db, BaseURL: "https://shop.example.com", Now: func() time.Time { return now }, Log: testkit.Log()}
	srv := testkit.Serve(t, p.Routes)
	if _, body := get(t, srv.URL+"/warranty/"+card.Token); !strings.Contains(body,
		`<meta property="og:image" content="https://shop.example.com/warranty/`+card.Token+`/card.png">`) {
		t.Error("the page names no preview image")
	}
	res, err := http.Get(srv.URL + "/warranty/" + card.Token + "/card.png")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	img, err := png.Decode(res.Body)
	if err != nil || res.StatusCode != 200 || res.Header.Get("Content-Type") != "image/png" || img.Bounds().Dx() != 800 {
		t.Fatalf("image: %d %v", res.StatusCode, err)
	}
	altered := "A" + card.Token[1:]
	if card.Token[0] == 'A' {
		altered = "B" + card.Token[1:]
	}
	if status, _ := get(t, srv.URL+"/warranty/"+altered+"/card.png"); status != 404 {
		t.Errorf("altered token: %d", status)
	}
}
