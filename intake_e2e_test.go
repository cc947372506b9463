package main

import (
	"net/url"
	"strings"
	"testing"
)

// A phone call, end to end through the real server: the back office opens
// the case by API for a customer who verified in the web chat, the
// customer is told its number there, the case shows what was given, and
// staff work it on /staff to the end (claim, reply — which reaches the
// chat — resolve). A shop visit opened on /staff's own form links to it.
// rule: INT-1, INT-2, INT-3, INT-4
func TestPhoneCaseByAPIWorkedToTheEnd(t *testing.T) {
	env := freshEnv(t)
	env["FRONTDESK_API_TOKEN"] = "e2e-token"
	addClerk(t, env)
	fd := start(t, env, "--demo")
	session := fd.newSession()
	for _, s := range []string{"/status", "SO-1001", "1234"} {
		fd.say(session, "zh-CN", "text", s)
	}
	api := fd.apiCaller(t, "e2e-token", "call-")
	if status, body := api("POST", "/api/v1/cases", `{"kind":"repair","channel":"phone","phone":"13800001234","order_no":"SO-2001"}`); status != 400 {
		t.Fatalf("another customer's order: %d %v", status, body)
	}
	status, body := api("POST", "/api/v1/cases", `{"kind":"repair","channel":"phone","customer_name":"王芳","phone":"13800001234",
		"order_no":"SO-1001","items":["布艺沙发"],"description":"来电：沙发扶手松动"}`)
	number, _ := body["number"].(string)
	if status != 201 || !caseNumber.MatchString(number) || body["customer_told"] != true {
		t.Fatalf("open: %d %v", status, body)
	}
	waitFor(t, "the case number in the web chat", func() bool { return strings.Contains(fd.lastText(session), number) })
	if !strings.Contains(fd.lastText(session), "电话") {
		t.Errorf("told: %q", fd.lastText(session))
	}
	status, body = api("GET", "/api/v1/cases/"+number, "")
	c, _ := body["case"].(map[string]any)
	if status != 200 || c["intake_channel"] != "phone" || c["phone"] != "13800001234" || c["status"] != "open" {
		t.Fatalf("get: %d %v", status, body)
	}

	client, _ := fd.staffClient(t, "wang")
	post := func(path string, fields url.Values) string {
		t.Helper()
		_, page := fd.postForm(t, client, path, fields)
		return page
	}
	visit := post("/staff/new", url.Values{"kind": {"inquiry"}, "channel": {"store"}, "order_no": {"SO-1001"},
		"description": {"门店来访询问保养"}})
	visitNo := caseNumber.FindString(visit)
	if !strings.Contains(visit, "门店") || visitNo == "" || visitNo == number || !strings.Contains(visit, number) {
		t.Fatalf("the shop visit's page:\n%.3000s", visit)
	}
	page := post("/staff/case/"+number, url.Values{"action": {"claim"}})
	for _, want := range []string{"受理渠道", "电话", "13800001234", "布艺沙发", "来电：沙发扶手松动", visitNo, "SO-1001"} {
		if !strings.Contains(page, want) {
			t.Errorf("the case page lacks %q", want)
		}
	}
	post("/staff/case/"+number, url.Values{"action": {"message"}, "value": {"王女士您好，师傅明天上午上门。"}})
	// The reply reaches the chat as from a person, with the case number (CAS-6).
	waitFor(t, "the reply in the web chat", func() bool {
		last := fd.lastText(session)
		return strings.HasSuffix(last, "】王女士您好，师傅明天上午上门。") && strings.Contains(last, number)
	})
	post("/staff/case/"+number, url.Values{"action": {"cause"}, "value": {"扶手螺丝松动"}})
	post("/staff/case/"+number, url.Values{"action": {"action"}, "value": {"上门紧固并更换螺丝"}})
	if page := post("/staff/case/"+number, url.Values{"action": {"resolve"}}); !strings.Contains(page, `<span id="case-status">已解决</span>`) {
		t.Fatalf("resolve:\n%.2000s", page)
	}
	if _, body = api("GET", "/api/v1/cases/"+number, ""); body["case"].(map[string]any)["status"] != "resolved" {
		t.Fatalf("after resolve: %v", body)
	}
}
