package conversations

import (
	"errors"
	"math"
	"strings"
	"time"
)

// beginVerify asks for the order number (rule ID-1), unless the customer is
// in the cool-down after too many failures (rule ID-4).
func (d *dialog) beginVerify(pending string) error {
	if d.locked() {
		return nil
	}
	d.st.Flow, d.st.Step, d.st.Pending = flowVerify, stepOrderNo, pending
	text := d.t("verify.ask_order")
	if d.st.VerifyLapsed {
		// Said once: the customer learns why they are asked again (ID-7).
		d.st.VerifyLapsed = false
		minutes := max(1, int(math.Ceil(d.env.Limits.VerifyIdle.Minutes())))
		text = d.plural("verify.lapsed", minutes, nil) + "\n" + text
	}
	d.effects = append(d.effects, Reply{Text: text, Buttons: d.orderNoButtons(), RequestContact: true})
	return nil
}

// orderNoButtons are the ways out of the order-number question: no order
// number at hand, or cancel.
func (d *dialog) orderNoButtons() [][]Button {
	return append([][]Button{{{Label: d.t("verify.btn_no_order"), Data: choiceNoOrderNo}}}, cancelButtons(d.lang())...)
}

// noOrderNo tells a customer without the order number where to find it and
// how else to be verified; the question stays.
func (d *dialog) noOrderNo() {
	if d.st.Flow != flowVerify || d.st.Step != stepOrderNo {
		d.reset()
		d.say(d.t("stale.button"), menuButtons(d.lang()))
		return
	}
	text := d.t("verify.no_order")
	if phone := d.env.Shop.Phone; phone != "" {
		text += "\n" + d.t("verify.no_order_call", Args{"Phone": phone})
	}
	d.effects = append(d.effects, Reply{Text: text, Buttons: d.orderNoButtons(), RequestContact: true})
}

// lastFourOf returns the last four digits of what the customer sent at the
// digits step: the four digits, or a whole phone number (spaces, dashes,
// brackets and a leading + or 0086 allowed).
func lastFourOf(s string) (string, bool) {
	digits := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9':
			return r
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '+':
			return -1
		}
		return 'x'
	}, s)
	if strings.Contains(digits, "x") || (len(digits) != 4 && (len(digits) < 7 || len(digits) > 15)) {
		return "", false
	}
	return digits[len(digits)-4:], true
}

// locked answers a customer in the cool-down and reports whether they are.
func (d *dialog) locked() bool {
	return d.lockedUntil(d.st.LockedUntil)
}

// lockedUntil answers a customer whose chat or order is locked until then,
// and reports whether it is.
func (d *dialog) lockedUntil(until time.Time) bool {
	if until.IsZero() || !d.env.Now.Before(until) {
		return false
	}
	minutes := int(math.Ceil(until.Sub(d.env.Now).Minutes()))
	d.reset()
	d.say(d.plural("verify.locked", minutes, nil), nil)
	return true
}

func (d *dialog) verifyText(s string) error {
	if d.locked() {
		return nil
	}
	switch d.st.Step {
	case stepOrderNo:
		no := strings.ToUpper(s)
		if !orderNoPattern.MatchString(no) {
			d.say(d.t("verify.bad_order_format"), d.orderNoButtons())
			return nil
		}
		// An order locked by failures in any chat is said at once: no
		// digits are asked for, and none are checked (ID-6).
		th, err := d.env.Lookup.VerifyThrottle(d.ctx, no)
		if err != nil {
			return errLookup("verify throttle", err)
		}
		if d.lockedUntil(th.LockedUntil) {
			return nil
		}
		d.st.OrderNo, d.st.Step = no, stepPhone4
		d.say(d.t("verify.ask_phone4"), cancelButtons(d.lang()))
		return nil
	case stepPhone4:
		four, ok := lastFourOf(s)
		if !ok {
			d.say(d.t("verify.bad_phone4"), cancelButtons(d.lang()))
			return nil
		}
		return d.checkOrderAndDigits(d.st.OrderNo, four)
	}
	d.menu()
	return nil
}

// checkOrderAndDigits verifies by order number plus the phone's last four
// digits. A wrong number and wrong digits get the same answer, so the reply
// does not tell whether an order exists (rule ID-2).
func (d *dialog) checkOrderAndDigits(no, digits string) error {
	th, err := d.env.Lookup.VerifyThrottle(d.ctx, no)
	if err != nil {
		return errLookup("verify throttle", err)
	}
	if d.lockedUntil(th.LockedUntil) {
		return nil
	}
	o, err := d.env.Lookup.Order(d.ctx, no)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return errLookup("verify", err)
	}
	if err != nil || !strings.HasSuffix(o.Phone, digits) {
		d.failVerify(no, th.Failures)
		return nil
	}
	return d.verified(Identity{Phone: o.Phone, Name: o.CustomerName})
}

// failVerify counts a failure in this chat and on the order across every
// chat (the store's count, counted before this one, is onOrder): whichever
// is further along decides the tries left, so a new session or another
// account gets no fresh tries (ID-4, ID-6).
func (d *dialog) failVerify(no string, onOrder int) {
	d.st.Failures = max(d.st.Failures, onOrder) + 1
	d.effects = append(d.effects, Audit{Action: "verify_failed", Detail: "order " + truncateRunes(no, 64)},
		VerifyFailed{OrderNo: no})
	if d.st.Failures >= d.env.Limits.VerifyAttempts {
		d.st.Failures = 0
		d.st.LockedUntil = d.env.Now.Add(d.env.Limits.VerifyCooldown)
		d.effects = append(d.effects, Audit{Action: "verify_locked"})
		d.locked()
		return
	}
	d.st.Step, d.st.OrderNo = stepOrderNo, ""
	d.say(d.plural("verify.mismatch", d.env.Limits.VerifyAttempts-d.st.Failures, nil), cancelButtons(d.lang()))
}

// contact verifies by a shared phone contact: only the sender's own contact
// counts, and its phone must be on an order (rule ID-1).
func (d *dialog) contact(c Contact) error {
	if d.locked() {
		return nil
	}
	if !c.Own {
		d.say(d.t("verify.contact_not_own"), nil)
		return nil
	}
	orders, err := d.env.Lookup.OrdersByPhone(d.ctx, c.Phone)
	if err != nil {
		return errLookup("verify by contact", err)
	}
	if len(orders) == 0 {
		d.st.Flow, d.st.Step = flowVerify, stepOrderNo
		if d.st.Pending == "" {
			d.st.Pending = pendingWhere
		}
		d.say(d.t("verify.contact_unknown"), cancelButtons(d.lang()))
		return nil
	}
	return d.verified(Identity{Phone: orders[0].Phone, Name: orders[0].CustomerName})
}

func (d *dialog) verified(id Identity) error {
	pending := d.st.Pending
	if pending == "" {
		pending = pendingWhere
	}
	d.st.Verified, d.st.Failures, d.st.VerifyLapsed = &id, 0, false
	d.st.LockedUntil = time.Time{}
	d.reset()
	d.effects = append(d.effects, Audit{Action: "verified"}, BindChat{Phone: id.Phone})
	d.say(d.t("verify.ok", Args{"Name": id.Name}), nil)
	return d.continueWith(pending)
}
