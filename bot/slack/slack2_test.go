package slack

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/store"
)

// snakeCode is an internal code as the store keeps it: transport_damage,
// duty_manager, paid_expired.
var snakeCode = regexp.MustCompile(`\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b`)

// noCodes fails for every snake_case code or rule-book reference (§) in
// what a person reads.
func noCodes(t *testing.T, what string, texts ...string) {
	t.Helper()
	for _, s := range texts {
		if code := snakeCode.FindString(s); code != "" {
			t.Errorf("%s shows the code %q: %q", what, code, s)
		}
		if strings.Contains(s, "§") {
			t.Errorf("%s shows a rule-book reference: %q", what, s)
		}
	}
}

// cardVariants are cases that show every block of the card: each kind and
// status, severities, approvals waiting and decided, the repair call flow,
// returns, parts, the resolution loop, a handed-over chat and the bot's
// triage in the classification.
func cardVariants() map[string]cases.Case {
	base := func(kind config.CaseKind, status cases.Status, details map[string]string) cases.Case {
		return cases.Case{Number: "AS-20261124-0001", Kind: kind, Status: status, Severity: cases.Normal, CustomerName: "王芳",
			Phone: "13800001234", OrderNo: "SO-1", Details: details, DeadlineAt: time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)}
	}
	out := map[string]cases.Case{}
	for _, k := range config.CaseKinds {
		for _, st := range []cases.Status{cases.Open, cases.Claimed, cases.Resolved} {
			out[string(k)+"/"+string(st)] = base(k, st, map[string]string{})
		}
	}
	triaged := base(config.KindQualityDefect, cases.Claimed, map[string]string{"lines": "1,2"})
	triaged.Classification, triaged.Severity, triaged.Assignee = "packaging intact where the item is damaged (000 §2.2.4)", cases.Major, "小李"
	triaged.Remedy, triaged.Cause, triaged.Action, triaged.Description = "replacement_parts", "运输挤压", "更换配件", "坐垫开线"
	out["triaged"] = triaged
	for _, class := range []string{"staff intake: phone", "low survey score", "spot check", "product question",
		"not delivered by the deadline 2026-11-20", "wallpaper installation", "warranty paid_excluded", "warranty to be checked (保修待核实)"} {
		c := base(config.KindQualityDefect, cases.Open, nil)
		c.Classification = class
		out["classified "+class] = c
	}
	out["kind classification"] = func() cases.Case {
		c := base(config.KindComplaint, cases.Open, nil)
		c.Classification = "transport_damage"
		return c
	}()
	pending := map[string]string{"approval": "pending", "approval_yuan": "800", "approval_needs": "duty_manager,general_manager",
		"approval_asked_by": "小李", "approval_given_by": "duty_manager:吴经理"}
	out["approval pending"] = base(config.KindTransportDamage, cases.Claimed, pending)
	out["approval rolls"] = base(config.KindQualityDefect, cases.Claimed, map[string]string{"approval": "pending", "approval_rolls": "3",
		"approval_needs": "supervisor"})
	out["approval advance"] = base(config.KindComplaint, cases.Claimed, map[string]string{"approval": "pending", "approval_kind": cases.Advance,
		"approval_yuan": "400", "approval_claim_yuan": "1000", "approval_needs": "general_manager"})
	for _, state := range []string{"approved", "rejected"} {
		out["approval "+state] = base(config.KindTransportDamage, cases.Claimed, map[string]string{"approval": state,
			"approval_decided_by": "吴经理", "approval_decided_at": "2026-11-24T10:00:00Z"})
	}
	for _, w := range []string{"free", "paid_excluded", "paid_expired", "to_check"} {
		out["repair "+w] = base(config.KindRepair, cases.Claimed, map[string]string{"warranty": w})
	}
	out["repair steps"] = base(config.KindRepair, cases.Claimed, map[string]string{cases.DetailRepairSteps: "fault_confirmed,visit",
		cases.DetailRepairStep: "visit"})
	out["repair done"] = base(config.KindRepair, cases.Claimed, map[string]string{cases.DetailRepairSteps: "phone_solved,done",
		cases.DetailRepairStep: cases.StepDone})
	out["return open"] = base(config.KindReturnExchange, cases.Claimed, map[string]string{})
	out["return approved"] = base(config.KindReturnExchange, cases.Claimed, map[string]string{cases.DetailReturnStatus: "approved",
		cases.DetailReturnAddress: "上海市 仓库", cases.DetailReturnTracking: "SF123"})
	for _, st := range []string{cases.PartsDraft, cases.PartsQuoted, cases.PartsAccepted, cases.PartsRefused, cases.PartsWaived,
		cases.PartsPaidSt, cases.PartsShipped} {
		out["parts "+st] = base(config.KindRepair, cases.Claimed, map[string]string{cases.DetailPartsStatus: st,
			cases.DetailPartsLines: "CART-35|滑轨|2|3000|0;CART-36|拉手|1|0|1", cases.DetailPartsShipDate: "2026-11-25",
			cases.DetailPartsTracking: "SF9", cases.DetailPartsDueBack: "2026-12-09", cases.DetailPartsReturned: "2026-12-01",
			cases.DetailPartsCharged: "6000"})
	}
	for name, d := range map[string]map[string]string{
		"confirmed, call-back due":     {cases.DetailConfirmation: "confirmed", cases.DetailCallBack: "due 2026-11-27 10:00"},
		"not solved, call-back now":    {cases.DetailConfirmation: "not_solved", cases.DetailCallBack: "due now: 2026-11-27 10:00"},
		"call-back done":               {cases.DetailCallBack: "done"},
		"handed-over chat in progress": {},
	} {
		c := base(config.KindInquiry, cases.Claimed, d)
		c.Channel = "web"
		out[name] = c
	}
	return out
}

