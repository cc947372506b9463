package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/store"
)

// Intaker is what /case new needs of the desk: a case opened for a request
// that came by phone, in the shop, by letter or by fax (INT-1). A desk that
// cannot answers /case new with its usage.
type Intaker interface {
	OpenIntake(ctx context.Context, by cases.Actor, in cases.Intake) (cases.Case, error)
}

// intakeCallback is the callback id of the new-case modal.
const intakeCallback = "intake"

// The modal's input blocks are named after the intake's fields, so that a
// refusal naming a field is shown under its block.
const (
	fieldKind        = "kind"
	fieldChannel     = "channel"
	fieldName        = "customer_name"
	fieldPhone       = "phone"
	fieldOrder       = "order_no"
	fieldItems       = "items"
	fieldDescription = "description"
	fieldSeverity    = "severity"
)

// intakeModal is intakeModalIn in zh-Hans.
func intakeModal(channelID string) slack.ModalViewRequest {
	return intakeModalIn(conversations.ZhHans, channelID)
}

// intakeModalIn is the new-case form in lang, the language of the staff
// member who opens it (STF-2), with select boxes for kind, channel and
// severity; channelID (where /case new was typed) comes back with the
// submission, to tell the staff member the case's number there.
func intakeModalIn(lang conversations.Lang, channelID string) slack.ModalViewRequest {
	zh := func(key string) string { return conversations.T(lang, key) }
	plain := func(s string) *slack.TextBlockObject {
		return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
	}
	sel := func(field string, opts []*slack.OptionBlockObject, initial int) *slack.InputBlock {
		el := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(zh("staff.intake."+field)), field, opts...)
		el.InitialOption = opts[initial]
		return slack.NewInputBlock(field, plain(zh("staff.intake."+field)), nil, el)
	}
	text := func(field string, multiline bool, max int) *slack.InputBlock {
		el := slack.NewPlainTextInputBlockElement(nil, field)
		el.Multiline, el.MaxLength = multiline, max
		b := slack.NewInputBlock(field, plain(zh("staff.intake."+field)), nil, el)
		b.Optional = true
		return b
	}
	var kinds, channels []*slack.OptionBlockObject
	for _, k := range config.CaseKinds {
		kinds = append(kinds, slack.NewOptionBlockObject(string(k), plain(zh("kind."+string(k))), nil))
	}
	for _, c := range cases.IntakeChannels {
		channels = append(channels, slack.NewOptionBlockObject(c, plain(conversations.IntakeLabel(lang, c)), nil))
	}
	severities := []*slack.OptionBlockObject{
		slack.NewOptionBlockObject(cases.Normal, plain(zh("staff.intake.severity_normal")), nil),
		slack.NewOptionBlockObject(cases.Major, plain(zh("staff.intake.severity_major")), nil),
	}
	inquiry := 0
	for i, k := range config.CaseKinds {
		if k == config.KindInquiry {
			inquiry = i
		}
	}
	return slack.ModalViewRequest{Type: slack.VTModal, CallbackID: intakeCallback, PrivateMetadata: channelID,
		Title: plain(zh("staff.intake.new")), Submit: plain(zh("staff.intake.submit")), Close: plain(zh("staff.intake.cancel")),
		Blocks: slack.Blocks{BlockSet: []slack.Block{
			sel(fieldKind, kinds, inquiry), sel(fieldChannel, channels, 0),
			text(fieldName, false, cases.MaxIntakeName), text(fieldPhone, false, 30), text(fieldOrder, false, cases.MaxIntakeOrderNo),
			slack.NewContextBlock("hint", plain(zh("staff.intake.hint"))),
			text(fieldItems, true, 2000), text(fieldDescription, true, cases.MaxIntakeDescription), sel(fieldSeverity, severities, 0),
		}}}
}

// openIntake opens the new-case modal for /case new; the trigger id lives
// three seconds and works once, so nothing slow comes before it.
func (s *Slack) openIntake(ctx context.Context, cmd slack.SlashCommand, who store.Account) string {
	lang := s.langOf(who)
	if _, ok := s.desk.(Intaker); !ok {
		return conversations.T(lang, "staff.slack.usage")
	}
	if _, err := s.api.OpenViewContext(ctx, cmd.TriggerID, intakeModalIn(lang, cmd.ChannelID)); err != nil {
		s.log.Error("slack: open the new-case form", "err", s.secrets.Error(err))
		return conversations.T(lang, "staff.slack.form_failed")
	}
	return ""
}

