package webchat

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"frontdesk/internal/testkit/browser"
)

// The web chat in a real browser: a tap and a typed answer show as the
// customer's; after a reload both sides of the conversation come back and
// no old button is live; an expired button forced live is answered "this
// button has expired" and changes nothing; a photo over the limit is not
// sent and not shown as sent.
func TestChatPageInABrowser(t *testing.T) {
	h := newHarness(t)
	ctx := browser.New(t)
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	onlyLastLive := `(function(){ const boxes = [...document.querySelectorAll('.buttons')];
		return boxes.slice(0, -1).every(b => [...b.querySelectorAll('button')].every(x => x.disabled)) ? 'ok' : 'old buttons live'; })()`

	run("open", chromedp.Navigate(h.srv.URL+"/chat"))
	browser.Eventually(t, ctx, "the menu", `document.querySelectorAll('.bot .buttons button').length > 0`)
	if got := eval(`document.getElementById('text').placeholder + '|' + document.getElementById('sendButton').textContent`); got != "输入消息…|发送" {
		t.Fatalf("the page's words in Chinese: %q", got)
	}
	label := eval(`(function(){ const b = [...document.querySelectorAll('.bot .buttons button')].find(b => b.textContent.includes('订单')); b.click(); return b.textContent; })()`)
	browser.Eventually(t, ctx, "the tap shown as the customer's", `[...document.querySelectorAll('.me')].some(m => m.textContent === `+jsString(label)+`)`)
	browser.Eventually(t, ctx, "the menu's buttons off", `document.querySelector('.buttons').querySelectorAll('button:not([disabled])').length === 0`)
	run("type", chromedp.SendKeys(chromedp.CSS("#text"), "SO-1001"), chromedp.Click(chromedp.CSS("#sendButton")))
	browser.Eventually(t, ctx, "the next question", `document.querySelectorAll('.bot').length >= 3`)
	if got := eval(onlyLastLive); got != "ok" {
		t.Fatal(got)
	}
	before := eval(`[...document.querySelectorAll('.msg')].map(m => m.className + ':' + m.firstChild.textContent).join('\n')`)

	run("reload", chromedp.Reload())
	browser.Eventually(t, ctx, "the history back", `document.querySelectorAll('.msg').length >= `+itoa(int64(strings.Count(before, "\n")+1)))
	after := eval(`[...document.querySelectorAll('.msg')].map(m => m.className + ':' + m.firstChild.textContent).join('\n')`)
	if after != before {
		t.Fatalf("after a reload:\n%s\nbefore:\n%s", after, before)
	}
	// Only the current question's buttons are live: those of the last box.
	if got := eval(onlyLastLive); got != "ok" {
		t.Fatal(got)
	}

	// An expired button forced live answers that it has expired, and the
	// chat does not change.
	session := eval(`sessionStorage.getItem('frontdesk.session')`)
	kept := len(h.history(session))
	eval(`(function(){ const b = document.querySelector('.bot .buttons button'); b.disabled = false; b.click(); return ''; })()`)
	browser.Eventually(t, ctx, "the expired answer", `[...document.querySelectorAll('.status')].some(s => s.textContent.includes('已过期'))`)
	if n := len(h.history(session)); n != kept {
		t.Fatalf("the expired tap changed the chat: %d → %d messages", kept, n)
	}

	// A photo over the limit is refused by the page itself.
	big := filepath.Join(t.TempDir(), "big.png")
	if err := os.WriteFile(big, make([]byte, 2<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	run("choose a big photo", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{big}))
	browser.Eventually(t, ctx, "the size refusal", `[...document.querySelectorAll('.status')].some(s => s.textContent.includes('太大'))`)
	if n := eval(`String(document.querySelectorAll('.me img').length)`); n != "0" {
		t.Fatalf("a refused photo is shown as sent (%s)", n)
	}
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}
