package main

import "github.com/chromedp/chromedp"

// browserLogin are the steps of login logging in on /staff in a browser
// with the e2e password, up to the workbench's list.
func (in *instance) browserLogin(login string) []chromedp.Action[chromedp.Void] {
	return []chromedp.Action[chromedp.Void]{chromedp.Navigate(in.base + "/staff/login"),
		chromedp.SendKeys(chromedp.CSS("input[name=login]"), login), chromedp.SendKeys(chromedp.CSS("input[name=password]"), e2ePassword),
		chromedp.Submit(chromedp.CSS("input[name=password]")), chromedp.WaitVisible(chromedp.CSS("#wb-list"))}
}
