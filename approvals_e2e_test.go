package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"frontdesk/bot/slack/slackfake"
	"frontdesk/internal/testkit"
)

// reportDamageAsking walks a web-chat customer through a damage report in
// lang, with three photos and description (the approval tests give one
// that asks for money), and returns the session.
func reportDamageAsking(t *testing.T, fd *instance, lang, description string) string {
	t.Helper()
	s := fd.newSession()
	say := func(field, v string) { fd.say(s, lang, field, v) }
	say("text", "/status")
	say("text", "SO-1001")
	say("text", "1234")
	for _, step := range []string{"menu:damage", "ans:SO-1001", "ans:1", "ans:done", "ans:home"} {
		say("choice", step)
	}
	for i := byte(1); i <= 3; i++ {
		fd.upload(s, lang, testkit.PNG(i))
		say("choice", "ans:done")
	}
	say("choice", "ans:no")
	say("text", description)
	return s
}

// click is a Slack user pressing a button (or choosing an option) in a
// channel, with the values typed into the message's input boxes.
func click(user, channel, id, value, option string, typed map[string]map[string]string) []byte {
	a := map[string]any{"action_id": id, "block_id": "actions", "type": "button", "value": value}
	if option != "" {
		a["type"], a["selected_option"] = "static_select", map[string]any{"value": option}
	}
	values := map[string]any{}
	for block, inputs := range typed {
		m := map[string]any{}
		for action, v := range inputs {
			m[action] = map[string]any{"type": "plain_text_input", "value": v}
		}
		values[block] = m
	}
	b, _ := json.Marshal(map[string]any{"type": "block_actions", "user": map[string]any{"id": user}, "channel": map[string]any{"id": channel},
		"actions": []any{a}, "state": map[string]any{"values": values}})
	return []byte("payload=" + url.QueryEscape(string(b)))
}

func slackPosted(fake *slackfake.Server, match func(p slackfake.Post) bool) bool {
	for _, p := range fake.Posts() {
		if match(p) {
			return true
		}
	}
	return false
}

// A compensation above the clerk's limit approved in Slack by the business
// supervisor and the duty manager with the buttons of the managers' post:
// a clerk's Approve and a Reject without a reason are refused and change
// nothing; the clerk is called in the thread; the customer hears the
// result only. A major complaint calls the general manager.
// rule: APR-1, CMP-4
func TestApprovalInSlackEndToEnd(t *testing.T) {
	fake := slackfake.New(t)
	env := freshEnv(t)
	for k, v := range map[string]string{"SLACK_BOT_TOKEN": "xoxb-e2e", "SLACK_SIGNING_SECRET": "e2e-secret",
		"SLACK_STAFF_CHANNEL": "CSTAFF", "SLACK_MANAGERS_CHANNEL": "CMGR", "SLACK_API_URL": fake.URL} {
		env[k] = v
	}
	for _, a := range [][]string{{"wang", "小王", "clerk", "U7"}, {"zhou", "周主管", "supervisor", "U8"},
		{"wu", "吴经理", "duty_manager", "U9"}, {"chen", "陈总", "general_manager", "U10"}} {
		if _, err := staff(t, env, "", "add", a[0], "--name", a[1], "--role", a[2], "--slack", a[3]); err != nil {
			t.Fatal(err)
		}
	}
	fd := start(t, env, "--demo")
	session := reportDamageAsking(t, fd, "zh-CN", "扶手开裂，要求赔偿")
	number, ts := parent(t, fake)
	press := func(body []byte) {
		t.Helper()
		if code := signedPost(t, fd.base+"/slack/interactions", "application/x-www-form-urlencoded", body); code != 200 {
			t.Fatalf("interaction: %d", code)
		}
	}
	press(click("U7", "CSTAFF", "claim", number, "", nil))
	press(click("U7", "CSTAFF", "remedy", "", number+"|compensation", map[string]map[string]string{"amount_block": {"amount": "800"}}))
	waitFor(t, "the approval request with its buttons in the managers' channel", func() bool {
		return slackPosted(fake, func(p slackfake.Post) bool {
			return p.Channel == "CMGR" && strings.Contains(p.Blocks, `"action_id":"approve"`) && strings.Contains(p.Blocks, `"action_id":"reject"`) &&
				strings.Contains(p.Blocks, number) && strings.Contains(p.Blocks, "¥800")
		})
	})
	// Refused: a clerk's Approve, a Reject without a reason.
	press(click("U7", "CMGR", "approve", number, "", nil))
	press(click("U9", "CMGR", "reject", number, "", map[string]map[string]string{"reject_reason_block": {"reject_reason": "  "}}))
	waitFor(t, "both refusals, each to the one who pressed", func() bool {
		var clerk, reason bool
		for _, e := range fake.Ephemeral() {
			clerk = clerk || (e.User == "U7" && strings.Contains(e.Text, "您的角色（客服专员）不能执行这个操作"))
			reason = reason || (e.User == "U9" && strings.Contains(e.Text, "reason"))
		}
		return clerk && reason
	})
	press(click("U8", "CMGR", "approve", number, "", nil))
	waitFor(t, "the clerk told the supervisor approved, the duty manager still needed", func() bool {
		return slackPosted(fake, func(p slackfake.Post) bool {
			return p.ThreadTS == ts && strings.Contains(p.Text, "<@U7> ✅ 周主管 已批准赔偿 ¥800；仍需：值班经理。")
		})
	})
	if slackPosted(fake, func(p slackfake.Post) bool { return strings.Contains(p.Text, "rejected") }) {
		t.Fatal("a reject without a reason was taken")
	}
	press(click("U9", "CMGR", "approve", number, "", nil))
	waitFor(t, "the clerk called in the thread", func() bool {
		return slackPosted(fake, func(p slackfake.Post) bool {
			return p.ThreadTS == ts && strings.Contains(p.Text, "<@U7> ✅ 赔偿 ¥800 已由 周主管、吴经理 批准：请执行。")
		})
	})
	want := "关于服务单 " + number + "：您提出的赔偿要求已确认，金额为 800 元。工作人员会与您联系具体的办理方式。"
	waitFor(t, "the result in the customer's chat", func() bool { return fd.lastText(session) == want })
	waitFor(t, "the card showing who decided", func() bool {
		b := lastUpdate(fake)
		return strings.Contains(b, "已批准：周主管、吴经理") && !strings.Contains(b, `"action_id":"approve"`)
	})

	// A major complaint from the chat: the general manager is called.
	s := fd.newSession()
	for _, m := range [][2]string{{"text", "/status"}, {"text", "SO-1001"}, {"text", "1234"}, {"choice", "menu:complaint"},
		{"choice", "ans:SO-1001"}, {"choice", "ans:major"}, {"text", "茶几玻璃自爆，差点伤到孩子"}, {"choice", "ans:none"}} {
		fd.say(s, "zh-CN", m[0], m[1])
	}
	waitFor(t, "the general manager called in the managers' channel", func() bool {
		return slackPosted(fake, func(p slackfake.Post) bool {
			return p.Channel == "CMGR" && strings.HasPrefix(p.Text, "<@U10> 🚨 重大投诉 AS-")
		})
	})
}

