package slack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/conversations"
	"frontdesk/store"
)

// Routes registers the HTTP-mode endpoints.
func (s *Slack) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /slack/events", s.verified(s.httpEvents))
	mux.HandleFunc("POST /slack/interactions", s.verified(s.httpInteractions))
	mux.HandleFunc("POST /slack/commands", s.verified(s.httpCommands))
}

// verified checks Slack's signature over the raw body (and its 5-minute
// window); a forged or stale request gets 401 and changes nothing.
func (s *Slack) verified(h func(w http.ResponseWriter, r *http.Request, body []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
		if err != nil {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		sv, err := slack.NewSecretsVerifier(r.Header, s.cfg.SigningSecret)
		if err == nil {
			sv.Write(body)
			err = sv.Ensure()
		}
		if s.cfg.SigningSecret == "" || err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		h(w, r, body)
	}
}

func (s *Slack) httpEvents(w http.ResponseWriter, r *http.Request, body []byte) {
	ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
	if err != nil {
		http.Error(w, "not an event", http.StatusBadRequest)
		return
	}
	if ev.Type == slackevents.URLVerification {
		var c slackevents.ChallengeResponse
		json.Unmarshal(body, &c)
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, c.Challenge)
		return
	}
	var outer struct {
		EventID string `json:"event_id"`
	}
	json.Unmarshal(body, &outer)
	if err := s.event(r.Context(), outer.EventID, ev); err != nil {
		s.log.Error("slack: event", "err", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// event turns a staff message in a case thread into a reply or a note.
// Slack retries deliver the same event_id; the desk handles it once.
func (s *Slack) event(ctx context.Context, eventID string, ev slackevents.EventsAPIEvent) error {
	msg, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent)
	if !ok || msg.ThreadTimeStamp == "" || msg.ThreadTimeStamp == msg.TimeStamp || msg.BotID != "" || msg.SubType != "" {
		return nil
	}
	c, err := s.cases.CaseBySlackTS(ctx, msg.ThreadTimeStamp)
	if errors.Is(err, store.ErrNotFound) {
		return nil // a thread that is not a case
	}
	if err != nil {
		return err
	}
	if eventID != "" {
		seen, err := s.desk.SeenEvent(ctx, "slack", eventID)
		if err != nil || seen {
			return err
		}
	}
	who, err := s.staff(ctx, msg.Channel, msg.User, msg.ThreadTimeStamp)
	if errors.Is(err, errUnlinked) {
		return nil // told in the thread, to them alone
	}
	if err == nil {
		kind, text := s.replyOrNote(unescape(msg.Text))
		_, err = s.desk.Staff(ctx, moneyCommand(bot.StaffAction{Case: c.Number, Actor: who.Name, Role: who.Role, Kind: kind, Value: text,
			StaffTS: msg.TimeStamp}))
	}
	if errors.Is(err, bot.ErrBadAction) {
		s.log.Warn("slack: thread message refused", "case", c.Number, "err", err)
		s.api.PostEphemeralContext(ctx, msg.Channel, msg.User, slack.MsgOptionText(s.refusal(who, err), false),
			slack.MsgOptionTS(msg.ThreadTimeStamp))
		return nil
	}
	if err != nil && eventID != "" {
		// Not applied: Slack's retry of the event must be handled.
		if ferr := s.desk.ForgetEvent(ctx, "slack", eventID); ferr != nil {
			err = errors.Join(err, ferr)
		}
	}
	return err
}

// replyOrNote decides whether a thread message reaches the customer. Either
// way the other kind needs a prefix, so chatter does not leak by accident.
func (s *Slack) replyOrNote(text string) (string, string) {
	t := strings.TrimSpace(text)
	lower := strings.ToLower(t)
	for _, p := range []string{"note:", "//"} {
		if strings.HasPrefix(lower, p) {
			return bot.ActNote, strings.TrimSpace(t[len(p):])
		}
	}
	if strings.HasPrefix(lower, "reply:") {
		return bot.ActReply, strings.TrimSpace(t[len("reply:"):])
	}
	// "cause: …", "action: …", "dispatch: <provider id>", "appointment:
	// 2026-12-05 09:00", "confirmed:" and the steps of returns and mail-in
	// repairs ("return_received: 2 boxes") are case actions, not messages.
	// "new_date: 2026-12-20 why" and "delay_risk: 2026-12-20 why" move the
	// order's promised date (bot/deadlines.go). "resolve: <the outcome for
	// the customer>" and "callback: <what the customer said>" too (the
	// resolution loop); "repair_step: visit", "return_approved: <address>"
	// and "return_tracking: SF…" are the repair call flow and an accepted
	// return (repairs.go).
	// "advance: 400/1000" and the complaint's records (approvals.go) too.
	for _, k := range append([]string{cmdAdvance, bot.ActCause, bot.ActAction, bot.ActDispatch, bot.ActAppoint, bot.ActConfirm, bot.ActNewDate, bot.ActRisk,
		bot.ActReturnReceived, bot.ActReturnChecked, bot.ActReturnRefunded, bot.ActReturnExchanged, bot.ActRepairReceived, bot.ActRepairReturned,
		bot.ActResolve, bot.ActCallBack, bot.ActRepairStep, bot.ActApproveReturn, bot.ActReturnTracking}, append(wallVerbs, complaintVerbs...)...) { // wallpaper.go
		if strings.HasPrefix(lower, k+":") {
			return k, strings.TrimSpace(t[len(k)+1:])
		}
	}
	for _, k := range partsVerbs { // parts.go
		if strings.HasPrefix(lower, k+":") {
			return k, strings.TrimSpace(t[len(k)+1:])
		}
	}
	if s.cfg.NoteByDefault {
		return bot.ActNote, t
	}
	return bot.ActReply, t
}

func (s *Slack) httpInteractions(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	var cb slack.InteractionCallback
	if err == nil {
		err = json.Unmarshal([]byte(form.Get("payload")), &cb)
	}
	if err != nil {
		http.Error(w, "not an interaction", http.StatusBadRequest)
		return
	}
	if cb.Type == slack.InteractionTypeViewSubmission { // intake.go: the new-case modal
		s.httpViewSubmission(w, r, cb)
		return
	}
	if err := s.interaction(r.Context(), cb); err != nil && !errors.Is(err, bot.ErrBadAction) {
		s.log.Error("slack: interaction", "err", err)
		http.Error(w, "try again", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// interaction applies the buttons and menus of a case card.
func (s *Slack) interaction(ctx context.Context, cb slack.InteractionCallback) error {
	if cb.Type != slack.InteractionTypeBlockActions {
		return nil
	}
	who, err := s.staff(ctx, cb.Channel.ID, cb.User.ID, "")
	if errors.Is(err, errUnlinked) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, a := range cb.ActionCallback.BlockActions {
		act := bot.StaffAction{Actor: who.Name, Role: who.Role}
		switch a.ActionID {
		case actClaim, actResolve, actReopen, actMajor, actApprove, actReject, actEndHandoff:
			act.Case, act.Kind = a.Value, a.ActionID
			if a.ActionID == actReject {
				act.Value = strings.TrimSpace(inputValue(cb, blockReason, actReason)) // required (APR-1)
			}
		case actClassify, actRemedy:
			number, value, ok := strings.Cut(a.SelectedOption.Value, "|")
			if !ok {
				return fmt.Errorf("%w: bad option %q", bot.ErrBadAction, a.SelectedOption.Value)
			}
			act.Case, act.Kind, act.Value = number, a.ActionID, value
			if value == "compensation" {
				act.AmountYuan, _ = strconv.Atoi(strings.TrimSpace(inputValue(cb, blockAmount, actAmount)))
			}
			if value == remedyRolls { // wallpaper: the box holds rolls (WAL-6)
				act.Value = "compensation"
				act.Rolls, _ = strconv.Atoi(strings.TrimSpace(inputValue(cb, blockAmount, actAmount)))
			}
		case actDispatch: // providers.go: the dispatch menu (PRV-1)
			number, value, ok := dispatchOption(a.SelectedOption.Value)
			if !ok {
				return fmt.Errorf("%w: bad option %q", bot.ErrBadAction, a.SelectedOption.Value)
			}
			act.Case, act.Kind, act.Value = number, bot.ActDispatch, value
		default:
			var ok bool
			if act, ok = repairsAction(cb, a, act); !ok { // repairs.go
				continue
			}
		}
		c, err := s.desk.Staff(ctx, act)
		if err == nil && (a.ActionID == actApprove || a.ActionID == actReject) {
			s.refreshApprovalPost(ctx, cb, c)
		}
		if err != nil {
			if errors.Is(err, bot.ErrBadAction) && cb.Channel.ID != "" {
				// The refusal in the lifecycle's words: a clerk who presses
				// Approve reads why not (APR-1).
				s.api.PostEphemeralContext(ctx, cb.Channel.ID, cb.User.ID, slack.MsgOptionText(s.refusal(who, err), false))
			}
			return err
		}
	}
	return nil
}

// errUnlinked is a Slack user linked to no enabled staff account; they
// have been told so.
var errUnlinked = errors.New("slack: user not linked to a staff account")

// staff is the account a Slack user acts as (STF-1). A user no admin has
// linked is told, to them alone (in the thread when threadTS is set), to
// ask for it, and gets errUnlinked.
func (s *Slack) staff(ctx context.Context, channel, user, threadTS string) (store.Account, error) {
	a, err := s.desk.StaffBySlackUser(ctx, user)
	if !errors.Is(err, store.ErrNotFound) {
		return a, err
	}
	s.log.Warn("slack: a user linked to no staff account", "user", user)
	if channel != "" {
		opts := []slack.MsgOption{slack.MsgOptionText(unlinkedText(), false)}
		if threadTS != "" {
			opts = append(opts, slack.MsgOptionTS(threadTS))
		}
		if _, err := s.api.PostEphemeralContext(ctx, channel, user, opts...); err != nil {
			s.log.Warn("slack: ephemeral", "err", err)
		}
	}
	return store.Account{}, errUnlinked
}

// unlinkedText asks an unlinked user to see an admin, in Chinese and in
// English: the desk does not know their language.
func unlinkedText() string {
	return conversations.T(conversations.ZhHans, "staff.slack.unlinked") + "\n" + conversations.T(conversations.En, "staff.slack.unlinked")
}

func inputValue(cb slack.InteractionCallback, block, action string) string {
	if cb.BlockActionState == nil {
		return ""
	}
	if v, ok := cb.BlockActionState.Values[block][action]; ok {
		return v.Value
	}
	return ""
}

func (s *Slack) httpCommands(w http.ResponseWriter, r *http.Request, body []byte) {
	r.Body = io.NopCloser(bytes.NewReader(body))
	cmd, err := slack.SlashCommandParse(r)
	if err != nil {
		http.Error(w, "not a command", http.StatusBadRequest)
		return
	}
	text := s.command(r.Context(), cmd)
	if text == "" { // a modal opened instead
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]string{"response_type": "ephemeral", "text": text})
}

// command answers /case <number>, /case mine, /case new and a search, to
// linked staff only, in the staff member's language (STF-2).
func (s *Slack) command(ctx context.Context, cmd slack.SlashCommand) string {
	who, err := s.desk.StaffBySlackUser(ctx, cmd.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return unlinkedText()
	}
	if err != nil {
		s.log.Error("slack: command", "err", err)
		return conversations.T(s.lang(), "staff.slack.failed")
	}
	lang := s.langOf(who)
	arg := strings.TrimSpace(cmd.Text)
	switch {
	case arg == "new":
		return s.openIntake(ctx, cmd, who) // intake.go
	case arg == "mine":
		return s.mine(ctx, who, lang)
	case arg == "" || arg == "help":
		return conversations.T(lang, "staff.slack.usage")
	case utf8.RuneCountInString(arg) > store.MaxSearch:
		return conversations.T(lang, "staff.slack.too_long", conversations.Args{"Max": store.MaxSearch}) + "\n" +
			conversations.T(lang, "staff.slack.usage")
	}
	c, err := s.cases.CaseByNumber(ctx, strings.ToUpper(arg))
	if err != nil {
		if found := s.search(ctx, arg, who); found != "" { // search.go: by phone, order or name
			return found
		}
		return conversations.T(lang, "staff.slack.no_case", conversations.Args{"Search": escape(unescape(arg))}) + "\n" +
			conversations.T(lang, "staff.slack.usage")
	}
	return s.caseDetail(ctx, c, lang)
}

// mine lists who's open cases in lang.
func (s *Slack) mine(ctx context.Context, who store.Account, lang conversations.Lang) string {
	open, err := s.cases.CasesAssignedTo(ctx, who.Name)
	if err != nil {
		return conversations.T(lang, "staff.slack.mine_failed")
	}
	if len(open) == 0 {
		return conversations.T(lang, "staff.slack.mine_none")
	}
	var b strings.Builder
	b.WriteString(conversations.T(lang, "staff.slack.mine") + "\n")
	for _, c := range open {
		fmt.Fprintf(&b, "• %s · %s · %s · %s\n", c.Number, conversations.Label(lang, "kind.", string(c.Kind)),
			conversations.Label(lang, "staff.status.", string(c.Status)), escape(c.CustomerName))
	}
	return b.String()
}

// caseDetail is /case <number>: the case and its history, in lang; kind,
// severity, status, remedy and the history's events by name.
func (s *Slack) caseDetail(ctx context.Context, c cases.Case, lang conversations.Lang) string {
	trail, _ := s.cases.AuditTrail(ctx, c.Number)
	remedy := "–"
	if c.Remedy != "" {
		remedy = staffText(conversations.Label(lang, "staff.remedy.", c.Remedy))
	}
	var b strings.Builder
	fmt.Fprintf(&b, "*%s* · %s · %s · %s\n", c.Number, escape(conversations.Label(lang, "kind.", string(c.Kind))),
		conversations.T(lang, "staff.card.severity."+severityName(c.Severity)), escape(conversations.Label(lang, "staff.status.", string(c.Status))))
	b.WriteString(conversations.T(lang, "staff.slack.detail_customer", conversations.Args{"Name": escape(c.CustomerName),
		"Phone": escape(maskPhone(c.Phone)), "Order": escape(orDash(c.OrderNo))}) + "\n")
	b.WriteString(conversations.T(lang, "staff.slack.detail_assignee", conversations.Args{"Assignee": staffText(orDash(c.Assignee)),
		"Remedy": remedy}) + "\n")
	b.WriteString(conversations.T(lang, "staff.slack.audit") + "\n")
	// The staff of the case, as details name them; the rest of a detail
	// (a reason, a provider, a customer's name) is shown as written.
	var staff []string
	for _, a := range append(trail, store.AuditEntry{Actor: c.Assignee}) {
		if isUserMention(a.Actor) {
			staff = append(staff, a.Actor)
		}
	}
	for _, a := range trail {
		fmt.Fprintf(&b, "• %s %s %s %s\n", a.At.In(s.location()).Format("01-02 15:04"), staffText(a.Actor),
			eventName(lang, a.Action), mrkdwn(storeWordsIn(lang, a.Detail), staff)) // staffwords.go
	}
	return b.String()
}

// RunSocketMode receives events over Socket Mode until ctx ends. Every
// request is acknowledged, handled or not.
func (s *Slack) RunSocketMode(ctx context.Context) error {
	client := socketmode.New(s.api, socketmode.OptionDebug(os.Getenv("FD_SLACK_DEBUG") != ""))
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case evt, ok := <-client.Events:
				if !ok {
					return
				}
				s.socketEvent(ctx, client, evt)
			}
		}
	}()
	err := client.RunContext(ctx)
	if ctx.Err() != nil {
		return nil
	}
	return s.secrets.Error(err)
}

func (s *Slack) socketEvent(ctx context.Context, client *socketmode.Client, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeEventsAPI:
		client.Ack(*evt.Request)
		if ev, ok := evt.Data.(slackevents.EventsAPIEvent); ok {
			var outer struct {
				EventID string `json:"event_id"`
			}
			json.Unmarshal(evt.Request.Payload, &outer)
			if err := s.event(ctx, outer.EventID, ev); err != nil {
				s.log.Error("slack: socket event", "err", err)
			}
		}
	case socketmode.EventTypeInteractive:
		if cb, ok := evt.Data.(slack.InteractionCallback); ok && cb.Type == slack.InteractionTypeViewSubmission {
			s.socketViewSubmission(ctx, client, *evt.Request, cb) // intake.go: answered in the ack
			return
		}
		client.Ack(*evt.Request)
		if cb, ok := evt.Data.(slack.InteractionCallback); ok {
			if err := s.interaction(ctx, cb); err != nil && !errors.Is(err, bot.ErrBadAction) {
				s.log.Error("slack: socket interaction", "err", err)
			}
		}
	case socketmode.EventTypeSlashCommand:
		if cmd, ok := evt.Data.(slack.SlashCommand); ok {
			if text := s.command(ctx, cmd); text != "" {
				client.Ack(*evt.Request, map[string]string{"response_type": "ephemeral", "text": text})
			} else { // a modal opened instead
				client.Ack(*evt.Request)
			}
		}
	}
}
