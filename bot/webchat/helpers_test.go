package webchat

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"frontdesk/internal/testkit/browser"
)

// atDamagePhotos verifies session s (in English) and walks the damage
// report of SO-1001's first item, delivered home, up to its first photo
// question: where the tests of uploads start.
func (h *harness) atDamagePhotos(s string) {
	h.t.Helper()
	h.verify(s)
	for _, c := range []string{"menu:damage", "ans:SO-1001", "ans:1", "ans:done", "ans:home"} {
		h.say(s, map[string]string{"choice": c})
	}
}

// chatInABrowser is a harness and a browser tab on its chat page, once the
// page shows the menu: where the browser tests start.
func chatInABrowser(t *testing.T) (*harness, context.Context) {
	t.Helper()
	h := newHarness(t)
	ctx := browser.New(t)
	browser.Do(t, ctx, "open", chromedp.Navigate(h.srv.URL+"/chat"))
	browser.Eventually(t, ctx, "the menu", `document.querySelectorAll('.bot .buttons button').length > 0`)
	return h, ctx
}
