package bot

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/store"
)

// quality is the quality loop's configuration, the defaults when unset.
func (d *Desk) quality() config.Quality {
	q := d.Quality
	def := config.DefaultQuality()
	if q.SpotCheckPercent <= 0 {
		q.SpotCheckPercent = def.SpotCheckPercent
	}
	if q.CallBackPercent <= 0 {
		q.CallBackPercent = def.CallBackPercent
	}
	if q.MainCustomerOrders <= 0 {
		q.MainCustomerOrders = def.MainCustomerOrders
	}
	if q.EffectCheckDays <= 0 {
		q.EffectCheckDays = def.EffectCheckDays
	}
	return q
}

// WeekOf is the Monday (00:00 in the shop's zone) of the week holding t.
func WeekOf(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	y, m, dd := t.Date()
	day := time.Date(y, m, dd, 0, 0, 0, 0, loc)
	return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
}

// newSeed is a fresh random seed for a draw; it is kept with the draw, so
// the draw can be redone from it.
func newSeed() uint64 {
	var b [8]byte
	rand.Read(b[:])
	return binary.LittleEndian.Uint64(b[:])
}

// DrawSpotChecks draws, once a week, the configured share of last week's
// finished visits and resolved cases for a supervisor's spot check
// (QLT-1): each drawn job is a task on /staff/quality and a post in the
// staff channel with the customer's contact. The draw and its seed are
// kept; a second run in the same week draws nothing. It says how many
// tasks were drawn.
func (d *Desk) DrawSpotChecks(ctx context.Context) (int, error) {
	now := d.Now()
	week := WeekOf(now, d.location())
	jobs, err := d.Store.FinishedJobs(ctx, week.AddDate(0, 0, -7), week)
	if err != nil {
		return 0, err
	}
	keys := make([]string, len(jobs))
	byKey := make(map[string]store.SpotSubject, len(jobs))
	for i, j := range jobs {
		keys[i] = j.Key()
		byKey[j.Key()] = j
	}
	draw := store.SpotDraw{Week: week.Format("2006-01-02"), Seed: newSeed(), Percent: d.quality().SpotCheckPercent,
		Population: len(jobs), DrawnAt: now}
	var drawn []store.SpotSubject
	for _, k := range cases.DrawSample(draw.Seed, keys, draw.Percent) {
		drawn = append(drawn, byKey[k])
	}
	fresh := false
	err = d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
		var err error
		if fresh, err = tx.RecordSpotDraw(draw, drawn); err != nil || !fresh || len(drawn) == 0 {
			return err
		}
		lines := []string{conversations.T(conversations.ZhHans, "quality.spot.drawn", conversations.Args{
			"Week": draw.Week, "N": len(drawn), "Population": len(jobs), "Percent": draw.Percent})}
		for _, s := range drawn {
			name, phone := "", ""
			if s.OrderNo != "" {
				if name, phone, err = tx.OrderCustomerInTx(s.OrderNo); err != nil {
					return err
				}
			}
			lines = append(lines, conversations.T(conversations.ZhHans, "quality.spot.task", conversations.Args{
				"Subject": spotSubjectLabel(s.Kind, s.ID), "Order": s.OrderNo, "Name": name, "Phone": phone}))
		}
		return enqueueStaff(tx, ChannelRecipient, StaffPost{Kind: "managers", Text: strings.Join(lines, "\n")}, now)
	})
	d.wake(err, fresh)
	if err != nil || !fresh {
		return 0, err
	}
	return len(drawn), nil
}

func spotSubjectLabel(kind, id string) string {
	if kind == "visit" {
		return conversations.T(conversations.ZhHans, "quality.spot.visit", conversations.Args{"ID": id})
	}
	return conversations.T(conversations.ZhHans, "quality.spot.case", conversations.Args{"ID": id})
}

