package bot

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/store"
)

// applier applies the effects of one step inside its transaction. A case
// opened by an effect gives its number to the replies after it.
type applier struct {
	desk *Desk
	tx   *store.Tx
	key  string
	in   conversations.Inbound
	now  time.Time
	last cases.Case // the case opened by this step, if any
}

func (a *applier) apply(e conversations.Effect) error {
	switch e := e.(type) {
	case conversations.Reply:
		return a.reply(e)
	case conversations.Audit:
		return a.tx.Audit(store.AuditEntry{At: a.now, Actor: "customer " + a.key, Action: e.Action, Subject: "chat " + a.key, Detail: e.Detail})
	case conversations.OpenCase:
		return a.openCase(e)
	case conversations.Handoff:
		c := conversations.OpenCase{Kind: string(config.KindInquiry), Description: "customer asked to talk to a person"}
		if e.Customer != nil {
			c.Customer = *e.Customer
		}
		return a.openCase(c)
	case conversations.Forward:
		return a.forward(e)
	case conversations.Escalate:
		return a.escalate(e)
	case conversations.SurveyAnswered:
		return a.surveyAnswered(e)
	case conversations.SurveySent:
		_, err := a.tx.StartSurvey(store.Survey{VisitID: e.VisitID, Stage: e.Stage, Channel: a.in.Channel, ChatID: a.in.ChatID, SentAt: a.now})
		return err
	case conversations.VerifyFailed:
		return a.verifyFailed(e)
	case conversations.ReturnShipped:
		return a.returnShipped(e) // returns.go
	case conversations.WallFollowAnswered:
		return a.wallFollowAnswered(e) // wallpaper.go (WAL-7)
	case conversations.WallShipped:
		return a.wallShipped(e) // wallpaper.go (WAL-3)
	case conversations.Delivered:
		return a.delivered(e) // deadlines.go
	case conversations.EarlyAnswered:
		return a.earlyAnswered(e) // deadlines.go
	case conversations.AcceptanceAnswered:
		return a.acceptance(e) // providers.go
	case conversations.QuestionnaireAnswered:
		return a.questionnaireAnswered(e) // quality.go
	case conversations.PartsFeeAnswered:
		return a.partsFeeAnswered(e) // parts.go
	case conversations.BindChat:
		return a.tx.BindChat(store.CustomerChat{Phone: e.Phone, Channel: a.in.Channel, ChatID: a.in.ChatID, VerifiedAt: a.now})
	default:
		return a.applyProducts(e) // products.go, then resolution.go
	}
}

func (a *applier) reply(r conversations.Reply) error {
	text := r.Text
	if strings.Contains(text, conversations.CasePlaceholder) {
		if a.last.Number == "" {
			return fmt.Errorf("bot: a reply names a case, but the step opened none")
		}
		text = strings.ReplaceAll(text, conversations.CasePlaceholder, a.last.Number)
	}
	m := Message{Text: text, Buttons: r.Buttons, RequestContact: r.RequestContact, Aside: r.Aside}
	if r.Edit {
		m.Replaces = a.in.ButtonRef
	}
	payload, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = a.tx.Enqueue(store.OutboxMessage{Channel: a.in.Channel, Recipient: a.in.ChatID, Payload: payload, CaseID: a.last.ID}, a.now)
	return err
}

