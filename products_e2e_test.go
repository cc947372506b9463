package main

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// rule: ARC-1, ARC-2, ARC-4
// The served desk, wired as `frontdesk serve` wires it: the demo's delivered
// order gets its warranty cards and the customer their links; the card's
// page opens from the link; "我的产品" lists the products with their cards;
// a care question is answered from the knowledge base, which the back
// office lists.
func TestProductsServed(t *testing.T) {
	l := startLive(t)
	c := l.verified("zh-CN", "SO-2001", "5678")
	if n, err := l.d.desk.IssueWarrantyCards(context.Background()); err != nil || n != 2 {
		t.Fatalf("cards issued: %d %v", n, err)
	}
	c.expect("电子保修卡已签发", "浴室柜 80cm", "无纺布壁纸")
	token := regexp.MustCompile(`/warranty/([A-Za-z0-9_-]{22})`).FindStringSubmatch(c.all())
	if token == nil {
		t.Fatalf("no card link:\n%s", c.all())
	}
	res, err := http.Get(l.base + "/warranty/" + token[1])
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 200 {
		t.Fatalf("card page: %d", res.StatusCode)
	}
	if res, err := http.Get(l.base + "/warranty/" + strings.Repeat("A", 22)); err != nil || res.StatusCode != 404 {
		t.Fatalf("a guessed card: %v %v", res, err)
	}
	c.text("我的产品")
	c.expect("您购买的产品", "保修至", "电子保修卡 WC-SO-2001-1")
	c.text("浴室柜漏水怎么办")
	c.expect("先关闭进水阀")
	if status, body := l.api("GET", "/api/v1/knowledge", ""); status != 200 || !strings.Contains(body, `"bathroom_care"`) ||
		!strings.Contains(body, `"offered":1`) {
		t.Fatalf("knowledge: %d %s", status, body)
	}
}