// rule: STF-2
// Every variant of the card, the facts on it, the managers' approval post,
// the new-case form and the dispatch texts speak zh-Hans by default with
// no internal code and no rule-book reference; the call-back and the
// bot's triage are said in words.
func TestEveryCardVariantInZhHansWithoutCodes(t *testing.T) {
	zh := conversations.ZhHans
	for name, c := range cardVariants() {
		texts := visibleTexts(t, CardIn(c, time.UTC, zh))
		noCodes(t, "card "+name, texts...)
		links := store.CaseLinks{Items: []string{"沙发 ×1"}, OtherOpen: []cases.Case{{Number: "AS-2", Kind: config.KindRepair, Status: cases.Claimed}},
			Orders: []store.OrderLink{{No: "SO-1", Status: "delivered"}}}
		c.Intake = "phone"
		noCodes(t, "facts "+name, visibleTexts(t, factsBlocksIn(zh, c, links))...)
		noCodes(t, "approval post "+name, visibleTexts(t, approvalPostIn(zh, "请审批", c))...)
	}
	all := strings.Join(visibleTexts(t, CardIn(cardVariants()["triaged"], time.UTC, zh)), "\n")
	for _, want := range []string{"归类： 外包装完好但商品损坏", "补发配件"} {
		if !strings.Contains(all, want) {
			t.Errorf("the triaged card lacks %q:\n%s", want, all)
		}
	}
	pending := strings.Join(visibleTexts(t, CardIn(cardVariants()["approval pending"], time.UTC, zh)), "\n")
	for _, want := range []string{"待审批的赔偿", "批准", "驳回", "总经理"} {
		if !strings.Contains(pending, want) {
			t.Errorf("the pending card lacks %q:\n%s", want, pending)
		}
	}
	if strings.Contains(pending, " / ") || strings.Contains(pending, "Approve") {
		t.Errorf("the zh-Hans card is still bilingual:\n%s", pending)
	}
	for class, want := range map[string]string{"staff intake: phone": "人工登记（电话）", "warranty paid_excluded": "保修：",
		"not delivered by the deadline 2026-11-20": "未在 2026-11-20 前送达", "wallpaper installation": "墙纸：施工问题"} {
		text := strings.Join(visibleTexts(t, CardIn(cardVariants()["classified "+class], time.UTC, zh)), "\n")
		if !strings.Contains(text, want) || regexp.MustCompile(`intake|warranty|deadline|wallpaper`).MatchString(text) {
			t.Errorf("the classification %q is not said in Chinese:\n%s", class, text)
		}
	}
	loop := strings.Join(visibleTexts(t, CardIn(cardVariants()["confirmed, call-back due"], time.UTC, zh)), "\n")
	if !strings.Contains(loop, "回访： 2026-11-27 10:00 到期") {
		t.Errorf("the call-back is not said in words:\n%s", loop)
	}
	modal, _ := json.Marshal(intakeModalIn(zh, "CSTAFF"))
	noCodes(t, "the new-case form", visibleTexts(t, intakeModalIn(zh, "CSTAFF").Blocks.BlockSet)...)
	if strings.Contains(string(modal), "Kind") {
		t.Errorf("the zh-Hans form speaks English: %s", modal)
	}
	noCodes(t, "dispatch", dispatchLabelIn(zh, ""), dispatchLabelIn(zh, "浦东"), noProposalIn(zh, ""), noProposalIn(zh, "浦东"),
		providerKindIn(zh, true), providerKindIn(zh, false))
	for _, name := range config.AllClockNames() {
		noCodes(t, "clock "+name, conversations.T(zh, "staff.clock."+name))
	}
}

