package bot

import (
	"context"
	"errors"
	"fmt"
	"time"

	"frontdesk/cases"
	"frontdesk/conversations"
	"frontdesk/store"
)

// The spare parts of 003 at the desk (PRT-1 … PRT-4): the price-list line a
// parts line needs, the effects of the parts decisions (lines kept, the fee
// asked in the chat, the shipment and the reminders told), the customer's
// answer to the fee, and the scheduler's run over replaced parts due back.

// The staff actions of the parts procedure, as the staff channels name them.
const (
	ActPartsAdd      = string(cases.PartsAdd)
	ActPartsQuote    = string(cases.PartsQuote)
	ActPartsWaive    = string(cases.PartsWaive)
	ActPartsPaid     = string(cases.PartsPaid)
	ActPartsShip     = string(cases.PartsShip)
	ActPartsReturned = string(cases.PartsReturned)
)

// PartsRemindBefore is how long before the due date the customer and the
// provider are reminded of replaced parts, by default.
const PartsRemindBefore = 3 * 24 * time.Hour

// prepareParts loads the price-list line of a parts line's SKU; a SKU not
// in the list is left for the decision to refuse with its reason.
func prepareParts(tx *store.Tx, a *cases.Action) error {
	if a.Verb != cases.PartsAdd {
		return nil
	}
	sku, _, _, err := cases.ParsePartsLine(a.Value)
	if err != nil {
		return nil // the decision refuses it with its reason
	}
	p, err := tx.PartPriceInTx(sku)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	a.Part = &p
	return nil
}

// applyPartsEffect applies the effects of a parts decision in the
// caller's transaction.
func (d *Desk) applyPartsEffect(tx *store.Tx, c cases.Case, actor string, e cases.Effect, now time.Time) error {
	switch e := e.(type) {
	case cases.AddPartLine:
		return tx.AddPartLine(store.PartLine{CaseID: c.ID, SKU: e.SKU, Name: e.Name, Qty: e.Qty, Warranty: e.Warranty,
			UnitCents: e.UnitCents, FeeCents: e.FeeCents, AddedAt: now, AddedBy: actor})
	case cases.PartsLinesShipped:
		return tx.ShipPartLines(c.ID, e.Date, e.DueBack, now)
	case cases.PartsLinesReturned:
		return tx.ReturnPartLines(c.ID, e.At)
	case cases.PartsLinesCharged:
		return tx.ChargePartLines(c.ID, e.At)
	}
	lang, err := chatLang(tx, c.Channel, c.ChatID)
	if err != nil {
		return err
	}
	var m Message
	switch e := e.(type) {
	case cases.AskPartsFee:
		r := conversations.PartsFeeQuestion(lang, c.Number, feeLines(e.Lines), e.PartsCents, e.ServiceCents)
		m = Message{Text: r.Text, Buttons: r.Buttons}
	case cases.TellPartsShipped:
		m = Message{Text: conversations.PartsShippedNotice(lang, c.Number, e.Date, e.Tracking, e.DueBack)}
	case cases.TellPartsDue:
		m = Message{Text: conversations.PartsDueNotice(lang, c.Number, e.DueBack)}
	default:
		return fmt.Errorf("bot: no way to apply case effect %T", e)
	}
	if err := toChat(tx, c, m, now); err != nil {
		return err
	}
	return enqueueStaff(tx, c.Number, StaffPost{Kind: "thread", From: "bot", Text: "→ " + m.Text}, now)
}

// feeLines are the case's parts lines as the customer reads them.
func feeLines(lines []cases.PartsLine) []conversations.PartsFeeLine {
	out := make([]conversations.PartsFeeLine, len(lines))
	for i, l := range lines {
		out[i] = conversations.PartsFeeLine{SKU: l.SKU, Name: l.Name, Qty: l.Qty, FeeCents: l.FeeCents(), Free: l.Free}
	}
	return out
}

// partsFeeAnswered records the customer's answer to the fee by the
// decision staff would take for them (PRT-2).
func (a *applier) partsFeeAnswered(e conversations.PartsFeeAnswered) error {
	verb := cases.PartsRefuse
	if e.Accepted {
		verb = cases.PartsAccept
	}
	err := a.desk.decideInTx(a.tx, e.CaseNumber, cases.Action{Verb: verb}, customer, a.now)
	if cases.ErrorCode(err) == cases.Conflict {
		return nil // answered a moment ago: the dialog told the customer what it saw
	}
	return err
}

// PartsQuote serves the fee question's read of a case its buttons name, if
// it is this chat's customer's.
func (l *storeLookup) PartsQuote(ctx context.Context, channel, chatID, number string) (conversations.PartsQuote, error) {
	c, err := l.db.ChatCaseOf(ctx, channel, chatID, number)
	if errors.Is(err, store.ErrNotFound) {
		return conversations.PartsQuote{}, conversations.ErrNotFound
	}
	if err != nil {
		return conversations.PartsQuote{}, err
	}
	return conversations.PartsQuote{Number: c.Number, Status: c.Details[cases.DetailPartsStatus]}, nil
}

// partsPerRun bounds one run of the replaced-parts job.
const partsPerRun = 200

// RunPartsDue reminds of replaced parts due back within remindBefore (once
// a day per case) and charges those past their date (PRT-4). It returns how
// many reminders and charges it recorded.
func (d *Desk) RunPartsDue(ctx context.Context, remindBefore time.Duration) (reminded, charged int, err error) {
	if remindBefore <= 0 {
		remindBefore = PartsRemindBefore
	}
	now := d.Now()
	day := now.In(d.location()).Add(remindBefore).Format("2006-01-02")
	due, err := d.Store.PartsDueBy(ctx, day, partsPerRun)
	if err != nil {
		return 0, 0, err
	}
	for _, no := range due {
		for _, verb := range []cases.Verb{cases.PartsCharge, cases.PartsRemind} {
			err := d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
				return d.decideInTx(tx, no, cases.Action{Verb: verb}, cases.Actor{Name: "scheduler", Role: cases.System}, now)
			})
			if cases.ErrorCode(err) == cases.Conflict {
				continue // not yet overdue, or reminded today already
			}
			d.wake(err, err == nil)
			if err != nil {
				return reminded, charged, fmt.Errorf("bot: replaced parts of %s: %w", no, err)
			}
			if verb == cases.PartsCharge {
				charged++
			} else {
				reminded++
			}
			break
		}
	}
	return reminded, charged, nil
}

// PostPartsCounts posts last month's parts counts (issued, returned,
// charged) to the managers, once a month, and keeps them for the digest
// page (PRT-7).
func (d *Desk) PostPartsCounts(ctx context.Context) (bool, error) {
	now := d.Now().In(d.location())
	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, d.location()).AddDate(0, -1, 0)
	n, err := d.Store.PartsCounted(ctx, from, from.AddDate(0, 1, 0))
	if err != nil {
		return false, err
	}
	month := from.Format("2006-01")
	args := conversations.Args{"Month": month, "Issued": n.Issued, "Free": n.IssuedFree, "Returned": n.Returned,
		"Charged": n.Charged, "ChargedYuan": cases.Yuan(n.ChargedCents), "Fees": cases.Yuan(n.FeeCents)}
	text := conversations.T(conversations.ZhHans, "staff.parts.monthly", args) + "\n" + conversations.T(conversations.En, "staff.parts.monthly", args)
	return d.PostToManagers(ctx, "parts:"+month, text, nil)
}
