package conversations

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Reading a date the customer typed (issue 19 item 7): the forms people
// use in a chat, in Chinese and English, read in the shop's zone. Pure: the
// caller says what today is.

// ErrDateUnreadable is a text that names no date this reader knows.
var ErrDateUnreadable = errors.New("conversations: no date in the text")

// maxDateText bounds what is read as a date, in characters: a date with a
// part of the day fits well within it, and nothing longer is scanned.
const maxDateText = 40

// TypedDate is a date read from a customer's text: the calendar day at
// midnight in the shop's zone, and the part of the day when one was said
// ("morning", "afternoon", "evening"; "" when none).
type TypedDate struct {
	Day  time.Time
	Part string
}

// partsOfDay are the words for a part of the day, stripped from the text
// before the date is read; longer words first so that "下午" is not read
// as "午".
var partsOfDay = []struct{ word, part string }{
	{"上午", "morning"}, {"早上", "morning"}, {"早晨", "morning"}, {"morning", "morning"}, {"am", "morning"},
	{"中午", "afternoon"}, {"下午", "afternoon"}, {"afternoon", "afternoon"}, {"pm", "afternoon"},
	{"晚上", "evening"}, {"傍晚", "evening"}, {"evening", "evening"},
}

var (
	reISO      = regexp.MustCompile(`^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$`)
	reMonthDay = regexp.MustCompile(`^(\d{1,2})[/.-](\d{1,2})$`)
	reChinese  = regexp.MustCompile(`^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})[日号號]?$`)
	reDayMonth = regexp.MustCompile(`^(\d{1,2})(?:st|nd|rd|th)?(?:of)?([a-z]{3,9})(\d{4})?$`)
	reMonthDy  = regexp.MustCompile(`^([a-z]{3,9})(\d{1,2})(?:st|nd|rd|th)?(\d{4})?$`)
)

var relativeDays = map[string]int{
	"今天": 0, "今日": 0, "today": 0,
	"明天": 1, "明日": 1, "tomorrow": 1, "tmr": 1,
	"后天": 2, "後天": 2, "dayaftertomorrow": 2, "thedayaftertomorrow": 2,
	"大后天": 3, "大後天": 3,
}

var monthNames = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
	"may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
	"sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
	"dec": 12, "december": 12,
}

var weekdayWords = map[string]time.Weekday{
	"一": time.Monday, "二": time.Tuesday, "三": time.Wednesday, "四": time.Thursday, "五": time.Friday,
	"六": time.Saturday, "日": time.Sunday, "天": time.Sunday, "末": time.Saturday,
	"mon": time.Monday, "monday": time.Monday, "tue": time.Tuesday, "tues": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "wednesday": time.Wednesday, "thu": time.Thursday, "thur": time.Thursday,
	"thurs": time.Thursday, "thursday": time.Thursday, "fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday, "sun": time.Sunday, "sunday": time.Sunday,
}

// ParseTypedDate reads the date in s as of now, in loc. A day and month
// without a year is the one nearest to today (in January, "12月30日" is
// last December's and so in the past; in December, "1/5" is next
// January's). It says nothing of whether the day suits: the caller checks
// past, too far and closed days.
func ParseTypedDate(s string, now time.Time, loc *time.Location) (TypedDate, error) {
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > maxDateText {
		return TypedDate{}, ErrDateUnreadable
	}
	text, part := normalizeDateText(s)
	if text == "" {
		return TypedDate{}, ErrDateUnreadable
	}
	today := midnight(now.In(loc))
	day, ok := readDate(text, today)
	if !ok {
		return TypedDate{}, ErrDateUnreadable
	}
	return TypedDate{Day: day, Part: part}, nil
}

// normalizeDateText lower-cases s, makes full-width digits and signs
// ASCII, reads Chinese numerals, drops spaces, commas and filler words, and
// takes out a part of the day.
func normalizeDateText(s string) (text, part string) {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= '０' && r <= '９':
			r = '0' + (r - '０')
		case r == '／':
			r = '/'
		case r == '－':
			r = '-'
		case r == '．':
			r = '.'
		}
		if strings.ContainsRune(" \t\n,，、.。!！?？", r) && r != '.' {
			continue
		}
		b.WriteRune(r)
	}
	text = strings.TrimRight(b.String(), ".")
	for _, p := range partsOfDay {
		if strings.HasSuffix(text, p.word) {
			text, part = strings.TrimSuffix(text, p.word), p.part
			break
		}
	}
	for _, filler := range []string{"on", "the", "this"} {
		text = strings.TrimPrefix(text, filler)
	}
	text = strings.TrimSuffix(text, "的")
	return chineseNumerals(text), part
}