// viewSubmission opens the case of a submitted new-case modal. It returns
// nil (the modal closes) once the case is open, or the problems under the
// blocks of their fields, and then nothing is saved.
func (s *Slack) viewSubmission(ctx context.Context, cb slack.InteractionCallback) (*slack.ViewSubmissionResponse, error) {
	if cb.View.CallbackID != intakeCallback {
		return nil, nil
	}
	desk, ok := s.desk.(Intaker)
	if !ok {
		return nil, nil
	}
	who, err := s.desk.StaffBySlackUser(ctx, cb.User.ID)
	if errors.Is(err, store.ErrNotFound) {
		return slack.NewErrorsViewSubmissionResponse(map[string]string{fieldKind: conversations.T(s.lang(), "staff.intake.unlinked_field")}), nil
	}
	if err != nil {
		return nil, err
	}
	lang := s.langOf(who)
	in := cases.Intake{Kind: viewValue(cb, fieldKind), Channel: viewValue(cb, fieldChannel), CustomerName: viewValue(cb, fieldName),
		Phone: viewValue(cb, fieldPhone), OrderNo: viewValue(cb, fieldOrder), Description: viewValue(cb, fieldDescription),
		Severity: viewValue(cb, fieldSeverity)}
	for _, it := range strings.Split(viewValue(cb, fieldItems), "\n") {
		if it = strings.TrimSpace(it); it != "" {
			in.Items = append(in.Items, it)
		}
	}
	checked, probs := in.Check()
	if len(probs) > 0 {
		return intakeErrors(lang, probs, checked.OrderNo), nil // staffwords.go
	}
	c, err := desk.OpenIntake(ctx, cases.Actor{Name: who.Name, Role: who.Role}, in)
	var fe *cases.FieldError
	switch {
	case errors.As(err, &fe):
		return intakeErrors(lang, []*cases.FieldError{fe}, checked.OrderNo), nil
	case cases.ErrorCode(err) == cases.Forbidden:
		return slack.NewErrorsViewSubmissionResponse(map[string]string{fieldKind: conversations.Refusal(lang, err)}), nil
	case err != nil:
		return nil, err
	}
	if channel := cb.View.PrivateMetadata; channel != "" {
		text := conversations.T(lang, "staff.intake.opened", conversations.Args{"Case": c.Number})
		if c.ChatID != "" {
			text += conversations.T(lang, "staff.intake.told")
		}
		if _, err := s.api.PostEphemeralContext(ctx, channel, cb.User.ID, slack.MsgOptionText(text, false)); err != nil {
			s.log.Warn("slack: tell the new case's number", "case", c.Number, "err", s.secrets.Error(err))
		}
	}
	return nil, nil
}

// fieldErrors puts each problem under its field's block ("items[2]" under
// items), the first one per block, in Slack's limit of 150 characters.
func fieldErrors(probs []*cases.FieldError) *slack.ViewSubmissionResponse {
	out := map[string]string{}
	for _, p := range probs {
		block := strings.SplitN(p.Field(), "[", 2)[0]
		if _, ok := out[block]; ok {
			continue
		}
		msg := cases.ErrorMessage(p)
		if utf8.RuneCountInString(msg) > 150 {
			msg = string([]rune(msg)[:149]) + "…"
		}
		out[block] = msg
	}
	return slack.NewErrorsViewSubmissionResponse(out)
}

// viewValue is what the modal's block holds: the text typed or the option
// chosen.
func viewValue(cb slack.InteractionCallback, block string) string {
	if cb.View.State == nil {
		return ""
	}
	v, ok := cb.View.State.Values[block][block]
	if !ok {
		return ""
	}
	if v.SelectedOption.Value != "" {
		return v.SelectedOption.Value
	}
	return v.Value
}

