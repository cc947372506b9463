// Package browser starts a real headless Chromium for the tests of the
// pages (the web chat, the staff workbench), driven through the DevTools
// protocol with chromedp.
package browser

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// InstallHint is how to get the browser the page tests need.
const InstallHint = "apt-get install -y chromium"

// path finds Chromium: FRONTDESK_CHROMIUM, else the usual names on PATH.
func path() string {
	if p := os.Getenv("FRONTDESK_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// New starts a headless browser for the test and returns a tab's context,
// closed when the test ends. Without a browser the test is skipped with the
// install command, unless FRONTDESK_BROWSER_TESTS=require (CI), when it
// fails.
func New(tb testing.TB) context.Context {
	tb.Helper()
	exe := path()
	if exe == "" {
		if os.Getenv("FRONTDESK_BROWSER_TESTS") == "require" {
			tb.Fatalf("no Chromium found for the browser tests: %s (or set FRONTDESK_CHROMIUM)", InstallHint)
		}
		tb.Skipf("no Chromium found; the browser tests need it: %s", InstallHint)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(exe), chromedp.NoSandbox,
		chromedp.Flag("lang", "zh-CN"), chromedp.Flag("accept-lang", "zh-CN"), chromedp.WindowSize(420, 860))
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	tab, cancelTab := chromedp.NewContext(alloc)
	// The first run starts the browser, on a context without a timeout (a
	// timeout there would stop the browser); the test's actions get one.
	if err := chromedp.Do(tab); err != nil {
		cancelTab()
		cancelAlloc()
		tb.Fatalf("start %s: %v", exe, err)
	}
	ctx, cancelTime := context.WithTimeout(tab, 90*time.Second)
	tb.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	return ctx
}

// Eventually evaluates the JavaScript expression js until it is true, or
// fails the test after a few seconds with what.
func Eventually(tb testing.TB, ctx context.Context, what, js string) {
	tb.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js)); err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("the page did not come to: %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// Do runs the actions in the tab, or fails the test with what was being
// done.
func Do(tb testing.TB, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
}

// Eval evaluates the JavaScript expression js in the tab and returns its
// string value, or fails the test.
func Eval(tb testing.TB, ctx context.Context, js string) string {
	tb.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		tb.Fatalf("%s: %v", js, err)
	}
	return v
}
