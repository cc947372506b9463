package conversations

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// The parts fee of 003 (材料处理 一, PRT-2, PRT-3, PRT-4) on the customer's
// side: staff quote the parts out of warranty, and the customer accepts or
// refuses the fee with a button that carries the case number, in or out of
// another flow; the customer is told the ship date and tracking of the
// parts, and reminded of replaced parts due back.

// prefixParts is the button data of the fee question: prefix, answer, ":"
// and the case number.
const prefixParts = "partsfee:"

// The answers to the fee question.
const (
	PartsFeeAccept = "accept"
	PartsFeeRefuse = "refuse"
)

// PartsQuote is what the fee question reads of a case its buttons name:
// its parts status ("quoted" while the question is open).
type PartsQuote struct {
	Number string
	Status string
}

// PartsLookup is what the fee question reads besides Lookup: the parts
// request of a case a button names, if it is this chat's customer's. A
// Lookup without it treats every such button as stale.
type PartsLookup interface {
	PartsQuote(ctx context.Context, channel, chatID, number string) (PartsQuote, error)
}

// PartsFeeAnswered records the customer's answer to the fee.
type PartsFeeAnswered struct {
	CaseNumber string
	Accepted   bool
}

func (PartsFeeAnswered) isEffect() {}

// PartsFeeLine is a parts line as the customer reads it.
type PartsFeeLine struct {
	SKU, Name string
	Qty       int
	FeeCents  int64 // 0 in warranty
	Free      bool
}

// PartsFeeQuestion asks the customer to accept the fee of the parts out of
// warranty at the price list, and the service fee if any (PRT-2).
func PartsFeeQuestion(lang Lang, caseNumber string, lines []PartsFeeLine, partsCents, serviceCents int64) Reply {
	var list []string
	for _, l := range lines {
		key, args := "parts.line_paid", Args{"Part": l.Name + " (" + l.SKU + ")", "Qty": l.Qty, "Fee": yuan(l.FeeCents)}
		if l.Free {
			key = "parts.line_free"
			delete(args, "Fee")
		}
		list = append(list, T(lang, key, args))
	}
	text := T(lang, "parts.fee_ask", Args{"Case": caseNumber, "Lines": strings.Join(list, "\n"),
		"Parts": yuan(partsCents), "Service": yuan(serviceCents), "Total": yuan(partsCents + serviceCents)})
	return Reply{Text: text, Buttons: [][]Button{{
		{Label: T(lang, "parts.btn_accept"), Data: prefixParts + PartsFeeAccept + ":" + caseNumber},
		{Label: T(lang, "parts.btn_refuse"), Data: prefixParts + PartsFeeRefuse + ":" + caseNumber},
	}}}
}

// PartsShippedNotice tells the customer the ship date and the tracking
// number of the parts (PRT-3), and when the replaced parts are due back
// (PRT-4).
func PartsShippedNotice(lang Lang, caseNumber, date, tracking, dueBack string) string {
	text := T(lang, "parts.shipped", Args{"Case": caseNumber, "Date": date, "Tracking": tracking})
	if dueBack != "" {
		text += "\n" + T(lang, "parts.due_back", Args{"Due": dueBack})
	}
	return text
}

// PartsDueNotice reminds the customer of replaced parts due back (PRT-4).
func PartsDueNotice(lang Lang, caseNumber, dueBack string) string {
	return T(lang, "parts.remind", Args{"Case": caseNumber, "Due": dueBack})
}

// partsFeeAnswer handles the fee buttons; the flow in progress carries on.
func (d *dialog) partsFeeAnswer(data string) error {
	answer, number, _ := strings.Cut(strings.TrimPrefix(data, prefixParts), ":")
	lk, ok := d.env.Lookup.(PartsLookup)
	if !ok || (answer != PartsFeeAccept && answer != PartsFeeRefuse) || number == "" || len(number) > 64 {
		d.sayKeepingFlow(d.t("resolution.stale"))
		return nil
	}
	q, err := lk.PartsQuote(d.ctx, d.in.Channel, d.in.ChatID, number)
	if errors.Is(err, ErrNotFound) {
		d.sayKeepingFlow(d.t("resolution.stale"))
		return nil
	}
	if err != nil {
		return fmt.Errorf("conversations: parts quote: %w", err)
	}
	if q.Status != "quoted" {
		d.sayKeepingFlow(d.t("parts.already", Args{"Case": q.Number}))
		return nil
	}
	d.effects = append(d.effects, PartsFeeAnswered{CaseNumber: q.Number, Accepted: answer == PartsFeeAccept})
	if answer == PartsFeeAccept {
		d.sayKeepingFlow(d.t("parts.accepted", Args{"Case": q.Number}))
		return nil
	}
	d.sayKeepingFlow(d.t("parts.refused", Args{"Case": q.Number}))
	return nil
}
