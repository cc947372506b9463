package webchat

import (
	"testing"

	"github.com/chromedp/chromedp"

	"frontdesk/internal/testkit/browser"
)

// In a real browser, ticking items of a multi-choice question updates the
// question's own bubble: no new bubble, no tap shown as a message, the
// ticks on its live buttons; after a reload the page is the same.
func TestTheBubbleIsReplacedInABrowser(t *testing.T) {
	_, ctx := chatInABrowser(t)
	tap := func(data string) {
		t.Helper()
		// The buttons carry their data only in the page's closures: tap by
		// the live box's button whose words the test knows.
		browser.Eval(t, ctx, `(function(){ const b = [...document.querySelectorAll('.buttons button:not([disabled])')].find(b => b.textContent.includes(`+jsString(data)+`)); if (!b) return 'none'; b.click(); return ''; })()`)
	}
	page := `[...document.querySelectorAll('.msg')].map(m => m.className + ':' + m.textContent).join('\n')`

	tap("损")
	browser.Eventually(t, ctx, "the order number asked", `document.querySelectorAll('.bot').length >= 2`)
	browser.Do(t, ctx, "order", chromedp.SendKeys(chromedp.CSS("#text"), "SO-1001"), chromedp.Click(chromedp.CSS("#sendButton")))
	browser.Eventually(t, ctx, "the digits asked", `document.querySelectorAll('.bot').length >= 3`)
	browser.Do(t, ctx, "digits", chromedp.SendKeys(chromedp.CSS("#text"), "1234"), chromedp.Click(chromedp.CSS("#sendButton")))
	browser.Eventually(t, ctx, "the orders", `[...document.querySelectorAll('.buttons button:not([disabled])')].some(b => b.textContent.includes('SO-1001'))`)
	tap("SO-1001")
	browser.Eventually(t, ctx, "the items", `[...document.querySelectorAll('.buttons button:not([disabled])')].some(b => b.textContent.includes('茶几'))`)
	bots := browser.Eval(t, ctx, `String(document.querySelectorAll('.bot').length)`)

	tap("茶几")
	browser.Eventually(t, ctx, "the tick in place", `[...document.querySelectorAll('.buttons button:not([disabled])')].some(b => b.textContent.startsWith('✓') && b.textContent.includes('茶几'))`)
	tap("沙发")
	browser.Eventually(t, ctx, "the second tick in place", `[...document.querySelectorAll('.buttons button:not([disabled])')].filter(b => b.textContent.startsWith('✓')).length === 2`)
	if got := browser.Eval(t, ctx, `String(document.querySelectorAll('.bot').length)`); got != bots {
		t.Fatalf("ticks added bubbles: %s → %s", bots, got)
	}
	if got := browser.Eval(t, ctx, `String([...document.querySelectorAll('.me')].filter(m => m.textContent.includes('茶几')).length)`); got != "0" {
		t.Fatalf("a tick shown as the customer's message (%s)", got)
	}
	before := browser.Eval(t, ctx, page)
	browser.Do(t, ctx, "reload", chromedp.Reload())
	browser.Eventually(t, ctx, "the ticks back", `[...document.querySelectorAll('.buttons button:not([disabled])')].filter(b => b.textContent.startsWith('✓')).length === 2`)
	if after := browser.Eval(t, ctx, page); after != before {
		t.Fatalf("after a reload:\n%s\nbefore:\n%s", after, before)
	}
	// The ticked bubble's buttons are live after the reload: done moves on.
	tap("完成")
	browser.Eventually(t, ctx, "the next question", `document.querySelectorAll('.bot').length > `+bots)
}
