package main

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"frontdesk/internal/testkit/browser"
)

// artifacts is where the browser tests leave their screenshots:
// $FRONTDESK_ARTIFACTS, else frontdesk-artifacts in the system's temp folder.
func artifacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("FRONTDESK_ARTIFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "frontdesk-artifacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// shot writes a full-page screenshot of the tab to the artifacts folder.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(artifacts(t), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

func js(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}

// A clerk works a case in a real browser against the real server, beside
// the customer's web chat in another tab: the list is in Chinese, a search
// by order number finds the case, claim, a reply shows in the customer's
// tab and an internal note never does, the list updates live when a new
// case comes in (no reload), resolve; at desktop (1280×800) and phone
// (390×844) sizes, with no sideways scrolling on the phone, and
// screenshots of both sizes kept as artifacts.
// rule: STF-2, STF-3
func TestWorkbenchInABrowser(t *testing.T) {
	env := freshEnv(t)
	addClerk(t, env)
	fd := start(t, env, "--demo")
	session := reportDamage(t, fd)
	number := caseNumber.FindString(fd.lastText(session))
	if number == "" {
		t.Fatalf("no case number told: %q", fd.lastText(session))
	}

	ctx := browser.New(t)
	clerk, closeClerk := chromedp.NewContext(ctx)
	defer closeClerk()

	// The customer's tab: their own chat, where the damage was reported.
	browser.Do(t, ctx, "the customer's chat", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(fd.base+"/healthz"),
		chromedp.Evaluate[chromedp.Void]("sessionStorage.setItem('frontdesk.session', "+js(session)+")"), chromedp.Navigate(fd.base+"/chat"))
	browser.Eventually(t, ctx, "the chat's history", `[...document.querySelectorAll('.msg')].some(m => m.textContent.includes(`+js(number)+`))`)
	shot(t, ctx, "chat-desktop-1280x800")

	// The clerk logs in and finds the case by its order number.
	browser.Do(t, clerk, "viewport", chromedp.EmulateViewport(1280, 800))
	browser.Do(t, clerk, "login", fd.browserLogin("wang")...)
	if got := browser.Eval(t, clerk, `document.querySelector('#q').placeholder + '|' + document.querySelector('#search-go').textContent`); got != "服务单号、手机号、订单号或顾客姓名|搜索" {
		t.Fatalf("the list's words: %q", got)
	}
	browser.Do(t, clerk, "search", chromedp.SendKeys(chromedp.CSS("#q"), "SO-1001"), chromedp.Click(chromedp.CSS("#search-go")))
	browser.Eventually(t, clerk, "the search result", `location.search.includes('q=SO-1001') && document.querySelectorAll('#wb-list tbody tr[id^=case-]').length === 1 && !!document.getElementById('case-`+number+`')`)
	if got := browser.Eval(t, clerk, `document.querySelector('#case-`+number+` .tag').textContent`); got != "运输损坏" && got != "质量问题" {
		t.Fatalf("the kind by name: %q", got)
	}
	shot(t, clerk, "staff-list-desktop-1280x800")

	browser.Do(t, clerk, "open the case", chromedp.Click(chromedp.CSS("#case-"+number+" a")), chromedp.WaitVisible(chromedp.CSS("#claim")))
	browser.Do(t, clerk, "claim", chromedp.Click(chromedp.CSS("#claim")))
	browser.Eventually(t, clerk, "claimed", `document.getElementById('case-status').textContent === '已认领' && document.getElementById('case-head').textContent.includes('负责人：小王')`)

	reply := "您好，师傅明天上午到，请保持电话畅通。"
	browser.Do(t, clerk, "reply", chromedp.SendKeys(chromedp.CSS("#reply"), reply), chromedp.Click(chromedp.CSS("#send-reply")))
	browser.Eventually(t, ctx, "the reply in the customer's tab", `[...document.querySelectorAll('.msg')].some(m => m.textContent.includes(`+js(reply)+`))`)

	note := "内部：顾客情绪较急，优先处理。"
	browser.Do(t, clerk, "note", chromedp.WaitVisible(chromedp.CSS("#note")), chromedp.SendKeys(chromedp.CSS("#note"), note), chromedp.Click(chromedp.CSS("#send-note")))
	browser.Eventually(t, clerk, "the note in the thread", `[...document.querySelectorAll('#thread .ev.note')].some(e => e.textContent.includes(`+js(note)+`))`)
	second := "配件已寄出。"
	browser.Do(t, clerk, "second reply", chromedp.WaitVisible(chromedp.CSS("#reply")), chromedp.SendKeys(chromedp.CSS("#reply"), second), chromedp.Click(chromedp.CSS("#send-reply")))
	browser.Eventually(t, ctx, "the second reply in the customer's tab", `[...document.querySelectorAll('.msg')].some(m => m.textContent.includes(`+js(second)+`))`)
	if got := browser.Eval(t, ctx, `String([...document.querySelectorAll('.msg')].some(m => m.textContent.includes(`+js(note)+`)))`); got != "false" {
		t.Fatal("the internal note reached the customer's tab")
	}
	shot(t, clerk, "staff-case-desktop-1280x800")

	// The list updates live: a new case shows without a reload.
	browser.Do(t, clerk, "back to the list", chromedp.Navigate(fd.base+"/staff"), chromedp.WaitVisible(chromedp.CSS("#wb-list")))
	browser.Eventually(t, clerk, "live", `document.getElementById('live-state').textContent === '实时更新中'`)
	before := browser.Eval(t, clerk, `window.__noReload = 'kept'; String(document.querySelectorAll('#wb-list tbody tr[id^=case-]').length)`)
	n, _ := strconv.Atoi(before)
	other := fd.newSession()
	fd.say(other, "zh-CN", "text", "/start")
	fd.say(other, "zh-CN", "choice", "menu:human")
	browser.Eventually(t, clerk, "the new case in the list", `document.querySelectorAll('#wb-list tbody tr[id^=case-]').length === `+strconv.Itoa(n+1))
	if got := browser.Eval(t, clerk, `window.__noReload || 'reloaded'`); got != "kept" {
		t.Fatal("the list reloaded the page instead of updating")
	}

	// On a phone: the list and the case fit 390 px, nothing scrolls sideways.
	browser.Do(t, clerk, "phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch),
		chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#wb-list")))
	if got := browser.Eval(t, clerk, `String(document.documentElement.scrollWidth)`); got != "390" {
		t.Fatalf("the list is %s px wide on a 390 px phone", got)
	}
	shot(t, clerk, "staff-list-phone-390x844")
	browser.Do(t, clerk, "the case on the phone", chromedp.Navigate(fd.base+"/staff/case/"+number), chromedp.WaitVisible(chromedp.CSS("#outcome")))
	if got := browser.Eval(t, clerk, `String(document.documentElement.scrollWidth)`); got != "390" {
		wide := browser.Eval(t, clerk, `[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 392).slice(0, 6).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right) + ' ' + e.outerHTML.slice(0, 120)).join('\n')`)
		t.Fatalf("the case is %s px wide on a 390 px phone; too wide:\n%s", got, wide)
	}
	shot(t, clerk, "staff-case-phone-390x844")

	for _, step := range [][2]string{{"cause", "运输途中挤压"}, {"action", "寄出配件"}} { // fault → cause → action before resolving
		browser.Do(t, clerk, step[0], chromedp.SetValue(chromedp.CSS("#fca select"), step[0]), chromedp.SendKeys(chromedp.CSS("#fca input[name=value]"), step[1]),
			chromedp.Click(chromedp.CSS("#fca button")))
		browser.Eventually(t, clerk, step[0]+" recorded", `!!document.getElementById('case-head') && document.getElementById('case-head').textContent.includes(`+js(step[1])+`)`)
	}
	browser.Do(t, clerk, "resolve", chromedp.WaitVisible(chromedp.CSS("#outcome")), chromedp.SendKeys(chromedp.CSS("#outcome"), "已寄出配件，问题已处理。"), chromedp.Click(chromedp.CSS("#resolve")))
	browser.Eventually(t, clerk, "resolved", `document.getElementById('case-status').textContent === '已解决' || !!document.getElementById('case-error')`)
	if got := browser.Eval(t, clerk, `(document.getElementById('case-error') || {}).textContent || ''`); got != "" {
		t.Fatalf("resolve refused: %s", got)
	}
	browser.Eventually(t, ctx, "the outcome in the customer's tab", `[...document.querySelectorAll('.msg')].some(m => m.textContent.includes('已寄出配件，问题已处理。'))`)

	browser.Do(t, ctx, "the chat on a phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch), chromedp.Reload())
	browser.Eventually(t, ctx, "the chat's history on the phone", `[...document.querySelectorAll('.msg')].some(m => m.textContent.includes(`+js(second)+`))`)
	shot(t, ctx, "chat-phone-390x844")
}