// RecordSpotCheck records a supervisor's result of an open spot check
// (QLT-1). A problem opens a quality case on the job's order in the same
// transaction, and the check keeps its number. A check that is not open
// (or does not exist), a bad result and a clerk are refused and nothing
// changes.
func (d *Desk) RecordSpotCheck(ctx context.Context, id int64, by cases.Actor, verdict, method, note string) (store.SpotTask, error) {
	var out store.SpotTask
	err := d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
		now := d.Now()
		t, err := tx.SpotTaskTx(id)
		if err != nil {
			return err
		}
		sc, err := cases.RecordSpotCheck(t.SpotCheck, by, verdict, method, note, now)
		if err != nil {
			return err
		}
		if sc.Status == cases.SpotProblem {
			c := cases.Case{Kind: config.KindQualityDefect, OrderNo: t.OrderNo, CustomerName: t.CustomerName, Phone: t.Phone,
				Description: sc.Note, Classification: "spot check",
				Details: map[string]string{"spot_check": fmt.Sprint(t.ID), t.SubjectKind: t.Subject}}
			if c, err = tx.OpenCase(c, now, d.location()); err != nil {
				return err
			}
			a := &applier{desk: d, tx: tx, key: "staff " + by.Name, now: now, last: c}
			if err := a.startClocks(c); err != nil {
				return err
			}
			if err := enqueueStaff(tx, c.Number, StaffPost{Kind: "card"}, now); err != nil {
				return err
			}
			body := conversations.T(conversations.ZhHans, "quality.spot.problem_case", conversations.Args{
				"Subject": spotSubjectLabel(t.SubjectKind, t.Subject), "By": by.Name, "Note": sc.Note})
			if _, err := tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: now, Actor: by.Name, Kind: "note", Body: body}); err != nil {
				return err
			}
			if err := enqueueStaff(tx, c.Number, StaffPost{Kind: "thread", From: by.Name, Text: body}, now); err != nil {
				return err
			}
			sc.CaseNumber = c.Number
		}
		if err := tx.SaveSpotResult(sc); err != nil {
			return err
		}
		t.SpotCheck = sc
		out = t
		return tx.Audit(store.AuditEntry{At: now, Actor: by.Name, Action: "spot_check", Subject: fmt.Sprintf("spot-check %d", id),
			Detail: strings.TrimSpace(sc.Status + " " + sc.Method + " " + sc.CaseNumber)})
	})
	d.wake(err, err == nil && out.CaseNumber != "")
	return out, err
}

// OpenCorrective opens a corrective and preventive action (QLT-4) from a
// serious case (its number as the source: a major case or a complaint) or
// a line of the weekly problem report. The staff channel is told.
func (d *Desk) OpenCorrective(ctx context.Context, by cases.Actor, in cases.Corrective) (cases.Corrective, error) {
	now := d.Now()
	a, err := cases.NewCorrective(in, by, now)
	if err != nil {
		return a, err
	}
	if a.SourceKind == "case" {
		c, err := d.Store.CaseByNumber(ctx, a.Source)
		if err != nil {
			return a, cases.FieldErrorf("source", cases.Invalid, "there is no case %s", a.Source)
		}
		if c.Severity != "major" && c.Kind != config.KindComplaint {
			return a, cases.FieldErrorf("source", cases.Invalid,
				"case %s is neither major nor a complaint: a corrective action comes from a serious case or the weekly report", a.Source)
		}
	}
	err = d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
		if a, err = tx.AddCorrective(a); err != nil {
			return err
		}
		text := conversations.T(conversations.ZhHans, "quality.corrective.opened", conversations.Args{
			"ID": a.ID, "Problem": a.Problem, "Owner": a.Owner, "Department": conversations.T(conversations.ZhHans, "quality.department."+a.Department),
			"Due": a.DueOn, "Source": a.Source})
		if err := enqueueStaff(tx, ChannelRecipient, StaffPost{Kind: "managers", Text: text}, now); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{At: now, Actor: by.Name, Action: "corrective_opened", Subject: fmt.Sprintf("corrective %d", a.ID), Detail: a.Source})
	})
	d.wake(err, err == nil)
	return a, err
}

// ActOnCorrective adds a progress note to a corrective action, or marks it
// carried out, which books its effect check (QLT-4).
func (d *Desk) ActOnCorrective(ctx context.Context, id int64, by cases.Actor, verb, note string) (cases.Corrective, error) {
	var out cases.Corrective
	err := d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
		now := d.Now()
		a, err := tx.CorrectiveTx(id)
		if err != nil {
			return err
		}
		a, err = cases.ActOnCorrective(a, by, verb, note, now, time.Duration(d.quality().EffectCheckDays)*24*time.Hour)
		if err != nil {
			return err
		}
		if err := tx.SaveCorrective(a); err != nil {
			return err
		}
		if note = strings.TrimSpace(note); note == "" && verb == cases.ActionDone {
			note = conversations.T(conversations.ZhHans, "quality.corrective.done_note")
		}
		if note != "" {
			if err := tx.AddCorrectiveNote(a.ID, now, by.Name, note); err != nil {
				return err
			}
		}
		out = a
		return tx.Audit(store.AuditEntry{At: now, Actor: by.Name, Action: "corrective_" + verb, Subject: fmt.Sprintf("corrective %d", a.ID)})
	})
	return out, err
}

