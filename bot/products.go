package bot

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/store"
)

// The customer's products at the desk (ARC-1 … ARC-4): the archive the
// dialogs read, the knowledge base staff add to, the warranty cards issued
// once an order is received, and the care reminders.

// Archive tells the dialogs a customer's services, cases and warranty
// cards (conversations.ArchiveLookup).
func (l *storeLookup) Archive(ctx context.Context, phone string) (conversations.Archive, error) {
	var a conversations.Archive
	visits, err := l.db.VisitsByPhone(ctx, phone)
	if err != nil {
		return a, err
	}
	for _, v := range visits {
		a.Services = append(a.Services, conversations.Service{OrderNo: v.OrderNo, Kind: v.Kind, Done: v.CompletedAt})
	}
	cs, err := l.db.CasesByPhone(ctx, phone, false)
	if err != nil {
		return a, err
	}
	for _, c := range cs {
		if c.OrderNo == "" {
			continue
		}
		var lines []int
		for _, s := range strings.Split(c.Details["lines"], ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
				lines = append(lines, n)
			}
		}
		a.Cases = append(a.Cases, conversations.ProductCase{Number: c.Number, Kind: string(c.Kind), Status: string(c.Status),
			OrderNo: c.OrderNo, Lines: lines})
	}
	cards, err := l.db.CardsByPhone(ctx, phone)
	if err != nil {
		return a, err
	}
	for _, c := range cards {
		a.Cards = append(a.Cards, conversations.Card{OrderNo: c.OrderNo, Line: c.Line, Number: c.Number, Token: c.Token})
	}
	return a, nil
}

// Knowledge is what staff added to the knowledge base
// (conversations.KnowledgeLookup).
func (l *storeLookup) Knowledge(ctx context.Context) ([]config.KBEntry, error) {
	entries, err := l.db.KBEntries(ctx)
	out := make([]config.KBEntry, len(entries))
	for i, e := range entries {
		out[i] = e.KBEntry
	}
	return out, err
}

// applyProducts applies the effects of the product dialogs.
func (a *applier) applyProducts(e conversations.Effect) error {
	switch e := e.(type) {
	case conversations.KBOffered:
		return a.tx.CountKB(e.IDs, false)
	case conversations.KBHelped:
		return a.tx.CountKB([]string{e.ID}, true)
	case conversations.CareStop:
		phone, err := a.tx.PhoneOfChat(a.in.Channel, a.in.ChatID)
		if errors.Is(err, store.ErrNotFound) {
			return nil // a chat no customer verified in gets no reminders
		}
		if err != nil {
			return err
		}
		if err := a.tx.StopCare(phone, a.now); err != nil {
			return err
		}
		return a.tx.Audit(store.AuditEntry{At: a.now, Actor: "customer " + a.key, Action: "care_stopped", Subject: "chat " + a.key})
	}
	return a.applyResolution(e)
}

// AddKnowledge adds an entry to the knowledge base, or replaces the one of
// its id; staff write it from a resolved case (FromCase) or the back
// office. A bad entry is refused with the field named and nothing changes.
func (d *Desk) AddKnowledge(ctx context.Context, e config.KBEntry, by string) error {
	if e.FromCase != "" {
		c, err := d.Store.CaseByNumber(ctx, e.FromCase)
		if err != nil {
			return err
		}
		if c.Status != cases.Resolved {
			return cases.Errorf(cases.Conflict, "from_case: case %s is not resolved; an answer is written from a resolved case", e.FromCase)
		}
	}
	return d.Store.Update(ctx, func(tx *store.Tx) error {
		if err := tx.PutKBEntry(e, by, d.Now()); err != nil {
			return err
		}
		return tx.Audit(store.AuditEntry{At: d.Now(), Actor: by, Action: "knowledge_added", Subject: e.ID, Detail: e.FromCase})
	})
}

