package backoffice

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"frontdesk/internal/jsonhttp"
	"frontdesk/store"
)

// DeadlineDesk is what the API asks of the desk about delivery dates
// (bot/deadlines.go).
type DeadlineDesk interface {
	MoveDeadline(ctx context.Context, orderNo, date, actor, reason string, risk bool) (store.DeadlineChange, bool, error)
	SendPreview(ctx context.Context, orderNo string) (bool, error)
	AskEarlyConsent(ctx context.Context, trackingNo string) (bool, error)
}

// DeadlineIn is a new promised date for an order: agreed with the customer
// (DLV-8), or a delay risk declared before the date (DLV-9).
type DeadlineIn struct {
	Deadline string `json:"deadline"`
	Reason   string `json:"reason"`
	By       string `json:"by,omitempty"`
	Risk     bool   `json:"risk,omitempty"`
}

func (in DeadlineIn) check(a *API) (date, by string, err error) {
	if date, err = shopDate("deadline", in.Deadline, a.Location, true); err != nil {
		return "", "", err
	}
	if today := a.Now().In(a.Location).Format("2006-01-02"); date < today {
		return "", "", bad("deadline", "%s is in the past (today is %s)", date, today)
	}
	reason := strings.TrimSpace(in.Reason)
	switch {
	case reason == "":
		return "", "", bad("reason", "is required: why the date moves")
	case !utf8.ValidString(reason) || utf8.RuneCountInString(reason) > store.MaxDeadlineReason:
		return "", "", bad("reason", "at most %d characters", store.MaxDeadlineReason)
	}
	by = strings.TrimSpace(in.By)
	if by == "" {
		by = "back office"
	}
	if utf8.RuneCountInString(by) > 100 {
		return "", "", bad("by", "at most 100 characters")
	}
	return date, by, nil
}

// putDeadline is PUT /api/v1/orders/{no}/deadline: the order's new promised
// date, kept with its history; the customer is told (in opening hours) and
// the reminders and the delay watch start again for the new date.
func (a *API) putDeadline(w http.ResponseWriter, r *http.Request) {
	no := r.PathValue("no")
	var in DeadlineIn
	if !decode(w, r, &in) {
		return
	}
	if _, err := a.Store.Order(r.Context(), no); !a.found(w, r, err, http.StatusNotFound, "unknown_order", "no", "no order "+strconv.Quote(no)) {
		return
	}
	date, by, err := in.check(a)
	if !a.ok(w, r, err) {
		return
	}
	desk, ok := a.Desk.(DeadlineDesk)
	if !ok {
		writeError(w, http.StatusNotImplemented, "not_supported", "", "this desk cannot move delivery dates")
		return
	}
	change, changed, err := desk.MoveDeadline(r.Context(), no, date, by, strings.TrimSpace(in.Reason), in.Risk)
	if !a.ok(w, r, jsonhttp.InField("deadline", err)) {
		return
	}
	a.writeOrderWithHistory(w, r, no, http.StatusOK, map[string]any{"changed": changed, "change": changeOut(change)})
}

// writeOrderWithHistory answers the order with its date history and the
// recorded delivery, plus extra.
func (a *API) writeOrderWithHistory(w http.ResponseWriter, r *http.Request, no string, status int, extra map[string]any) {
	o, err := a.Store.Order(r.Context(), no)
	if !a.ok(w, r, err) {
		return
	}
	out, err := a.orderWithHistory(r.Context(), o)
	if !a.ok(w, r, err) {
		return
	}
	extra["order"] = out
	writeJSON(w, status, extra)
}

// deadlineHistory is the order's date history in its JSON shape.
func (a *API) deadlineHistory(ctx context.Context, no string) ([]map[string]any, error) {
	hist, err := a.Store.DeadlineHistory(ctx, no)
	return each(hist, changeOut), err
}

// upsertOrder writes an order the back office sent; a promised date it
// changes is kept in the order's history (kind back_office), in the same
// transaction (DLV-8).
func (a *API) upsertOrder(ctx context.Context, prev, o store.Order, created bool) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return a.Store.Update(ctx, func(tx *store.Tx) error {
		now := a.Now()
		if !created && o.Deadline != "" && o.Deadline != prev.Deadline {
			if _, err := tx.ChangeDeadline(store.DeadlineChange{OrderNo: o.No, New: o.Deadline, Kind: store.ChangeBackOffice,
				Actor: "back office", Reason: "the order was updated", At: now}); err != nil {
				return err
			}
		}
		return tx.UpsertOrder(o, now)
	})
}

// orderWithHistory is orderOut with the date's history (old → new, who,
// why) and the delivery the customer reported (DLV-8, DLV-10).
func (a *API) orderWithHistory(ctx context.Context, o store.Order) (map[string]any, error) {
	hist, err := a.Store.DeadlineHistory(ctx, o.No)
	if err != nil {
		return nil, err
	}
	out := orderOut(o)
	out["delivered_on"] = o.DeliveredOn
	out["deadline_history"] = each(hist, changeOut)
	return out, nil
}

func changeOut(c store.DeadlineChange) map[string]any {
	return map[string]any{"old": c.Old, "new": c.New, "kind": c.Kind, "by": c.Actor, "reason": c.Reason, "at": stamp(c.At)}
}

// openNow reports whether proactive messages may go out now.
func (a *API) openNow() bool {
	now := a.Now()
	return a.Calendar == nil || a.Calendar.NextOpen(now).Equal(now.In(a.Calendar.Location()))
}

// preview sends a new order's service preview now when the shop is open
// (DLV-11); otherwise the scheduler sends it at the next opening, or once
// the customer has a chat. It returns what happened, for the answer.
func (a *API) preview(ctx context.Context, orderNo string) string {
	desk, ok := a.Desk.(DeadlineDesk)
	if !ok {
		return "not_supported"
	}
	if !a.openNow() {
		return "scheduled_for_opening_hours"
	}
	sent, err := desk.SendPreview(ctx, orderNo)
	switch {
	case err != nil:
		a.Log.Info("backoffice: service preview not sent yet", "order_no", orderNo, "err", err)
		return "waiting_for_customer_chat"
	case !sent:
		return "not_needed"
	}
	return "sent"
}

// earlyConsent asks the customer about a shipment earlier than agreed
// (DLV-12) now when the shop is open; the scheduler asks later otherwise.
func (a *API) earlyConsent(ctx context.Context, s store.Shipment) string {
	desk, ok := a.Desk.(DeadlineDesk)
	if !ok {
		return "not_supported"
	}
	consent, err := a.Store.EarlyConsent(ctx, s.TrackingNo)
	if err == nil && consent != "" {
		return consent
	}
	if !a.openNow() {
		// Whether it is early enough to ask is the desk's rule; it is
		// checked, and asked, at the next opening.
		if o, err := a.Store.Order(ctx, s.OrderNo); err == nil && !o.Delivered() && o.Deadline != "" && s.ExpectedArrival < o.Deadline {
			return "check_in_opening_hours"
		}
		return "not_needed"
	}
	asked, err := desk.AskEarlyConsent(ctx, s.TrackingNo)
	switch {
	case err != nil:
		a.Log.Info("backoffice: early-delivery question not asked yet", "tracking_no", s.TrackingNo, "err", err)
		return "waiting_for_customer_chat"
	case !asked:
		return "not_needed"
	}
	return store.ConsentAsked
}
