package bot

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"frontdesk/cases"
	"frontdesk/conversations"
	"frontdesk/store"
)

// Providers and visits (000 §4; PRV-1 … PRV-7, INS-1, INS-2): the desk side
// of a dispatch, an appointment, a finished visit and the customer's
// acceptance, the provider's own chat, and the complaint-rate flag.

// ActVisitDone records the provider's report that the visit is done, with
// the service record "what was done | result | parts" (PRV-5).
const ActVisitDone = string(cases.VisitDone)

// ProviderCodeTTL is how long a one-time link code stays valid.
const ProviderCodeTTL = 72 * time.Hour

// providerStep is the photo step of a provider's photos on a case.
const providerStep = "provider"

// visitAction loads what a dispatch, an appointment or a finished visit
// must see: the order's region and the providers proposed for it, the
// dispatched provider (its hours), the service record.
func visitAction(tx *store.Tx, act cases.Action, caseNo string) (cases.Action, error) {
	switch act.Verb {
	case cases.Dispatch:
		c, err := tx.CaseInTx(caseNo)
		if err != nil {
			return act, err
		}
		all, err := tx.ProviderRecordsInTx()
		if err != nil {
			return act, err
		}
		if c.OrderNo != "" {
			place, err := tx.OrderPlaceInTx(c.OrderNo)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return act, err
			}
			act.Region = place.Region
		}
		act.Proposed = cases.Propose(all, act.Region, MinProviderStars)
	case cases.Appoint:
		c, err := tx.CaseInTx(caseNo)
		if err != nil {
			return act, err
		}
		if id, err := strconv.ParseInt(c.Details["provider_id"], 10, 64); err == nil {
			p, err := tx.ProviderRecord(id)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				return act, err
			}
			if err == nil {
				act.Provider = &p
			}
		}
	case cases.VisitDone:
		done, result, parts := conversations.ParseServiceRecord(act.Value)
		act.Service = &cases.ServiceRecord{Done: done, Result: result, Parts: parts}
	}
	return act, nil
}

// dispatchID is the provider id of a dispatch's value "id[ reason]".
func dispatchID(value string) string {
	id, _, _ := strings.Cut(strings.TrimSpace(value), " ")
	return id
}

// ProposeProviders lists the providers the desk proposes for a case (PRV-1,
// SRV-7): local to its order's region, at least three stars, companies and
// the nearest first, none flagged.
func (d *Desk) ProposeProviders(ctx context.Context, caseNo string) ([]cases.Provider, string, error) {
	c, err := d.Store.CaseByNumber(ctx, caseNo)
	if err != nil {
		return nil, "", err
	}
	var region string
	if c.OrderNo != "" {
		place, err := d.Store.OrderPlace(ctx, c.OrderNo)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, "", err
		}
		region = place.Region
	}
	all, err := d.Store.ProviderRecords(ctx)
	if err != nil {
		return nil, "", err
	}
	return cases.Propose(all, region, MinProviderStars), region, nil
}

// applyVisitEffect applies the visit effects of a case decision.
func (d *Desk) applyVisitEffect(tx *store.Tx, c cases.Case, actor string, e cases.Effect, now time.Time) error {
	switch e := e.(type) {
	case cases.OpenVisit:
		id, err := tx.OpenCaseVisit(c, e.ProviderID, e.Kind, e.Payment)
		if err != nil {
			return err
		}
		pay := "repeat provider: the shop pays it by transfer"
		if e.Payment == cases.PayCustomerRefund {
			pay = "first-time provider: the customer pays it, the shop refunds the customer"
		}
		text := d.staffText(fmt.Sprintf("Visit %s (%s) created; payment: %s.", id, e.Kind, pay), "staff.post.visit_opened",
			map[string]any{"Visit": id, "VisitKind": e.Kind, "Payment": e.Payment})
		if _, err := tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: now, Actor: actor, Kind: "visit_opened", Body: text}); err != nil {
			return err
		}
		return enqueueStaff(tx, c.Number, StaffPost{Kind: "thread", From: "bot", Text: text}, now)
	case cases.BriefProvider:
		return d.briefProvider(tx, c, e.ProviderID, now)
	case cases.TellAppointment:
		return d.tellAppointment(tx, c, e, now)
	case cases.VisitConfirmed:
		v, err := tx.VisitOfCase(c.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return tx.ConfirmVisit(v.ID, now)
	case cases.CompleteVisit:
		v, err := tx.VisitOfCase(c.ID)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		return tx.CompleteVisitRecord(v.ID, e.Record, now)
	}
	return fmt.Errorf("bot: unknown visit effect %T", e)
}