// CheckCorrectiveEffects runs the effect checks that are due (QLT-4): a
// carried-out action whose product had no new problem since is closed as
// effective; one whose problem recurred is opened again and the managers
// are told. It says how many were checked.
func (d *Desk) CheckCorrectiveEffects(ctx context.Context) (int, error) {
	now := d.Now()
	due, err := d.Store.EffectChecksDue(ctx, now)
	if err != nil {
		return 0, err
	}
	checked := 0
	for _, a := range due {
		err := d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
			recurred := 0
			if a.SKU != "" {
				var err error
				if recurred, err = tx.ProblemsOfSKUTx(a.SKU, a.DoneAt, now); err != nil {
					return err
				}
			}
			b, err := cases.CheckEffect(a, recurred, now)
			if err != nil {
				return err
			}
			if err := tx.SaveCorrective(b); err != nil {
				return err
			}
			key := "quality.corrective.effective"
			if b.Status != cases.ActionClosed {
				key = "quality.corrective.recurred"
			}
			text := conversations.T(conversations.ZhHans, key, conversations.Args{"ID": a.ID, "Problem": a.Problem, "N": recurred})
			if err := tx.AddCorrectiveNote(a.ID, now, "system", text); err != nil {
				return err
			}
			return enqueueStaff(tx, ManagersRecipient, StaffPost{Kind: "managers", Text: text}, now)
		})
		if err != nil {
			return checked, err
		}
		checked++
	}
	d.wake(nil, checked > 0)
	return checked, nil
}

// QualityBoard is what the staff page shows of the quality loop: the spot
// checks (open first), the corrective actions not closed with their notes,
// and the latest monthly figures as posted.
type QualityBoard struct {
	Spot    []store.SpotTask
	Actions []CorrectiveView
	Monthly string
}

// CorrectiveView is a corrective action with its progress notes.
type CorrectiveView struct {
	cases.Corrective
	Notes []store.CorrectiveNote
}

// QualityBoard reads the staff page's quality board.
func (d *Desk) QualityBoard(ctx context.Context) (QualityBoard, error) {
	var b QualityBoard
	var err error
	if b.Spot, err = d.Store.SpotTasks(ctx, ""); err != nil {
		return b, err
	}
	actions, err := d.Store.Correctives(ctx, false)
	if err != nil {
		return b, err
	}
	for _, a := range actions {
		notes, err := d.Store.CorrectiveNotes(ctx, a.ID)
		if err != nil {
			return b, err
		}
		b.Actions = append(b.Actions, CorrectiveView{Corrective: a, Notes: notes})
	}
	post, ok, err := d.LatestManagersPost(ctx, "monthly")
	if err != nil {
		return b, err
	}
	if ok {
		b.Monthly = post.Text
	}
	return b, nil
}

// Quality-call kinds: the quarterly call-back (QLT-2) and the half-yearly
// questionnaire to the main customers (QLT-3).
const (
	CallBackKind      = "callback"
	QuestionnaireKind = "questionnaire"
)

// callPeriod is the period a run at now asks about, with its bounds: the
// quarter before now for the call-back, the half-year before now for the
// questionnaire.
func callPeriod(kind string, now time.Time, loc *time.Location) (label string, from, to time.Time) {
	t := now.In(loc)
	months := 3
	if kind == QuestionnaireKind {
		months = 6
	}
	m := int(t.Month()) - (int(t.Month())-1)%months
	to = time.Date(t.Year(), time.Month(m), 1, 0, 0, 0, 0, loc)
	from = to.AddDate(0, -months, 0)
	if kind == QuestionnaireKind {
		return fmt.Sprintf("%d-H%d", from.Year(), (int(from.Month())-1)/6+1), from, to
	}
	return fmt.Sprintf("%d-Q%d", from.Year(), (int(from.Month())-1)/3+1), from, to
}

