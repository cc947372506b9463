package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// liveDesk is the desk as serve builds it, with the demo data, behind a
// test HTTP server, so a test can also start proactive dialogs.
type liveDesk struct {
	*instance
	d *desk
}

func startLive(t *testing.T) *liveDesk {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.APIToken = "backoffice-token"
	// Open round the clock, so surveys go out whatever the hour the tests run.
	cfg.Calendar.Periods = []config.Period{{Start: "00:00", End: "24:00"}}
	cfg.Calendar.WorkingDays = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	d, err := build(ctx, cfg, testkit.Log())
	if err != nil {
		t.Fatal(err)
	}
	if err := d.loadDemo(ctx, io.Discard); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(d.handler())
	done := make(chan struct{})
	go func() { d.sender.Run(ctx); close(done) }()
	t.Cleanup(func() { srv.Close(); cancel(); <-done; d.close() })
	return &liveDesk{instance: &instance{t: t, base: srv.URL}, d: d}
}

// chat is one customer session in the web chat.
type chat struct {
	t    testing.TB
	in   *instance
	s    string
	lang string
}

func (l *liveDesk) chat(lang string) *chat {
	return &chat{t: l.t, in: l.instance, s: l.newSession(), lang: lang}
}

// verified is a chat whose customer has verified with the order's number
// and the phone's last four digits.
func (l *liveDesk) verified(lang, order, digits string) *chat {
	l.t.Helper()
	c := l.chat(lang)
	c.verify(order, digits)
	return c
}

func (c *chat) text(s string) { c.t.Helper(); c.in.say(c.s, c.lang, "text", s) }

// press presses the buttons one after the other, each once the bot has
// offered it.
func (c *chat) press(data ...string) {
	c.t.Helper()
	for _, d := range data {
		c.in.say(c.s, c.lang, "choice", c.in.buttonData(c.s, d))
	}
}
func (c *chat) all() string {
	var b strings.Builder
	for _, m := range c.in.messages(c.s) {
		b.WriteString(m.Text + "\n")
	}
	return b.String()
}

func (c *chat) photo() {
	c.t.Helper()
	c.in.upload(c.s, c.lang, testkit.PNG(byte(time.Now().UnixNano()))) // a different photo each time
}

func (c *chat) verify(order, digits string) {
	c.t.Helper()
	c.text("/status")
	c.text(order)
	c.text(digits)
	c.press("menu:start") // back to the menu, as a customer would
}

func (c *chat) expect(wants ...string) {
	c.t.Helper()
	all := c.all()
	for _, w := range wants {
		if !strings.Contains(all, w) {
			c.t.Errorf("the chat lacks %q:\n%s", w, all)
		}
	}
}

func (l *liveDesk) cases(phone string) []cases.Case {
	l.t.Helper()
	cases, err := l.d.db.CasesByPhone(context.Background(), phone, false)
	if err != nil {
		l.t.Fatal(err)
	}
	return cases
}