// rule: STF-2
// The card blocks of an English channel are English, not bilingual.
func TestCardBlocksOfAnEnglishChannel(t *testing.T) {
	en := conversations.En
	for name, want := range map[string][]string{
		"approval pending":    {"Approve", "Reject", "General manager", "Reason for rejecting (required)"},
		"approval rejected":   {"Rejected by 吴经理"},
		"repair steps":        {"Repair call flow", "Fault confirmed → Visit needed"},
		"repair paid_expired": {"Warranty: warranty ended, charged"},
		"return approved":     {"Return / exchange", "Return tracking number: SF123"},
		"parts shipped":       {"Parts", "Shipped 2026-11-25, tracking SF9"},
		"call-back done":      {"Call-back: done"},
		"triaged":             {"packaging intact where the item is damaged"},
	} {
		text := strings.Join(visibleTexts(t, CardIn(cardVariants()[name], time.UTC, en)), "\n")
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("English card %s lacks %q:\n%s", name, w, text)
			}
		}
		if regexp.MustCompile(`\p{Han}{2,}`).MatchString(strings.NewReplacer("吴经理", "", "小李", "", "王芳", "", "坐垫开线", "", "运输挤压", "", "更换配件", "",
			"上海市 仓库", "", "滑轨", "", "拉手", "").Replace(text)) {
			t.Errorf("English card %s speaks Chinese:\n%s", name, text)
		}
		noCodes(t, "English card "+name, text)
	}
}

// addEnglishClerk links U45 to an English-speaking clerk.
func addEnglishClerk(t *testing.T, h *harness) {
	t.Helper()
	if _, err := h.desk.AddAccount(context.Background(), "test", bot.NewAccount{Login: "amy", Name: "Amy", Role: cases.Clerk,
		SlackUserID: "U45", Lang: "en", Password: "a long password"}); err != nil {
		t.Fatal(err)
	}
}

