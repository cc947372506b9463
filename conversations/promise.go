package conversations

import (
	"strconv"
	"time"
)

// The service times the customer is told are said as they are: "30 分钟",
// "1 小时", "1 小时 30 分钟", never "0 小时"; and a promise made while the
// shop is closed names the real time: "周一 10:00 前（我们 09:00 开门）"
// (SLA-10), from Promises.When.

// SayDuration says a service time in lang, in whole minutes (rounded up, at
// least one): "30 分钟", "1 小时", "1 小时 30 分钟"; "1 hour 30 minutes".
func SayDuration(lang Lang, d time.Duration) string {
	mins := int((d + time.Minute - 1) / time.Minute)
	if mins < 1 {
		mins = 1
	}
	h, m := mins/60, mins%60
	switch {
	case h == 0:
		return Plural(lang, "dur.minutes", m, nil)
	case m == 0:
		return Plural(lang, "dur.hours", h, nil)
	}
	return Plural(lang, "dur.hours", h, nil) + " " + Plural(lang, "dur.minutes", m, nil)
}

// SayWhen says a moment relative to now in lang, in the shop's zone: "今天
// 10:00", "明天 10:00", "周一 10:00" within the week, else "12月8日 10:00".
func SayWhen(lang Lang, now, t time.Time, loc *time.Location) string {
	now, t = now.In(loc), t.In(loc)
	clock := t.Format("15:04")
	day := func(x time.Time) time.Time { y, m, d := x.Date(); return time.Date(y, m, d, 0, 0, 0, 0, loc) }
	days := int(day(t).Sub(day(now)).Hours()/24 + 0.5)
	weekday := T(lang, "weekday."+strconv.Itoa(int(t.Weekday())))
	switch {
	case days == 0:
		return T(lang, "when.today", Args{"Time": clock})
	case days == 1:
		return T(lang, "when.tomorrow", Args{"Time": clock, "Weekday": weekday})
	case days > 1 && days < 7:
		return T(lang, "when.weekday", Args{"Time": clock, "Weekday": weekday})
	}
	month := any(int(t.Month()))
	if lang == En {
		month = t.Month().String()
	}
	return T(lang, "when.date", Args{"Time": clock, "Month": month, "Day": t.Day()})
}

// promise says within what time the shop will act on clock, whose target is
// d, for a request made now: "1 小时内" / "within 1 hour" when the shop is
// open and the target fits; "周一 10:00 前（我们 09:00 开门）" / "by 10:00 on
// Monday (we open at 09:00)" when it is closed; "明天 09:30 前" / "by 09:30
// tomorrow" when the target runs past closing time.
func (d *dialog) promise(clock string, target time.Duration) string {
	now, lang, loc := d.env.Now, d.lang(), d.env.loc()
	opens, due := now, now.Add(target)
	if d.env.Promises.When != nil {
		opens, due = d.env.Promises.When(clock, now, target)
	}
	if !opens.After(now) && !due.After(now.Add(target)) {
		return T(lang, "promise.within", Args{"Duration": SayDuration(lang, target)})
	}
	if !opens.After(now) {
		return T(lang, "promise.by", Args{"Due": SayWhen(lang, now, due, loc)})
	}
	open := SayWhen(lang, now, opens, loc)
	if y, m, dd := opens.In(loc).Date(); y == due.In(loc).Year() && m == due.In(loc).Month() && dd == due.In(loc).Day() {
		open = opens.In(loc).Format("15:04")
	}
	return T(lang, "promise.closed", Args{"Due": SayWhen(lang, now, due, loc), "Opens": open})
}
