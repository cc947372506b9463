package conversations

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// Flows and their steps.
const (
	flowVerify = "verify"
	flowWhere  = "where"

	stepOrderNo = "order_no"
	stepPhone4  = "phone4"
	stepChoose  = "choose"
)

// What a verified customer asked for before verifying.
const (
	pendingWhere  = "where"
	pendingStatus = "status"
)

// Button data. Buttons carry data, never text to parse.
const (
	choiceWhere      = "menu:where"
	choiceStatus     = "menu:status"
	choiceLanguage   = "menu:language"
	choiceHelp       = "menu:help"
	choiceMenu       = "menu:start"
	choiceCancel     = "menu:cancel"
	choiceDamage     = "menu:damage"
	choiceReturn     = "menu:return"
	choiceRepair     = "menu:repair"
	choiceInstall    = "menu:install"
	choiceComplain   = "menu:complaint"
	choiceHuman      = "menu:human"
	choiceNoOrderNo  = "verify:no_order"
	choiceCancelSure = "menu:cancel_sure"
	choiceCancelKeep = "menu:cancel_keep"
	prefixLang       = "lang:"
	prefixOrder      = "order:"
	prefixInstall    = "install:"
)

// Step advances one customer's dialog by one inbound event. It returns the
// next state and the effects to apply; on a bad event it returns the state
// unchanged and a reply saying what was wrong. An error means a lookup
// failed: the desk applies nothing and the event may be retried.
func Step(ctx context.Context, env Env, st State, in Inbound) (State, []Effect, error) {
	if st.Lang == "" {
		st.Lang = NormalizeLang(in.LangHint)
		if st.Lang == "" {
			st.Lang = ZhHans
		}
	}
	if r, bad := checkInput(env.Limits, st.Lang, in); bad {
		if in.Edited {
			r.Text = T(st.Lang, "edit.not_read")
		}
		// What no step can use changes nothing: the question in front of
		// the customer stays live (edited.go).
		r.Aside = true
		return st, []Effect{r}, nil
	}
	if r, bad := emojiOnlyReply(st, in); bad { // badinput.go
		return st, []Effect{r}, nil
	}
	st.Draft = st.Draft.clone()
	d := &dialog{ctx: ctx, env: env, st: st, in: in}
	var err error
	if dropped := d.lapseIfIdle(); dropped != "" && answersFlow(in) && !d.st.HandedOff {
		// The customer answered a flow that needed the verification that
		// just lapsed: they verify again, then the flow starts over.
		err = d.beginVerify(dropped)
	} else if in.Edited {
		err = d.edited(in)
	} else {
		d.noteText(in)
		err = d.dispatch(in)
	}
	if err != nil {
		return st, nil, err
	}
	return d.st, d.effects, nil
}

// lapseIfIdle records this step as the customer's activity and, in the web
// chat, drops a verification that had been idle for longer than
// Limits.VerifyIdle (ID-7): the next person at a shared browser must not
// see the orders of the last. A flow in progress that needs the
// verification is dropped with it, and its name returned. Telegram runs on
// the customer's own phone and keeps today's behaviour.
func (d *dialog) lapseIfIdle() (dropped string) {
	idle := d.env.Limits.VerifyIdle
	if d.in.Channel != ChannelWeb || idle <= 0 {
		return ""
	}
	last := d.st.LastActive
	d.st.LastActive = d.env.Now
	if d.st.Verified == nil || last.IsZero() || d.env.Now.Sub(last) <= idle {
		return ""
	}
	d.st.Verified, d.st.VerifyLapsed = nil, true
	if f := flows[d.st.Flow]; (f != nil && f.verify) || d.st.Flow == flowWhere {
		dropped = d.st.Flow
		d.reset()
	}
	return dropped
}

// answersFlow reports whether the event answers the step of a flow (typed
// text, a photo, an answer button) rather than asking for something new (a
// command, a menu button).
func answersFlow(in Inbound) bool {
	if strings.HasPrefix(strings.TrimSpace(in.Text), "/") || in.Contact != nil {
		return false
	}
	return in.Choice == "" || strings.HasPrefix(in.Choice, prefixAnswer) || strings.HasPrefix(in.Choice, prefixOrder)
}

