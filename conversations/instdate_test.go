package conversations

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"frontdesk/config"
)

// deliveredWithInstall is an order of 王芳's that has arrived and includes
// installation: the one an installation can be booked for.
func deliveredWithInstall() Order {
	return Order{No: "SO-1003", CustomerName: "王芳", Phone: "13800001234", Status: "delivered", PaidOn: "2026-11-01",
		Deadline: "2026-11-30", DeliveredOn: "2026-11-22", InstallIncluded: true,
		Items: []Item{{Line: 1, Name: "实木衣柜", Quantity: 1, Category: "furniture", WarrantyMonths: 60}}}
}

// markDelivered records an order as delivered on the day of now, as the
// store does for the Delivered effect.
func markDelivered(orders []Order, no string, now time.Time) {
	for i := range orders {
		if orders[i].No == no {
			orders[i].Status, orders[i].DeliveredOn = "delivered", now.Format(time.DateOnly)
		}
	}
}

func init() {
	scripts = append(scripts,
		// A day tapped among the next open days (Sunday, when the shop is closed, is not offered).
		script{name: "installation-tapped-day", verify: true, at: "2026-11-27 10:00", orders: []Order{deliveredWithInstall()},
			turns: []turn{press(choiceInstall), press("ans:SO-1003"), press("ans:2026-11-30")}},
		// "Another date", then a date in English words.
		script{name: "installation-another-date", verify: true, at: "2026-11-24 10:00", orders: []Order{deliveredWithInstall()},
			turns: []turn{press(choiceInstall), press("ans:SO-1003"), press("ans:other"), say("<b>soon</b>"),
				say("3 Dec afternoon")}},
		// Refused at once: not arrived yet, or no installation in the order.
		script{name: "installation-refused-not-delivered", verify: true, at: "2026-11-24 10:00",
			turns: []turn{press(choiceInstall), press("ans:SO-1001"), press(choiceHuman)}},
		script{name: "installation-refused-not-included", verify: true, at: "2026-11-24 10:00",
			turns: []turn{press(choiceInstall), press("ans:SO-0901"), press(choiceMenu)}},
	)
}

func TestParseTypedDate(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, sh) // a Tuesday
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, sh) }
	good := []struct {
		in   string
		want time.Time
		part string
	}{
		{"2026-12-03", day(2026, 12, 3), ""},
		{"2026/12/3", day(2026, 12, 3), ""},
		{"2026.12.03", day(2026, 12, 3), ""},
		{"12/3", day(2026, 12, 3), ""},
		{" 12/3 ", day(2026, 12, 3), ""},
		{"１２/３", day(2026, 12, 3), ""},
		{"12月3日", day(2026, 12, 3), ""},
		{"12月3号", day(2026, 12, 3), ""},
		{"12月3號", day(2026, 12, 3), ""},
		{"2026年12月3日", day(2026, 12, 3), ""},
		{"２０２６年１２月３日", day(2026, 12, 3), ""},
		{"十二月三日", day(2026, 12, 3), ""},
		{"十二月二十三号", day(2026, 12, 23), ""},
		{"12月5日上午", day(2026, 12, 5), "morning"},
		{"12月5日 下午", day(2026, 12, 5), "afternoon"},
		{"今天", day(2026, 11, 24), ""},
		{"明天", day(2026, 11, 25), ""},
		{"明天下午", day(2026, 11, 25), "afternoon"},
		{"后天", day(2026, 11, 26), ""},
		{"後天", day(2026, 11, 26), ""},
		{"大后天", day(2026, 11, 27), ""},
		{"tomorrow", day(2026, 11, 25), ""},
		{"Tomorrow morning", day(2026, 11, 25), "morning"},
		{"the day after tomorrow", day(2026, 11, 26), ""},
		{"周三", day(2026, 11, 25), ""},
		{"星期三", day(2026, 11, 25), ""},
		{"这周六", day(2026, 11, 28), ""},
		{"周二", day(2026, 11, 24), ""}, // today: the caller refuses it
		{"周一", day(2026, 11, 30), ""},
		{"下周三", day(2026, 12, 2), ""},
		{"下星期三", day(2026, 12, 2), ""},
		{"下礼拜三", day(2026, 12, 2), ""},
		{"下週三", day(2026, 12, 2), ""},
		{"下周一", day(2026, 11, 30), ""},
		{"下下周三", day(2026, 12, 9), ""},
		{"下周日", day(2026, 12, 6), ""},
		{"wednesday", day(2026, 11, 25), ""},
		{"next wednesday", day(2026, 12, 2), ""},
		{"Next Wed", day(2026, 12, 2), ""},
		{"on Friday afternoon", day(2026, 11, 27), "afternoon"},
		{"3 Dec", day(2026, 12, 3), ""},
		{"3 December", day(2026, 12, 3), ""},
		{"3rd of December", day(2026, 12, 3), ""},
		{"Dec 3", day(2026, 12, 3), ""},
		{"Dec 3rd", day(2026, 12, 3), ""},
		{"December 3, 2026", day(2026, 12, 3), ""},
		{"3 Dec 2027", day(2027, 12, 3), ""},
		{"1/5", day(2027, 1, 5), ""},     // next January, nearer than last
		{"11/20", day(2026, 11, 20), ""}, // four days ago: the caller refuses it
		{"2026-02-28", day(2026, 2, 28), ""},
	}
	for _, c := range good {
		got, err := ParseTypedDate(c.in, now, sh)
		if err != nil || !got.Day.Equal(c.want) || got.Part != c.part {
			t.Errorf("%q = %v %q, %v; want %v %q", c.in, got.Day, got.Part, err, c.want, c.part)
		}
	}
	bad := []string{"", "   ", "hello", "soon", "昨天", "2026-02-30", "2026-13-01", "13/45", "0/0", "12/0", "-1/3",
		"99999999999月1日", "12月32日", "周八", "next", "下周", "下下下周三", "2026-12-03T10:00", "1e9/3",
		"<script>alert(1)</script>", "'; DROP TABLE orders;--", "{{.Case}}", "%s%s%s", "12/3\x00", "\xff\xfe",
		"١٢/٣", strings.Repeat("明", 100), strings.Repeat("12/3 ", 20), "🎉🎉", "0000-12-03", "9999-12-03"}
	for _, in := range bad {
		if got, err := ParseTypedDate(in, now, sh); err == nil {
			t.Errorf("%q read as %v %q", in, got.Day, got.Part)
		}
	}
}