func (a *applier) openCase(e conversations.OpenCase) error {
	if reused, err := a.reuseDelayCase(e); reused || err != nil { // deadlines.go: one open delay case per order
		return err
	}
	details := e.Details
	if details == nil {
		details = map[string]string{}
	}
	if len(e.Lines) > 0 {
		details["lines"] = strings.Trim(strings.Join(strings.Fields(fmt.Sprint(e.Lines)), ","), "[]")
	}
	c, err := a.tx.OpenCase(cases.Case{Kind: config.CaseKind(e.Kind), OrderNo: e.OrderNo, CustomerName: e.Customer.Name,
		Phone: e.Customer.Phone, Channel: a.in.Channel, ChatID: a.in.ChatID, Severity: e.Severity,
		Classification: e.Classification, Description: e.Description, Details: details,
		DeadlineAt: a.firstResponseDue()}, a.now, a.desk.location())
	if err != nil {
		return err
	}
	a.last = c
	if err := a.startClocks(c); err != nil {
		return err
	}
	if err := a.startWallpaperClocks(c); err != nil { // wallpaper.go (WAL-5)
		return err
	}
	if err := a.desk.majorComplaintOpened(a.tx, c, a.now); err != nil {
		return err
	}
	if err := a.desk.reviewOrderProviders(a.tx, c, a.now); err != nil { // providers.go: PRV-6
		return err
	}
	// The staff card first, so the thread exists before anything goes in it.
	if err := enqueueStaff(a.tx, c.Number, StaffPost{Kind: "card"}, a.now); err != nil {
		return err
	}
	if e.Description != "" {
		if _, err := a.tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: a.now, Actor: "customer", Kind: "message_in", Body: e.Description}); err != nil {
			return err
		}
		if err := a.thread(StaffPost{Kind: "thread", From: "customer", Text: e.Description}); err != nil {
			return err
		}
	}
	for _, p := range e.Photos {
		if err := a.photo(c.ID, p.Step, p.Photo); err != nil {
			return err
		}
	}
	return a.tx.Audit(store.AuditEntry{At: a.now, Actor: "customer " + a.key, Action: "opened", Subject: c.Number,
		Detail: e.Kind + ": " + e.Classification})
}

// photo keeps a customer photo on the case; it goes to the staff thread
// and nowhere else (ID-5).
func (a *applier) photo(caseID int64, step string, p conversations.Photo) error {
	id, err := a.tx.AddPhoto(store.Photo{CaseID: caseID, SHA256: p.SHA256, MIME: p.MIME, Size: p.Size, Step: step, CreatedAt: a.now})
	if err != nil {
		return err
	}
	if _, err = a.tx.AddCaseEvent(store.CaseEvent{CaseID: caseID, At: a.now, Actor: "customer", Kind: "photo", Body: step, PhotoID: id}); err != nil {
		return err
	}
	return a.thread(StaffPost{Kind: "thread", From: "customer", Text: step, PhotoSH: p.SHA256, PhotoMT: p.MIME})
}

// thread posts into the staff thread of the case of this step.
func (a *applier) thread(p StaffPost) error {
	return enqueueStaff(a.tx, a.last.Number, p, a.now)
}

// forward puts a handed-off customer's message into the case's history,
// where staff read the thread.
func (a *applier) forward(f conversations.Forward) error {
	c, err := a.tx.CaseInTx(f.CaseNumber)
	if err != nil {
		return err
	}
	a.last = c
	if f.Photo != nil {
		return a.photo(c.ID, "message", *f.Photo)
	}
	if _, err = a.tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: a.now, Actor: "customer", Kind: "message_in", Body: f.Text}); err != nil {
		return err
	}
	return a.thread(StaffPost{Kind: "thread", From: "customer", Text: f.Text})
}

func (a *applier) escalate(e conversations.Escalate) error {
	if a.last.ID == 0 {
		return fmt.Errorf("bot: escalation without a case")
	}
	if _, err := a.tx.AddCaseEvent(store.CaseEvent{CaseID: a.last.ID, At: a.now, Actor: "bot", Kind: "escalated", Body: e.Reason}); err != nil {
		return err
	}
	if err := a.thread(StaffPost{Kind: "thread", From: "bot", Text: "⏰ escalated: " + e.Reason}); err != nil {
		return err
	}
	return a.tx.Audit(store.AuditEntry{At: a.now, Actor: "bot", Action: "escalated", Subject: a.last.Number, Detail: e.Reason})
}