// rule: STF-2
// /case answers each staff member in their language: usage, no match, a
// search too long, their cases and a case with its history by name.
func TestCaseCommandInTheStaffMembersLanguage(t *testing.T) {
	h := newHarness(t, Config{})
	addEnglishClerk(t, h)
	c := h.reportDamage()
	h.interact(blockAction(c.Number, actClaim, c.Number, ""))
	h.deliver()
	zh, en := conversations.ZhHans, conversations.En
	for _, tt := range []struct {
		user, text string
		want       []string
	}{
		{"U42", "", []string{conversations.T(zh, "staff.slack.usage")}},
		{"U45", "help", []string{conversations.T(en, "staff.slack.usage")}},
		{"U45", "13999999999", []string{"No case matches “13999999999”.", "Usage:"}},
		{"U45", strings.Repeat("长", 10000), []string{"The search is too long: at most 100 characters."}},
		{"U45", "<!channel> & <b>", []string{"No case matches “&lt;!channel&gt; &amp; &lt;b&gt;”."}},
		{"U45", "mine", []string{"You have no open cases."}},
		{"U42", "mine", []string{"你的未结服务单：", c.Number + " · 质量问题 · 已认领"}},
		{"U45", c.Number, []string{"quality defect", "Customer: 王芳", "Assignee: 小李", "History:", "小李 claimed"}},
		{"U42", c.Number, []string{"质量问题", "顾客：王芳", "处理记录：", "小李 认领", "外包装完好但商品损坏"}},
	} {
		got := h.ask(tt.user, tt.text)
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("/case %.20q by %s lacks %q: %s", tt.text, tt.user, w, got)
			}
		}
		if tt.user == "U42" {
			noCodes(t, "/case "+tt.text, got)
		}
		if strings.Contains(got, "<!channel>") {
			t.Errorf("/case calls the channel: %s", got)
		}
	}
	if n, _ := h.db.OutboxBacklog(context.Background()); n != 0 {
		t.Errorf("/case queued %d messages", n)
	}
}

// rule: STF-2
// The new-case form and its refusals speak the language of the staff
// member who opens it: English for an English account, zh-Hans else; bad
// input is refused field by field in that language and saves nothing.
func TestIntakeFormInTheStaffMembersLanguage(t *testing.T) {
	h := newHarness(t, Config{})
	addEnglishClerk(t, h)
	h.slash("U45", "new", "T-en")
	h.slash("U42", "new", "T-zh")
	views := h.fake.Views()
	if len(views) != 2 {
		t.Fatalf("views: %+v", views)
	}
	for _, w := range []string{`"text":"New case"`, `"text":"Customer phone"`, `"text":"fax"`, `"text":"Open the case"`} {
		if !strings.Contains(strings.ToLower(views[0].JSON), strings.ToLower(w)) {
			t.Errorf("the English form lacks %s: %s", w, views[0].JSON)
		}
	}
	if strings.Contains(views[0].JSON, "顾客手机号") || !strings.Contains(views[1].JSON, "顾客手机号") {
		t.Errorf("the forms' languages: %s\n%s", views[0].JSON, views[1].JSON)
	}
	en, zh := conversations.En, conversations.ZhHans
	for _, tt := range []struct {
		name   string
		user   string
		fields map[string]string
		want   map[string]string
	}{
		{"wrong kind and channel", "U45", phoneFields(fieldKind, "refund", fieldChannel, "email"),
			map[string]string{fieldKind: conversations.T(en, "staff.intake.err.kind"), fieldChannel: conversations.T(en, "staff.intake.err.channel")}},
		{"missing phone and order", "U45", phoneFields(fieldPhone, "", fieldOrder, ""),
			map[string]string{fieldPhone: conversations.T(en, "staff.intake.err.phone_missing")}},
		{"missing phone and order, zh", "U42", phoneFields(fieldPhone, "", fieldOrder, ""),
			map[string]string{fieldPhone: conversations.T(zh, "staff.intake.err.phone_missing")}},
		{"no such order", "U42", phoneFields(fieldOrder, "SO-404"),
			map[string]string{fieldOrder: "没有订单 SO-404。"}},
		{"oversized", "U45", phoneFields(fieldName, strings.Repeat("王", 51), fieldDescription, strings.Repeat("长", 2001)),
			map[string]string{fieldName: "The name: at most 50 characters of plain text, no < or >.",
				fieldDescription: "The description: at most 2000 characters, no control characters."}},
		{"hostile", "U42", phoneFields(fieldName, "<!channel>", fieldPhone, "'; DROP TABLE cases;--", fieldItems, "ok\nbad\u202e"),
			map[string]string{fieldName: conversations.T(zh, "staff.intake.err.customer_name", conversations.Args{"Max": 50}),
				fieldPhone: conversations.T(zh, "staff.intake.err.phone"),
				fieldItems: conversations.T(zh, "staff.intake.err.items", conversations.Args{"Max": 20, "Item": 100})}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, body := h.submit(submission(tt.user, tt.fields))
			var resp struct {
				Errors map[string]string `json:"errors"`
			}
			json.Unmarshal([]byte(body), &resp)
			if len(resp.Errors) != len(tt.want) {
				t.Fatalf("errors: %s", body)
			}
			for block, want := range tt.want {
				if resp.Errors[block] != want {
					t.Errorf("under %s: %q, want %q", block, resp.Errors[block], want)
				}
				noCodes(t, "the error under "+block, resp.Errors[block])
			}
		})
	}
	if all, _ := h.db.Cases(context.Background(), store.CaseFilter{Limit: 10}); len(all) != 0 {
		t.Fatalf("saved: %+v", all)
	}
	// Accepted, the English clerk is told the number in English.
	if _, body := h.submit(submission("U45", phoneFields())); body != "" {
		t.Fatalf("submission: %s", body)
	}
	eph := h.fake.Ephemeral()
	if len(eph) != 1 || !strings.HasPrefix(eph[0].Text, "Case AS-") || !strings.Contains(eph[0].Text, " is open.") {
		t.Errorf("ephemeral: %+v", eph)
	}
}