func (d *dialog) dispatch(in Inbound) error {
	isCommand := strings.HasPrefix(strings.TrimSpace(in.Text), "/")
	if d.st.HandedOff && !isCommand && in.Choice == "" && in.Contact == nil {
		if forwarded, err := d.forward(in); forwarded || err != nil {
			return err
		}
	}
	_, inFlow := flows[d.st.Flow]
	switch {
	case in.Choice != "":
		return d.choice(in.Choice)
	case in.Contact != nil:
		return d.contact(*in.Contact)
	case isCommand:
		return d.command(strings.TrimSpace(in.Text))
	case inFlow:
		return d.reply(in)
	case in.Photo != nil:
		d.say(d.t("photo.unexpected"), menuButtons(d.lang()))
		return nil
	}
	return d.text(strings.TrimSpace(in.Text))
}

// checkInput answers what no dialog step can use, before any step sees it.
func checkInput(l Limits, lang Lang, in Inbound) (Reply, bool) {
	switch in.Rejected {
	case RejectNotImage:
		return Reply{Text: T(lang, "bad.not_image")}, true
	case RejectTooLarge:
		return Reply{Text: T(lang, "bad.too_large", Args{"Max": l.MaxUploadBytes >> 20})}, true
	case RejectUnsupported:
		return Reply{Text: T(lang, "bad.unsupported")}, true
	case RejectOldReply: // badinput.go
		return Reply{Text: T(lang, "bad.old_reply")}, true
	}
	// A text is bounded in characters, as the customer counts them (a
	// Chinese character is three bytes); the byte bound stays for what
	// the channel carries.
	chars := l.maxTextChars()
	if utf8.RuneCountInString(in.Text) > chars || (l.MaxTextBytes > 0 && (len(in.Text) > l.MaxTextBytes || len(in.Choice) > l.MaxTextBytes)) {
		return Reply{Text: Plural(lang, "bad.too_long", chars, nil)}, true
	}
	if !utf8.ValidString(in.Text) || !utf8.ValidString(in.Choice) {
		return Reply{Text: T(lang, "bad.unsupported")}, true
	}
	if in.Choice == "" && in.Contact == nil && in.Photo == nil && strings.TrimSpace(in.Text) == "" {
		return Reply{Text: T(lang, "bad.empty")}, true
	}
	return Reply{}, false
}

// dialog is one step in progress: the state being changed and the effects
// gathered so far.
type dialog struct {
	ctx     context.Context
	env     Env
	st      State
	in      Inbound
	effects []Effect
	// noted is LastText as it was before this message (edited.go), put
	// back when the message turns out to be a stale tap that changes
	// nothing.
	noted *LastText
}

func (d *dialog) lang() Lang { return d.st.Lang }

func (d *dialog) say(text string, buttons [][]Button) {
	d.effects = append(d.effects, Reply{Text: text, Buttons: buttons})
}

// t is T in the customer's language; args, when given, is one Args.
func (d *dialog) t(key string, args ...Args) string {
	if len(args) == 0 {
		return T(d.lang(), key)
	}
	return T(d.lang(), key, args[0])
}

// plural is Plural in the customer's language.
func (d *dialog) plural(key string, count int, args Args) string {
	return Plural(d.lang(), key, count, args)
}

// reset leaves the current flow and drops its draft; the language, the
// verified identity and the verification throttle survive it (a /cancel
// must not reset the throttle).
func (d *dialog) reset() {
	d.st.Flow, d.st.Step, d.st.Pending, d.st.OrderNo, d.st.Draft = "", "", "", "", nil
}

// cancel leaves whatever the customer is doing, nothing saved (CMD-1); a
// handoff ends too, while its case stays open for staff.
func (d *dialog) cancel() {
	if n := d.photosInDraft(); n > 0 {
		// Photos are the customer's work: cancelling asks first.
		d.say(d.plural("cancel.confirm_photos", n, nil), [][]Button{{
			{Label: d.t("cancel.btn_discard"), Data: choiceCancelSure}, {Label: d.t("cancel.btn_keep"), Data: choiceCancelKeep}}})
		return
	}
	d.cancelNow()
}

// photosInDraft is how many photos the flow in progress holds.
func (d *dialog) photosInDraft() int {
	if d.st.Draft == nil || flows[d.st.Flow] == nil {
		return 0
	}
	return len(d.st.Draft.Photos)
}

// keepGoing answers "no, carry on" to the cancel question: the current
// question again.
func (d *dialog) keepGoing() error {
	f, i := d.currentFlow()
	if f == nil || i < 0 {
		d.menu()
		return nil
	}
	return d.ask(f.questions[i], d.t("cancel.kept"))
}

