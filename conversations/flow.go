package conversations

import (
	"fmt"
	"slices"
	"strings"
)

// A guided flow is a list of questions asked in turn; each answer is kept
// in the state's Draft until the flow finishes and its effects are emitted
// at once. Bad input to a question re-asks it and changes nothing.

// option is one button answer to a question.
type option struct {
	value string
	label string
}

// question is one step of a flow. Exactly one of options, text and photos
// says how it is answered.
type question struct {
	key     string
	prompt  func(d *dialog) string
	options func(d *dialog) ([]option, error)
	multi   bool // options toggle; "done" moves on
	inline  bool // all options on one row (yes/no, stars)
	text    func(d *dialog, s string) (string, string, bool)
	photos  string // the photo group; "none" may be allowed by noneLabel
	none    string // for photos: the label of "I have none" (packaging thrown away)
	when    func(d *dialog) bool
	// single answers a question with one option by itself (one order).
	single bool
	// check, when set, reads a typed answer, also beside options: the
	// value, or what is wrong in words already filled (a date said back).
	check func(d *dialog, s string) (value, problem string)
}

type flowDef struct {
	name      string
	verify    bool
	questions []question
	finish    func(d *dialog) error
}

// Button data of answers.
const (
	prefixAnswer = "ans:"
	answerDone   = "done"
	answerNone   = "none"
)

// flows holds every guided flow by name; filled by init in flows.go.
var flows = map[string]*flowDef{}

func (d *dialog) draft() *Draft {
	if d.st.Draft == nil {
		d.st.Draft = &Draft{}
	}
	if d.st.Draft.Answers == nil {
		d.st.Draft.Answers = map[string]string{}
	}
	return d.st.Draft
}

func (d *dialog) answer(key string) string { return d.draft().Answers[key] }

// startFlow begins a flow, verifying the customer first when it needs to.
func (d *dialog) startFlow(name string) error { return d.startFlowWith(name, Draft{}) }

// startFlowWith begins a flow with answers already known (the arrival
// check hands its order to the damage report).
func (d *dialog) startFlowWith(name string, draft Draft) error {
	f := flows[name]
	d.reset()
	if f.verify && d.st.Verified == nil {
		return d.beginVerify(name)
	}
	if draft.Answers == nil {
		draft.Answers = map[string]string{}
	}
	d.st.Flow, d.st.Draft = name, &draft
	return d.advance(-1)
}

func (d *dialog) currentFlow() (*flowDef, int) {
	f, ok := flows[d.st.Flow]
	if !ok {
		return nil, -1
	}
	for i, q := range f.questions {
		if q.key == d.st.Step {
			return f, i
		}
	}
	return f, -1
}

// advance asks the first question after index from whose condition holds,
// or finishes the flow.
func (d *dialog) advance(from int) error {
	f, _ := d.currentFlow()
	for i := from + 1; i < len(f.questions); i++ {
		q := f.questions[i]
		if (q.when != nil && !q.when(d)) || d.answered(q) {
			continue
		}
		if q.single && q.options != nil {
			opts, err := q.options(d)
			if err != nil {
				return err
			}
			if len(opts) == 1 {
				d.store(q, opts[0].value)
				continue
			}
		}
		d.st.Step = q.key
		return d.ask(q, "")
	}
	err := f.finish(d)
	if d.st.Flow == f.name {
		d.reset()
	}
	return err
}

// answered reports whether the draft already holds q's answer, given when
// the flow was started (the arrival check names the order).
func (d *dialog) answered(q question) bool {
	dr := d.draft()
	switch q.key {
	case "order":
		return dr.OrderNo != ""
	case "items":
		return len(dr.Lines) > 0
	}
	_, ok := dr.Answers[q.key]
	return ok
}