// providerJob is the case as its provider sees it: only what the job needs.
func (d *Desk) providerJob(tx *store.Tx, c cases.Case) (conversations.ProviderJob, error) {
	j := conversations.ProviderJob{Case: c.Number, Kind: "repair", Customer: c.CustomerName, Phone: c.Phone,
		Problem: c.Description, Appointment: c.Details["appointment"], Done: c.Details["visit_done"] != ""}
	if c.Kind == "installation_help" {
		j.Kind = "install"
	}
	if c.OrderNo != "" {
		place, err := tx.OrderPlaceInTx(c.OrderNo)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return j, err
		}
		j.Address = strings.TrimSpace(place.Address)
		if j.Items, err = tx.OrderItemNames(c.OrderNo); err != nil {
			return j, err
		}
	}
	if v, err := tx.VisitOfCase(c.ID); err == nil {
		j.Confirmed = !v.ConfirmedAt.IsZero()
	} else if !errors.Is(err, store.ErrNotFound) {
		return j, err
	}
	n, err := tx.CountPhotos(c.ID, "")
	if err != nil {
		return j, err
	}
	for _, step := range []string{"item", "closeup", "packaging", "message", "problem"} {
		m, err := tx.CountPhotos(c.ID, step)
		if err != nil {
			return j, err
		}
		n += m
	}
	j.Photos = n
	return j, nil
}

func (d *Desk) shopName() string {
	if d.Shop.Name != "" {
		return d.Shop.Name
	}
	return "本店"
}

// briefProvider sends the provider its job with the briefing (PRV-2,
// INS-1), in each of its linked chats; a provider with no linked chat gets
// the same text in the case thread, for staff to send by hand.
func (d *Desk) briefProvider(tx *store.Tx, c cases.Case, providerID int64, now time.Time) error {
	j, err := d.providerJob(tx, c)
	if err != nil {
		return err
	}
	chats, err := tx.ProviderChatsOf(providerID)
	if err != nil {
		return err
	}
	if len(chats) == 0 {
		// The briefing itself is in the provider's language (zh-Hans); the
		// line for staff in theirs.
		brief := conversations.ProviderBriefing(conversations.ZhHans, d.shopName(), j)
		text := "📋 " + conversations.T(d.staffLang(), "staff.post.no_provider_chat", conversations.Args{"Provider": c.Details["provider"]}) +
			"\n\n" + brief.Text
		return enqueueStaff(tx, c.Number, StaffPost{Kind: "thread", From: "bot", Text: text}, now)
	}
	pics, err := tx.CasePhotosAt(c.ID, problemPhotoSteps)
	if err != nil {
		return err
	}
	j.Photos, j.PhotosFollow = len(pics), len(pics) > 0
	for _, pc := range chats {
		if err := toProviderChat(tx, pc, conversations.ProviderBriefing(langOf(pc), d.shopName(), j), now); err != nil {
			return err
		}
		if err := photosToProvider(tx, pc, c.Number, pics, now); err != nil { // tgedit.go
			return err
		}
	}
	return enqueueStaff(tx, c.Number, StaffPost{Kind: "thread", From: "bot",
		Text: "📋 The job and its briefing went to " + c.Details["provider"] + "'s chat."}, now)
}

func langOf(pc store.ProviderChat) conversations.Lang {
	if l := conversations.NormalizeLang(pc.Lang); l != "" {
		return l
	}
	return conversations.ZhHans
}

func toProviderChat(tx *store.Tx, pc store.ProviderChat, r conversations.Reply, now time.Time) error {
	payload, err := json.Marshal(Message{Text: r.Text, Buttons: r.Buttons})
	if err != nil {
		return err
	}
	_, err = tx.Enqueue(store.OutboxMessage{Channel: pc.Channel, Recipient: pc.ChatID, Payload: payload}, now)
	return err
}