// cancelNow leaves the flow, nothing saved.
func (d *dialog) cancelNow() {
	wasHandedOff := d.st.HandedOff
	d.reset()
	d.st.HandedOff = false
	text := d.t("cancelled")
	if wasHandedOff {
		text = d.t("handoff.ended")
	}
	d.say(text, menuButtons(d.lang()))
}

func menuButtons(lang Lang) [][]Button {
	b := func(key, data string) Button { return Button{Label: T(lang, key), Data: data} }
	return [][]Button{
		{b("btn.where", choiceWhere), b("btn.damage", choiceDamage)},
		{b("btn.repair", choiceRepair), b("btn.install", choiceInstall)},
		{b("btn.return", choiceReturn), b("btn.complaint", choiceComplain)},
		{b("btn.status", choiceStatus), b("btn.human", choiceHuman)},
		{b("btn.products", choiceProducts)}, // products.go
		{b("btn.language", choiceLanguage), b("btn.help", choiceHelp)},
	}
}

func backButtons(lang Lang) [][]Button {
	return [][]Button{{{Label: T(lang, "btn.menu"), Data: choiceMenu}}}
}

// cancelButtons are the ways out of any question: a person, or cancel
// (issue 19: no step without a way out).
func cancelButtons(lang Lang) [][]Button {
	return [][]Button{exitRow(lang)}
}

func exitRow(lang Lang) []Button {
	return []Button{{Label: T(lang, "btn.human"), Data: choiceHuman}, {Label: T(lang, "btn.cancel"), Data: choiceCancel}}
}

func languageButtons() [][]Button {
	return [][]Button{{
		{Label: "简体中文", Data: prefixLang + string(ZhHans)},
		{Label: "繁體中文", Data: prefixLang + string(ZhHant)},
		{Label: "English", Data: prefixLang + string(En)},
	}}
}

func (d *dialog) menu() {
	d.reset()
	d.say(d.t("menu"), menuButtons(d.lang()))
}

// command handles a slash command. Telegram may append "@botname".
func (d *dialog) command(text string) error {
	cmd := strings.ToLower(strings.Fields(text)[0])
	if i := strings.IndexByte(cmd, '@'); i > 0 {
		cmd = cmd[:i]
	}
	switch cmd {
	case "/start", "/menu":
		d.menu()
	case "/help":
		d.say(d.help(), menuButtons(d.lang()))
	case "/cancel":
		d.cancel()
	case "/human", "/agent":
		return d.handoff()
	case "/language":
		d.say(d.t("language.choose"), languageButtons())
	case "/status":
		return d.start(pendingStatus)
	case "/where", "/order":
		return d.start(pendingWhere)
	case "/products":
		return d.start(pendingProducts)
	default:
		d.say(d.t("unknown.command", Args{"Command": truncateRunes(cmd, 32)}), nil)
	}
	return nil
}

// choice handles a pressed button.
func (d *dialog) choice(data string) error {
	switch {
	case data == choiceMenu:
		d.menu()
	case data == choiceCancel:
		d.cancel()
	case data == choiceCancelSure:
		d.cancelNow()
	case data == choiceCancelKeep:
		return d.keepGoing()
	case data == choiceHuman:
		return d.handoff()
	case data == choiceNoOrderNo:
		d.noOrderNo()
	case data == choiceDamage:
		return d.startFlow(flowDamage)
	case data == choiceReturn:
		return d.startFlow(flowReturn)
	case data == choiceRepair:
		return d.startFlow(flowRepair)
	case data == choiceInstall:
		return d.startFlow(flowInstall)
	case data == choiceComplain:
		return d.startFlow(flowComplaint)
	case strings.HasPrefix(data, prefixInstall):
		return d.installFor(strings.TrimPrefix(data, prefixInstall))
	case resolutionChoice(data):
		return d.resolutionAnswer(data)
	case strings.HasPrefix(data, prefixParts): // parts.go
		return d.partsFeeAnswer(data)
	case strings.HasPrefix(data, prefixReturnTracking): // returns.go
		return d.returnTrackingFor(strings.TrimPrefix(data, prefixReturnTracking))
	case questionnaireChoice(data): // questionnaire.go
		return d.questionnaireAnswer(data)
	case strings.HasPrefix(data, prefixWallTracking): // wallpaper.go (WAL-3)
		return d.wallTrackingFor(strings.TrimPrefix(data, prefixWallTracking))
	case strings.HasPrefix(data, prefixAnswer) && flows[d.st.Flow] != nil:
		return d.reply(d.in)
	case data == choiceProducts: // products.go
		return d.start(pendingProducts)
	case strings.HasPrefix(data, prefixProduct):
		return d.productChoice(data)
	case data == choiceCareStop:
		return d.careStop()
	case strings.HasPrefix(data, prefixKBHelped): // answers_kb.go
		return d.kbHelped(strings.TrimPrefix(data, prefixKBHelped))
	case data == choiceHelp:
		d.say(d.help(), menuButtons(d.lang()))
	case data == choiceLanguage:
		d.say(d.t("language.choose"), languageButtons())
	case data == choiceWhere:
		return d.start(pendingWhere)
	case data == choiceStatus:
		return d.start(pendingStatus)
	case strings.HasPrefix(data, prefixLang):
		return d.setLanguage(Lang(strings.TrimPrefix(data, prefixLang)))
	case strings.HasPrefix(data, prefixOrder) && d.st.Flow == flowWhere:
		return d.showOrder(strings.TrimPrefix(data, prefixOrder))
	default:
		// A button of a dialog that is over (or forged data): said so, and
		// whatever the customer is doing now is left as it is.
		d.stale()
	}
	return nil
}