// ask sends a question's prompt (after a lead line, when re-asking).
func (d *dialog) ask(q question, lead string) error {
	text := q.prompt(d)
	if lead != "" {
		text = lead + "\n" + text
	}
	var rows [][]Button
	switch {
	case q.options != nil:
		opts, err := q.options(d)
		if err != nil {
			return err
		}
		var row []Button
		for _, o := range opts {
			label := o.label
			if q.multi && slices.Contains(d.draft().Lines, atoi(o.value)) {
				label = "✓ " + label
			}
			b := Button{Label: label, Data: prefixAnswer + o.value}
			if q.inline {
				row = append(row, b)
				continue
			}
			rows = append(rows, []Button{b})
		}
		if len(row) > 0 {
			rows = append(rows, row)
		}
		if q.multi {
			rows = append(rows, []Button{{Label: d.t("btn.done"), Data: prefixAnswer + answerDone}})
		}
	case q.photos != "":
		row := []Button{{Label: d.t("btn.done"), Data: prefixAnswer + answerDone}}
		if q.none != "" {
			row = append(row, Button{Label: d.t(q.none), Data: prefixAnswer + answerNone})
		}
		rows = append(rows, row)
	case q.text != nil && q.none != "": // a typed answer with a way out ("can't find it", WAL-2)
		rows = append(rows, []Button{{Label: d.t(q.none), Data: prefixAnswer + answerNone}})
	}
	rows = append(rows, exitRow(d.lang()))
	d.say(text, rows)
	return nil
}

// store keeps an answer in the draft.
func (d *dialog) store(q question, value string) {
	switch q.key {
	case "order":
		d.draft().OrderNo = value
	case "items":
		d.draft().Lines = []int{atoi(value)}
	default:
		d.draft().Answers[q.key] = value
	}
}

// reply handles the customer's input to the current question.
func (d *dialog) reply(in Inbound) error {
	f, i := d.currentFlow()
	if f == nil || i < 0 {
		d.menu()
		return nil
	}
	q := f.questions[i]
	switch {
	case q.photos != "":
		return d.replyPhotos(q, i, in)
	case q.options != nil && q.check != nil && in.Choice == "" && in.Photo == nil:
		return d.replyText(q, i, in) // typed instead of a tap (instdate.go)
	case q.options != nil:
		return d.replyOption(q, i, in)
	default:
		return d.replyText(q, i, in)
	}
}

func (d *dialog) replyOption(q question, i int, in Inbound) error {
	value, ok := strings.CutPrefix(in.Choice, prefixAnswer)
	if !ok {
		return d.ask(q, d.t("reask.buttons"))
	}
	opts, err := q.options(d)
	if err != nil {
		return err
	}
	if q.multi && value == answerDone {
		if len(d.draft().Lines) == 0 {
			return d.ask(q, d.t("reask.pick_one"))
		}
		return d.advance(i)
	}
	if !slices.ContainsFunc(opts, func(o option) bool { return o.value == value }) {
		// Not an answer to this question: an old button, or forged data.
		return d.ask(q, d.t("reask.buttons"))
	}
	if q.multi {
		line := atoi(value)
		dr := d.draft()
		if i := slices.Index(dr.Lines, line); i >= 0 {
			dr.Lines = slices.Delete(dr.Lines, i, i+1)
		} else {
			dr.Lines = append(dr.Lines, line)
			slices.Sort(dr.Lines)
		}
		return d.askInPlace(q)
	}
	d.store(q, value)
	return d.advance(i)
}

func (d *dialog) replyText(q question, i int, in Inbound) error {
	if q.none != "" && in.Choice == prefixAnswer+answerNone {
		d.store(q, answerUnknown)
		return d.advance(i)
	}
	if in.Text == "" || in.Photo != nil {
		return d.ask(q, d.t("reask.text"))
	}
	if q.check != nil {
		value, problem := q.check(d, strings.TrimSpace(in.Text))
		if problem != "" {
			return d.ask(q, problem)
		}
		d.store(q, value)
		return d.advance(i)
	}
	value, bad, ok := q.text(d, strings.TrimSpace(in.Text))
	if !ok {
		return d.ask(q, d.t(bad))
	}
	d.store(q, value)
	return d.advance(i)
}