// rule: STF-2
// The thread and the card of a zh-Hans channel name the customer and the
// desk in Chinese and say the bot's triage in words; an English channel
// (FRONTDESK_STAFF_LANG=en) gets both in English, without the rule-book
// reference either way.
func TestThreadAndTriageInTheChannelsLanguage(t *testing.T) {
	for _, tt := range []struct {
		lang               conversations.Lang
		who, triage, facts string
	}{
		{conversations.ZhHans, "👤 顾客: ", "外包装完好但商品损坏", "该顾客的订单"},
		{conversations.En, "👤 Customer: ", "packaging intact where the item is damaged", "orders"},
	} {
		h := newHarness(t, Config{Lang: tt.lang})
		c := h.reportDamage()
		posts := h.fake.Posts()
		card := posts[0].Blocks
		if !strings.Contains(card, tt.triage) || strings.Contains(card, "§") || !strings.Contains(card, tt.facts) {
			t.Errorf("%s card: %s", tt.lang, card)
		}
		var thread []string
		for _, p := range posts[1:] {
			thread = append(thread, p.Text)
		}
		if !strings.Contains(strings.Join(thread, "\n"), tt.who) {
			t.Errorf("%s thread of %s: %q", tt.lang, c.Number, thread)
		}
		if tt.lang == conversations.ZhHans {
			noCodes(t, "the zh-Hans card", visibleTextsJSON(t, card)...)
		}
	}
}

