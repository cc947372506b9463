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
	h, ctx := chatInABrowser(t)
	onlyLastLive := `(function(){ const boxes = [...document.querySelectorAll('.buttons')];
		return boxes.slice(0, -1).every(b => [...b.querySelectorAll('button')].every(x => x.disabled)) ? 'ok' : 'old buttons live'; })()`

	if got := browser.Eval(t, ctx, `document.getElementById('text').placeholder + '|' + document.getElementById('sendButton').textContent`); got != "输入消息…|发送" {
		t.Fatalf("the page's words in Chinese: %q", got)
	}
	label := browser.Eval(t, ctx, `(function(){ const b = [...document.querySelectorAll('.bot .buttons button')].find(b => b.textContent.includes('订单')); b.click(); return b.textContent; })()`)
	browser.Eventually(t, ctx, "the tap shown as the customer's", `[...document.querySelectorAll('.me')].some(m => m.textContent === `+jsString(label)+`)`)
	browser.Eventually(t, ctx, "the menu's buttons off", `document.querySelector('.buttons').querySelectorAll('button:not([disabled])').length === 0`)
	browser.Do(t, ctx, "type", chromedp.SendKeys(chromedp.CSS("#text"), "SO-1001"), chromedp.Click(chromedp.CSS("#sendButton")))
	browser.Eventually(t, ctx, "the next question", `document.querySelectorAll('.bot').length >= 3`)
	if got := browser.Eval(t, ctx, onlyLastLive); got != "ok" {
		t.Fatal(got)
	}
	before := browser.Eval(t, ctx, `[...document.querySelectorAll('.msg')].map(m => m.className + ':' + m.firstChild.textContent).join('\n')`)

	browser.Do(t, ctx, "reload", chromedp.Reload())
	browser.Eventually(t, ctx, "the history back", `document.querySelectorAll('.msg').length >= `+itoa(int64(strings.Count(before, "\n")+1)))
	after := browser.Eval(t, ctx, `[...document.querySelectorAll('.msg')].map(m => m.className + ':' + m.firstChild.textContent).join('\n')`)
	if after != before {
		t.Fatalf("after a reload:\n%s\nbefore:\n%s", after, before)
	}
	// Only the current question's buttons are live: those of the last box.
	if got := browser.Eval(t, ctx, onlyLastLive); got != "ok" {
		t.Fatal(got)
	}

	// An expired button forced live answers that it has expired, and the
	// chat does not change.
	session := browser.Eval(t, ctx, `sessionStorage.getItem('frontdesk.session')`)
	kept := len(h.history(session))
	browser.Eval(t, ctx, `(function(){ const b = document.querySelector('.bot .buttons button'); b.disabled = false; b.click(); return ''; })()`)
	browser.Eventually(t, ctx, "the expired answer", `[...document.querySelectorAll('.status')].some(s => s.textContent.includes('已过期'))`)
	if n := len(h.history(session)); n != kept {
		t.Fatalf("the expired tap changed the chat: %d → %d messages", kept, n)
	}

	// A photo over the limit is refused by the page itself.
	big := filepath.Join(t.TempDir(), "big.png")
	if err := os.WriteFile(big, make([]byte, 2<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	browser.Do(t, ctx, "choose a big photo", chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{big}))
	browser.Eventually(t, ctx, "the size refusal", `[...document.querySelectorAll('.status')].some(s => s.textContent.includes('太大'))`)
	if n := browser.Eval(t, ctx, `String(document.querySelectorAll('.me img').length)`); n != "0" {
		t.Fatalf("a refused photo is shown as sent (%s)", n)
	}
}

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`).Replace(s) + "'"
}
