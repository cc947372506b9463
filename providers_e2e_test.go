package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"frontdesk/bot/telegram/telegramtest"
	"frontdesk/internal/testkit"
)

// rule: PRV-1, PRV-2, PRV-3, PRV-5, PRV-7, INS-2, SRV-7
// Through the real server and the Telegram fake: a repair case on 王芳's
// order in 上海/浦东新区 is dispatched to a local provider, whose own
// Telegram chat (linked with a one-time code) gets the job, sets the
// appointment, confirms it the evening before and reports the visit done
// with a photo and the service record; the customer hears the appointment,
// accepts the work, answers the survey, and the provider's rating moves
// once.
func TestProviderVisitEndToEnd(t *testing.T) {
	fake := telegramtest.New(t)
	fake.AddFile("work-photo", testkit.PNG(9))
	env := freshEnv(t)
	env["TELEGRAM_TOKEN"], env["TELEGRAM_API_ENDPOINT"] = fake.Token, fake.URL
	env["FRONTDESK_API_TOKEN"] = "e2e-token"
	fd := start(t, env, "--demo")
	lastUpdate := 0
	send := func(u map[string]any) { lastUpdate = fake.Push(u); waitOffset(t, fake, lastUpdate) }
	api := fd.apiCaller(t, "e2e-token", "prv-")
	const providerChat = 777001
	sentTo := func(chat int64) string {
		var b strings.Builder
		for _, m := range fake.SentTo(chat) {
			b.WriteString(m.Text + "\n")
		}
		return b.String()
	}
	waitText := func(chat int64, want string) {
		t.Helper()
		waitFor(t, fmt.Sprintf("%q in chat %d", want, chat), func() bool { return strings.Contains(sentTo(chat), want) })
	}

	// The customer verifies in Telegram by sharing her phone.
	send(telegramtest.TextMsg("/status", "zh-hans"))
	send(telegramtest.ContactMsg("13800001234", telegramtest.UserID))
	status, body := api("POST", "/api/v1/cases", `{"kind":"repair","channel":"phone","customer_name":"王芳","phone":"13800001234",
		"order_no":"SO-1001","items":["布艺三人沙发"],"description":"来电：沙发扶手松动"}`)
	number, _ := body["number"].(string)
	if status != 201 || number == "" {
		t.Fatalf("open: %d %v", status, body)
	}
	// The desk proposes the local providers, the company first.
	status, body = api("GET", "/api/v1/cases/"+number+"/providers", "")
	proposed, _ := body["providers"].([]any)
	if status != 200 || body["region"] != "上海/浦东新区" || len(proposed) != 2 {
		t.Fatalf("proposed: %d %v", status, body)
	}
	first := proposed[0].(map[string]any)
	if first["name"] != "安心家居安装服务有限公司" {
		t.Fatalf("the company first: %v", proposed)
	}
	pid := int(first["id"].(float64))
	// The provider links its Telegram chat with the code staff give it.
	status, body = api("POST", fmt.Sprintf("/api/v1/providers/%d/code", pid), "")
	code, _ := body["code"].(string)
	if status != 201 || code == "" {
		t.Fatalf("code: %d %v", status, body)
	}
	send(telegramtest.TextFrom(providerChat, "/link "+code, "zh-hans"))
	waitText(providerChat, "绑定成功")
	// A provider from 北京 is refused without a reason; the local one is sent.
	status, body = api("GET", "/api/v1/providers", "")
	var beijing int
	for _, p := range body["providers"].([]any) {
		if p.(map[string]any)["name"] == "京城快修" {
			beijing = int(p.(map[string]any)["id"].(float64))
		}
	}
	if status, body = api("POST", "/api/v1/cases/"+number+"/dispatch", fmt.Sprintf(`{"provider_id":%d,"actor":"小王"}`, beijing)); status != 400 {
		t.Fatalf("dispatch to 北京: %d %v", status, body)
	}
	if status, body = api("POST", "/api/v1/cases/"+number+"/dispatch", fmt.Sprintf(`{"provider_id":%d,"actor":"小王"}`, pid)); status != 200 {
		t.Fatalf("dispatch: %d %v", status, body)
	}
	waitText(providerChat, "鞋套")
	waitText(providerChat, "张杨路")

	// The appointment: tomorrow (or the day after) at 10:00 in 上海.
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Now().In(shanghai)
	at := time.Date(now.Year(), now.Month(), now.Day()+1, 10, 0, 0, 0, shanghai)
	if at.Sub(now) < 13*time.Hour {
		at = at.AddDate(0, 0, 1)
	}
	when := at.Format("2006-01-02 15:04")
	send(telegramtest.TextFrom(providerChat, "/appoint "+number+" "+when, "zh-hans"))
	waitText(telegramtest.UserID, "已约好："+when)
	waitText(telegramtest.UserID, "021-55550101")
	waitText(providerChat, "按下面的按钮确认")
	send(telegramtest.CallbackFrom(providerChat, "pv:confirm:"+number, "zh-hans"))
	waitText(providerChat, "已确认")

	// Done: a photo, then the service record.
	send(telegramtest.PhotoFrom(providerChat, "work-photo", 300, "zh-hans"))
	waitText(providerChat, "照片已存入")
	send(telegramtest.TextFrom(providerChat, "/done "+number+" 紧固扶手螺丝 | 扶手稳固 | 螺丝四颗", "zh-hans"))
	waitText(providerChat, "已记录完工")

	// The customer accepts, and the survey follows.
	waitText(telegramtest.UserID, "验收")
	send(telegramtest.Callback("ans:accepted"))
	waitText(telegramtest.UserID, "回访")
	for _, b := range []string{"ans:yes", "ans:fair", "ans:5", "ans:5", "ans:4"} {
		send(telegramtest.Callback(b))
	}
	waitText(telegramtest.UserID, "感谢")

	status, body = api("GET", "/api/v1/visits/"+number+"-V1", "")
	v, _ := body["visit"].(map[string]any)
	rec, _ := v["service_record"].(map[string]any)
	if status != 200 || v["acceptance"] != "accepted" || v["payment"] != "customer_refund" || rec["parts"] != "螺丝四颗" ||
		v["confirmed_at"] == nil || v["rated"] != true {
		t.Fatalf("visit: %d %v", status, body)
	}
	status, body = api("GET", "/api/v1/providers", "")
	for _, p := range body["providers"].([]any) {
		p := p.(map[string]any)
		if int(p["id"].(float64)) == pid && (p["visits"] != float64(1) || p["stars"].(float64) < 4) {
			t.Fatalf("the rating after one visit: %v", p)
		}
	}
	// The customer never got anything addressed to the provider, nor the
	// provider the customer's survey.
	if strings.Contains(sentTo(providerChat), "回访") || strings.Contains(sentTo(telegramtest.UserID), "鞋套") {
		t.Fatal("messages crossed between the provider and the customer")
	}
}