// visibleTextsJSON are the "text" values of blocks as the recorder keeps
// them (JSON).
func visibleTextsJSON(t *testing.T, blocks string) []string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(blocks), &v); err != nil {
		t.Fatal(err)
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "text" {
					out = append(out, s)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return out
}

// The call-back detail is said from its parts; one of another shape is
// shown as written.
func TestCallBackInWords(t *testing.T) {
	for in, want := range map[string]string{
		"due 2026-11-27 10:00":      "2026-11-27 10:00 到期",
		"due now: 2026-11-27 10:00": "2026-11-27 10:00 到期",
		"done":                      "已完成",
		"已电话回访":                     "已电话回访",
	} {
		if got := callBackIn(conversations.ZhHans, in); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
	if got := callBackIn(conversations.En, "due 2026-11-27 10:00"); got != "due 2026-11-27 10:00" {
		t.Errorf("English: %q", got)
	}
}

// rule: STF-2
// The dispatch menu names its region and each provider's kind in the
// channel's language; with nobody to propose, the card says so in words.
func TestDispatchMenuInTheChannelsLanguage(t *testing.T) {
	for _, tt := range []struct {
		lang conversations.Lang
		want []string
	}{
		{conversations.ZhHans, []string{"派上海/浦东新区的师傅", "安心安装公司 · 公司 · 3.5★", "浦东张师傅 · 个人 · 4.9★"}},
		{conversations.En, []string{"Dispatch a provider in 上海/浦东新区", "安心安装公司 · company · 3.5★", "浦东张师傅 · individual · 4.9★"}},
	} {
		h := newHarness(t, Config{Lang: tt.lang})
		ctx := context.Background()
		h.db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.SetOrderPlace("SO-1", store.OrderPlace{Address: "上海市浦东新区张杨路 500 号", Region: "上海/浦东新区"}); err != nil {
				return err
			}
			for _, p := range []cases.Provider{{Name: "浦东张师傅", Regions: []string{"上海/浦东新区"}}, {Name: "安心安装公司", Regions: []string{"上海"}, Company: true}} {
				id, err := tx.UpsertProvider(p)
				if err != nil {
					return err
				}
				if err := tx.RateProvider(id, map[bool]float64{true: 3.5, false: 4.9}[p.Company], "seeded"); err != nil {
					return err
				}
			}
			return nil
		})
		h.reportDamage()
		card := h.fake.Posts()[0].Blocks
		texts := visibleTextsJSON(t, card)
		for _, w := range tt.want {
			if !strings.Contains(strings.Join(texts, "\n"), w) {
				t.Errorf("%s dispatch menu lacks %q: %s", tt.lang, w, card)
			}
		}
		if tt.lang == conversations.ZhHans {
			noCodes(t, "the dispatch menu", texts...)
		}
	}
	h := newHarness(t, Config{})
	h.db.Update(context.Background(), func(tx *store.Tx) error {
		return tx.SetOrderPlace("SO-1", store.OrderPlace{Address: "哈尔滨市", Region: "哈尔滨"})
	})
	h.reportDamage()
	if card := h.fake.Posts()[0].Blocks; !strings.Contains(card, "哈尔滨没有可推荐的师傅") {
		t.Errorf("no proposal: %s", card)
	}
}

// rule: STF-2
// The managers' approval post and the card's approval block of an English
// channel are English only; zh-Hans ones Chinese only, never both.
func TestApprovalPostInTheChannelsLanguage(t *testing.T) {
	for lang, want := range map[conversations.Lang][]string{
		conversations.En:     {"Approve", "Reject", "Reason for rejecting (required)"},
		conversations.ZhHans: {"批准", "驳回", "驳回理由（必填）"},
	} {
		h := newHarness(t, Config{Lang: lang})
		c := h.reportDamage()
		h.interact(blockAction(c.Number, actClaim, c.Number, ""))
		h.interact(blockAction(c.Number, actRemedy, "", c.Number+"|compensation")) // ¥800: waits for approval
		h.deliver()
		var post, card, request string
		for _, p := range h.fake.Posts() {
			if p.Channel == "CMGR" && strings.Contains(p.Blocks, `"action_id":"approve"`) {
				post, request = p.Blocks, p.Text
			}
		}
		if ups := h.fake.Updates(); len(ups) > 0 {
			card = ups[len(ups)-1].Blocks
		}
		for what, blocks := range map[string]string{"managers' post": post, "card": card} {
			// The request itself is the lifecycle's text (cases), not this
			// desk's: only what the desk adds around it is checked.
			var texts []string
			for _, s := range visibleTextsJSON(t, blocks) {
				if s != request {
					texts = append(texts, s)
				}
			}
			text := strings.Join(texts, "\n")
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s %s lacks %q: %s", lang, what, w, text)
				}
			}
			if strings.Contains(text, "批准") && strings.Contains(text, "Approve") {
				t.Errorf("%s %s is bilingual: %s", lang, what, text)
			}
			if lang == conversations.ZhHans {
				noCodes(t, "the "+what, texts...)
			}
		}
	}
}
