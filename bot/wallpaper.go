package bot

import (
	"context"
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

// Wallpaper (004): the batch and its stock for the dialogs, the clocks of a
// wallpaper complaint, the stock check from the back office's stock, the
// return instructions in the customer's language, and the follow-ups kept
// without rating anyone (WAL-2, WAL-3, WAL-5, WAL-7, WAL-8).

// The staff actions of wallpaper cases (cases/wallpaper.go).
const (
	ActWallStock          = string(cases.WallStock)
	ActWallTrial          = string(cases.WallTrial)
	ActWallPlan           = string(cases.WallPlan)
	ActWallReturn         = string(cases.WallReturn)
	ActWallTracking       = string(cases.WallTracking)
	ActWallReceived       = string(cases.WallReceived)
	ActWallResponsibility = string(cases.WallResponsibility)
	ActWallReturnOK       = string(cases.WallReturnOK)
	ActWallRollCheck      = string(cases.WallRollCheck)
)

// wallpaperItems gives the dialogs the batch number of each wallpaper item
// and the stock of that batch when the back office told it.
func (l *storeLookup) wallpaperItems(ctx context.Context, o store.Order, v *conversations.Order) error {
	for i, it := range o.Items {
		if string(it.Category) != "wallpaper" || i >= len(v.Items) || it.BatchNo == "" {
			continue
		}
		v.Items[i].BatchNo = it.BatchNo
		s, err := l.db.WallpaperStockOf(ctx, it.SKU, it.BatchNo)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		v.Items[i].StockKnown, v.Items[i].StockRolls = true, s.Rolls
	}
	return nil
}

// startWallpaperClocks starts the clocks of a wallpaper complaint just
// opened: the answer in 24 hours, the plan the same day (WAL-5).
func (a *applier) startWallpaperClocks(c cases.Case) error {
	ks := cases.WallpaperClocks(c, a.now, a.desk.location(), a.desk.policy().Wall)
	if len(ks) == 0 {
		return nil
	}
	for _, k := range ks {
		if err := a.tx.StartClock(store.Clock{CaseID: c.ID, Name: k.Name, StartedAt: k.StartedAt, DueAt: k.Due,
			FarDueAt: k.FarDue, StopOn: k.StopOn}); err != nil {
			return err
		}
	}
	return a.tx.RefreshDeadline(c.ID)
}

// wallFollowAnswered keeps a wallpaper follow-up's answer with the visit's
// surveys; it rates no provider (WAL-7).
func (a *applier) wallFollowAnswered(e conversations.WallFollowAnswered) error {
	answers, err := json.Marshal(map[string]any{"wallpaper_follow_up": true, "problem": e.Problem})
	if err != nil {
		return err
	}
	s := store.Survey{VisitID: e.VisitID, Stage: e.Stage, Channel: a.in.Channel, ChatID: a.in.ChatID, SentAt: a.now,
		AnsweredAt: a.now, Answers: string(answers)}
	if _, err := a.tx.StartSurvey(s); err != nil {
		return err
	}
	return a.tx.AnswerSurvey(s)
}

// wallStockAction fills a stock check given without a count with the back
// office's stock of the case's batch; a clerk's count is kept as theirs.
func wallStockAction(tx *store.Tx, act cases.Action, caseNo string) (cases.Action, error) {
	if strings.TrimSpace(act.Value) != "" {
		if f := strings.Fields(act.Value); len(f) == 1 {
			act.Value = f[0] + " clerk"
		}
		return act, nil
	}
	c, err := tx.CaseInTx(caseNo)
	if err != nil {
		return act, err
	}
	batch, sku := c.Details["batch_no"], ""
	if line, err := strconv.Atoi(c.Details["wall_item_line"]); err == nil && c.OrderNo != "" {
		s, b, err := tx.OrderItemSKUInTx(c.OrderNo, line)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return act, err
		}
		sku = s
		if batch == "" || batch == "unknown" {
			batch = b
		}
	}
	if batch == "" || batch == "unknown" {
		return act, fmt.Errorf("%w: %w", ErrBadAction, cases.Errorf(cases.Invalid,
			"case %s has no batch number: give the rolls in stock as counted (the clerk's answer)", caseNo))
	}
	s, err := tx.WallpaperStockInTx(sku, batch)
	if errors.Is(err, store.ErrNotFound) {
		return act, fmt.Errorf("%w: %w", ErrBadAction, cases.Errorf(cases.Invalid,
			"the back office has told no stock of batch %s: give the rolls in stock as counted (the clerk's answer)", batch))
	}
	if err != nil {
		return act, err
	}
	act.Value = strconv.Itoa(s.Rolls) + " back_office"
	return act, nil
}

// wallReturnInstructions sends the customer, in their language, how to
// send the wallpaper back: hung paper torn off, packed, couriered (WAL-3).
func (d *Desk) wallReturnInstructions(tx *store.Tx, c cases.Case, e cases.WallReturnInstructions, now time.Time) error {
	lang, err := chatLang(tx, c.Channel, c.ChatID)
	if err != nil {
		return err
	}
	r := conversations.WallReturnInstructions(lang, c.Number, e.Address)
	return toChat(tx, c, Message{Text: r.Text, Buttons: r.Buttons}, now)
}

// wallShipped keeps the tracking number the customer told in the chat on
// their wallpaper case, by the same decision staff take, and shows it in
// the case's thread (WAL-3).
func (a *applier) wallShipped(e conversations.WallShipped) error {
	c, err := a.tx.CaseInTx(e.CaseNumber)
	if err != nil {
		return err
	}
	next, effects, err := cases.Decide(c, cases.Action{Verb: cases.WallTracking, Value: e.TrackingNo},
		cases.Actor{Name: "customer", Role: cases.System}, a.now, a.desk.policy())
	if err != nil {
		// Not asked yet, or told already: the customer's words go to the
		// thread for staff, and nothing else changes.
		a.last = c
		return a.thread(StaffPost{Kind: "thread", From: "customer", Text: "壁纸退回运单号 / wallpaper return tracking: " + e.TrackingNo})
	}
	return a.keepCustomerDecision(c, next, effects, "壁纸退回运单号 / wallpaper return tracking: "+next.Details[cases.DetailWallTracking])
}