// tellAppointment records the appointment on the visit, tells the customer
// the time and who comes (PRV-3) and asks the provider to confirm it
// (INS-2).
func (d *Desk) tellAppointment(tx *store.Tx, c cases.Case, e cases.TellAppointment, now time.Time) error {
	v, err := tx.VisitOfCase(c.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	kind := "repair"
	if err == nil {
		kind = v.Kind
		at, perr := time.ParseInLocation("2006-01-02 15:04", e.At, d.location())
		if perr != nil {
			return perr
		}
		if err := tx.SetVisitAppointment(v.ID, at); err != nil {
			return err
		}
	}
	phone := e.Phone
	if phone == "" {
		phone = "—"
	}
	for _, ch := range d.caseChats(tx, c) {
		lang, err := customerLangTx(tx, ch)
		if err != nil {
			return err
		}
		text := conversations.AppointmentNotice(lang, c.OrderNo, kind, e.At, e.Provider, phone)
		if err := toChat(tx, cases.Case{ID: c.ID, Channel: ch.Channel, ChatID: ch.ChatID}, Message{Text: text}, now); err != nil {
			return err
		}
	}
	if err != nil || v.ProviderID == 0 {
		return nil
	}
	chats, err := tx.ProviderChatsOf(v.ProviderID)
	if err != nil {
		return err
	}
	j, err := d.providerJob(tx, c)
	if err != nil {
		return err
	}
	for _, pc := range chats {
		if err := toProviderChat(tx, pc, conversations.ProviderAppointment(langOf(pc), j), now); err != nil {
			return err
		}
	}
	return nil
}

// caseChats are the chats the case's customer is reached in: the case's
// own chat, else the chats verified with its phone.
func (d *Desk) caseChats(tx *store.Tx, c cases.Case) []store.CustomerChat {
	if c.Channel != "" && c.ChatID != "" {
		return []store.CustomerChat{{Channel: c.Channel, ChatID: c.ChatID}}
	}
	chats, err := tx.ChatsByPhoneInTx(c.Phone)
	if err != nil {
		return nil
	}
	return chats
}

// askAcceptance asks the customer to accept the work of the case's visit
// (PRV-5); the survey follows the acceptance.
func (d *Desk) askAcceptance(ctx context.Context, c cases.Case) error {
	var v store.VisitRecord
	err := d.Store.Update(ctx, func(tx *store.Tx) (err error) {
		v, err = tx.VisitOfCase(c.ID)
		if err != nil {
			return err
		}
		return tx.SetAcceptance(v.ID, "asked", "", d.Now())
	})
	if err != nil {
		return err
	}
	err = d.startForOrder(ctx, v.OrderNo, conversations.Acceptance(v.ID, v.Kind, v.OrderNo))
	if errors.Is(err, ErrNoChat) {
		return nil // staff ask by phone; the case thread has the visit
	}
	return err
}

// acceptance records the customer's acceptance of a visit; a problem
// reopens the visit's case, or puts it on the open case's thread (PRV-5).
func (a *applier) acceptance(e conversations.AcceptanceAnswered) error {
	v, err := a.tx.VisitRecordInTx(e.VisitID)
	if err != nil {
		return fmt.Errorf("bot: acceptance of visit %s: %w", e.VisitID, err)
	}
	if err := a.tx.SetAcceptance(v.ID, e.Result, e.Note, a.now); err != nil {
		return err
	}
	if v.CaseID == 0 {
		return nil
	}
	c, err := a.tx.CaseByIDInTx(v.CaseID)
	if err != nil {
		return err
	}
	if e.Result == conversations.Accepted {
		_, err := a.tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: a.now, Actor: "customer", Kind: "visit_accepted", Body: "the customer accepted the work of visit " + v.ID})
		if err != nil {
			return err
		}
		return enqueueStaff(a.tx, c.Number, StaffPost{Kind: "thread", From: "customer", Text: "✅ 验收通过 (the customer accepted the work of visit " + v.ID + ")"}, a.now)
	}
	if _, err := a.tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: a.now, Actor: "customer", Kind: "visit_problem", Body: e.Note}); err != nil {
		return err
	}
	if err := enqueueStaff(a.tx, c.Number, StaffPost{Kind: "thread", From: "customer", Text: "❌ 验收有问题 (acceptance refused): " + e.Note}, a.now); err != nil {
		return err
	}
	if c.Status != cases.Resolved {
		return nil
	}
	next, effects, err := cases.Decide(c, cases.Action{Verb: cases.Reopen, Value: "acceptance refused: " + e.Note},
		cases.Actor{Name: "customer", Role: cases.System}, a.now, a.desk.policy())
	if err != nil {
		return err
	}
	if err := a.tx.SaveCase(next, a.now); err != nil {
		return err
	}
	if err := a.desk.applyDecision(a.tx, next, "customer", effects, a.now); err != nil {
		return err
	}
	return enqueueStaff(a.tx, c.Number, StaffPost{Kind: "card"}, a.now)
}

