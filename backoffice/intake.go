package backoffice

import (
	"context"
	"net/http"
	"strings"

	"frontdesk/cases"
	"frontdesk/conversations"
	"frontdesk/store"
)

// apiActor is who opens a case through the API: the back office itself,
// on behalf of the clerk who took the call.
var apiActor = cases.Actor{Name: "back office", Role: cases.System}

// postCase opens a case for a request that came by phone, in the shop, by
// letter or by fax (INT-1): 201 with its number, or a 4xx naming the field
// that is wrong, and nothing saved.
func (a *API) postCase(w http.ResponseWriter, r *http.Request) {
	var in cases.Intake
	if !decode(w, r, &in) {
		return
	}
	c, err := a.Desk.OpenIntake(r.Context(), apiActor, in)
	if !a.ok(w, r, err) {
		return
	}
	// A case linked to a chat told the customer its number there (INT-2).
	writeJSON(w, http.StatusCreated, map[string]any{"number": c.Number, "intake_channel": c.Intake,
		"customer_told": c.ChatID != "", "case": caseOut(c)})
}

// addIntake adds to a case's JSON what staff see beside it (INT-3, INT-4):
// the intake channel, the items, every answer the dialog gathered with its
// label, and the customer's other open cases and orders.
func (a *API) addIntake(ctx context.Context, c cases.Case, out map[string]any) error {
	links, err := a.Store.CaseLinks(ctx, c)
	if err != nil {
		return err
	}
	out["intake_channel"] = c.Intake
	items := links.Items
	if items == nil {
		items = []string{}
	}
	out["items"] = items
	answers := []map[string]any{}
	for _, an := range conversations.Answers(conversations.ZhHans, c.Details) {
		answers = append(answers, map[string]any{"key": an.Key, "label": an.Label, "value": an.Value, "text": an.Text})
	}
	out["answers"] = answers
	open := []map[string]any{}
	for _, o := range links.OtherOpen {
		open = append(open, map[string]any{"number": o.Number, "kind": o.Kind, "status": o.Status, "order_no": o.OrderNo,
			"created_at": stamp(o.CreatedAt)})
	}
	orders := []map[string]any{}
	for _, o := range links.Orders {
		orders = append(orders, map[string]any{"order_no": o.No, "status": o.Status, "deadline": o.Deadline, "items": o.Items})
	}
	out["customer"] = map[string]any{"other_open_cases": open, "orders": orders}
	return nil
}

// intakeHeader names the export's columns of what the customer gave
// (INT-3, INT-4): the intake channel, the items, one column per answer a
// dialog asks, and the customer's other open cases.
func intakeHeader() []string {
	return append(append([]string{"intake_channel", "items"}, conversations.AnswerKeys()...), "other_open_cases")
}

// intakeCells are a case's cells under intakeHeader: the answers in words
// (zh-Hans, as staff read them), items and case numbers separated by "; ".
func intakeCells(ctx context.Context, db *store.DB, c cases.Case) ([]string, error) {
	links, err := db.CaseLinks(ctx, c)
	if err != nil {
		return nil, err
	}
	text := map[string]string{}
	for _, a := range conversations.Answers(conversations.ZhHans, c.Details) {
		text[a.Key] = a.Text
	}
	out := []string{c.Intake, strings.Join(links.Items, "; ")}
	for _, k := range conversations.AnswerKeys() {
		out = append(out, text[k])
	}
	var open []string
	for _, o := range links.OtherOpen {
		open = append(open, o.Number)
	}
	return append(out, strings.Join(open, "; ")), nil
}
