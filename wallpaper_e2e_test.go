package main

import (
	"context"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"frontdesk/internal/testkit"
)

// A wallpaper colour difference, end to end through the real server: the
// back office tells the batch's stock by API; the customer complains in the
// web chat (asked what is wrong and whether it is hung, the batch taken
// from the order, triaged as quality); on /staff the clerk checks the same
// batch's stock (from the back office), records QC's trial hanging, asks
// the customer to send the wallpaper back (the instructions reach the
// chat), keeps the tracking number, records its arrival and the factory's
// responsibility, and grants compensation in rolls, which the customer is
// told. A trial hanging before the stock check is refused and changes
// nothing.
// rule: WAL-1, WAL-2, WAL-3, WAL-4, WAL-6
func TestWallpaperComplaintToCompensationInRolls(t *testing.T) {
	env := freshEnv(t)
	env["FRONTDESK_API_TOKEN"] = "e2e-token"
	addClerk(t, env)
	fd := start(t, env, "--demo")
	req, _ := http.NewRequest("PUT", fd.base+"/api/v1/wallpaper/stock", strings.NewReader(`{"stock":[{"sku":"WP-NW12","batch_no":"B2611","rolls":40}]}`))
	req.Header.Set("Authorization", "Bearer e2e-token")
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil || res.StatusCode != 200 {
		t.Fatalf("stock: %v %v", res, err)
	}
	res.Body.Close()

	session := fd.newSession()
	say := func(field, v string) { fd.say(session, "zh-CN", field, v) }
	for _, s := range []string{"/status", "SO-2001", "5678"} {
		say("text", s)
	}
	for _, c := range []string{"menu:complaint", "ans:SO-2001", "ans:regular", "ans:colour", "ans:yes"} {
		say("choice", c)
	}
	say("text", "贴上墙后两卷颜色明显不一样，要求赔偿")
	say("choice", "ans:none")
	number := caseOfSession(t, fd, session)
	if text := fd.lastText(session); !strings.Contains(text, "壁纸质量问题") || !strings.Contains(text, "24 小时") {
		t.Fatalf("the customer's answer: %q", text)
	}
	for _, m := range fd.messages(session) {
		if strings.Contains(m.Text, "批号") && strings.Contains(m.Text, "请输入") {
			t.Fatalf("asked for the batch the order knows: %q", m.Text)
		}
	}

	client, _ := fd.staffClient(t, "wang")
	act := func(fields url.Values) (int, string) {
		t.Helper()
		return fd.postForm(t, client, "/staff/case/"+number, fields)
	}
	step := func(kind, value string) string {
		t.Helper()
		status, page := act(url.Values{"action": {kind}, "value": {value}})
		if status != 200 {
			t.Fatalf("%s %q: %d %.1500s", kind, value, status, page)
		}
		return page
	}
	step("claim", "")
	if status, page := act(url.Values{"action": {"wall_trial"}, "value": {"same_problem"}}); status != 409 ||
		!strings.Contains(page, "needs the same-batch stock check first") {
		t.Fatalf("a trial before the stock check: %d %.1500s", status, page)
	}
	page := step("wall_stock", "")
	if !strings.Contains(page, "壁纸处理") || !strings.Contains(page, "<b>40</b>") {
		t.Fatalf("the panel after the stock check: %.4000s", page)
	}
	if status, page := act(url.Values{"action": {"remedy"}, "value": {"touch_up_paint"}}); status != 400 || !strings.Contains(page, "never a wallpaper remedy") {
		t.Fatalf("touch-up paint on wallpaper: %d %.1500s", status, page)
	}
	step("wall_trial", "same_problem")
	step("wall_return", "上海市闵行区仓库 2 号门")
	waitFor(t, "the return instructions in the chat", func() bool {
		text := fd.lastText(session)
		return strings.Contains(text, "撕下") && strings.Contains(text, "上海市闵行区仓库 2 号门") && strings.Contains(text, number)
	})
	// The customer tells the tracking number from the instructions' button.
	fd.say(session, "zh-CN", "choice", "walltrack:"+number)
	fd.say(session, "zh-CN", "text", "sf 2026 1128")
	waitFor(t, "the tracking number kept", func() bool { return strings.Contains(fd.lastText(session), "SF20261128") })
	step("wall_received", "12 卷（含撕下的墙纸）")
	step("wall_responsibility", "product")
	if status, page := act(url.Values{"action": {"remedy"}, "value": {"compensation"}, "rolls": {"2"}}); status != 200 {
		t.Fatalf("compensation in rolls: %d %.1500s", status, page)
	}
	waitFor(t, "the compensation in rolls told to the customer", func() bool {
		return strings.Contains(fd.lastText(session), number) && strings.Contains(fd.lastText(session), "补发 2 卷壁纸")
	})
	page = step("note", "已寄出补偿壁纸")
	for _, want := range []string{"SF20261128", "产品争议", "小王"} {
		if !strings.Contains(page, want) {
			t.Errorf("the case page lacks %q", want)
		}
	}
	// Each step is in the case's history, with who did it.
	db := testkit.ReopenStore(t, filepath.Join(env["FRONTDESK_DATA"], testkit.StoreFile))
	c, err := db.CaseByNumber(context.Background(), number)
	if err != nil {
		t.Fatal(err)
	}
	events, _ := db.CaseEvents(context.Background(), c.ID)
	kinds := map[string]string{}
	for _, e := range events {
		kinds[e.Kind] = e.Actor
	}
	for _, want := range []string{"wall_stock", "wall_trial", "wall_return", "wall_received"} {
		if kinds[want] == "" {
			t.Errorf("the history lacks %s: %v", want, kinds)
		}
	}
}
