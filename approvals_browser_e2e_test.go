package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"frontdesk/internal/testkit/browser"
)

// englishWords finds English left on a zh-Hans page: a run of three or more
// Latin letters that is not a case number, an order number or a unit.
var englishWords = regexp.MustCompile(`\b[A-Za-z]{3,}\b`)

// A compensation above the clerk's limit, in the real browser: the clerk
// walks the case (claim, classify, reply, note, assign, ask ¥900), the
// business supervisor and the duty manager each approve it on
// /staff/approvals, a reject without a reason is refused in words on the
// page and changes nothing, and the case page shows who decided; at
// 1280 px and at 390 px, with screenshots kept as artifacts.
// rule: APR-1
func TestApprovalsInABrowser(t *testing.T) {
	env := freshEnv(t)
	for _, a := range [][]string{{"wang", "小王", "clerk"}, {"li", "小李", "clerk"}, {"zhou", "周主管", "supervisor"}, {"wu", "吴经理", "duty_manager"}} {
		if _, err := staff(t, env, "e2e password\n", "add", a[0], "--name", a[1], "--role", a[2], "--password-stdin"); err != nil {
			t.Fatal(err)
		}
	}
	fd := start(t, env, "--demo")
	session := reportDamageAsking(t, fd, "zh-CN", "扶手裂了，我要赔偿")
	waitFor(t, "the case", func() bool { return caseNumber.MatchString(fd.lastText(session)) })
	var number string
	for _, m := range fd.messages(session) {
		if n := caseNumber.FindString(m.Text); n != "" {
			number = n
		}
	}

	root := browser.New(t)
	// Each staff member in a browser context of their own (their own cookies).
	login := func(user string, width, height int64) context.Context {
		t.Helper()
		ctx, cancel := chromedp.NewContext(root, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		size := []chromedp.EmulateViewportOption{}
		if width < 500 {
			size = append(size, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)
		}
		browser.Do(t, ctx, "viewport for "+user, chromedp.EmulateViewport(width, height, size...))
		browser.Do(t, ctx, "login "+user, fd.browserLogin(user)...)
		return ctx
	}
	noEnglish := func(ctx context.Context, page string) {
		t.Helper()
		text := browser.Eval(t, ctx, `document.body.innerText`)
		var left []string
		for _, w := range englishWords.FindAllString(text, -1) {
			if !strings.Contains(number+" SO ", w) {
				left = append(left, w)
			}
		}
		if len(left) > 0 {
			t.Errorf("English left on the zh-Hans %s: %q", page, left)
		}
	}
	fits := func(ctx context.Context, page string) {
		t.Helper()
		if got := browser.Eval(t, ctx, `String(document.documentElement.scrollWidth)`); got != "390" {
			wide := browser.Eval(t, ctx, `[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 392).slice(0, 4).map(e => e.tagName + ' ' + e.outerHTML.slice(0, 100)).join('\n')`)
			t.Errorf("%s is %s px wide on a 390 px phone:\n%s", page, got, wide)
		}
	}
	form := func(action string) string { return `form:has(input[name=action][value=` + action + `])` }

	// The clerk walks the case at desktop size.
	clerk := login("wang", 1280, 800)
	browser.Do(t, clerk, "open the case", chromedp.Navigate(fd.base+"/staff/case/"+number), chromedp.WaitVisible(chromedp.CSS("#claim")))
	browser.Do(t, clerk, "claim", chromedp.Click(chromedp.CSS("#claim")))
	browser.Eventually(t, clerk, "claimed", `document.getElementById('case-status').textContent === '已认领'`)
	browser.Do(t, clerk, "classify", chromedp.SetValue(chromedp.CSS(form("classify")+" select"), "quality_defect"), chromedp.Click(chromedp.CSS(form("classify")+" button")))
	browser.Eventually(t, clerk, "classified", `document.getElementById('case-head').textContent.includes('质量问题')`)
	browser.Do(t, clerk, "reply", chromedp.WaitVisible(chromedp.CSS("#reply")), chromedp.SendKeys(chromedp.CSS("#reply"), "您好，已收到照片，正在为您申请赔偿。"), chromedp.Click(chromedp.CSS("#send-reply")))
	browser.Eventually(t, clerk, "the reply in the thread", `document.getElementById('thread').textContent.includes('正在为您申请赔偿')`)
	browser.Do(t, clerk, "note", chromedp.WaitVisible(chromedp.CSS("#note")), chromedp.SendKeys(chromedp.CSS("#note"), "内部：扶手开裂，照片清楚。"), chromedp.Click(chromedp.CSS("#send-note")))
	browser.Eventually(t, clerk, "the note in the thread", `document.getElementById('thread').textContent.includes('扶手开裂')`)
	browser.Do(t, clerk, "ask ¥900", chromedp.WaitVisible(chromedp.CSS(form("remedy"))), chromedp.SetValue(chromedp.CSS(form("remedy")+" select"), "compensation"),
		chromedp.SendKeys(chromedp.CSS(form("remedy")+" input[name=amount]"), "900"), chromedp.Click(chromedp.CSS(form("remedy")+" button")))
	browser.Eventually(t, clerk, "the compensation waits", `document.body.innerText.includes('¥900')`)
	browser.Do(t, clerk, "assign", chromedp.WaitVisible(chromedp.CSS("#assignee")), chromedp.SetValue(chromedp.CSS("#assignee"), "小李"), chromedp.Click(chromedp.CSS("#assign")))
	browser.Eventually(t, clerk, "assigned", `document.getElementById('case-head').textContent.includes('小李')`)
	noEnglish(clerk, "case page")
	shot(t, clerk, "approval-case-asked-desktop-1280x800")

	// The supervisor, at a desk: a reject with no reason is refused in words.
	super := login("zhou", 1280, 800)
	browser.Do(t, super, "the queue", chromedp.Navigate(fd.base+"/staff/approvals"), chromedp.WaitVisible(chromedp.CSS("#ap-"+number)))
	noEnglish(super, "approvals page")
	shot(t, super, "approvals-desktop-1280x800")
	browser.Do(t, super, "reject without a reason", chromedp.SendKeys(chromedp.CSS("#ap-"+number+" input[name=value]"), "  "),
		chromedp.Click(chromedp.CSS("#ap-"+number+" button.no")))
	browser.Eventually(t, super, "the refusal", `!!document.getElementById('case-error')`)
	refusal := browser.Eval(t, super, `document.getElementById('case-error').textContent`)
	if !strings.Contains(refusal, "理由") || englishWords.MatchString(refusal) {
		t.Errorf("the refusal of a reject without a reason: %q", refusal)
	}
	shot(t, super, "approval-reject-refused-desktop-1280x800")
	browser.Do(t, super, "back to the queue", chromedp.Navigate(fd.base+"/staff/approvals"), chromedp.WaitVisible(chromedp.CSS("#ap-"+number+" button.ok")))
	browser.Do(t, super, "approve", chromedp.Click(chromedp.CSS("#ap-"+number+" button.ok")))
	browser.Eventually(t, super, "the supervisor's approval", `location.pathname === '/staff/approvals' && !document.querySelector('#ap-`+number+` button.ok')`)

	// The duty manager, on a phone.
	duty := login("wu", 390, 844)
	browser.Do(t, duty, "the queue on a phone", chromedp.Navigate(fd.base+"/staff/approvals"), chromedp.WaitVisible(chromedp.CSS("#ap-"+number+" button.ok")))
	fits(duty, "the approvals page")
	shot(t, duty, "approvals-phone-390x844")
	browser.Do(t, duty, "approve", chromedp.Click(chromedp.CSS("#ap-"+number+" button.ok")))
	browser.Eventually(t, duty, "approved and gone from the queue", `location.pathname === '/staff/approvals' && !document.getElementById('ap-`+number+`')`)

	// The case page shows the decision, to the clerk and on the phone.
	browser.Do(t, clerk, "the case after", chromedp.Navigate(fd.base+"/staff/case/"+number), chromedp.WaitVisible(chromedp.CSS("#case-head")))
	decided := browser.Eval(t, clerk, `document.body.innerText`)
	if !strings.Contains(decided, "已批准") || !strings.Contains(decided, "周主管") || !strings.Contains(decided, "吴经理") {
		t.Errorf("the case page does not show the decision: %.1500s", decided)
	}
	noEnglish(clerk, "case page after the approval")
	shot(t, clerk, "approval-case-decided-desktop-1280x800")
	browser.Do(t, duty, "the case on a phone", chromedp.Navigate(fd.base+"/staff/case/"+number), chromedp.WaitVisible(chromedp.CSS("#case-head")))
	fits(duty, "the case page")
	shot(t, duty, "approval-case-decided-phone-390x844")

	// Resolving a quality defect before its cause and action are recorded
	// is refused, in words; recorded, it resolves.
	resolve := func() string {
		browser.Do(t, clerk, "resolve", chromedp.WaitVisible(chromedp.CSS("#outcome")), chromedp.SendKeys(chromedp.CSS("#outcome"), "赔偿900元已确认，问题已处理。"), chromedp.Click(chromedp.CSS("#resolve")))
		browser.Eventually(t, clerk, "resolved or refused", `document.getElementById('case-status').textContent === '已解决' || !!document.getElementById('case-error')`)
		return browser.Eval(t, clerk, `(document.getElementById('case-error') || {}).textContent || ''`)
	}
	if got := resolve(); !strings.Contains(got, "原因") || englishWords.MatchString(got) {
		t.Errorf("resolving before the cause: %q", got)
	}
	for _, step := range [][2]string{{"cause", "扶手木料开裂"}, {"action", "赔偿900元"}} {
		browser.Do(t, clerk, step[0], chromedp.SetValue(chromedp.CSS("#fca select"), step[0]), chromedp.SendKeys(chromedp.CSS("#fca input[name=value]"), step[1]),
			chromedp.Click(chromedp.CSS("#fca button")))
		browser.Eventually(t, clerk, step[0]+" recorded", `!!document.getElementById('case-head') && document.getElementById('case-head').textContent.includes(`+js(step[1])+`)`)
	}
	if got := resolve(); got != "" {
		t.Fatalf("resolve refused: %s", got)
	}
	shot(t, clerk, "approval-case-resolved-desktop-1280x800")
}