// The same on /staff: the approvals queue lists what waits with the
// buttons for those who may press them; a clerk's approve and a reject
// without a reason are refused and change nothing; the supervisor and the
// duty manager approve from the queue; the customer hears the result in
// English.
// rule: APR-1
func TestApprovalOnTheStaffPageEndToEnd(t *testing.T) {
	env := freshEnv(t)
	for _, a := range [][]string{{"wang", "小王", "clerk"}, {"zhou", "周主管", "supervisor"}, {"wu", "吴经理", "duty_manager"}} {
		if _, err := staff(t, env, "e2e password\n", "add", a[0], "--name", a[1], "--role", a[2], "--password-stdin"); err != nil {
			t.Fatal(err)
		}
	}
	fd := start(t, env, "--demo")
	session := reportDamageAsking(t, fd, "en", "the armrest cracked, I want compensation")
	waitFor(t, "the case", func() bool { return caseNumber.MatchString(fd.lastText(session)) })
	number := caseNumber.FindString(strings.Join(func() []string {
		var out []string
		for _, m := range fd.messages(session) {
			out = append(out, m.Text)
		}
		return out
	}(), "\n"))
	as := func(login string) *http.Client {
		c, _ := fd.staffClient(t, login)
		return c
	}
	post := func(c *http.Client, values url.Values) (int, string) {
		t.Helper()
		return fd.postForm(t, c, "/staff/case/"+number, values)
	}
	get := func(c *http.Client, path string) string {
		t.Helper()
		res, err := c.Get(fd.base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return string(b)
	}
	clerk, super, duty := as("wang"), as("zhou"), as("wu")
	post(clerk, url.Values{"action": {"claim"}})
	post(clerk, url.Values{"action": {"remedy"}, "value": {"compensation"}, "amount": {"900"}})
	queue := get(clerk, "/staff/approvals")
	if !strings.Contains(queue, number) || !strings.Contains(queue, "待审批的赔偿：¥900") || strings.Contains(queue, `value="approve"`) {
		t.Fatalf("the clerk's queue: %.3000s", queue)
	}
	if status, page := post(clerk, url.Values{"action": {"approve"}}); status != 403 || !strings.Contains(page, "您的角色（客服专员）不能执行这个操作") {
		t.Fatalf("a clerk's approve: %d %.500s", status, page)
	}
	if status, page := post(duty, url.Values{"action": {"reject"}, "value": {" "}}); status != 400 || !strings.Contains(page, "驳回需要填写理由") {
		t.Fatalf("a reject without a reason: %d %.500s", status, page)
	}
	queue = get(super, "/staff/approvals")
	if !strings.Contains(queue, `value="approve"`) || !strings.Contains(queue, "业务主管 / 值班经理 / 总经理") {
		t.Fatalf("nothing changed, so all may still decide: %.3000s", queue)
	}
	if status, page := post(super, url.Values{"action": {"approve"}, "back": {"approvals"}}); status != 200 || !strings.Contains(page, "值班经理 / 总经理") {
		t.Fatalf("the supervisor approves from the queue: %d %.3000s", status, page)
	}
	if status, _ := post(duty, url.Values{"action": {"approve"}, "back": {"approvals"}}); status != 200 {
		t.Fatalf("the duty manager approves: %d", status)
	}
	want := "About case " + number + ": the compensation you asked for is confirmed: 900 yuan. Our staff will contact you about how it is paid."
	waitFor(t, "the result in the customer's chat", func() bool { return fd.lastText(session) == want })
	page := get(clerk, "/staff/case/"+number)
	if !strings.Contains(page, "已批准：周主管、吴经理") || !strings.Contains(page, "赔偿 ¥900 已由 周主管、吴经理 批准") {
		t.Fatalf("the case page after the approval, its lines on approval: %q", regexp.MustCompile(`[^<>]*批准[^<>]*`).FindAllString(page, -1))
	}
	if queue := get(super, "/staff/approvals"); strings.Contains(queue, number) {
		t.Fatalf("the queue still lists the case: %.2000s", queue)
	}
}