// readDate tries each known form in turn.
func readDate(text string, today time.Time) (time.Time, bool) {
	if n, ok := relativeDays[text]; ok {
		return today.AddDate(0, 0, n), true
	}
	if m := reISO.FindStringSubmatch(text); m != nil {
		return civil(atoi(m[1]), atoi(m[2]), atoi(m[3]), today.Location())
	}
	if m := reChinese.FindStringSubmatch(text); m != nil {
		if m[1] != "" {
			return civil(atoi(m[1]), atoi(m[2]), atoi(m[3]), today.Location())
		}
		return nearest(atoi(m[2]), atoi(m[3]), today)
	}
	if m := reMonthDay.FindStringSubmatch(text); m != nil {
		return nearest(atoi(m[1]), atoi(m[2]), today) // month first, as in China and the US
	}
	if m := reDayMonth.FindStringSubmatch(text); m != nil {
		return namedMonth(m[2], m[1], m[3], today)
	}
	if m := reMonthDy.FindStringSubmatch(text); m != nil {
		return namedMonth(m[1], m[2], m[3], today)
	}
	return weekdayDate(text, today)
}

func namedMonth(month, day, year string, today time.Time) (time.Time, bool) {
	mon, ok := monthNames[month]
	if !ok {
		return time.Time{}, false
	}
	if year != "" {
		return civil(atoi(year), int(mon), atoi(day), today.Location())
	}
	return nearest(int(mon), atoi(day), today)
}

// weekdayDate reads 周三, 星期三, 礼拜三, 下周三, 下下周三, "wednesday",
// "next wednesday": a bare weekday is the next one from today on; "next"
// (下) is that weekday of the week after this one, weeks starting on
// Monday as Chinese calendars show them.
func weekdayDate(text string, today time.Time) (time.Time, bool) {
	weeks := 0
	switch {
	case strings.HasPrefix(text, "下下"):
		weeks, text = 2, strings.TrimPrefix(text, "下下")
	case strings.HasPrefix(text, "下"):
		weeks, text = 1, strings.TrimPrefix(text, "下")
	case strings.HasPrefix(text, "next"):
		weeks, text = 1, strings.TrimPrefix(text, "next")
	case strings.HasPrefix(text, "本"), strings.HasPrefix(text, "这"), strings.HasPrefix(text, "這"):
		_, size := utf8.DecodeRuneInString(text)
		text = text[size:]
	}
	for _, w := range []string{"星期", "礼拜", "禮拜", "周", "週"} {
		if rest, ok := strings.CutPrefix(text, w); ok {
			text = rest
			break
		}
	}
	wd, ok := weekdayWords[text]
	if !ok {
		return time.Time{}, false
	}
	if weeks == 0 {
		return today.AddDate(0, 0, (int(wd)-int(today.Weekday())+7)%7), true
	}
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, 7*weeks+(int(wd)+6)%7), true
}

// nearest is month/day in the year that puts it nearest to today.
func nearest(month, day int, today time.Time) (time.Time, bool) {
	best, found := time.Time{}, false
	for _, y := range []int{today.Year() - 1, today.Year(), today.Year() + 1} {
		t, ok := civil(y, month, day, today.Location())
		if ok && (!found || absDays(t, today) < absDays(best, today)) {
			best, found = t, true
		}
	}
	return best, found
}

func absDays(a, b time.Time) time.Duration {
	d := a.Sub(b)
	if d < 0 {
		return -d
	}
	return d
}

// civil is the day y-m-d at midnight in loc, refused when no such day
// exists (time.Date would roll 2 月 30 日 into March).
func civil(y, m, d int, loc *time.Location) (time.Time, bool) {
	if y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
	if t.Day() != d || int(t.Month()) != m {
		return time.Time{}, false
	}
	return t, true
}

func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// chineseNumerals writes the numbers of 一 to 三十一 before 月, 日 and 号
// as digits ("十二月三日" → "12月3日"); other text is left as it is.
func chineseNumerals(s string) string {
	digit := map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	runes := []rune(s)
	var b strings.Builder
	for i := 0; i < len(runes); {
		j := i
		for j < len(runes) && (runes[j] == '十' || digit[runes[j]] > 0) {
			j++
		}
		if j == i {
			b.WriteRune(runes[i])
			i++
			continue
		}
		n, ok := chineseNumber(runes[i:j], digit)
		if ok && j < len(runes) && strings.ContainsRune("月日号號", runes[j]) {
			b.WriteString(strconv.Itoa(n))
		} else {
			b.WriteString(string(runes[i:j]))
		}
		i = j
	}
	return b.String()
}

// chineseNumber reads 一 … 九十九 (十, 十二, 二十, 二十三).
func chineseNumber(r []rune, digit map[rune]int) (int, bool) {
	switch len(r) {
	case 1:
		if r[0] == '十' {
			return 10, true
		}
		return digit[r[0]], true
	case 2:
		if r[0] == '十' && digit[r[1]] > 0 {
			return 10 + digit[r[1]], true
		}
		if r[1] == '十' && digit[r[0]] > 0 {
			return 10 * digit[r[0]], true
		}
	case 3:
		if r[1] == '十' && digit[r[0]] > 0 && digit[r[2]] > 0 {
			return 10*digit[r[0]] + digit[r[2]], true
		}
	}
	return 0, false
}
