package conversations

import (
	"errors"
	"strings"
	"time"

	"frontdesk/config"
)

// The installation date (issue 19 item 7): asked as a date, with buttons for
// the shop's next open days and "another date" to type one in any common
// form (datetext.go); checked at the source: a day in the past, too far
// ahead or when the shop is closed is refused in words, and an order that
// has not arrived or has no installation is refused at once, with a way on.

// Limits of the day a customer may ask for.
const (
	// InstallMaxAheadDays is how far ahead an installation may be asked
	// for: beyond it the installers' plans are not made yet.
	InstallMaxAheadDays = 60
	// installDayButtons is how many open days are offered as buttons.
	installDayButtons = 5
	// answerOtherDate is the button value of "another date".
	answerOtherDate = "other"
)

// installQuestions are the date questions of the installation flow: the
// next open days as buttons (a date may be typed there too), then, after
// "another date", the typed date.
func installQuestions() []question {
	return []question{
		{key: "install_date", prompt: prompt("q.install_date"), options: installDayOptions, check: checkInstallDate,
			when: func(d *dialog) bool { return d.installRefusal() == "" }},
		{key: "install_date_typed", prompt: prompt("q.install_date_typed"), check: checkInstallDate,
			when: func(d *dialog) bool { return d.answer("install_date") == answerOtherDate }},
	}
}

// installRefusal is why the chosen order cannot have an installation
// booked: the catalog key of the refusal, or "".
func (d *dialog) installRefusal() string {
	o, err := d.order()
	if err != nil {
		return "install.refused_unknown"
	}
	switch {
	case !o.InstallIncluded:
		return "install.refused_not_included"
	case undelivered(o.Status) && o.DeliveredOn == "":
		return "install.refused_not_delivered"
	}
	return ""
}

// installDayOptions are the next open days of the shop from tomorrow on,
// then "another date".
func installDayOptions(d *dialog) ([]option, error) {
	var out []option
	for _, day := range nextOpenDays(d.env.Shop, d.today(), installDayButtons) {
		out = append(out, option{day.Format(time.DateOnly), sayDay(d.lang(), day)})
	}
	return append(out, option{answerOtherDate, d.t("btn.other_date")}), nil
}

// nextOpenDays returns up to n days after today, within the booking window,
// on which the shop is open.
func nextOpenDays(shop Shop, today time.Time, n int) []time.Time {
	var out []time.Time
	for i := 1; i <= InstallMaxAheadDays && len(out) < n; i++ {
		if day := today.AddDate(0, 0, i); shop.openOn(day) {
			out = append(out, day)
		}
	}
	return out
}

// today is the shop's calendar day now, at midnight in its zone.
func (d *dialog) today() time.Time { return midnight(d.env.Now.In(d.env.loc())) }

// checkInstallDate reads a typed date and checks it: the value is the day
// as YYYY-MM-DD with the part of the day after a space when one was said.
func checkInstallDate(d *dialog, s string) (string, string) {
	typed, err := ParseTypedDate(s, d.env.Now, d.env.loc())
	if errors.Is(err, ErrDateUnreadable) || err != nil {
		return "", d.t("bad.install_date")
	}
	if problem := d.installDayProblem(typed.Day); problem != "" {
		return "", problem
	}
	value := typed.Day.Format(time.DateOnly)
	if typed.Part != "" {
		value += " " + typed.Part
	}
	return value, ""
}

// installDayProblem says what is wrong with day, or "".
func (d *dialog) installDayProblem(day time.Time) string {
	today, said := d.today(), sayDay(d.lang(), day)
	switch {
	case !day.After(today):
		return d.t("bad.install_date_past", Args{"Date": said})
	case day.After(today.AddDate(0, 0, InstallMaxAheadDays)):
		return d.t("bad.install_date_far", Args{"Date": said, "Days": InstallMaxAheadDays})
	case !d.env.Shop.openOn(day):
		return d.t("bad.install_date_closed", Args{"Date": said})
	}
	return ""
}

// chosenInstallDate is the day and part of the day the customer chose.
func (d *dialog) chosenInstallDate() (day time.Time, part string, ok bool) {
	value := d.answer("install_date")
	if value == answerOtherDate {
		value = d.answer("install_date_typed")
	}
	date, part, _ := strings.Cut(value, " ")
	day, err := time.ParseInLocation(time.DateOnly, date, d.env.loc())
	return day, part, err == nil
}

// finishInstall books the installation on the chosen day, or refuses it
// at once with a way on (a person, the menu).
func finishInstall(d *dialog) error {
	if key := d.installRefusal(); key != "" {
		d.say(d.t(key, Args{"Order": d.draft().OrderNo}), [][]Button{
			{{Label: d.t("btn.human"), Data: choiceHuman}}, backButtons(d.lang())[0]})
		return nil
	}
	day, part, ok := d.chosenInstallDate()
	if !ok {
		return errors.New("conversations: installation without a date")
	}
	details := map[string]string{
		"install_date": day.Format(time.DateOnly),
		// Staff read the wish in words, in the staff's language (zh-Hans).
		"preferred_time": sayDayPart(ZhHans, day, part),
	}
	if part != "" {
		details["install_part"] = part
	}
	d.openCase(OpenCase{Kind: string(config.KindInstallationHelp), Description: details["preferred_time"], Details: details})
	text := d.t("done.install_on", Args{"Case": CasePlaceholder, "Date": sayDayPart(d.lang(), day, part),
		"Reply": d.promise("first_response", d.env.Promises.FirstResponse)})
	d.say(text, backButtons(d.lang()))
	return nil
}

// sayDay says a calendar day in lang: "12月3日（周四）", "Thu 3 December".
func sayDay(lang Lang, day time.Time) string {
	month := any(int(day.Month()))
	if lang == En {
		month = day.Month().String()
	}
	weekday := T(lang, "day."+strings.ToLower(day.Weekday().String()[:3]))
	return T(lang, "instdate.day", Args{"Month": month, "Day": day.Day(), "Weekday": weekday})
}

// sayDayPart is sayDay with the part of the day, when one was said.
func sayDayPart(lang Lang, day time.Time, part string) string {
	if part == "" {
		return sayDay(lang, day)
	}
	return T(lang, "instdate.day_part", Args{"Date": sayDay(lang, day), "Part": T(lang, "instdate.part."+part)})
}