// installChat is a verified customer of the transcripts' orders plus the
// delivered one with installation, in the shop's zone and calendar.
func installChat(t *testing.T, lang Lang, at string) (*chat, memLookup) {
	t.Helper()
	cfg := config.Default()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	loc := cfg.Calendar.Location()
	now, err := time.ParseInLocation("2006-01-02 15:04", at, loc)
	if err != nil {
		t.Fatal(err)
	}
	lk := transcriptLookup()
	lk.orders = append(lk.orders, deliveredWithInstall())
	c := newChat(t, lang)
	c.env.Lookup, c.env.Now, c.env.Location, c.env.Promises = lk, now, loc, DefaultPromises()
	c.env.Shop = Shop{Days: cfg.Calendar.Weekdays(), Open: cfg.Calendar.IsWorkingDay}
	id := wang()
	c.st.Verified = &id
	return c, lk
}

func opened(effects []Effect) (OpenCase, bool) {
	for _, e := range effects {
		if oc, ok := e.(OpenCase); ok {
			return oc, true
		}
	}
	return OpenCase{}, false
}

// The buttons are the next open days from tomorrow, closed days skipped,
// said in the customer's language in the shop's zone, then "another date".
func TestInstallOffersTheNextOpenDays(t *testing.T) {
	// Friday 23:30 in Shanghai is Friday 15:30 UTC: the days count from
	// the shop's Saturday, and Sunday is closed.
	c, _ := installChat(t, ZhHans, "2026-11-27 23:30")
	c.choose(choiceInstall)
	r := c.choose(prefixAnswer + "SO-1003")
	var got []string
	for _, row := range r.Buttons {
		for _, b := range row {
			if strings.HasPrefix(b.Data, prefixAnswer) {
				got = append(got, strings.TrimPrefix(b.Data, prefixAnswer))
			}
		}
	}
	want := []string{"2026-11-28", "2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", answerOtherDate}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("buttons %v, want %v", got, want)
	}
	if !strings.Contains(r.Buttons[0][0].Label, "11月28日（周六）") || !hasButton(r, choiceHuman) || !hasButton(r, choiceCancel) {
		t.Errorf("buttons %+v", r.Buttons)
	}
	effects := c.send(Inbound{Choice: prefixAnswer + "2026-11-30"})
	oc, ok := opened(effects)
	if !ok || oc.Details["install_date"] != "2026-11-30" || oc.Details["preferred_time"] != "11月30日（周一）" || oc.OrderNo != "SO-1003" {
		t.Fatalf("case %+v (%v)", oc, ok)
	}
	if r := lastReply(t, effects); !strings.Contains(r.Text, "11月30日（周一）") {
		t.Errorf("the day is not said back: %q", r.Text)
	}
}