func (d *dialog) replyPhotos(q question, i int, in Inbound) error {
	dr := d.draft()
	count := func() int {
		n := 0
		for _, p := range dr.Photos {
			if p.Step == q.photos {
				n++
			}
		}
		return n
	}
	switch {
	case in.Photo != nil && d.photoAlreadySent(q.photos, in.Photo.SHA256): // the same picture twice counts once (badinput.go)
		d.say(d.t("photo.duplicate"), [][]Button{{{Label: d.t("btn.done"), Data: prefixAnswer + answerDone}}})
		return nil
	case in.Photo != nil:
		dr.Photos = append(dr.Photos, StepPhoto{Step: q.photos, Photo: *in.Photo})
		if d.albumPhoto(in) { // edited.go: an album is acknowledged once
			return nil
		}
		d.say(d.plural("photo.got", count(), Args{"Group": d.t("group." + q.photos)}),
			[][]Button{{{Label: d.t("btn.done"), Data: prefixAnswer + answerDone}}, exitRow(d.lang())})
		return nil
	case in.Choice == prefixAnswer+answerDone:
		if count() == 0 {
			return d.ask(q, d.t("photo.missing", Args{"Group": d.t("group." + q.photos)}))
		}
		return d.advance(i)
	case in.Choice == prefixAnswer+answerNone && q.none != "":
		dr.Answers[q.photos] = answerNone
		return d.advance(i)
	}
	return d.ask(q, d.t("reask.photo"))
}

func atoi(s string) int {
	n := 0
	for _, c := range s {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
		if n > 1<<20 {
			return -1
		}
	}
	return n
}

// Question builders shared by the flows.

func yesNo(d *dialog) ([]option, error) {
	return []option{{"yes", d.t("opt.yes")}, {"no", d.t("opt.no")}}, nil
}

func fixed(prefix string, values ...string) func(d *dialog) ([]option, error) {
	return func(d *dialog) ([]option, error) {
		out := make([]option, len(values))
		for i, v := range values {
			out[i] = option{v, d.t(prefix + v)}
		}
		return out, nil
	}
}

func prompt(key string) func(d *dialog) string {
	return func(d *dialog) string { return d.t(key) }
}

// orderQuestion offers the verified customer's own orders, and nothing
// else (rule ID-3).
func orderQuestion(extra ...string) question {
	return question{key: "order", prompt: prompt("q.order"), single: len(extra) == 0,
		options: func(d *dialog) ([]option, error) {
			orders, err := d.env.Lookup.OrdersByPhone(d.ctx, d.st.Verified.Phone)
			if err != nil {
				return nil, errLookup("orders", err)
			}
			out := make([]option, 0, len(orders)+len(extra))
			for _, o := range orders {
				label := o.No
				if len(o.Items) > 0 {
					label += " · " + truncateRunes(o.Items[0].Name, 20)
				}
				out = append(out, option{o.No, label})
			}
			for _, e := range extra {
				out = append(out, option{e, d.t("opt." + e)})
			}
			return out, nil
		}}
}

// itemsQuestion offers the items of the chosen order.
func itemsQuestion(multi bool) question {
	return question{key: "items", prompt: prompt(map[bool]string{true: "q.items_multi", false: "q.item"}[multi]),
		multi: multi, single: !multi,
		options: func(d *dialog) ([]option, error) {
			o, err := d.order()
			if err != nil {
				return nil, err
			}
			out := make([]option, 0, len(o.Items))
			for _, it := range o.Items {
				out = append(out, option{fmt.Sprint(it.Line), fmt.Sprintf("%s ×%d", it.Name, it.Quantity)})
			}
			return out, nil
		}}
}

// order returns the draft's order, which must be the verified customer's.
func (d *dialog) order() (Order, error) {
	orders, err := d.env.Lookup.OrdersByPhone(d.ctx, d.st.Verified.Phone)
	if err != nil {
		return Order{}, errLookup("orders", err)
	}
	for _, o := range orders {
		if o.No == d.draft().OrderNo {
			return o, nil
		}
	}
	return Order{}, fmt.Errorf("conversations: order %q is not the customer's", d.draft().OrderNo)
}

// selectedItems returns the items chosen in the draft.
func (d *dialog) selectedItems() ([]Item, error) {
	o, err := d.order()
	if err != nil {
		return nil, err
	}
	var out []Item
	for _, it := range o.Items {
		if slices.Contains(d.draft().Lines, it.Line) {
			out = append(out, it)
		}
	}
	return out, nil
}

func describeText(d *dialog, s string) (string, string, bool) {
	n := len([]rune(s))
	if n < 2 || n > 1000 {
		return "", "bad.description", false
	}
	return s, "", true
}
