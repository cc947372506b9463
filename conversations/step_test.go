package conversations

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// memLookup serves a fixed set of orders and cases, as the store would.
type memLookup struct {
	orders   []Order
	cases    map[string][]Case
	handoff  map[string]string   // chat → open handoff case
	throttle map[string]Throttle // order → failures counted in every chat
}

func (m memLookup) HandoffCase(_ context.Context, channel, chat string) (string, error) {
	if no, ok := m.handoff[channel+":"+chat]; ok {
		return no, nil
	}
	return "", ErrNotFound
}

// VerifyThrottle serves the store's count of failures on an order; the
// dialog tests hold it in throttle.
func (m memLookup) VerifyThrottle(_ context.Context, no string) (Throttle, error) {
	return m.throttle[no], nil
}

func (m memLookup) Order(_ context.Context, no string) (Order, error) {
	for _, o := range m.orders {
		if o.No == no {
			return o, nil
		}
	}
	return Order{}, ErrNotFound
}

func (m memLookup) OrdersByPhone(_ context.Context, phone string) ([]Order, error) {
	var out []Order
	for _, o := range m.orders {
		if o.Phone == phone {
			out = append(out, o)
		}
	}
	return out, nil
}

func (m memLookup) OpenCases(_ context.Context, phone string) ([]Case, error) {
	return m.cases[phone], nil
}

var testLookup = memLookup{
	orders: []Order{
		{No: "SO-1001", CustomerName: "王芳", Phone: "13800001234", Status: "shipped", PaidOn: "2026-11-20", Deadline: "2026-12-10",
			InstallIncluded: true,
			Items: []Item{{Line: 1, Name: "布艺沙发", Quantity: 1, Category: "furniture", WarrantyMonths: 36},
				{Line: 2, Name: "玻璃茶几", Quantity: 2, Category: "furniture", WarrantyMonths: 12}},
			Shipments: []Shipment{{Carrier: "德邦物流", TrackingNo: "DB123", CarrierPhone: "95353", Packages: 3, Pieces: 5,
				VolumeM3: 2.4, FreightFeeCents: 28000, PackagingFeeCents: 6000, ContainsGlass: true, ExpectedArrival: "2026-11-28"}}},
		{No: "SO-1002", CustomerName: "王芳", Phone: "13800001234", Status: "in_production", PaidOn: "2026-10-01", Deadline: "2026-11-20",
			Items: []Item{{Line: 1, Name: "衣柜", Quantity: 1, Category: "furniture", CustomMade: true, WarrantyMonths: 60},
				{Line: 2, Name: "无纺布壁纸", Quantity: 6, Category: "wallpaper", WarrantyMonths: 12}}},
		{No: "SO-2001", CustomerName: "李雷", Phone: "13900005678", Status: "placed", Items: []Item{{Line: 1, Name: "浴室柜", Quantity: 1, Category: "bathroom"}}},
	},
	cases: map[string][]Case{"13800001234": {{Number: "AS-20261120-0003", Kind: "repair", Status: "open",
		CreatedAt: time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)}}},
}

var now = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

func testEnv() Env {
	return Env{Now: now, Lookup: testLookup, Limits: Limits{MaxTextBytes: 4096, MaxUploadBytes: 10 << 20, VerifyAttempts: 5, VerifyCooldown: 15 * time.Minute}}
}

// chat drives Step like the desk does and keeps the state between turns.
type chat struct {
	t   *testing.T
	env Env
	st  State
}

func newChat(t *testing.T, lang Lang) *chat {
	return &chat{t: t, env: testEnv(), st: State{Lang: lang}}
}

func (c *chat) send(in Inbound) []Effect {
	c.t.Helper()
	st, effects, err := Step(context.Background(), c.env, c.st, in)
	if err != nil {
		c.t.Fatalf("step %+v: %v", in, err)
	}
	c.st = st
	return effects
}

func (c *chat) text(s string) Reply { c.t.Helper(); return lastReply(c.t, c.send(Inbound{Text: s})) }
func (c *chat) choose(d string) Reply {
	c.t.Helper()
	return lastReply(c.t, c.send(Inbound{Choice: d}))
}

func lastReply(t *testing.T, effects []Effect) Reply {
	t.Helper()
	r := lastEffect[Reply](effects)
	if r == nil {
		t.Fatalf("no reply among %+v", effects)
	}
	return *r
}