// Every conversation walked through the web chat against the real desk.
func TestConversationsEndToEnd(t *testing.T) {
	t.Run("damage report with photos", func(t *testing.T) {
		l := startLive(t)
		c := l.verified("zh-CN", "SO-1001", "1234")
		c.press("menu:damage", "ans:SO-1001", "ans:2", "ans:done", "ans:pickup")
		c.photo()
		c.photo()
		c.press("ans:done")
		c.photo()
		c.press("ans:done")
		c.photo()
		c.press("ans:done", "ans:yes")
		c.text("茶几玻璃碎了一角")
		cases := l.cases("13800001234")
		if len(cases) != 1 || cases[0].Kind != config.KindTransportDamage {
			t.Fatalf("cases: %+v", cases)
		}
		c.expect("已收到 2 张照片", cases[0].Number, "协助向物流公司索赔")
		events, _ := l.d.db.CaseEvents(context.Background(), cases[0].ID)
		photos := testkit.CountWhere(events, func(e store.CaseEvent) bool { return e.Kind == "photo" })
		if photos != 4 {
			t.Fatalf("%d photos on the case", photos)
		}
	})
	t.Run("return refused at once, with the ways on", func(t *testing.T) {
		l := startLive(t)
		c := l.verified("en", "SO-1002", "1234")
		c.press("menu:return", "ans:SO-1002")
		c.expect("cannot be returned", "custom-made", "ask for a repair, make a complaint, or talk to a person")
		if n := len(l.cases("13800001234")); n != 0 {
			t.Fatalf("%d cases for a refused return", n)
		}
		c.press("ans:repair") // the same item, repaired instead
		c.expect("describe the problem")
	})
	t.Run("return window from delivery", func(t *testing.T) {
		l := startLive(t)
		c := l.verified("en", "SO-2001", "5678") // paid 30 days ago, arrived 4 days ago
		c.press("menu:return", "ans:1", "ans:changed_mind", "ans:yes", "ans:yes", "ans:yes", "ans:yes")
		if cases := l.cases("13900005678"); len(cases) != 1 || cases[0].Kind != config.KindReturnExchange {
			t.Fatalf("cases: %+v", cases)
		}
	})
	t.Run("repair in warranty", func(t *testing.T) {
		l := startLive(t)
		c := l.verified("en", "SO-2001", "5678")
		c.press("menu:repair", "ans:1")
		c.text("the drain leaks")
		c.press("ans:none", "ans:none", "ans:visit") // no photos, no exclusion
		cases := l.cases("13900005678")
		if len(cases) != 1 || cases[0].Kind != config.KindRepair || cases[0].Details["warranty"] != "free" {
			t.Fatalf("cases: %+v", cases)
		}
		c.expect("this repair is free", cases[0].Number, "within 1 hour")
	})
	t.Run("installation", func(t *testing.T) {
		l := startLive(t)
		// Not arrived yet: refused at once, with a person and the menu (issue 19 item 7).
		c := l.verified("en", "SO-1001", "1234")
		c.press("menu:install", "ans:SO-1001")
		c.expect("have not arrived yet", "talk to a person")
		if cases := l.cases("13800001234"); len(cases) != 0 {
			t.Fatalf("cases for a refused installation: %+v", cases)
		}
		c = l.verified("en", "SO-2001", "5678") // delivered, installation included
		c.press("menu:install")
		c.text("yesterday")
		c.expect("could not read that date")
		c.text("tomorrow morning")
		c.expect("three stars", "shoe covers", "morning")
		if cases := l.cases("13900005678"); len(cases) != 1 || cases[0].Kind != config.KindInstallationHelp ||
			cases[0].Details["install_part"] != "morning" || cases[0].Details["install_date"] == "" {
			t.Fatalf("cases: %+v", cases)
		}
	})
	t.Run("major complaint", func(t *testing.T) {
		l := startLive(t)
		c := l.verified("zh-TW", "SO-1001", "1234")
		c.press("menu:complaint", "ans:no_order", "ans:major")
		c.text("送貨師傅態度惡劣")
		c.press("ans:none") // no photos
		c.expect("書面解決方案", "經理")
		if cases := l.cases("13800001234"); len(cases) != 1 || cases[0].Severity != "major" {
			t.Fatalf("cases: %+v", cases)
		}
	})
	t.Run("talk to a person", func(t *testing.T) {
		l := startLive(t)
		c := l.chat("en")
		c.text("/start")
		c.press("menu:human")
		c.text("please call me")
		c.photo()
		chatID, _, _ := strings.Cut(c.s, ".") // the session is "<chat id>.<signature>"
		handoff, err := l.d.db.OpenCaseForChat(context.Background(), "web", chatID, config.KindInquiry)
		if err != nil {
			t.Fatal(err)
		}
		events, _ := l.d.db.CaseEvents(context.Background(), handoff.ID)
		if len(events) != 3 || events[1].Body != "please call me" || events[2].Kind != "photo" {
			t.Fatalf("thread: %+v", events)
		}
		c.expect(handoff.Number)
	})
	t.Run("shipping notice, arrival check and survey", func(t *testing.T) {
		l := startLive(t)
		ctx := context.Background()
		c := l.verified("zh-CN", "SO-1001", "1234")
		if _, err := l.d.desk.NotifyShipment(ctx, "DPK2026112401"); err != nil {
			t.Fatal(err)
		}
		c.expect("DPK2026112401", "95353", "2.60 立方米", "280.00", "先验货", "不要拒签", "内有玻璃")
		if err := l.d.desk.StartArrivalCheck(ctx, "DPK2026112401"); err != nil {
			t.Fatal(err)
		}
		c.press("ans:fine")
		c.expect("货物收到了吗", "包含安装服务")
		visit := "V-77"
		seed := testkit.Seed(t, l.d.db, time.Now())
		seed.Visit(store.Visit{ID: visit, OrderNo: "SO-1001", ProviderID: seed.Provider(cases.Provider{Name: "李师傅", Region: "上海"}),
			Kind: "install", CompletedAt: time.Now()})
		if err := l.d.desk.StartSurvey(ctx, visit, "visit"); err != nil {
			t.Fatal(err)
		}
		c.press("ans:yes", "ans:basic", "ans:4", "ans:skip", "ans:5")
		c.expect("按时上门", "感谢您的反馈")
		surveys, _ := l.d.db.SurveysByVisit(ctx, visit)
		if len(surveys) != 1 || surveys[0].AnsweredAt.IsZero() {
			t.Fatalf("survey: %+v", surveys)
		}
		var answers map[string]any
		json.Unmarshal([]byte(surveys[0].Answers), &answers)
		if answers["satisfaction"] != "basic" {
			t.Fatalf("answers: %v", answers)
		}
	})
}