// httpViewSubmission answers a submission in HTTP mode: an empty 200
// closes the modal, a response_action errors keeps it open.
func (s *Slack) httpViewSubmission(w http.ResponseWriter, r *http.Request, cb slack.InteractionCallback) {
	resp, err := s.viewSubmission(r.Context(), cb)
	if err != nil {
		s.log.Error("slack: new case", "err", err)
		resp = slack.NewErrorsViewSubmissionResponse(map[string]string{fieldKind: conversations.T(s.lang(), "staff.slack.intake_failed")})
	}
	if resp == nil {
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}

// socketViewSubmission answers a submission in Socket Mode, in the ack.
func (s *Slack) socketViewSubmission(ctx context.Context, client *socketmode.Client, req socketmode.Request, cb slack.InteractionCallback) {
	resp, err := s.viewSubmission(ctx, cb)
	if err != nil {
		s.log.Error("slack: new case", "err", err)
		resp = slack.NewErrorsViewSubmissionResponse(map[string]string{fieldKind: conversations.T(s.lang(), "staff.slack.intake_failed")})
	}
	if resp == nil {
		client.Ack(req)
		return
	}
	client.Ack(req, resp)
}

// factsBlocks is factsBlocksIn in zh-Hans.
func factsBlocks(c cases.Case, links store.CaseLinks) []slack.Block {
	return factsBlocksIn(conversations.ZhHans, c, links)
}

// factsBlocksIn are what the card shows of what the customer gave and who
// they are (INT-3, INT-4), in lang, the channel's language: the intake
// channel, the phone masked, the items, every answer labelled, and the
// customer's other open cases and orders, their kinds and statuses by name.
func factsBlocksIn(lang conversations.Lang, c cases.Case, links store.CaseLinks) []slack.Block {
	zh := func(key string) string { return conversations.T(lang, key) }
	colon := "："
	if lang == conversations.En {
		colon = ": "
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*%s*\n", zh("staff.answer.title"))
	if c.Intake != "" {
		fmt.Fprintf(&b, "%s%s%s\n", zh("staff.answer.intake"), colon, conversations.IntakeLabel(lang, c.Intake))
	}
	if c.Phone != "" {
		fmt.Fprintf(&b, "%s%s%s\n", zh("staff.answer.phone"), colon, maskPhone(c.Phone))
	}
	if len(links.Items) > 0 {
		fmt.Fprintf(&b, "%s%s%s\n", zh("staff.answer.items"), colon, escape(strings.Join(links.Items, "、")))
	}
	for _, a := range conversations.Answers(lang, c.Details) {
		fmt.Fprintf(&b, "%s%s%s\n", a.Label, colon, escape(a.Text))
	}
	var open, orders []string
	for _, o := range links.OtherOpen {
		open = append(open, fmt.Sprintf("%s（%s，%s）", o.Number, conversations.Label(lang, "kind.", string(o.Kind)),
			conversations.Label(lang, "staff.status.", string(o.Status))))
	}
	for _, o := range links.Orders {
		orders = append(orders, escape(fmt.Sprintf("%s（%s）", o.No, conversations.Label(lang, "order.", fmt.Sprint(o.Status)))))
	}
	if len(open) == 0 {
		open = []string{zh("staff.links.none")}
	}
	if len(orders) == 0 {
		orders = []string{zh("staff.links.none")}
	}
	fmt.Fprintf(&b, "*%s*%s%s\n*%s*%s%s", zh("staff.links.open_cases"), colon, strings.Join(open, "、"),
		zh("staff.links.orders"), colon, strings.Join(orders, "、"))
	text := b.String()
	if utf8.RuneCountInString(text) > 2900 { // a section's text holds 3000
		text = string([]rune(text)[:2899]) + "…"
	}
	return []slack.Block{slack.NewSectionBlock(slack.NewTextBlockObject(slack.MarkdownType, text, false, false), nil, nil)}
}

// withFacts puts the facts blocks after the card's fields.
func (s *Slack) withFacts(ctx context.Context, c cases.Case, card []slack.Block) ([]slack.Block, error) {
	links, err := s.cases.CaseLinks(ctx, c)
	if err != nil {
		return nil, err
	}
	at := min(2, len(card))
	out := append([]slack.Block{}, card[:at]...)
	out = append(out, factsBlocksIn(s.lang(), c, links)...)
	return append(out, card[at:]...), nil
}

// location is the shop's zone, for the times staff read.
func (s *Slack) location() *time.Location {
	if s.cfg.Location == nil {
		return time.UTC
	}
	return s.cfg.Location
}