func hasButton(r Reply, data string) bool {
	for _, row := range r.Buttons {
		for _, b := range row {
			if b.Data == data {
				return true
			}
		}
	}
	return false
}

// rule: CMD-1
func TestStartShowsTheMenuAsButtons(t *testing.T) {
	for _, lang := range Langs {
		c := newChat(t, lang)
		r := c.text("/start")
		if r.Text != T(lang, "menu") || !hasButton(r, choiceWhere) || !hasButton(r, choiceStatus) || !hasButton(r, choiceLanguage) {
			t.Errorf("%s: /start = %+v", lang, r)
		}
	}
	c := newChat(t, ZhHans)
	if r := c.text("/start@frontdesk_bot"); r.Text != T(ZhHans, "menu") {
		t.Errorf("a command with the bot's name: %q", r.Text)
	}
}

// rule: ID-1
// rule: DLV-7
func TestWhereIsMyOrderVerifiesThenAnswers(t *testing.T) {
	c := newChat(t, En)
	if r := c.choose(choiceWhere); r.Text != T(En, "verify.ask_order") || !r.RequestContact {
		t.Fatalf("asked %q", r.Text)
	}
	if r := c.text("so-1001"); r.Text != T(En, "verify.ask_phone4") {
		t.Fatalf("after order number: %q", r.Text)
	}
	effects := c.send(Inbound{Text: "1234"})
	r := lastReply(t, effects)
	if c.st.Verified == nil || c.st.Verified.Phone != "13800001234" {
		t.Fatalf("not verified: %+v", c.st)
	}
	if !strings.Contains(reply0(effects).Text, "王芳") || !hasButton(r, prefixOrder+"SO-1001") || !hasButton(r, prefixOrder+"SO-1002") {
		t.Fatalf("after verifying: %+v", effects)
	}
	r = c.choose(prefixOrder + "SO-1001")
	for _, want := range []string{"SO-1001", "shipped", "2026-12-10", "德邦物流", "DB123", "95353", "2026-11-28"} {
		if !strings.Contains(r.Text, want) {
			t.Errorf("order text lacks %q:\n%s", want, r.Text)
		}
	}
	if c.st.Flow != "" {
		t.Errorf("flow not finished: %+v", c.st)
	}
	// Verified once, the next question needs no second verification.
	if r := c.choose(choiceWhere); !hasButton(r, prefixOrder+"SO-1002") {
		t.Fatalf("second ask: %+v", r)
	}
	if r := c.text("SO-1002"); !strings.Contains(r.Text, "in production") || !strings.Contains(r.Text, "Not shipped yet") {
		t.Fatalf("typed order: %q", r.Text)
	}
}

func reply0(effects []Effect) Reply {
	for _, e := range effects {
		if r, ok := e.(Reply); ok {
			return r
		}
	}
	return Reply{}
}

// rule: ID-2
// rule: ID-3
func TestAnotherCustomersOrderIsNeverShown(t *testing.T) {
	c := newChat(t, ZhHans)
	c.choose(choiceWhere)
	c.text("SO-1001")
	c.text("1234")
	for _, try := range []Inbound{{Choice: prefixOrder + "SO-2001"}, {Text: "SO-2001"}, {Text: "so-2001"}} {
		c.choose(choiceWhere)
		r := lastReply(t, c.send(try))
		if strings.Contains(r.Text, "李雷") || strings.Contains(r.Text, "浴室柜") || r.Text != T(ZhHans, "where.not_yours") {
			t.Errorf("%+v revealed or misanswered: %q", try, r.Text)
		}
	}
	// A button for another order outside the flow is a stale button.
	c.reset()
	if r := c.choose(prefixOrder + "SO-2001"); r.Text != T(ZhHans, "stale.button") {
		t.Errorf("order button outside the flow: %q", r.Text)
	}
	// Before verification: a wrong number and a wrong digit get the same answer.
	a, b := newChat(t, ZhHans), newChat(t, ZhHans)
	a.choose(choiceWhere)
	b.choose(choiceWhere)
	a.text("SO-404")
	b.text("SO-2001")
	if ra, rb := a.text("1234"), b.text("1234"); ra.Text != rb.Text || strings.Contains(rb.Text, "李雷") {
		t.Errorf("unknown vs other's order answered differently: %q / %q", ra.Text, rb.Text)
	}
}

func (c *chat) reset() { c.st.Flow, c.st.Step = "", "" }

