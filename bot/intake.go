package bot

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/store"
)

// OpenIntake opens a case for a request that came by phone, in the shop,
// by letter or by fax, as the staff member by wrote it down (INT-1): the
// intake channel is recorded, the case starts the clocks of its kind as a
// chat case does, and staff get its card. A customer who verified a chat
// with this phone gets the case number there (INT-2), and staff replies
// reach them in it. Bad input is a *cases.FieldError naming the field,
// and nothing is saved.
func (d *Desk) OpenIntake(ctx context.Context, by cases.Actor, in cases.Intake) (cases.Case, error) {
	if !by.Role.Valid() && by.Role != cases.System {
		return cases.Case{}, cases.Errorf(cases.Forbidden, "only staff may open a case")
	}
	in, err := in.Validate()
	if err != nil {
		return cases.Case{}, err
	}
	if in.OrderNo != "" {
		o, err := d.Store.Order(ctx, in.OrderNo)
		if errors.Is(err, store.ErrNotFound) {
			return cases.Case{}, cases.FieldErrorf("order_no", cases.Invalid, "there is no order %s", in.OrderNo)
		}
		if err != nil {
			return cases.Case{}, err
		}
		// The order must be this customer's: a phone that is not the
		// order's would put one customer's case on another's order (ID-3).
		if in.Phone != "" && store.NormalizePhone(in.Phone) != store.NormalizePhone(o.Phone) {
			return cases.Case{}, cases.FieldErrorf("order_no", cases.Invalid,
				"order %s is another customer's: the phone given is not the order's phone", in.OrderNo)
		}
		if in.Phone == "" {
			in.Phone = o.Phone
		}
		if in.CustomerName == "" {
			in.CustomerName = o.CustomerName
		}
	}
	chats, err := d.Store.ChatsByPhone(ctx, in.Phone)
	if err != nil {
		return cases.Case{}, err
	}
	// The case answers in the chat verified last; the customer is told its
	// number in every chat they verified, in the language of each.
	var chat store.CustomerChat
	langs := make([]conversations.Lang, len(chats))
	for i, ch := range chats {
		if langs[i], err = d.stateLang(ctx, ch.Channel, ch.ChatID); err != nil {
			return cases.Case{}, err
		}
	}
	if len(chats) > 0 {
		chat = chats[0]
	}
	var out cases.Case
	err = d.Store.UpdateGrouped(ctx, func(tx *store.Tx) error {
		now := d.Now()
		details := map[string]string{}
		if len(in.Items) > 0 {
			details[store.ItemsDetail] = strings.Join(in.Items, "\n")
		}
		c := cases.Case{Kind: config.CaseKind(in.Kind), OrderNo: in.OrderNo, CustomerName: in.CustomerName, Phone: in.Phone,
			Channel: chat.Channel, ChatID: chat.ChatID, Severity: in.Severity, Description: in.Description,
			Classification: "staff intake: " + in.Channel, Details: details}
		if d.Promises.FirstResponse > 0 {
			c.DeadlineAt = now.Add(d.Promises.FirstResponse)
		}
		c, err := tx.OpenCase(c, now, d.location())
		if err != nil {
			return err
		}
		if err := tx.SetIntake(c.ID, in.Channel); err != nil {
			return err
		}
		c.Intake = in.Channel
		a := &applier{desk: d, tx: tx, key: "staff " + by.Name, now: now, last: c}
		if err := a.startClocks(c); err != nil {
			return err
		}
		// The staff card first, so the thread exists before anything goes in it.
		if err := enqueueStaff(tx, c.Number, StaffPost{Kind: "card"}, now); err != nil {
			return err
		}
		how := conversations.IntakeLabel(conversations.ZhHans, in.Channel)
		note := fmt.Sprintf("%s受理（%s）", how, by.Name)
		if in.Description != "" {
			note += "：" + in.Description
		}
		if _, err := tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: now, Actor: by.Name, Kind: "intake", Body: note}); err != nil {
			return err
		}
		if err := enqueueStaff(tx, c.Number, StaffPost{Kind: "thread", From: by.Name, Text: note}, now); err != nil {
			return err
		}
		if err := tx.Audit(store.AuditEntry{At: now, Actor: by.Name, Action: "opened", Subject: c.Number,
			Detail: "intake " + in.Channel + ": " + in.Kind}); err != nil {
			return err
		}
		for i, ch := range chats {
			payload, err := json.Marshal(Message{Text: conversations.IntakeNotice(langs[i], in.Channel, in.Kind, c.Number)})
			if err != nil {
				return err
			}
			if _, err := tx.Enqueue(store.OutboxMessage{Channel: ch.Channel, Recipient: ch.ChatID, Payload: payload, CaseID: c.ID}, now); err != nil {
				return err
			}
		}
		out, err = tx.CaseByIDInTx(c.ID)
		return err
	})
	d.wake(err, true)
	return out, err
}