// A typed date is checked: unreadable, past, today, too far and closed
// days are refused in words and change nothing; a good one books.
func TestInstallChecksTheTypedDate(t *testing.T) {
	for _, lang := range []Lang{ZhHans, En} {
		c, _ := installChat(t, lang, "2026-11-24 10:00")
		c.choose(choiceInstall)
		c.choose(prefixAnswer + "SO-1003")
		before := c.st
		for in, key := range map[string]string{
			"hello": "bad.install_date", "11月20日": "bad.install_date_past", "today": "bad.install_date_past",
			"2027-03-01": "bad.install_date_far", "周日": "bad.install_date_closed", "<script>": "bad.install_date",
			strings.Repeat("明天", 30): "bad.install_date",
		} {
			effects := c.send(Inbound{Text: in})
			if _, ok := opened(effects); ok {
				t.Fatalf("%s: %q opened a case", lang, in)
			}
			r := lastReply(t, effects)
			lead := strings.SplitN(T(lang, key, Args{"Date": "", "Days": InstallMaxAheadDays}), "\n", 2)[0]
			if key == "bad.install_date" && !strings.HasPrefix(r.Text, lead) {
				t.Errorf("%s: %q answered %q", lang, in, r.Text)
			}
			if key != "bad.install_date" && (strings.Contains(r.Text, T(lang, "bad.install_date")) || !hasButton(r, choiceHuman)) {
				t.Errorf("%s: %q answered %q", lang, in, r.Text)
			}
			if c.st.Step != before.Step || !reflect.DeepEqual(c.st.Draft, before.Draft) {
				t.Fatalf("%s: %q changed the state: %+v", lang, in, c.st.Draft)
			}
		}
		effects := c.send(Inbound{Text: "next wednesday morning"})
		oc, ok := opened(effects)
		if !ok || oc.Details["install_date"] != "2026-12-02" || oc.Details["install_part"] != "morning" {
			t.Fatalf("%s: case %+v (%v)", lang, oc, ok)
		}
		said := map[Lang]string{ZhHans: "12月2日（周三）上午", En: "Wed 2 December, morning"}[lang]
		if r := lastReply(t, effects); !strings.Contains(r.Text, said) {
			t.Errorf("%s: said back %q, want %q in it", lang, r.Text, said)
		}
	}
}

// A day button of yesterday's question (the day has passed, or the data is
// forged) is not taken: the question is asked again.
func TestInstallRefusesAStaleDayButton(t *testing.T) {
	c, _ := installChat(t, En, "2026-11-24 10:00")
	c.choose(choiceInstall)
	c.choose(prefixAnswer + "SO-1003")
	for _, data := range []string{"2026-11-23", "2026-11-24", "2027-12-01", "2026-11-29", "x'; --", "other2"} {
		effects := c.send(Inbound{Choice: prefixAnswer + data})
		if _, ok := opened(effects); ok {
			t.Fatalf("%q opened a case", data)
		}
		if r := lastReply(t, effects); !strings.HasPrefix(r.Text, T(En, "reask.buttons")) {
			t.Errorf("%q: %q", data, r.Text)
		}
	}
}

// Refused at once, before any date is asked: goods not arrived, or an order
// without installation; the customer is offered a person and the menu.
func TestInstallRefusedAtOnce(t *testing.T) {
	for order, key := range map[string]string{"SO-1001": "install.refused_not_delivered", "SO-0901": "install.refused_not_included"} {
		for _, lang := range []Lang{ZhHans, En} {
			c, _ := installChat(t, lang, "2026-11-24 10:00")
			c.choose(choiceInstall)
			effects := c.send(Inbound{Choice: prefixAnswer + order})
			if _, ok := opened(effects); ok {
				t.Fatalf("%s: opened a case", order)
			}
			r := lastReply(t, effects)
			if r.Text != T(lang, key, Args{"Order": order}) || !hasButton(r, choiceHuman) || !hasButton(r, choiceMenu) {
				t.Errorf("%s %s: %+v", order, lang, r)
			}
			if c.st.Flow != "" || c.st.Draft != nil {
				t.Errorf("%s: the flow stays: %+v", order, c.st)
			}
		}
	}
	// The arrival check's button for an order that has not arrived is
	// refused the same way.
	c, _ := installChat(t, ZhHans, "2026-11-24 10:00")
	if r := c.choose(prefixInstall + "SO-1001"); r.Text != T(ZhHans, "install.refused_not_delivered", Args{"Order": "SO-1001"}) {
		t.Errorf("install:SO-1001 = %q", r.Text)
	}
}

// A shop with no calendar given is open every day; one with weekdays only
// closes on the others; the calendar's own answer wins (a holiday).
func TestShopOpenOn(t *testing.T) {
	sunday := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	if !(Shop{}).openOn(sunday) {
		t.Error("no calendar: closed on Sunday")
	}
	if (Shop{Days: []time.Weekday{time.Monday}}).openOn(sunday) {
		t.Error("Monday only: open on Sunday")
	}
	if (Shop{Days: []time.Weekday{time.Sunday}, Open: func(time.Time) bool { return false }}).openOn(sunday) {
		t.Error("the calendar's holiday is not taken")
	}
}