// rule: ID-4
func TestRepeatedWrongVerificationCoolsDown(t *testing.T) {
	c := newChat(t, En)
	c.choose(choiceWhere)
	for i := 1; i <= 4; i++ {
		c.text("SO-1001")
		r := c.text("0000")
		if !strings.Contains(r.Text, "do not match") || c.st.Failures != i {
			t.Fatalf("try %d: %q failures=%d", i, r.Text, c.st.Failures)
		}
	}
	c.text("SO-1001")
	effects := c.send(Inbound{Text: "0000"})
	if r := lastReply(t, effects); !strings.Contains(r.Text, "15 minutes") {
		t.Fatalf("fifth failure: %q", r.Text)
	}
	if !hasAudit(effects, "verify_locked") {
		t.Errorf("no audit of the lock: %+v", effects)
	}
	// /cancel does not lift the cool-down, and the right digits are not even asked.
	c.text("/cancel")
	if r := c.choose(choiceWhere); !strings.Contains(r.Text, "Too many") || c.st.Flow != "" {
		t.Fatalf("during cool-down: %q %+v", r.Text, c.st)
	}
	c.env.Now = now.Add(16 * time.Minute)
	c.choose(choiceWhere)
	c.text("SO-1001")
	c.text("1234")
	if c.st.Verified == nil || !c.st.LockedUntil.IsZero() {
		t.Fatalf("after the cool-down: %+v", c.st)
	}
}

func hasAudit(effects []Effect, action string) bool {
	for _, e := range effects {
		if a, ok := e.(Audit); ok && a.Action == action {
			return true
		}
	}
	return false
}

// rule: ID-1
func TestVerifyBySharedContact(t *testing.T) {
	c := newChat(t, ZhHans)
	c.choose(choiceWhere)
	if r := lastReply(t, c.send(Inbound{Contact: &Contact{Phone: "13800001234", Own: false}})); c.st.Verified != nil || r.Text != T(ZhHans, "verify.contact_not_own") {
		t.Fatalf("someone else's contact: %q", r.Text)
	}
	lastReply(t, c.send(Inbound{Contact: &Contact{Phone: "13800001234", Own: true}}))
	if c.st.Verified == nil || c.st.Verified.Phone != "13800001234" {
		t.Fatalf("own contact did not verify: %+v", c.st)
	}
	u := newChat(t, ZhHans)
	if r := lastReply(t, u.send(Inbound{Contact: &Contact{Phone: "13700000000", Own: true}})); u.st.Verified != nil || r.Text != T(ZhHans, "verify.contact_unknown") {
		t.Fatalf("unknown phone: %q", r.Text)
	}
}

// rule: CMD-1
func TestStatusListsOpenCases(t *testing.T) {
	c := newChat(t, ZhHans)
	c.text("/status")
	c.text("SO-1002")
	r := c.text("1234")
	if !strings.Contains(r.Text, "AS-20261120-0003") || !strings.Contains(r.Text, "维修") {
		t.Fatalf("status: %q", r.Text)
	}
}

