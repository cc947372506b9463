package telegram

import (
	"context"
	"strings"
	"testing"
	"time"

	"frontdesk/bot/telegram/telegramtest"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// The installation date through Telegram (issue 19 item 7): the next days
// as inline buttons, "another date" to type one, the chosen day said back;
// an order that has not arrived is refused at once.
func TestInstallationDateThroughTelegram(t *testing.T) {
	h := newHarness(t, Config{})
	testkit.Seed(t, h.db, h.clock.Now()).Order(store.Order{No: "SO-1003", PaidOn: "2026-11-01", Deadline: "2026-11-30",
		Status: config.OrderDelivered, InstallIncluded: true}).Order(store.Order{No: "SO-1002", PaidOn: "2026-11-20",
		Deadline: "2026-12-20", Status: config.OrderShipped, InstallIncluded: true})
	h.send(telegramtest.TextMsg("/start", "en"))
	h.send(telegramtest.Callback("menu:install"))
	h.send(telegramtest.ContactMsg("+86 138 0000 1234", telegramtest.UserID))
	h.send(telegramtest.Callback("ans:SO-1002")) // not arrived
	if got := h.last().Text; got != conversations.T(conversations.En, "install.refused_not_delivered", conversations.Args{"Order": "SO-1002"}) {
		t.Fatalf("an order not arrived: %q", got)
	}
	h.send(telegramtest.Callback("menu:install"))
	h.send(telegramtest.Callback("ans:SO-1001")) // no installation in it
	if got := h.last().Text; got != conversations.T(conversations.En, "install.refused_not_included", conversations.Args{"Order": "SO-1001"}) {
		t.Fatalf("an order without installation: %q", got)
	}
	h.send(telegramtest.Callback("menu:install"))
	h.send(telegramtest.Callback("ans:SO-1003"))
	today := h.clock.Now().In(h.desk.Location)
	tomorrow := time.Date(today.Year(), today.Month(), today.Day()+1, 0, 0, 0, 0, h.desk.Location).Format(time.DateOnly)
	data := inlineData(h.last())
	if len(data) < 3 || data[0] != "ans:"+tomorrow || !strings.Contains(strings.Join(data, " "), "ans:other") {
		t.Fatalf("day buttons: %v (tomorrow %s)", data, tomorrow)
	}
	h.send(telegramtest.Callback("ans:other"))
	h.send(telegramtest.TextMsg("the day after tomorrow, afternoon", "en"))
	cs, _ := h.db.CasesByPhone(context.Background(), "13800001234", true)
	if len(cs) != 1 || cs[0].Kind != config.KindInstallationHelp || cs[0].Details["install_part"] != "afternoon" {
		t.Fatalf("cases: %+v", cs)
	}
	day, _ := time.ParseInLocation(time.DateOnly, cs[0].Details["install_date"], h.desk.Location)
	if want := today.AddDate(0, 0, 2); day.Day() != want.Day() || !strings.Contains(h.last().Text, ", afternoon") {
		t.Fatalf("booked %s, told %q", cs[0].Details["install_date"], h.last().Text)
	}
}
