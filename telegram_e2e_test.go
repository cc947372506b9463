package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"frontdesk/bot/telegram/telegramtest"
	"frontdesk/config"
	"frontdesk/internal/testkit"
)

// waitOffset waits until the desk has polled past update id.
func waitOffset(t *testing.T, fake *telegramtest.Server, id int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		offs := fake.Offsets()
		if len(offs) > 0 && offs[len(offs)-1] > id {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("update %d was not taken", id)
}

// With TELEGRAM_TOKEN and TELEGRAM_API_ENDPOINT pointing at a fake Bot API,
// `frontdesk serve` carries a customer from /start to a damage case with
// photos.
func TestServeOverTelegram(t *testing.T) {
	fake := telegramtest.New(t)
	for i := 0; i < 3; i++ {
		fake.AddFile("photo"+string(rune('a'+i)), testkit.PNG(byte(i+1)))
	}
	env := freshEnv(t)
	env["TELEGRAM_TOKEN"], env["TELEGRAM_API_ENDPOINT"] = fake.Token, fake.URL
	fd := start(t, env, "--demo")
	if !strings.Contains(fd.stdout.String(), "telegram: @desk_bot, long polling") {
		t.Fatalf("start-up: %s", fd.stdout.String())
	}
	last := 0
	send := func(u map[string]any) { last = fake.Push(u); waitOffset(t, fake, last) }
	send(telegramtest.TextMsg("/start", "zh-hans"))
	send(telegramtest.Callback("menu:damage"))
	send(telegramtest.ContactMsg("13800001234", telegramtest.UserID))
	send(telegramtest.Callback("ans:SO-1001"))
	send(telegramtest.Callback("ans:1"))
	send(telegramtest.Callback("ans:done"))
	send(telegramtest.Callback("ans:home"))
	send(telegramtest.PhotoMsg("photoa", 200, ""))
	send(telegramtest.Callback("ans:done"))
	send(telegramtest.PhotoMsg("photob", 200, ""))
	send(telegramtest.Callback("ans:done"))
	send(telegramtest.PhotoMsg("photoc", 200, ""))
	send(telegramtest.Callback("ans:done"))
	send(telegramtest.Callback("ans:no"))
	send(telegramtest.TextMsg("扶手有裂纹", "zh-hans"))

	db := testkit.ReopenStore(t, filepath.Join(env["FRONTDESK_DATA"], testkit.StoreFile))
	cases, _ := db.CasesByPhone(context.Background(), "13800001234", true)
	if len(cases) != 1 || cases[0].Kind != config.KindQualityDefect || cases[0].Channel != "telegram" {
		t.Fatalf("cases: %+v", cases)
	}
	photos, _ := db.Photos(context.Background(), cases[0].ID)
	if len(photos) != 3 {
		t.Fatalf("photos: %d", len(photos))
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(fake.SentTo(telegramtest.UserID)) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	sent := fake.SentTo(telegramtest.UserID)
	if len(sent) == 0 || !strings.Contains(sent[0].Text, "售后服务台") {
		t.Fatalf("the menu did not reach Telegram: %+v", sent)
	}
}