// rule: CMD-1
// rule: LNG-1
func TestLanguageAndCancelAlwaysWork(t *testing.T) {
	c := newChat(t, "")
	effects := c.send(Inbound{Text: "/start", LangHint: "zh-TW"})
	if c.st.Lang != ZhHant || lastReply(t, effects).Text != T(ZhHant, "menu") {
		t.Fatalf("language from the channel: %s", c.st.Lang)
	}
	c.choose(choiceWhere)
	c.text("SO-1001")
	if r := c.text("/language"); !hasButton(r, "lang:en") {
		t.Fatalf("/language mid-verification: %+v", r)
	}
	if r := c.choose("lang:en"); r.Text != T(En, "language.set") || c.st.Lang != En {
		t.Fatalf("switch: %q", r.Text)
	}
	if r := c.text("/cancel"); r.Text != T(En, "cancelled") || c.st.Flow != "" || c.st.OrderNo != "" {
		t.Fatalf("cancel: %q %+v", r.Text, c.st)
	}
	if r := c.choose("lang:klingon"); r.Text != T(En, "stale.button") || c.st.Lang != En {
		t.Fatalf("bad language: %q", r.Text)
	}
	if r := c.text("/help"); r.Text != T(En, "help") {
		t.Fatalf("help: %q", r.Text)
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	c := newChat(t, En)
	c.choose(choiceWhere)
	c.text("SO-1001")
	before := c.st
	tests := []struct {
		name string
		in   Inbound
		want string
	}{
		{"empty text", Inbound{Text: "  "}, T(En, "bad.empty")},
		{"too long", Inbound{Text: strings.Repeat("长", 2000)}, Plural(En, "bad.too_long", DefaultMaxTextChars, nil)},
		{"not an image", Inbound{Rejected: RejectNotImage}, T(En, "bad.not_image")},
		{"too large", Inbound{Rejected: RejectTooLarge}, T(En, "bad.too_large", Args{"Max": 10})},
		{"sticker", Inbound{Rejected: RejectUnsupported}, T(En, "bad.unsupported")},
		{"broken utf-8", Inbound{Text: "\xff\xfe"}, T(En, "bad.unsupported")},
	}
	for _, tt := range tests {
		effects := c.send(tt.in)
		if r := lastReply(t, effects); r.Text != tt.want || len(effects) != 1 {
			t.Errorf("%s: %+v", tt.name, effects)
		}
		if c.st != before {
			t.Errorf("%s changed the state: %+v", tt.name, c.st)
		}
	}
	if r := c.text("12a4"); r.Text != T(En, "verify.bad_phone4") || c.st.Failures != 0 {
		t.Errorf("malformed digits counted as a failure: %q %d", r.Text, c.st.Failures)
	}
	if r := c.text("/frobnicate"); !strings.Contains(r.Text, "/frobnicate") {
		t.Errorf("unknown command: %q", r.Text)
	}
	d := newChat(t, En)
	d.choose(choiceWhere)
	if r := d.text("<script>alert(1)</script>"); r.Text != T(En, "verify.bad_order_format") {
		t.Errorf("hostile order number: %q", r.Text)
	}
}

func TestNormalizeLang(t *testing.T) {
	tests := map[string]Lang{"": "", "zh": ZhHans, "zh-CN": ZhHans, "zh-hans": ZhHans, "zh_SG": ZhHans,
		"zh-TW": ZhHant, "zh-hk": ZhHant, "zh-Hant-TW": ZhHant, "en": En, "en-US,en;q=0.9": En, "de": En,
		"zh-CN,zh;q=0.9,en;q=0.8": ZhHans}
	for in, want := range tests {
		if got := NormalizeLang(in); got != want {
			t.Errorf("NormalizeLang(%q) = %q, want %q", in, got, want)
		}
	}
}

func stateChangedForTest(st State) (string, error) {
	b, err := json.Marshal(st)
	return string(b), err
}

// rule: ID-6
func TestVerificationFailuresCountAcrossChats(t *testing.T) {
	// Four failures on SO-1001 were counted in other chats: a brand-new
	// chat has one try left, and its failure locks (the store does the
	// lock; this chat's state says so too).
	c := newChat(t, En)
	lk := transcriptLookup()
	lk.throttle = map[string]Throttle{"SO-1001": {Failures: 4}}
	c.env.Lookup = lk
	c.choose(choiceWhere)
	c.text("SO-1001")
	effects := c.send(Inbound{Text: "9999"})
	var failed []VerifyFailed
	for _, e := range effects {
		if f, ok := e.(VerifyFailed); ok {
			failed = append(failed, f)
		}
	}
	if len(failed) != 1 || failed[0].OrderNo != "SO-1001" {
		t.Fatalf("the failure is not counted on the order: %v", effects)
	}
	if r := lastReply(t, effects); !strings.Contains(r.Text, "Too many failed attempts") || c.st.LockedUntil.IsZero() {
		t.Fatalf("a new chat got fresh tries: %q", r.Text)
	}

	// An order locked by the store is refused at the order number, before
	// any digits are asked for, in any chat, with the time to wait.
	d := newChat(t, En)
	lk.throttle = map[string]Throttle{"SO-1001": {Failures: 0, LockedUntil: d.env.Now.Add(10 * time.Minute)}}
	d.env.Lookup = lk
	d.choose(choiceWhere)
	if r := d.text("SO-1001"); !strings.Contains(r.Text, "try again in 10 minutes") || d.st.Step == stepPhone4 {
		t.Fatalf("a locked order asked for digits: %q (step %s)", r.Text, d.st.Step)
	}
	// The right digits during the lock verify nothing either.
	e := newChat(t, En)
	e.env.Lookup = lk
	e.choose(choiceWhere)
	e.st.Flow, e.st.Step, e.st.OrderNo = flowVerify, stepPhone4, "SO-1001"
	if e.text("1234"); e.st.Verified != nil {
		t.Fatal("verified during the order's lock")
	}
}
