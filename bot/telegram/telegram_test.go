package telegram

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/bot/telegram/telegramtest"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// harness is the real desk and store, the real tgbotapi client inside our
// channel, and the fake Bot API server.
type harness struct {
	t      *testing.T
	fake   *telegramtest.Server
	db     *store.DB
	desk   *testkit.Desk
	ch     *Channel
	sender *testkit.Outbox
	clock  *testkit.Clock
	stop   func()
	logs   testkit.Buffer // what the channel and the desk logged
}

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	h := &harness{t: t, fake: telegramtest.New(t), db: testkit.OpenStore(t), clock: testkit.NewClock()}
	h.fake.JudgeLimitsBy(h.clock.Now)
	testkit.Seed(t, h.db, h.clock.Now()).Order(store.Order{No: "SO-1001", PaidOn: "2026-11-20", Deadline: "2026-12-10",
		Items: []store.Item{{Name: "布艺沙发", Quantity: 1, Category: config.Furniture, WarrantyMonths: 36},
			{Name: "玻璃茶几", Quantity: 1, Category: config.Furniture, Glass: true, WarrantyMonths: 12}}})
	h.start(cfg)
	return h
}

// start builds a desk on the harness's store and clock and the channel
// (getMe) and, for polling, runs it: a second start is a restart.
func (h *harness) start(cfg Config) {
	h.t.Helper()
	h.desk = testkit.NewDesk(h.t, testkit.WithStore(h.db), testkit.WithClock(h.clock),
		testkit.WithLog(slog.New(slog.NewTextHandler(&h.logs, nil))))
	cfg.Token, cfg.Endpoint = h.fake.Token, h.fake.URL
	if cfg.PollTimeout == 0 {
		cfg.PollTimeout = time.Second
	}
	ch, err := New(cfg, h.desk.Desk, h.desk.Photos, h.desk.Log, h.clock.Now)
	if err != nil {
		h.t.Fatal(err)
	}
	h.ch = ch
	// The staff posts go nowhere: these tests look at the customer side.
	h.sender = h.desk.Outbox(testkit.Channels{ChannelName: ch, bot.StaffChannel: testkit.NewRecorder()})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { ch.Run(ctx); close(done) }()
	h.stop = func() { cancel(); <-done }
	h.t.Cleanup(h.stop)
}

