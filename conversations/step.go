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
	choiceWhere    = "menu:where"
	choiceStatus   = "menu:status"
	choiceLanguage = "menu:language"
	choiceHelp     = "menu:help"
	choiceMenu     = "menu:start"
	choiceCancel   = "menu:cancel"
	prefixLang     = "lang:"
	prefixOrder    = "order:"
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
		return st, []Effect{r}, nil
	}
	d := &dialog{ctx: ctx, env: env, st: st, in: in}
	var err error
	switch {
	case in.Choice != "":
		err = d.choice(in.Choice)
	case in.Contact != nil:
		err = d.contact(*in.Contact)
	case in.Photo != nil:
		d.say(T(st.Lang, "photo.unexpected"), menuButtons(st.Lang))
	case strings.HasPrefix(strings.TrimSpace(in.Text), "/"):
		err = d.command(strings.TrimSpace(in.Text))
	default:
		err = d.text(strings.TrimSpace(in.Text))
	}
	if err != nil {
		return st, nil, err
	}
	return d.st, d.effects, nil
}

// checkInput answers what no dialog step can use, before any step sees it.
func checkInput(l Limits, lang Lang, in Inbound) (Reply, bool) {
	switch in.Rejected {
	case RejectNotImage:
		return Reply{Text: T(lang, "bad.not_image")}, true
	case RejectTooLarge:
		return Reply{Text: T(lang, "bad.too_large", l.MaxUploadBytes>>20)}, true
	case RejectUnsupported:
		return Reply{Text: T(lang, "bad.unsupported")}, true
	}
	if l.MaxTextBytes > 0 && (len(in.Text) > l.MaxTextBytes || len(in.Choice) > l.MaxTextBytes) {
		return Reply{Text: T(lang, "bad.too_long", l.MaxTextBytes)}, true
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
}

func (d *dialog) lang() Lang { return d.st.Lang }

func (d *dialog) say(text string, buttons [][]Button) {
	d.effects = append(d.effects, Reply{Text: text, Buttons: buttons})
}

func (d *dialog) t(key msg, args ...any) string { return T(d.lang(), key, args...) }

// reset leaves the current flow; the language, the verified identity and the
// verification throttle survive it (a /cancel must not reset the throttle).
func (d *dialog) reset() {
	d.st.Flow, d.st.Step, d.st.Pending, d.st.OrderNo = "", "", "", ""
}

func menuButtons(lang Lang) [][]Button {
	return [][]Button{
		{{Label: T(lang, "btn.where"), Data: choiceWhere}},
		{{Label: T(lang, "btn.status"), Data: choiceStatus}},
		{{Label: T(lang, "btn.language"), Data: choiceLanguage}, {Label: T(lang, "btn.help"), Data: choiceHelp}},
	}
}

func backButtons(lang Lang) [][]Button {
	return [][]Button{{{Label: T(lang, "btn.menu"), Data: choiceMenu}}}
}

func cancelButtons(lang Lang) [][]Button {
	return [][]Button{{{Label: T(lang, "btn.cancel"), Data: choiceCancel}}}
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
		d.say(d.t("help"), menuButtons(d.lang()))
	case "/cancel":
		d.reset()
		d.say(d.t("cancelled"), menuButtons(d.lang()))
	case "/language":
		d.say(d.t("language.choose"), languageButtons())
	case "/status":
		return d.start(pendingStatus)
	case "/where", "/order":
		return d.start(pendingWhere)
	default:
		d.say(d.t("unknown.command", truncateRunes(cmd, 32)), nil)
	}
	return nil
}

// choice handles a pressed button.
func (d *dialog) choice(data string) error {
	switch {
	case data == choiceMenu:
		d.menu()
	case data == choiceCancel:
		d.reset()
		d.say(d.t("cancelled"), menuButtons(d.lang()))
	case data == choiceHelp:
		d.say(d.t("help"), menuButtons(d.lang()))
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
		d.reset()
		d.say(d.t("stale.button"), menuButtons(d.lang()))
	}
	return nil
}

func (d *dialog) setLanguage(l Lang) error {
	if !validLang(l) {
		d.say(d.t("stale.button"), menuButtons(d.lang()))
		return nil
	}
	d.st.Lang = l
	d.say(d.t("language.set"), menuButtons(l))
	return nil
}

// wherePhrases start "where is my order" from free text, so that a
// customer who types instead of pressing a button is understood.
var wherePhrases = []string{"订单", "訂單", "物流", "快递", "快遞", "发货", "發貨", "到哪", "where", "order", "track", "delivery"}

// text handles typed text: an answer to the current step, or a request.
func (d *dialog) text(s string) error {
	switch d.st.Flow {
	case flowVerify:
		return d.verifyText(s)
	case flowWhere:
		return d.showOrder(s)
	}
	lower := strings.ToLower(s)
	for _, p := range wherePhrases {
		if strings.Contains(lower, p) {
			return d.start(pendingWhere)
		}
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
	switch what {
	case pendingStatus:
		return d.showStatus()
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
