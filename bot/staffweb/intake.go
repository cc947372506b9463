package staffweb

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/jsonhttp"
	"frontdesk/store"
)

// Intaker is what the new-case page (/staff/new) needs of the desk: a case
// opened for a request that came by phone, in the shop, by letter or by
// fax (INT-1). A Desk that cannot has no such page.
type Intaker interface {
	OpenIntake(ctx context.Context, by cases.Actor, in cases.Intake) (cases.Case, error)
}

// intakeRoutes registers the new-case page.
func (p *Page) intakeRoutes(handle func(string, http.HandlerFunc)) {
	handle("GET /staff/new", p.auth(p.newCaseForm))
	handle("POST /staff/new", p.auth(p.newCase))
}

// option is one choice of a select box: the code sent, the words shown.
type option struct{ Value, Label string }

// intakeForm is the new-case page: the choices, what was typed (kept when
// the desk refuses it), and the problem with its field.
type intakeForm struct {
	Kinds, Channels, Severities []option
	In                          cases.Intake
	ItemsText                   string
	Error, Field                string
}

func (p *Page) intakeForm(me staff) intakeForm {
	f := intakeForm{In: cases.Intake{Kind: string(config.KindInquiry), Channel: cases.IntakePhone, Severity: cases.Normal}}
	for _, k := range config.CaseKinds {
		f.Kinds = append(f.Kinds, option{string(k), me.L.T("kind." + string(k))})
	}
	for _, c := range cases.IntakeChannels {
		f.Channels = append(f.Channels, option{c, conversations.IntakeLabel(me.L.lang, c)})
	}
	f.Severities = []option{{cases.Normal, me.L.T("staff.intake.severity_normal")}, {cases.Major, me.L.T("staff.intake.severity_major")}}
	return f
}

func (p *Page) newCaseForm(w http.ResponseWriter, r *http.Request, me staff) {
	if _, ok := p.Desk.(Intaker); !ok {
		http.NotFound(w, r)
		return
	}
	p.render(w, http.StatusOK, "new.html", map[string]any{"Me": me, "Staff": me.Name, "L": me.L, "Form": p.intakeForm(me)})
}

// newCase opens the case and shows it; a refusal shows the form again,
// as typed, with the problem next to its field, and saves nothing.
func (p *Page) newCase(w http.ResponseWriter, r *http.Request, me staff) {
	in, ok := p.Desk.(Intaker)
	if !ok {
		http.NotFound(w, r)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	form := p.intakeForm(me)
	if err := r.ParseForm(); err != nil {
		form.Error = "the form is too large or unreadable: " + err.Error()
		p.render(w, http.StatusRequestEntityTooLarge, "new.html", map[string]any{"Me": me, "Staff": me.Name, "L": me.L, "Form": form})
		return
	}
	form.In = cases.Intake{Kind: r.PostFormValue("kind"), Channel: r.PostFormValue("channel"),
		CustomerName: r.PostFormValue("customer_name"), Phone: r.PostFormValue("phone"), OrderNo: r.PostFormValue("order_no"),
		Description: r.PostFormValue("description"), Severity: r.PostFormValue("severity")}
	form.ItemsText = r.PostFormValue("items")
	for _, it := range strings.Split(form.ItemsText, "\n") {
		if it = strings.TrimSpace(it); it != "" {
			form.In.Items = append(form.In.Items, it)
		}
	}
	c, err := in.OpenIntake(r.Context(), cases.Actor{Name: me.Name, Role: me.Role}, form.In)
	var fe *cases.FieldError
	switch {
	case err == nil:
		target := "/staff/case/" + c.Number + "?opened=1"
		if c.ChatID != "" {
			target += "&told=1"
		}
		http.Redirect(w, r, target, http.StatusSeeOther)
		return
	case errors.As(err, &fe):
		form.Field = strings.SplitN(fe.Field(), "[", 2)[0]
		form.Error = fe.Field() + ": " + cases.ErrorMessage(err)
	case cases.ErrorCode(err) == cases.Internal:
		p.fail(w, err)
		return
	default:
		form.Error = cases.ErrorMessage(err)
	}
	p.render(w, jsonhttp.Status(cases.ErrorCode(err)), "new.html", map[string]any{"Me": me, "Staff": me.Name, "L": me.L, "Form": form})
}

// facts is what the case page shows of what the customer gave and who
// they are (INT-3, INT-4): the intake channel, the whole phone, the items,
// every answer labelled in the viewer's language, and the customer's other
// open cases and orders.
type facts struct {
	Intake    string
	Phone     string
	Items     []string
	Answers   []conversations.Answer
	OtherOpen []cases.Case
	Orders    []store.OrderLink
	Notice    []string
}

func (p *Page) facts(r *http.Request, c cases.Case, me staff) (facts, error) {
	links, err := p.Cases.CaseLinks(r.Context(), c)
	if err != nil {
		return facts{}, err
	}
	f := facts{Intake: conversations.IntakeLabel(me.L.lang, c.Intake), Phone: c.Phone, Items: links.Items,
		Answers: conversations.Answers(me.L.lang, c.Details), OtherOpen: links.OtherOpen, Orders: links.Orders}
	if r.URL.Query().Get("opened") == "1" {
		f.Notice = append(f.Notice, me.L.T("staff.intake.opened", "Case", c.Number))
		if r.URL.Query().Get("told") == "1" {
			f.Notice = append(f.Notice, me.L.T("staff.intake.told"))
		}
	}
	return f, nil
}

var _ Intaker = (*bot.Desk)(nil)