// processed waits until polling has handled the update.
func (h *harness) processed(id int) {
	h.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		if s, _ := h.db.Setting(context.Background(), offsetKey); s != "" {
			if n, _ := strconv.Atoi(s); n > id {
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	h.t.Fatalf("update %d was not processed", id)
}

// send pushes an update, waits for it, and delivers what it caused.
func (h *harness) send(u map[string]any) {
	h.t.Helper()
	h.processed(h.fake.Push(u))
	h.deliver()
}

// deliver runs the outbox until it is empty, moving the clock past the
// per-chat gap as the channel asks.
func (h *harness) deliver() { h.t.Helper(); h.sender.Deliver() }

func (h *harness) last() telegramtest.SentMessage {
	h.t.Helper()
	sent := h.fake.SentTo(telegramtest.UserID)
	if len(sent) == 0 {
		h.t.Fatal("nothing was sent")
	}
	return sent[len(sent)-1]
}

func inlineData(m telegramtest.SentMessage) []string {
	var out []string
	rows, _ := m.ReplyMarkup["inline_keyboard"].([]any)
	for _, row := range rows {
		for _, b := range row.([]any) {
			out = append(out, b.(map[string]any)["callback_data"].(string))
		}
	}
	return out
}

// rule: LNG-1
// rule: CMD-1
func TestStartShowsTheMenuAsInlineButtonsInTheUsersLanguage(t *testing.T) {
	h := newHarness(t, Config{})
	h.send(telegramtest.TextMsg("/start", "en"))
	m := h.last()
	if !strings.Contains(m.Text, "after-sales desk") || !strings.Contains(strings.Join(inlineData(m), " "), "menu:damage") {
		t.Fatalf("menu: %+v", m)
	}
	h.send(telegramtest.Callback("menu:language"))
	if a := h.fake.Answered(); len(a) == 0 || a[len(a)-1] != "cb-menu:language" {
		t.Fatalf("callback not answered: %v", a)
	}
	if h.fake.Calls("editMessageReplyMarkup") != 0 {
		t.Fatal("the current question's keyboard was taken away: it stays until a newer message supersedes it")
	}
}

// rule: ID-1
// rule: DMG-2
// A whole damage report with photos through Telegram: own contact shared,
// an album, a photo sent as a document, and the case opened with them.
func TestDamageReportWithPhotosThroughTelegram(t *testing.T) {
	h := newHarness(t, Config{})
	for i, data := range [][]byte{testkit.PNG(1), testkit.PNG(2), testkit.PNG(3), testkit.PNG(4)} {
		h.fake.AddFile("ph"+strconv.Itoa(i), data)
	}
	h.send(telegramtest.Callback("menu:damage"))
	if !strings.Contains(h.last().Text, "验证") {
		t.Fatalf("no verification asked: %q", h.last().Text)
	}
	if _, ok := h.last().ReplyMarkup["keyboard"]; !ok {
		t.Fatalf("no share-contact keyboard: %+v", h.last().ReplyMarkup)
	}
	h.send(telegramtest.ContactMsg("+86 138 0000 1234", 999)) // someone else's card
	if !strings.Contains(h.last().Text, "本人") {
		t.Fatalf("another person's contact accepted: %q", h.last().Text)
	}
	h.send(telegramtest.ContactMsg("+86 138 0000 1234", telegramtest.UserID))
	h.send(telegramtest.Callback("ans:2"))
	h.send(telegramtest.Callback("ans:done"))
	h.send(telegramtest.Callback("ans:pickup"))
	// An album of two, in one batch: two photos of one step, acknowledged once.
	album := h.fake.PushBatch(telegramtest.PhotoMsg("ph0", 500, "album-1"), telegramtest.PhotoMsg("ph1", 500, "album-1"))
	h.processed(album[1])
	h.deliver()
	if !strings.Contains(h.last().Text, "已收到 2 张照片") {
		t.Fatalf("album: %q", h.last().Text)
	}
	h.send(telegramtest.Callback("ans:done"))
	h.send(map[string]any{"message": map[string]any{"message_id": 5, "date": 0, "from": telegramtest.User("zh-hans"), "chat": telegramtest.PrivateChat(),
		"document": map[string]any{"file_id": "ph2", "file_unique_id": "d", "mime_type": "image/png", "file_size": 500}}})
	h.send(telegramtest.Callback("ans:done"))
	h.send(telegramtest.PhotoMsg("ph3", 500, ""))
	h.send(telegramtest.Callback("ans:done"))
	h.send(telegramtest.Callback("ans:yes"))
	h.send(telegramtest.TextMsg("茶几玻璃碎了", "zh-hans"))
	cases, _ := h.db.CasesByPhone(context.Background(), "13800001234", true)
	if len(cases) != 1 || cases[0].Kind != config.KindTransportDamage || cases[0].Channel != ChannelName {
		t.Fatalf("cases: %+v", cases)
	}
	photos, _ := h.db.Photos(context.Background(), cases[0].ID)
	if len(photos) != 4 {
		t.Fatalf("photos on the case: %d", len(photos))
	}
	if !strings.Contains(h.last().Text, cases[0].Number) {
		t.Fatalf("case number not told: %q", h.last().Text)
	}
}

// rule: SRV-1
func TestSurveyThroughTelegram(t *testing.T) {
	h := newHarness(t, Config{})
	ctx := context.Background()
	h.send(telegramtest.TextMsg("/start", "zh-hans"))
	h.send(telegramtest.Callback("menu:where"))
	h.send(telegramtest.ContactMsg("13800001234", telegramtest.UserID))
	err := h.db.Update(ctx, func(tx *store.Tx) error {
		_, err := tx.AddVisit(store.Visit{ID: "V-9", OrderNo: "SO-1001", Kind: "repair", CompletedAt: h.clock.Now()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.desk.StartSurvey(ctx, "V-9", "visit"); err != nil {
		t.Fatal(err)
	}
	h.deliver()
	if !strings.Contains(h.last().Text, "按时") {
		t.Fatalf("survey question: %q", h.last().Text)
	}
	for _, d := range []string{"ans:yes", "ans:fair", "ans:5", "ans:skip", "ans:4"} {
		h.send(telegramtest.Callback(d))
	}
	surveys, _ := h.db.SurveysByVisit(ctx, "V-9")
	if len(surveys) != 1 || surveys[0].AnsweredAt.IsZero() || surveys[0].Channel != ChannelName {
		t.Fatalf("survey: %+v", surveys)
	}
}

func TestDuplicateUpdateIsHandledOnce(t *testing.T) {
	h := newHarness(t, Config{})
	id := h.fake.Push(telegramtest.TextMsg("/help", "en"))
	h.processed(id)
	h.fake.PushAgain(id) // Telegram sends it again
	id2 := h.fake.Push(telegramtest.TextMsg("/start", "en"))
	h.processed(id2)
	h.deliver()
	help := testkit.CountWhere(h.fake.SentTo(telegramtest.UserID), func(m telegramtest.SentMessage) bool {
		return strings.Contains(m.Text, "/cancel")
	})
	if help != 1 {
		t.Fatalf("/help answered %d times", help)
	}
}

// After a restart polling asks from where it stopped: nothing processed
// twice, nothing lost, and the conversation goes on.
func TestRestartMidConversation(t *testing.T) {
	h := newHarness(t, Config{})
	h.send(telegramtest.Callback("menu:where"))
	h.send(telegramtest.TextMsg("SO-1001", "zh-hans"))
	h.stop()
	id := h.fake.Push(telegramtest.TextMsg("1234", "zh-hans")) // arrives while the desk is down
	h.start(Config{})
	h.processed(id)
	h.deliver()
	if !strings.Contains(h.last().Text, "布艺沙发") {
		t.Fatalf("after restart: %q", h.last().Text)
	}
	offsets := h.fake.Offsets()
	first := offsets[0]
	for _, o := range offsets {
		if o < first {
			t.Fatalf("polling went back to offset %d", o)
		}
	}
	for _, m := range h.fake.SentTo(telegramtest.UserID) {
		if strings.Count(m.Text, "请发送下单手机号的后四位") > 1 {
			t.Fatal("a message was processed twice")
		}
	}
}

func TestWebhookChecksTheSecret(t *testing.T) {
	h := newHarness(t, Config{WebhookURL: "https://desk.example/telegram/webhook", WebhookSecret: "hook-secret"})
	deadline := time.Now().Add(3 * time.Second)
	for {
		hook := h.fake.Webhook()
		if hook != nil && hook["method"] == "setWebhook" {
			if hook["secret_token"] != "hook-secret" || hook["url"] != "https://desk.example/telegram/webhook" {
				t.Fatalf("setWebhook: %v", hook)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("setWebhook was not called")
		}
		time.Sleep(5 * time.Millisecond)
	}
	srv := httptest.NewServer(h.ch)
	defer srv.Close()
	post := func(secret string, update string) int {
		req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(update))
		if secret != "" {
			req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	update := `{"update_id":77,"message":{"message_id":1,"date":0,"from":{"id":4242,"is_bot":false,"first_name":"a","language_code":"en"},"chat":{"id":4242,"type":"private"},"text":"/start"}}`
	if code := post("", update); code != 401 {
		t.Fatalf("no secret: %d", code)
	}
	if code := post("wrong", update); code != 401 {
		t.Fatalf("wrong secret: %d", code)
	}
	if n, _ := h.db.OutboxBacklog(context.Background()); n != 0 {
		t.Fatal("a refused webhook was processed")
	}
	if code := post("hook-secret", "{not json"); code != 400 {
		t.Fatalf("garbage: %d", code)
	}
	for i := 0; i < 2; i++ { // Telegram retries: processed once
		if code := post("hook-secret", update); code != 200 {
			t.Fatalf("right secret: %d", code)
		}
	}
	h.deliver()
	if n := len(h.fake.SentTo(telegramtest.UserID)); n != 1 {
		t.Fatalf("%d replies", n)
	}
}

func TestBadMediaGroupsAndBlocking(t *testing.T) {
	h := newHarness(t, Config{})
	h.send(map[string]any{"message": map[string]any{"message_id": 1, "date": 0, "from": telegramtest.User("en"), "chat": telegramtest.PrivateChat(),
		"sticker": map[string]any{"file_id": "st", "file_unique_id": "s", "width": 1, "height": 1, "is_animated": false}}})
	if !strings.Contains(h.last().Text, "text, buttons and photos") {
		t.Fatalf("sticker: %q", h.last().Text)
	}
	h.send(map[string]any{"message": map[string]any{"message_id": 1, "date": 0, "from": telegramtest.User("en"), "chat": telegramtest.PrivateChat(),
		"document": map[string]any{"file_id": "pdf", "file_unique_id": "p", "mime_type": "application/pdf", "file_size": 10}}})
	if !strings.Contains(h.last().Text, "only take photos") {
		t.Fatalf("pdf: %q", h.last().Text)
	}
	h.send(telegramtest.PhotoMsg("huge", 50<<20, ""))
	if !strings.Contains(h.last().Text, "too large") {
		t.Fatalf("huge photo: %q", h.last().Text)
	}
	h.fake.AddFile("fake-png", []byte("%PDF pretending to be a photo"))
	h.send(telegramtest.PhotoMsg("fake-png", 100, ""))
	if !strings.Contains(h.last().Text, "only take photos") {
		t.Fatalf("a non-image behind a photo: %q", h.last().Text)
	}
	group := map[string]any{"message": map[string]any{"message_id": 1, "date": 0, "from": telegramtest.User("en"),
		"chat": map[string]any{"id": -100, "type": "group"}, "text": "/start"}}
	h.processed(h.fake.Push(group))
	h.deliver()
	if sent := h.fake.SentTo(-100); len(sent) != 1 || !strings.Contains(sent[0].Text, "private chat") {
		t.Fatalf("group: %+v", sent)
	}

	// The customer blocks the bot while a case is open: no retry storm,
	// the case says so once.
	h.send(telegramtest.TextMsg("/start", "en")) // the menu: a tap on an older message's button has expired
	h.send(telegramtest.Callback("menu:human"))
	h.fake.FailSend(telegramtest.Failure{Code: 403}, telegramtest.Failure{Code: 403})
	h.send(telegramtest.TextMsg("/help", "en"))
	h.send(telegramtest.TextMsg("/help", "en"))
	cases, _ := h.db.Cases(context.Background(), store.CaseFilter{})
	events, _ := h.db.CaseEvents(context.Background(), cases[0].ID)
	unreachable := testkit.CountWhere(events, func(e store.CaseEvent) bool { return e.Kind == "unreachable" })
	if unreachable != 1 {
		t.Fatalf("unreachable marked %d times: %+v", unreachable, events)
	}
	calls := h.fake.Calls("sendMessage")
	if n, _ := h.db.OutboxBacklog(context.Background()); n != 0 || calls > 20 {
		t.Fatalf("backlog %d after 403, %d sends", n, calls)
	}
}

// 429 from Telegram: the message waits retry_after and is delivered.
func TestFloodControlIsHonoured(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.FailSend(telegramtest.Failure{Code: 429, RetryAfter: 7})
	h.processed(h.fake.Push(telegramtest.TextMsg("/start", "en")))
	h.sender.RunOnce(context.Background())
	rows, _ := h.db.OutboxAfter(context.Background(), ChannelName, strconv.Itoa(telegramtest.UserID), 0, 10)
	if len(rows) != 1 || rows[0].Status != "pending" || !rows[0].NextAttemptAt.Equal(h.clock.Now().Add(7*time.Second)) {
		t.Fatalf("after 429: %+v", rows)
	}
	h.clock.Advance(7 * time.Second)
	h.sender.RunOnce(context.Background())
	if len(h.fake.SentTo(telegramtest.UserID)) != 1 {
		t.Fatal("not delivered after retry_after")
	}
}

// Our own limits (ratelimit.Telegram): a burst of three per chat, then one
// a second; overall a burst of five, then 25 a second, never more than 30
// in any second.
func TestRateLimits(t *testing.T) {
	h := newHarness(t, Config{})
	ctx := context.Background()
	enqueue := func(chat int64, n int) {
		for i := 0; i < n; i++ {
			h.db.Update(ctx, func(tx *store.Tx) error {
				_, err := tx.Enqueue(store.OutboxMessage{Channel: ChannelName, Recipient: strconv.FormatInt(chat, 10),
					Payload: []byte(`{"text":"hi"}`)}, h.clock.Now())
				return err
			})
		}
	}
	enqueue(1, 6)
	for chat := int64(100); chat < 140; chat++ {
		enqueue(chat, 1)
	}
	h.sender.RunOnce(ctx)
	if n := len(h.fake.Sent()); n != 5 {
		t.Fatalf("sent %d at once, want the overall burst of 5", n)
	}
	for i := 0; i < 24; i++ { // up to just before the second is over
		h.clock.Advance(40 * time.Millisecond)
		h.sender.RunOnce(ctx)
	}
	if n := len(h.fake.Sent()); n < 26 || n > 30 {
		t.Fatalf("sent %d in the first second, want 26 to 30", n)
	}
	if n := len(h.fake.SentTo(1)); n > 3 {
		t.Fatalf("chat 1 got %d messages within a second, want at most its burst of 3", n)
	}
	h.deliver()
	if n := len(h.fake.SentTo(1)); n != 6 {
		t.Fatalf("chat 1 got %d in the end", n)
	}
	if n := h.fake.OverLimit(); n != 0 {
		t.Fatalf("the fake counted %d sends over Telegram's limits", n)
	}
}

// An answer of three messages (a survey's greeting, question and buttons)
// goes out at once, not one a second.
func TestThreeMessagesGoOutAtOnce(t *testing.T) {
	h := newHarness(t, Config{})
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		h.db.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.Enqueue(store.OutboxMessage{Channel: ChannelName, Recipient: strconv.Itoa(telegramtest.UserID),
				Payload: []byte(`{"text":"part"}`)}, h.clock.Now())
			return err
		})
	}
	h.sender.RunOnce(ctx)
	if n := len(h.fake.SentTo(telegramtest.UserID)); n != 3 {
		t.Fatalf("%d of 3 sent at once", n)
	}
}

// TELEGRAM_API_ENDPOINT in the library's own form reaches the same server.
func TestEndpointInTheLibrarysForm(t *testing.T) {
	fake := telegramtest.New(t)
	desk := testkit.NewDesk(t)
	ch, err := New(Config{Token: fake.Token, Endpoint: fake.URL + "/bot%s/%s"}, desk.Desk, desk.Photos, desk.Log, desk.Clock.Now)
	if err != nil || ch.BotName() == "" || fake.Calls("getMe") == 0 {
		t.Fatalf("library form: %v, getMe %d", err, fake.Calls("getMe"))
	}
	if _, err := New(Config{Token: fake.Token, Endpoint: "127.0.0.1:1"}, desk.Desk, desk.Photos, desk.Log, desk.Clock.Now); err == nil ||
		!strings.Contains(err.Error(), "TELEGRAM_API_ENDPOINT") {
		t.Fatalf("not a URL: %v", err)
	}
}
