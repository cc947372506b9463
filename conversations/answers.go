package conversations

// Answer is one thing the customer told the desk, as staff read it: the
// question's label and the answer in words (INT-3).
type Answer struct {
	Key   string // the detail's key: found_at, same_place …
	Label string // 发现时间
	Value string // the answer as recorded: home
	Text  string // the answer in words: 拆包后在家中发现
}

// answerKeys are the details a dialog gathers that staff see, in the order
// shown, with the catalog prefix that names their values ("" for a value
// shown as written, "yesno" for yes / no / none).
var answerKeys = []struct{ key, values string }{
	{"found_at", "found."},
	{"same_place", "same."},
	{"batch_no", ""},
	{"on_wall", "yesno"},
	{"compensation_requested", "yesno"},
	{"quantity", ""},
	{"contact_phone", ""},
	{"help", "help."},
	{"preferred_time", ""},
	{"reason", "reason."},
	{"exclusion", "excl."},
	{"warranty", "warranty."},
	{"packaging", "yesno"},
}

// AnswerKeys are the keys of the answers staff see, in order: the columns
// of the case export.
func AnswerKeys() []string {
	out := make([]string, len(answerKeys))
	for i, k := range answerKeys {
		out[i] = k.key
	}
	return out
}

// Answers are the answers among a case's details, labelled in lang, in the
// order of AnswerKeys; details no dialog asks (the remedy ladder, an
// approval) are not answers and are left out.
func Answers(lang Lang, details map[string]string) []Answer {
	var out []Answer
	for _, k := range answerKeys {
		v, ok := details[k.key]
		if !ok || v == "" {
			continue
		}
		text := v
		switch k.values {
		case "":
		case "yesno":
			text = label(lang, "staff.answer.", v)
		default:
			text = label(lang, k.values, v)
		}
		out = append(out, Answer{Key: k.key, Label: T(lang, "staff.answer."+k.key), Value: v, Text: text})
	}
	return out
}

// IntakeLabel is the name of an intake channel in lang (电话, 门店 …); a
// case from a chat has none.
func IntakeLabel(lang Lang, channel string) string {
	if channel == "" {
		return ""
	}
	return label(lang, "intake.channel.", channel)
}

// IntakeNotice tells a customer the number of the case staff opened for
// what they raised by phone, in the shop, by letter or by fax (INT-2).
func IntakeNotice(lang Lang, channel, kind, caseNumber string) string {
	return T(lang, "intake.opened", Args{"Channel": IntakeLabel(lang, channel), "Kind": label(lang, "kind.", kind), "Case": caseNumber})
}