// ratesProvider reports whether an answered survey rates the visit's
// provider: only the visit's own survey, once (PRV-7); the wallpaper
// follow-ups rate nobody.
func (a *applier) ratesProvider(e conversations.SurveyAnswered) (bool, error) {
	if e.Stage != "" && e.Stage != "visit" {
		return false, nil
	}
	return a.tx.MarkVisitRated(e.VisitID, a.now)
}

// reviewProvider flags a provider whose complaint rate over the window
// (since staff last cleared it) passes the limit (PRV-6); the managers hear
// of it.
func (d *Desk) reviewProvider(tx *store.Tx, providerID int64, now time.Time) error {
	if providerID == 0 {
		return nil
	}
	since := now.Add(-cases.ComplaintWindow)
	cleared, err := tx.ProviderClearedAt(providerID)
	if err != nil {
		return err
	}
	if cleared.After(since) {
		since = cleared
	}
	complaints, visits, err := tx.ComplaintCounts(providerID, since)
	if err != nil || !cases.ComplaintRateExceeded(complaints, visits) {
		return err
	}
	p, err := tx.ProviderRecord(providerID)
	if err != nil {
		return err
	}
	note := fmt.Sprintf("%d complaints or low scores in %d visits since %s (over %.0f %%)", complaints, visits,
		since.In(d.location()).Format("2006-01-02"), cases.ComplaintRateLimit*100)
	fresh, err := tx.FlagProvider(providerID, note, now)
	if err != nil || !fresh {
		return err
	}
	if err := tx.Audit(store.AuditEntry{At: now, Actor: "desk", Action: "provider_flagged", Subject: "provider " + strconv.FormatInt(providerID, 10), Detail: note}); err != nil {
		return err
	}
	return enqueueStaff(tx, ManagersRecipient, StaffPost{Kind: "managers",
		Text: fmt.Sprintf("🚩 Provider %s is flagged and gets no more jobs until staff clear it: %s.", p.Name, note)}, now)
}

// reviewOrderProviders reviews the providers who visited an order, when a
// complaint about it is opened.
func (d *Desk) reviewOrderProviders(tx *store.Tx, c cases.Case, now time.Time) error {
	if c.Kind != "complaint" || c.OrderNo == "" {
		return nil
	}
	ids, err := tx.OrderProviderIDs(c.OrderNo)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := d.reviewProvider(tx, id, now); err != nil {
			return err
		}
	}
	return nil
}

// ClearProvider lifts a provider's flag with staff's note (PRV-6).
func (d *Desk) ClearProvider(ctx context.Context, providerID int64, actor, note string) error {
	note = strings.TrimSpace(note)
	if note == "" || len(note) > 1000 {
		return fmt.Errorf("%w: %w", ErrBadAction, cases.Errorf(cases.Invalid, "clearing a provider needs a note (1 to 1000 bytes)"))
	}
	now := d.Now()
	return d.Store.Update(ctx, func(tx *store.Tx) error {
		if err := tx.ClearProvider(providerID, note, now); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{At: now, Actor: actor, Action: "provider_cleared", Subject: "provider " + strconv.FormatInt(providerID, 10), Detail: note})
	})
}