// SendQualityCalls sends the quality loop's calls for the period before
// now, once per customer and period: for the call-back (QLT-2) the
// configured share of the customers served in the quarter, drawn at
// random; for the questionnaire (QLT-3) every main customer (at least the
// configured number of orders). A customer with a verified chat gets the
// short questionnaire there; the whole list goes to the staff channel, to
// call those without a chat. It says how many customers were listed.
func (d *Desk) SendQualityCalls(ctx context.Context, kind string) (int, error) {
	now := d.Now()
	period, from, to := callPeriod(kind, now, d.location())
	var people []store.Customer
	var err error
	population := 0
	switch kind {
	case CallBackKind:
		served, err := d.Store.CustomersServed(ctx, from, to)
		if err != nil {
			return 0, err
		}
		population = len(served)
		byPhone := map[string]store.Customer{}
		phones := make([]string, len(served))
		for i, c := range served {
			phones[i], byPhone[c.Phone] = c.Phone, c
		}
		// The seed is the period's: a rerun (after a failure part-way) draws
		// the same customers and adds none.
		seed := fnv.New64a()
		seed.Write([]byte(kind + ":" + period))
		for _, p := range cases.DrawSample(seed.Sum64(), phones, d.quality().CallBackPercent) {
			people = append(people, byPhone[p])
		}
	case QuestionnaireKind:
		if people, err = d.Store.MainCustomers(ctx, d.quality().MainCustomerOrders); err != nil {
			return 0, err
		}
		population = len(people)
	default:
		return 0, fmt.Errorf("bot: quality call of kind %q", kind)
	}
	listed := 0
	for _, p := range people {
		chats, err := d.Store.ChatsByPhone(ctx, p.Phone)
		if err != nil {
			return listed, err
		}
		call := store.QualityCall{Kind: kind, Period: period, Phone: p.Phone, CustomerName: p.Name, SentAt: now}
		if len(chats) > 0 {
			call.Channel, call.ChatID = chats[0].Channel, chats[0].ChatID
		}
		fresh := false
		err = d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
			var err error
			if call, fresh, err = tx.AddQualityCall(call); err != nil || !fresh || call.ChatID == "" {
				return err
			}
			lang, err := chatLang(tx, call.Channel, call.ChatID)
			if err != nil {
				return err
			}
			r := conversations.QuestionnaireStart(lang, kind, call.ID)
			payload, err := json.Marshal(Message{Text: r.Text, Buttons: r.Buttons})
			if err != nil {
				return err
			}
			_, err = tx.Enqueue(store.OutboxMessage{Channel: call.Channel, Recipient: call.ChatID, Payload: payload}, now)
			return err
		})
		if err != nil {
			return listed, err
		}
		if fresh {
			listed++
		}
	}
	calls, err := d.Store.QualityCalls(ctx, kind, period)
	if err != nil || len(calls) == 0 {
		return listed, err
	}
	lines := []string{conversations.T(conversations.ZhHans, "quality.calls.list_"+kind, conversations.Args{
		"Period": period, "N": len(calls), "Population": population, "Percent": d.quality().CallBackPercent})}
	for _, c := range calls {
		line := conversations.T(conversations.ZhHans, "quality.calls.line", conversations.Args{"Name": c.CustomerName, "Phone": c.Phone})
		if c.ChatID != "" {
			line += conversations.T(conversations.ZhHans, "quality.calls.sent")
		}
		lines = append(lines, line)
	}
	d.wake(nil, listed > 0)
	_, err = d.PostToStaff(ctx, "quality-calls:"+kind+":"+period, strings.Join(lines, "\n"))
	return listed, err
}

// QualityCall serves the questionnaire's read of a questionnaire its
// buttons name, if it was sent to this chat.
func (l *storeLookup) QualityCall(ctx context.Context, channel, chatID string, id int64) (conversations.QualityCall, error) {
	c, err := l.db.QualityCallOfChat(ctx, channel, chatID, id)
	if errors.Is(err, store.ErrNotFound) {
		return conversations.QualityCall{}, conversations.ErrNotFound
	}
	if err != nil {
		return conversations.QualityCall{}, err
	}
	return conversations.QualityCall{ID: c.ID, Kind: c.Kind, Product: c.Product, Service: c.Service}, nil
}

// questionnaireAnswered stores a questionnaire score, once; a low score,
// once both are in, asks staff to call the customer.
func (a *applier) questionnaireAnswered(e conversations.QuestionnaireAnswered) error {
	c, fresh, err := a.tx.AnswerQualityCall(e.ID, e.Question, e.Score, a.now)
	if err != nil || !fresh {
		return err
	}
	if err := a.tx.Audit(store.AuditEntry{At: a.now, Actor: "customer " + a.key, Action: "questionnaire_answer",
		Subject: fmt.Sprintf("%s %s", c.Kind, c.Period), Detail: fmt.Sprintf("%s=%d", e.Question, e.Score)}); err != nil {
		return err
	}
	if c.AnsweredAt.IsZero() || (c.Product > 2 && c.Service > 2) {
		return nil
	}
	text := conversations.T(conversations.ZhHans, "quality.calls.low", conversations.Args{"Name": c.CustomerName, "Phone": c.Phone,
		"Product": c.Product, "Service": c.Service})
	return enqueueStaff(a.tx, ChannelRecipient, StaffPost{Kind: "managers", Text: text}, a.now)
}