// IssueWarrantyCards issues the electronic warranty card of every line of
// the orders the customers received, and tells each customer in the chats
// they verified in, with the cards' links (ARC-2). It returns the cards
// issued; an order issued before is left alone.
func (d *Desk) IssueWarrantyCards(ctx context.Context) (int, error) {
	orders, err := d.Store.OrdersWithoutCards(ctx)
	if err != nil {
		return 0, err
	}
	issued := 0
	for _, o := range orders {
		chats, err := d.Store.ChatsByPhone(ctx, o.Phone)
		if err != nil {
			return issued, err
		}
		n := 0
		err = d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
			now := d.Now()
			var notices []conversations.CardNotice
			for _, it := range o.Items {
				c, created, err := tx.IssueCard(o.No, it.Line, now)
				if err != nil {
					return err
				}
				if created {
					n++
					notices = append(notices, conversations.CardNotice{Product: it.Name, Number: c.Number,
						Link: conversations.CardLink(d.Products.BaseURL, c.Token)})
				}
			}
			if len(notices) == 0 {
				return nil
			}
			for _, ch := range chats {
				lang, err := d.stateLang(ctx, ch.Channel, ch.ChatID)
				if err != nil {
					return err
				}
				payload, _ := json.Marshal(Message{Text: conversations.CardIssued(lang, o.No, notices)})
				if _, err := tx.Enqueue(store.OutboxMessage{Channel: ch.Channel, Recipient: ch.ChatID, Payload: payload}, now); err != nil {
					return err
				}
			}
			return nil
		})
		d.wake(err, n > 0)
		if err != nil {
			return issued, err
		}
		issued += n
	}
	return issued, nil
}

// careWeek is the least time between two care reminders of a customer.
const careWeek = 7 * 24 * time.Hour

// SendCareReminders sends the care reminders that are due (ARC-3): by the
// rules of the item's category or SKU, counted from the day the order was
// received (else bought); only while the shop is open; at most one a week
// to a customer; never to one who stopped them, nor to one with no chat.
func (d *Desk) SendCareReminders(ctx context.Context) (int, error) {
	now := d.Now()
	if len(d.CareRules) == 0 || !d.Open(now) {
		return 0, nil
	}
	today := now.In(d.location()).Format("2006-01-02")
	orders, err := d.Store.ReceivedOrders(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	done := map[string]bool{} // customers handled in this run
	for _, o := range orders {
		if done[o.Phone] {
			continue
		}
		ok, err := d.careAllowed(ctx, o.Phone, now)
		if err != nil {
			return sent, err
		}
		if !ok {
			done[o.Phone] = true
			continue
		}
		start := o.DeliveredOn
		if start == "" {
			start = o.PaidOn
		}
		for _, it := range o.Items {
			if done[o.Phone] {
				break
			}
			for _, r := range d.CareRules {
				if !r.Matches(it.Category, it.SKU) {
					continue
				}
				due, ok := conversations.CareDue(start, r.EveryMonths, today)
				if !ok {
					continue
				}
				was, err := d.Store.CareDueSent(ctx, o.No, it.Line, r.ID, due)
				if err != nil {
					return sent, err
				}
				if was {
					continue
				}
				ok, err = d.sendCare(ctx, o, it, r, due, now)
				if err != nil {
					return sent, err
				}
				if ok {
					sent++
					done[o.Phone] = true
					break
				}
			}
		}
	}
	return sent, nil
}

// careAllowed: the customer did not stop the reminders and got none this
// week.
func (d *Desk) careAllowed(ctx context.Context, phone string, now time.Time) (bool, error) {
	stopped, err := d.Store.CareStopped(ctx, phone)
	if err != nil || stopped {
		return false, err
	}
	last, err := d.Store.LastCare(ctx, phone)
	return last.IsZero() || now.Sub(last) >= careWeek, err
}

// sendCare sends one care reminder to the customer's chats and records it;
// false when they have no chat.
func (d *Desk) sendCare(ctx context.Context, o store.Order, it store.Item, r config.CareRule, due string, now time.Time) (bool, error) {
	chats, err := d.Store.ChatsByPhone(ctx, o.Phone)
	if err != nil || len(chats) == 0 {
		return false, err
	}
	sent := false
	err = d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
		fresh, err := tx.RecordCare(store.CareSent{Phone: o.Phone, OrderNo: o.No, Line: it.Line, RuleID: r.ID, DueOn: due, SentAt: now})
		if err != nil || !fresh {
			return err
		}
		for _, ch := range chats {
			lang, err := d.stateLang(ctx, ch.Channel, ch.ChatID)
			if err != nil {
				return err
			}
			advice := r.Text[string(lang)]
			if advice == "" {
				advice = r.Text[string(conversations.ZhHans)]
			}
			reply := conversations.CareReminder(lang, it.Name, o.No, advice)
			payload, _ := json.Marshal(Message{Text: reply.Text, Buttons: reply.Buttons})
			if _, err := tx.Enqueue(store.OutboxMessage{Channel: ch.Channel, Recipient: ch.ChatID, Payload: payload}, now); err != nil {
				return err
			}
		}
		sent = true
		return nil
	})
	d.wake(err, sent)
	return sent, err
}