// surveyAnswered records the answers, rates the provider (000 §4.6) and
// opens a low-score case for a supervisor (002 三(二)).
func (a *applier) surveyAnswered(e conversations.SurveyAnswered) error {
	answers, err := json.Marshal(map[string]any{"on_time": e.OnTime, "satisfaction": e.Satisfaction, "scores": e.Scores})
	if err != nil {
		return err
	}
	s := store.Survey{VisitID: e.VisitID, Stage: e.Stage, Channel: a.in.Channel, ChatID: a.in.ChatID, SentAt: a.now,
		AnsweredAt: a.now, Answers: string(answers), Comment: e.Comment, Score: e.Stars}
	if _, err := a.tx.StartSurvey(s); err != nil {
		return err
	}
	if err := a.tx.AnswerSurvey(s); err != nil {
		return err
	}
	visit, err := a.tx.VisitInTx(e.VisitID)
	if err != nil {
		return fmt.Errorf("bot: survey of visit %s: %w", e.VisitID, err)
	}
	rates, err := a.ratesProvider(e) // providers.go: once per visit, never a follow-up (PRV-7)
	if err != nil {
		return err
	}
	if visit.ProviderID != 0 && rates {
		p, err := a.tx.Provider(visit.ProviderID)
		if err != nil {
			return err
		}
		summary := fmt.Sprintf("%s %s: %s, on time %v, %.1f stars", a.now.In(a.desk.location()).Format("2006-01-02"),
			visit.Kind, e.Satisfaction, e.OnTime, e.Stars)
		if err := a.tx.RateProvider(p.ID, conversations.CombineRating(p.Stars, p.Visits, e.Stars), summary); err != nil {
			return err
		}
	}
	if !e.Low {
		return nil
	}
	name, phone, err := a.tx.OrderCustomerInTx(visit.OrderNo)
	if err != nil {
		return err
	}
	if err := a.openCase(conversations.OpenCase{Kind: string(config.KindLowSurveyScore), OrderNo: visit.OrderNo,
		Customer:       conversations.Identity{Phone: phone, Name: name},
		Classification: "low survey score", Description: e.Comment,
		Details: map[string]string{"visit_id": e.VisitID, "satisfaction": e.Satisfaction, "on_time": fmt.Sprint(e.OnTime)}}); err != nil {
		return err
	}
	return a.desk.reviewProvider(a.tx, visit.ProviderID, a.now) // providers.go: PRV-6
}

// firstResponseDue is when staff must first answer a new case (SLA-1).
func (a *applier) firstResponseDue() time.Time {
	if a.desk.Promises.FirstResponse <= 0 {
		return time.Time{}
	}
	if when := a.desk.Promises.When; when != nil { // in opening hours (SLA-10)
		_, due := when("first_response", a.now, a.desk.Promises.FirstResponse)
		return due
	}
	return a.now.Add(a.desk.Promises.FirstResponse)
}

// startClocks starts the case's service-time clocks; the case's deadline
// becomes the one due next.
func (a *applier) startClocks(c cases.Case) error {
	if a.desk.Clocks == nil {
		return nil
	}
	for _, spec := range a.desk.Clocks(string(c.Kind), a.now) {
		err := a.tx.StartClock(store.Clock{CaseID: c.ID, Name: spec.Name, StartedAt: a.now, DueAt: spec.Due,
			FarDueAt: spec.FarDue, StopOn: spec.StopOn})
		if err != nil {
			return err
		}
	}
	return a.tx.RefreshDeadline(c.ID)
}

// verifyFailed counts a failed verification on the order and its phone in
// the store, where every chat and session sees it; when that locks the
// order, the customer's own chats are told that someone tried (ID-6).
func (a *applier) verifyFailed(e conversations.VerifyFailed) error {
	keys := []string{verifyOrderKey(e.OrderNo)}
	_, phone, err := a.tx.OrderCustomerInTx(e.OrderNo)
	if err == nil {
		keys = append(keys, verifyPhoneKey(phone))
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	locked, err := a.tx.Fail(a.desk.verifyThrottle(), a.now, keys...)
	if err != nil || len(locked) == 0 || phone == "" || locked[0] != keys[0] {
		return err
	}
	chats, err := a.tx.ChatsByPhoneInTx(phone)
	if err != nil {
		return err
	}
	for _, c := range chats {
		if c.Channel == a.in.Channel && c.ChatID == a.in.ChatID {
			continue
		}
		text := conversations.T(conversations.NormalizeLang(c.Lang), "verify.someone_tried", conversations.Args{"Order": e.OrderNo})
		payload, err := json.Marshal(Message{Text: text})
		if err != nil {
			return err
		}
		if _, err := a.tx.Enqueue(store.OutboxMessage{Channel: c.Channel, Recipient: c.ChatID, Payload: payload}, a.now); err != nil {
			return err
		}
	}
	return nil
}