func (d *dialog) setLanguage(l Lang) error {
	if !validLang(l) {
		d.stale()
		return nil
	}
	d.st.Lang = l
	d.say(d.t("language.set"), menuButtons(l))
	return nil
}

// Phrases that start a request from free text, so that a customer who types
// instead of pressing a button is understood. The first list that matches
// wins; a person is asked for before anything else.
var phrases = []struct {
	start string
	words []string
}{
	{"human", []string{"人工", "真人", "客服", "human", "person", "agent", "staff"}},
	{flowDamage, []string{"损坏", "損壞", "破损", "破損", "坏了", "壞了", "damage", "broken"}},
	{flowComplaint, []string{"投诉", "投訴", "complain"}},
	{flowReturn, []string{"退货", "退貨", "换货", "換貨", "退换", "退換", "return", "exchange"}},
	{flowRepair, []string{"维修", "維修", "报修", "報修", "repair", "fix"}},
	{flowInstall, []string{"安装", "安裝", "install"}},
	{pendingProducts, []string{"我的产品", "我的產品", "保修卡", "保固卡", "my products", "warranty card"}},
	{pendingWhere, []string{"订单", "訂單", "物流", "快递", "快遞", "发货", "發貨", "到哪", "where", "order", "track", "delivery"}},
}

// text handles typed text: an answer to the current step, or a request.
func (d *dialog) text(s string) error {
	switch d.st.Flow {
	case flowVerify:
		return d.verifyText(s)
	case flowWhere:
		return d.showOrder(s)
	}
	lower := strings.ToLower(s)
	for _, p := range phrases {
		for _, w := range p.words {
			if !strings.Contains(lower, w) {
				continue
			}
			switch p.start {
			case "human":
				return d.handoff()
			case pendingWhere, pendingProducts:
				return d.start(p.start)
			}
			return d.startFlow(p.start)
		}
	}
	if answered, err := d.answerFromKB(s, ""); answered || err != nil { // answers_kb.go (ARC-4)
		return err
	}
	d.say(d.t("unknown.text"), menuButtons(d.lang()))
	return nil
}

// start runs what the customer asked for, verifying them first if needed.
func (d *dialog) start(what string) error {
	d.reset()
	if d.st.Verified == nil {
		return d.beginVerify(what)
	}
	return d.continueWith(what)
}

func (d *dialog) continueWith(what string) error {
	switch {
	case what == pendingStatus:
		return d.showStatus()
	case what == pendingProducts:
		return d.showProducts()
	case flows[what] != nil:
		return d.startFlow(what)
	default:
		return d.listOrders()
	}
}

var orderNoPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

func truncateRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// errLookup wraps a failed lookup so the desk can tell it from a bug.
func errLookup(what string, err error) error {
	if errors.Is(err, ErrNotFound) {
		return err
	}
	return fmt.Errorf("conversations: %s: %w", what, err)
}

// installFor books the installation of a named order, which must be the
// verified customer's own (the button data can be forged).
func (d *dialog) installFor(no string) error {
	if d.st.Verified == nil {
		return d.startFlow(flowInstall)
	}
	orders, err := d.env.Lookup.OrdersByPhone(d.ctx, d.st.Verified.Phone)
	if err != nil {
		return errLookup("orders", err)
	}
	for _, o := range orders {
		if o.No == no {
			return d.startFlowWith(flowInstall, Draft{OrderNo: no})
		}
	}
	return d.startFlow(flowInstall)
}
