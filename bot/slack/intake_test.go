package slack

import (
	"context"
	"encoding/json"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"frontdesk/bot/slack/slackfake"
	"frontdesk/store"
)

// slash posts /case text from user, with a trigger id, and returns the
// status and the raw answer.
func (h *harness) slash(user, text, trigger string) (int, string) {
	h.t.Helper()
	form := url.Values{"command": {"/case"}, "text": {text}, "user_id": {user}, "user_name": {"li"}, "channel_id": {"CSTAFF"},
		"team_id": {"T1"}, "trigger_id": {trigger}}
	return h.signedBody("/slack/commands", "application/x-www-form-urlencoded", []byte(form.Encode()))
}

func (h *harness) signedBody(path, contentType string, body []byte) (int, string) {
	h.t.Helper()
	res, err := slackfake.SignedPost(h.srv.URL+path, secret, contentType, body, time.Now())
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// submission is the new-case modal submitted by user with the fields.
func submission(user string, fields map[string]string) map[string]any {
	values := map[string]any{}
	for block, v := range fields {
		switch block {
		case fieldKind, fieldChannel, fieldSeverity:
			values[block] = map[string]any{block: map[string]any{"type": "static_select", "selected_option": map[string]any{"value": v}}}
		default:
			values[block] = map[string]any{block: map[string]any{"type": "plain_text_input", "value": v}}
		}
	}
	return map[string]any{"type": "view_submission", "user": map[string]any{"id": user},
		"view": map[string]any{"id": "V1", "type": "modal", "callback_id": intakeCallback, "private_metadata": "CSTAFF",
			"state": map[string]any{"values": values}}}
}

func (h *harness) submit(payload map[string]any) (int, string) {
	h.t.Helper()
	b, _ := json.Marshal(payload)
	return h.signedBody("/slack/interactions", "application/x-www-form-urlencoded", []byte("payload="+url.QueryEscape(string(b))))
}

func phoneFields(kv ...string) map[string]string {
	f := map[string]string{fieldKind: "repair", fieldChannel: "phone", fieldName: "王芳", fieldPhone: "13800001234",
		fieldOrder: "SO-1", fieldItems: "沙发 ×1", fieldDescription: "扶手松动", fieldSeverity: "normal"}
	for i := 0; i+1 < len(kv); i += 2 {
		f[kv[i]] = kv[i+1]
	}
	return f
}

// /case new opens the modal (views.open with the trigger id), in Chinese
// with select boxes; its submission opens the case, closes the modal,
// tells the staff member the number, and the card shows the intake
// channel and the phone masked.
// rule: INT-1, INT-3
func TestCaseNewOpensTheModalAndTheCase(t *testing.T) {
	h := newHarness(t, Config{})
	if status, body := h.slash("U42", "new", "T-1"); status != 200 || body != "" {
		t.Fatalf("/case new: %d %q", status, body)
	}
	views := h.fake.Views()
	if len(views) != 1 || views[0].TriggerID != "T-1" || views[0].CallbackID != intakeCallback || views[0].PrivateMetadata != "CSTAFF" {
		t.Fatalf("views: %+v", views)
	}
	for _, want := range []string{`"type":"static_select"`, `"block_id":"channel"`, `"text":"电话"`, `"text":"传真"`, `"text":"维修"`,
		`"block_id":"phone"`, `"submit":{"type":"plain_text","text":"建立服务单"`} {
		if !strings.Contains(views[0].JSON, want) {
			t.Errorf("the modal lacks %s: %s", want, views[0].JSON)
		}
	}
	if status, body := h.slash("U99", "new", "T-2"); !strings.Contains(body, "请联系管理员") || len(h.fake.Views()) != 1 {
		t.Errorf("an unlinked user: %d %s", status, body)
	}
	status, body := h.submit(submission("U42", phoneFields(fieldDescription, "<!channel> 扶手松动")))
	if status != 200 || body != "" {
		t.Fatalf("submission: %d %s", status, body)
	}
	all, _ := h.db.Cases(context.Background(), store.CaseFilter{Limit: 10})
	if len(all) != 1 || all[0].Intake != "phone" || all[0].Kind != "repair" || all[0].Details["items"] != "沙发 ×1" {
		t.Fatalf("cases: %+v", all)
	}
	c := all[0]
	eph := h.fake.Ephemeral()
	if len(eph) != 1 || eph[0].User != "U42" || eph[0].Channel != "CSTAFF" || !strings.Contains(eph[0].Text, c.Number) {
		t.Errorf("ephemeral: %+v", eph)
	}
	trail, _ := h.db.AuditTrail(context.Background(), c.Number)
	if len(trail) != 1 || trail[0].Actor != "小李" {
		t.Errorf("audit: %+v", trail)
	}
	h.deliver()
	card := h.fake.Posts()[0]
	for _, want := range []string{c.Number, "受理渠道：电话", "顾客电话：138****1234", "商品：沙发 ×1", "该顾客的订单*：SO-1"} {
		if !strings.Contains(card.Blocks, want) {
			t.Errorf("the card lacks %q: %s", want, card.Blocks)
		}
	}
	if strings.Contains(card.Blocks, "13800001234") {
		t.Errorf("the whole phone on the card")
	}
	// What the customer said is shown as written: it calls no one.
	var note string
	for _, p := range h.fake.Posts() {
		if p.ThreadTS == card.TS {
			note += p.Text
		}
	}
	if !strings.Contains(note, "电话受理（小李）：&lt;!channel&gt; 扶手松动") || strings.Contains(note+card.Blocks, "<!channel>") {
		t.Errorf("thread %q", note)
	}
}

// A refused submission keeps the modal open with each problem under its
// field, and saves nothing.
// rule: INT-1
func TestCaseNewRefusesBadInput(t *testing.T) {
	h := newHarness(t, Config{})
	if err := h.db.UpsertOrder(context.Background(), store.Order{No: "SO-2", CustomerName: "李雷", Phone: "13900005678",
		Items: []store.Item{{Name: "浴室柜", Quantity: 1, Category: "bathroom"}}}, h.clock.Now()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		user   string
		fields map[string]string
		blocks []string
	}{
		{"forged kind and channel", "U42", phoneFields(fieldKind, "refund", fieldChannel, "email"), []string{fieldKind, fieldChannel}},
		{"no phone and no order", "U42", phoneFields(fieldPhone, "", fieldOrder, ""), []string{fieldPhone}},
		{"another customer's order", "U42", phoneFields(fieldOrder, "SO-2"), []string{fieldOrder}},
		{"hostile name and items", "U42", phoneFields(fieldName, "<!channel>", fieldItems, "ok\nbad\u202e"), []string{fieldName, fieldItems}},
		{"oversized description", "U42", phoneFields(fieldDescription, strings.Repeat("长", 2001)), []string{fieldDescription}},
		{"unlinked user", "U99", phoneFields(), []string{fieldKind}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := h.submit(submission(tt.user, tt.fields))
			var resp struct {
				Action string            `json:"response_action"`
				Errors map[string]string `json:"errors"`
			}
			json.Unmarshal([]byte(body), &resp)
			if status != 200 || resp.Action != "errors" || len(resp.Errors) != len(tt.blocks) {
				t.Fatalf("%d %s", status, body)
			}
			for _, b := range tt.blocks {
				if resp.Errors[b] == "" || len([]rune(resp.Errors[b])) > 150 {
					t.Errorf("no error under %s: %s", b, body)
				}
			}
		})
	}
	if all, _ := h.db.Cases(context.Background(), store.CaseFilter{Limit: 10}); len(all) != 0 {
		t.Fatalf("saved: %+v", all)
	}
	if n, _ := h.db.OutboxBacklog(context.Background()); n != 0 || len(h.fake.Ephemeral()) != 0 {
		t.Errorf("queued %d, ephemeral %+v", n, h.fake.Ephemeral())
	}
}

