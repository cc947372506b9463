package main

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"frontdesk/internal/testkit/browser"
)

// A customer and a clerk walk the pages on a phone (390×844) and a desktop
// (1280×800), checking what a walk through them found wrong: the photo
// picker is a drawn camera reachable by keyboard (not an emoji the phone
// may lack), a tap on an expired button is not shown as sent and leaves
// the open question's buttons live, a case number is never broken across
// lines, photos are described in the customer's language (not by their
// file names); the workbench's list rows span the phone's width, the
// approvals page does not throw away a typed reason, the digest reads in
// the page's font, and the gallery opens and closes from the keyboard.
// Screenshots land in the artifacts folder as walker-*.png.
// rule: STF-2
func TestWalkerPagesAsPeopleUseThem(t *testing.T) {
	env := freshEnv(t)
	if _, err := staff(t, env, "e2e password\n", "add", "wang", "--name", "小王", "--role", "supervisor", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	fd := start(t, env, "--demo")
	session := reportDamage(t, fd)
	number := caseNumber.FindString(fd.lastText(session))
	if number == "" {
		t.Fatalf("no case number told: %q", fd.lastText(session))
	}

	ctx := browser.New(t)
	run := func(ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(ctx context.Context, expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		return v
	}
	phone := chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch)

	// The customer's own chat, on a phone.
	run(ctx, "the chat", phone, chromedp.Navigate(fd.base+"/healthz"),
		chromedp.Evaluate[chromedp.Void]("sessionStorage.setItem('frontdesk.session', "+js(session)+")"), chromedp.Navigate(fd.base+"/chat"))
	browser.Eventually(t, ctx, "the history", `[...document.querySelectorAll('.msg')].some(m => m.textContent.includes(`+js(number)+`))`)

	// The case number stays on one line.
	if got := eval(ctx, `[...document.querySelectorAll('.bot .nowrap')].map(s => s.textContent).join(',')`); !strings.Contains(got, number) {
		t.Fatalf("the case number is not kept on one line: %q", got)
	}
	// The photo picker: a drawn icon, named in the page's language, and a
	// file input the keyboard reaches.
	if got := eval(ctx, `(document.querySelector('#photo svg') ? 'icon' : 'none') + '|' + document.getElementById('file').getAttribute('aria-label') + '|' + (getComputedStyle(document.getElementById('file')).display === 'none' ? 'unreachable' : 'reachable') + '|' + document.getElementById('photo').textContent.trim()`); got != "icon|发送照片|reachable|" {
		t.Fatalf("the photo picker: %q", got)
	}
	// The customer's photos (from the history) are described, not named by file.
	if got := eval(ctx, `[...new Set([...document.querySelectorAll('.me img')].map(i => i.alt))].join(',')`); got != "您发送的照片" {
		t.Fatalf("the photos' alt texts: %q", got)
	}
	run(ctx, "back to the menu", chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('.buttons button:not(:disabled)')].pop().click()`))
	browser.Eventually(t, ctx, "the menu", `[...document.querySelectorAll('.buttons button:not(:disabled)')].some(b => b.textContent === '人工客服')`)

	// An expired button forced live: refused, not shown as sent, and the
	// open question (the menu) keeps its live buttons.
	mine := eval(ctx, `String(document.querySelectorAll('.me').length)`)
	run(ctx, "tap an expired button", chromedp.Evaluate[chromedp.Void](`(function(){ const b = document.querySelector('.bot .buttons button:disabled'); b.disabled = false; b.click(); })()`))
	browser.Eventually(t, ctx, "the expired answer", `[...document.querySelectorAll('.status')].some(s => s.textContent.includes('已过期'))`)
	browser.Eventually(t, ctx, "the tap taken back", `String(document.querySelectorAll('.me').length) === `+js(mine))
	if got := eval(ctx, `String([...document.querySelectorAll('.buttons')].filter(b => b.querySelector('button:not(:disabled)')).length) + '|' + [...document.querySelectorAll('.buttons')].pop().querySelectorAll('button:disabled').length`); got != "1|0" {
		t.Fatalf("after an expired tap, live boxes | dead buttons in the open question = %q, want 1|0", got)
	}
	if got := eval(ctx, `String(document.documentElement.scrollWidth)`); got != "390" {
		t.Fatalf("the chat is %s px wide on a 390 px phone", got)
	}
	shot(t, ctx, "walker-chat-phone-390x844")

	// The clerk (a supervisor) on a phone: the list's rows span the width.
	clerk, closeClerk := chromedp.NewContext(ctx)
	defer closeClerk()
	run(clerk, "login", phone, chromedp.Navigate(fd.base+"/staff/login"),
		chromedp.SendKeys(chromedp.CSS("input[name=login]"), "wang"), chromedp.SendKeys(chromedp.CSS("input[name=password]"), "e2e password"),
		chromedp.Submit(chromedp.CSS("input[name=password]")), chromedp.WaitVisible(chromedp.CSS("#wb-list")))
	if got := eval(clerk, `(function(){ const r = document.getElementById('case-`+number+`').getBoundingClientRect(); const l = document.getElementById('wb-list').getBoundingClientRect(); return String(Math.abs(r.width - l.width) < 2); })()`); got != "true" {
		t.Fatal("a case row does not span the list on a phone")
	}
	shot(t, clerk, "walker-staff-list-phone-390x844")

	// The gallery from the keyboard: Enter on a photo opens it with the
	// focus on its close button; Escape closes it and gives the focus back.
	run(clerk, "the case", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(fd.base+"/staff/case/"+number), chromedp.WaitVisible(chromedp.CSS("img.ph")))
	run(clerk, "open a photo by keyboard", chromedp.Evaluate[chromedp.Void](`(function(){ const p = document.querySelector('img.ph'); p.focus(); p.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true})); })()`))
	browser.Eventually(t, clerk, "the gallery open", `!document.getElementById('lightbox').hidden && document.activeElement.classList.contains('close')`)
	if got := eval(clerk, `[...document.querySelectorAll('#lightbox button')].map(b => b.getAttribute('aria-label')).join('|')`); got != "上一张|下一张|关闭" {
		t.Fatalf("the gallery's buttons: %q", got)
	}
	shot(t, clerk, "walker-staff-gallery-desktop-1280x800")
	run(clerk, "close the gallery", chromedp.Evaluate[chromedp.Void](`document.activeElement.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true}))`))
	browser.Eventually(t, clerk, "the gallery closed", `document.getElementById('lightbox').hidden && document.activeElement.matches('img.ph')`)
	shot(t, clerk, "walker-staff-case-desktop-1280x800")

	// The approvals page: in the staff's language, the menu on top, and no
	// reload that would throw a typed reason away.
	run(clerk, "approvals", chromedp.Navigate(fd.base+"/staff/approvals"), chromedp.WaitVisible(chromedp.CSS("nav.top")))
	if got := eval(clerk, `document.documentElement.lang + '|' + String(!!document.querySelector('meta[http-equiv=refresh]')) + '|' + document.body.dataset.refresh`); got != "zh-Hans|false|60" {
		t.Fatalf("the approvals page: %q", got)
	}

	// The digest: the menu on top, the text in the page's font, the chart.
	run(clerk, "digest", phone, chromedp.Navigate(fd.base+"/staff/digest"), chromedp.WaitVisible(chromedp.CSS("#digest-now")))
	if got := eval(clerk, `String(getComputedStyle(document.querySelector('pre.digest')).fontFamily === getComputedStyle(document.body).fontFamily) + '|' + String(!!document.querySelector('nav.top')) + '|' + document.documentElement.scrollWidth`); got != "true|true|390" {
		t.Fatalf("the digest page (same font | menu | width): %q", got)
	}
	browser.Eventually(t, clerk, "the chart drawn", `(function(){ const i = document.querySelector('#digest-now img'); return i.complete && i.naturalWidth > 0; })()`)
	shot(t, clerk, "walker-staff-digest-phone-390x844")
}
