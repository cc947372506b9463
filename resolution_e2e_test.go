package main

import (
	"net/url"
	"strings"
	"testing"
)

// staffPage logs the clerk 小王 in on /staff and returns a function that
// posts a form to a case page and returns the page after it.
func staffPage(t *testing.T, fd *instance) func(number string, fields url.Values) string {
	t.Helper()
	client, _ := fd.staffClient(t, "wang")
	return func(number string, fields url.Values) string {
		t.Helper()
		_, page := fd.postForm(t, client, "/staff/case/"+number, fields)
		return page
	}
}

// damageCaseOnStaffPage starts the demo desk with the clerk 小王, has a
// web-chat customer report damage, and returns the session, the number of
// its case and the clerk's poster of case-page forms.
func damageCaseOnStaffPage(t *testing.T) (fd *instance, session, number string, act func(string, url.Values) string) {
	t.Helper()
	env := freshEnv(t)
	addClerk(t, env)
	fd = start(t, env, "--demo")
	session = reportDamage(t, fd)
	number = caseOfSession(t, fd, session)
	return fd, session, number, staffPage(t, fd)
}

// caseOfSession is the number of the case the customer of session was told.
func caseOfSession(t *testing.T, fd *instance, session string) string {
	t.Helper()
	var number string
	waitFor(t, "the case number in the chat", func() bool {
		for _, m := range fd.messages(session) {
			if n := caseNumber.FindString(m.Text); n != "" {
				number = n
				return true
			}
		}
		return false
	})
	return number
}

// resolvedBy walks a damage case through fault → cause → action on /staff
// and resolves it with an outcome; it returns the case page.
func resolvedBy(t *testing.T, act func(string, url.Values) string, number string) string {
	t.Helper()
	act(number, url.Values{"action": {"claim"}})
	if page := act(number, url.Values{"action": {"resolve"}, "value": {"已修好"}}); !strings.Contains(page, "须按“问题 → 原因 → 措施”结案") { // the refusal in words (STF-2)
		t.Fatalf("a resolve without cause and action was not refused:\n%.1500s", page)
	}
	act(number, url.Values{"action": {"cause"}, "value": {"运输途中挤压"}})
	act(number, url.Values{"action": {"action"}, "value": {"上门修补扶手"}})
	page := act(number, url.Values{"action": {"resolve"}, "value": {"师傅已上门修补扶手，请您查看。"}})
	if !strings.Contains(page, `<span id="case-status">已解决</span>`) {
		t.Fatalf("case page after resolve:\n%.1500s", page)
	}
	return page
}

// The resolution loop through the real server: staff resolve on /staff,
// the customer is told the outcome from a person and confirms it; the case
// shows 顾客确认.
// rule: CAS-1, CAS-2, CAS-6
func TestEndToEndResolveConfirmedByTheCustomer(t *testing.T) {
	fd, session, number, act := damageCaseOnStaffPage(t)
	resolvedBy(t, act, number)
	notice := "【售后 小王 · " + number + "】师傅已上门修补扶手，请您查看。"
	waitFor(t, "the outcome in the web chat", func() bool { return strings.HasPrefix(fd.lastText(session), notice) })
	fd.say(session, "zh-CN", "choice", fd.buttonData(session, "resolved:yes:"+number))
	waitFor(t, "the thanks", func() bool { return strings.Contains(fd.lastText(session), "顾客确认") })
	page := act(number, url.Values{"action": {"note"}, "value": {"客户已确认"}})
	if !strings.Contains(page, "顾客确认：已解决") || !strings.Contains(page, "顾客确认已解决") {
		t.Fatalf("the case page does not show the confirmation:\n%.3000s", page)
	}
}

// "Not yet" reopens the case through the real server, and its clocks run
// again: the case has a next due time once more.
// rule: CAS-2, CAS-4
func TestEndToEndNotYetReopensWithClocks(t *testing.T) {
	fd, session, number, act := damageCaseOnStaffPage(t)
	act(number, url.Values{"action": {"message"}, "value": {"师傅明天上门。"}})
	if page := resolvedBy(t, act, number); strings.Contains(page, `id="next-due"`) {
		t.Fatalf("a resolved case still has a clock running:\n%.2000s", page)
	}
	fd.say(session, "zh-CN", "choice", fd.buttonData(session, "resolved:no:"+number))
	waitFor(t, "the reopen told", func() bool { return strings.Contains(fd.lastText(session), "重新打开") })
	page := act(number, url.Values{"action": {"note"}, "value": {"客户说还没好"}})
	if strings.Contains(page, `id="reopen"`) || !strings.Contains(page, "顾客表示还没有解决") || !strings.Contains(page, `id="next-due"`) {
		t.Fatalf("the case is not open with its clocks again:\n%.3000s", page)
	}
	if !strings.Contains(page, "顾客表示未解决") || !strings.Contains(page, "重新打开") {
		t.Fatalf("the history lacks the customer's answer:\n%.3000s", page)
	}
}

// Staff end a handover on /staff: the customer is told and gets the menu.
// rule: CAS-5
func TestEndToEndStaffEndTheHandover(t *testing.T) {
	env := freshEnv(t)
	addClerk(t, env)
	fd := start(t, env, "--demo")
	s := fd.newSession()
	fd.say(s, "en", "text", "/start")
	fd.say(s, "en", "choice", "menu:human")
	number := caseOfSession(t, fd, s)
	fd.say(s, "en", "text", "my sofa arrived broken")
	waitFor(t, "the acknowledgement", func() bool { return strings.Contains(fd.lastText(s), "Received; a colleague") })
	act := staffPage(t, fd)
	if page := act(number, url.Values{"action": {"end_handoff"}}); strings.Contains(page, "End handover") {
		t.Fatalf("the page still offers to end the handover:\n%.2000s", page)
	}
	waitFor(t, "the end told", func() bool { return strings.Contains(fd.lastText(s), "ended the conversation") })
	fd.say(s, "en", "choice", fd.buttonData(s, "menu:where"))
	waitFor(t, "the bot answering again", func() bool { return strings.Contains(fd.lastText(s), "order number") })
}