// In Socket Mode the submission is answered in the ack, and the case opens.
// rule: INT-1
func TestCaseNewInSocketMode(t *testing.T) {
	h := newHarness(t, Config{AppToken: "xapp-test"})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.slack.RunSocketMode(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	h.fake.Envelope(t, "slash_commands", "env-1", map[string]any{"command": "/case", "text": "new", "user_id": "U42",
		"channel_id": "CSTAFF", "trigger_id": "T-9"})
	h.fake.Envelope(t, "interactive", "env-2", submission("U42", phoneFields(fieldChannel, "fax")))
	if v := h.fake.Views(); len(v) != 1 || v[0].TriggerID != "T-9" {
		t.Fatalf("views: %+v", v)
	}
	if all, _ := h.db.Cases(context.Background(), store.CaseFilter{Limit: 10}); len(all) != 1 || all[0].Intake != "fax" {
		t.Fatalf("cases: %+v", all)
	}
}

// The card of a chat case shows every answer labelled in Chinese, the
// items by name and the phone masked; a case of the same customer links
// the other.
// rule: INT-3, INT-4
func TestCardShowsEverythingTheCustomerGave(t *testing.T) {
	h := newHarness(t, Config{})
	c := h.reportDamage()
	card := h.fake.Posts()[0].Blocks
	for _, want := range []string{"顾客提供的信息", "发现时间：拆包后在家中发现", "包装破损位置是否一致：对不上（那里的包装完好）",
		"商品：沙发 ×1", "顾客电话：138****1234", "该顾客的其他未结服务单*：无"} {
		if !strings.Contains(card, want) {
			t.Errorf("the card lacks %q", want)
		}
	}
	if strings.Contains(card, "found_at") {
		t.Errorf("a raw key on the card")
	}
	if status, _ := h.submit(submission("U42", phoneFields(fieldKind, "inquiry", fieldChannel, "store"))); status != 200 {
		t.Fatal(status)
	}
	h.deliver()
	posts := h.fake.Posts()
	var second string
	for _, p := range posts {
		if p.ThreadTS == "" && !strings.Contains(p.Blocks, c.Number+" ·") {
			second = p.Blocks
		}
	}
	if !strings.Contains(second, "该顾客的其他未结服务单*："+c.Number+"（运输损坏") && !strings.Contains(second, "该顾客的其他未结服务单*："+c.Number+"（质量问题") {
		t.Errorf("the new case does not link %s: %s", c.Number, second)
	}
}

// /case shows the audit trail's times in the shop's zone (issue 14 item 9).
func TestCaseCommandTimesInShopZone(t *testing.T) {
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, Config{Location: shanghai})
	c := h.reportDamage()
	h.interact(blockAction(c.Number, actClaim, c.Number, ""))
	got := h.ask("U42", c.Number)
	if want := h.clock.Now().In(shanghai).Format("01-02 15:04"); !strings.Contains(got, "• "+want+" 小李 认领") {
		t.Fatalf("/case %s lacks the Shanghai time %s", got, want)
	}
}