// NewProviderCode makes a one-time code with which a provider links its
// chat (PRV-2); it is valid for ProviderCodeTTL.
func (d *Desk) NewProviderCode(ctx context.Context, providerID int64, actor string) (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	code := make([]byte, len(b))
	for i, x := range b {
		code[i] = alphabet[int(x)%len(alphabet)]
	}
	now := d.Now()
	err := d.Store.Update(ctx, func(tx *store.Tx) error {
		if err := tx.AddProviderCode(providerID, string(code), now.Add(ProviderCodeTTL)); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{At: now, Actor: actor, Action: "provider_code", Subject: "provider " + strconv.FormatInt(providerID, 10)})
	})
	return string(code), err
}

// RemindAppointments reminds each customer the day before a visit (PRV-3):
// the appointments in the next 24 hours whose customer was not reminded.
func (d *Desk) RemindAppointments(ctx context.Context) (int, error) {
	now := d.Now()
	visits, err := d.Store.VisitsToRemind(ctx, now, now.Add(24*time.Hour))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, v := range visits {
		err := d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
			fresh, err := tx.MarkReminded(v.ID, now)
			if err != nil || !fresh {
				return err
			}
			var name, phone string
			c := cases.Case{Phone: ""}
			if v.CaseID != 0 {
				if c, err = tx.CaseByIDInTx(v.CaseID); err != nil {
					return err
				}
				name, phone = c.Details["provider"], c.Details["provider_phone"]
			} else if _, c.Phone, err = tx.OrderCustomerInTx(v.OrderNo); err != nil {
				return err
			}
			if name == "" && v.ProviderID != 0 {
				p, err := tx.ProviderRecord(v.ProviderID)
				if err != nil {
					return err
				}
				name, phone = p.Name, p.Phone
			}
			if phone == "" {
				phone = "—"
			}
			at := v.AppointmentAt.In(d.location()).Format("2006-01-02 15:04")
			for _, ch := range d.caseChats(tx, c) {
				lang, err := customerLangTx(tx, ch)
				if err != nil {
					return err
				}
				text := conversations.AppointmentReminder(lang, v.OrderNo, v.Kind, at, name, phone)
				if err := toChat(tx, cases.Case{ID: c.ID, Channel: ch.Channel, ChatID: ch.ChatID}, Message{Text: text}, now); err != nil {
					return err
				}
			}
			n++
			return nil
		})
		if err != nil {
			return n, err
		}
	}
	d.wake(nil, n > 0)
	return n, nil
}

// acceptanceFirst holds back the survey of a visit the desk dispatched
// until the customer accepted the work (PRV-5): it asks for the acceptance
// when nobody has yet, and reports true while the survey must wait.
func (d *Desk) acceptanceFirst(ctx context.Context, visitID, stage string) (bool, error) {
	if stage != "visit" {
		return false, nil
	}
	v, err := d.Store.VisitRecordByID(ctx, visitID)
	if err != nil || v.CaseID == 0 || v.Acceptance == "accepted" {
		return false, err
	}
	if v.Acceptance != "" {
		return true, nil // asked, or a problem: the case is open again
	}
	c, err := d.Store.CaseByID(ctx, v.CaseID)
	if err != nil {
		return true, err
	}
	return true, d.askAcceptance(ctx, c)
}

// Dispatch sends a provider to a case for the back office (PRV-1): value
// is the provider's id, then the reason when it is outside the region.
func (d *Desk) Dispatch(ctx context.Context, caseNo, value, actor string) (cases.Case, error) {
	return d.Staff(ctx, StaffAction{Case: caseNo, Actor: actor, Role: cases.Clerk, Kind: ActDispatch, Value: value})
}

// CaseVisit is the latest visit a case dispatched, for the staff desks.
func (d *Desk) CaseVisit(ctx context.Context, caseID int64) (store.VisitRecord, error) {
	var v store.VisitRecord
	err := d.Store.Update(ctx, func(tx *store.Tx) (err error) {
		v, err = tx.VisitOfCase(caseID)
		return err
	})
	return v, err
}
