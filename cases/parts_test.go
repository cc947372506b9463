package cases

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var (
	valve  = &PartPrice{SKU: "VW-100", Name: "角阀", PriceCents: 4550}
	shower = &PartPrice{SKU: "SH-2", Name: "花洒", PriceCents: 12000}
	cust   = Actor{Name: "customer", Role: Customer}
)

// partsCase is a repair case at the parts step, with the warranty the
// repair dialog found.
func partsCase(t *testing.T, warranty string) Case {
	t.Helper()
	c := walk(t, repairCase(), StepFaultConfirmed, StepPhoneUnsolved, StepVisit, StepChoseRepair)
	c.Details["warranty"] = warranty
	return c
}

func mustDo(t *testing.T, c Case, a Action, by Actor, at time.Time) (Case, []Effect) {
	t.Helper()
	next, effects, err := Decide(c, a, by, at, policy())
	if err != nil {
		t.Fatalf("%s %q: %v", a.Verb, a.Value, err)
	}
	return next, effects
}

func refusedAt(t *testing.T, c Case, a Action, by Actor, at time.Time, code Code, words string) {
	t.Helper()
	next, effects, err := Decide(c, a, by, at, policy())
	if ErrorCode(err) != code || !strings.Contains(ErrorMessage(err), words) {
		t.Fatalf("%s %q: err %v, want %s containing %q", a.Verb, a.Value, err, code, words)
	}
	if effects != nil || next.Details[DetailPartsStatus] != c.Details[DetailPartsStatus] {
		t.Fatalf("%s refused but changed: %v %v", a.Verb, effects, next.Details)
	}
}

func effectOf[T Effect](effects []Effect) (T, bool) {
	for _, e := range effects {
		if v, ok := e.(T); ok {
			return v, true
		}
	}
	var zero T
	return zero, false
}

// rule: PRT-1, PRT-5, PRT-6
func TestPartsLineWarrantyDecidesTheFee(t *testing.T) {
	for _, tc := range []struct {
		warranty, says string
		fee, free      int64
		lineFee        int64
	}{
		{"free", "", 0, 9100, 0},             // in warranty: free
		{"paid_expired", "", 9100, 0, 9100},  // out of warranty: the price list
		{"paid_excluded", "", 9100, 0, 9100}, // misuse, own moving …: paid in warranty
		{"to_check", "free", 0, 9100, 0},     // staff decide what is still to be checked
		{"to_check", "paid", 9100, 0, 9100},
	} {
		c := partsCase(t, tc.warranty)
		v := "vw-100 2"
		if tc.says != "" {
			v += " " + tc.says
		}
		next, effects := mustDo(t, c, Action{Verb: PartsAdd, Value: v, Part: valve}, clerk, now)
		line, ok := effectOf[AddPartLine](effects)
		if !ok || line.Qty != 2 || line.FeeCents != tc.lineFee || line.Warranty != (tc.lineFee == 0) || line.UnitCents != 4550 {
			t.Errorf("%s: line %+v", tc.warranty, line)
		}
		if next.Details[DetailPartsFee] != itoa(tc.fee) || next.Details[DetailPartsFreeVal] != itoa(tc.free) || next.Details[DetailPartsStatus] != PartsDraft {
			t.Errorf("%s: details %v", tc.warranty, next.Details)
		}
	}
	c := partsCase(t, "to_check")
	refusedAt(t, c, Action{Verb: PartsAdd, Value: "VW-100 1", Part: valve}, clerk, now, Conflict, "still to be checked")
}

func itoa(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// rule: PRT-1, PRT-5
func TestPartsLineBadInput(t *testing.T) {
	c := partsCase(t, "paid_expired")
	refusedAt(t, c, Action{Verb: PartsAdd, Value: "NOPE-1 1"}, clerk, now, NotFound, "not in the parts price list")
	refusedAt(t, c, Action{Verb: PartsAdd, Value: "VW-100 -2", Part: valve}, clerk, now, Invalid, "quantity")
	refusedAt(t, c, Action{Verb: PartsAdd, Value: "VW-100 0", Part: valve}, clerk, now, Invalid, "quantity")
	refusedAt(t, c, Action{Verb: PartsAdd, Value: "VW-100 1.5", Part: valve}, clerk, now, Invalid, "quantity")
	refusedAt(t, c, Action{Verb: PartsAdd, Value: "<b> 1", Part: valve}, clerk, now, Invalid, "SKU")
	refusedAt(t, c, Action{Verb: PartsAdd, Value: "VW-100", Part: valve}, clerk, now, Invalid, "SKU QUANTITY")
	refusedAt(t, c, Action{Verb: PartsAdd, Value: "VW-100 1 maybe", Part: valve}, clerk, now, Invalid, "warranty")
	early := walk(t, repairCase(), StepFaultConfirmed)
	refusedAt(t, early, Action{Verb: PartsAdd, Value: "VW-100 1", Part: valve}, clerk, now, Conflict, "parts step")
	other := newCase()
	refusedAt(t, other, Action{Verb: PartsAdd, Value: "VW-100 1", Part: valve}, clerk, now, Conflict, "repair case")
}

// rule: PRT-2, PRT-1, PRT-3
func TestPartsFeeAgreedPaidShipped(t *testing.T) {
	c := partsCase(t, "paid_expired")
	c, _ = mustDo(t, c, Action{Verb: PartsAdd, Value: "VW-100 2", Part: valve}, clerk, now)
	c, _ = mustDo(t, c, Action{Verb: PartsAdd, Value: "SH-2 1", Part: shower}, clerk, now)
	refusedAt(t, c, Action{Verb: PartsShip, Value: "2026-11-25 SF123456"}, clerk, now, Conflict, "after the payment")
	c, effects := mustDo(t, c, Action{Verb: PartsQuote, AmountYuan: 50}, clerk, now)
	ask, ok := effectOf[AskPartsFee](effects)
	want := []PartsLine{{SKU: "VW-100", Name: "角阀", Qty: 2, UnitCents: 4550}, {SKU: "SH-2", Name: "花洒", Qty: 1, UnitCents: 12000}}
	if !ok || ask.PartsCents != 21100 || ask.ServiceCents != 5000 || !slices.Equal(ask.Lines, want) || ask.Lines[0].FeeCents() != 9100 {
		t.Fatalf("ask %+v", ask)
	}
	refusedAt(t, c, Action{Verb: PartsAdd, Value: "VW-100 1", Part: valve}, clerk, now, Conflict, "no more lines")
	refusedAt(t, c, Action{Verb: PartsAccept}, clerk, now, Forbidden, "")
	refusedAt(t, c, Action{Verb: PartsPaid}, clerk, now, Conflict, "accepted")
	c, _ = mustDo(t, c, Action{Verb: PartsAccept}, cust, now)
	refusedAt(t, c, Action{Verb: PartsShip, Value: "2026-11-25 SF123456"}, clerk, now, Conflict, "after the payment")
	refusedAt(t, c, Action{Verb: PartsRefuse}, cust, now, Conflict, "no parts fee")
	c, _ = mustDo(t, c, Action{Verb: PartsPaid, Value: "微信 4200"}, clerk, now)
	refusedAt(t, c, Action{Verb: PartsShip, Value: "tomorrow SF123456"}, clerk, now, Invalid, "ship date")
	refusedAt(t, c, Action{Verb: PartsShip, Value: "2026-11-25 ###"}, clerk, now, Invalid, "tracking")
	c, effects = mustDo(t, c, Action{Verb: PartsShip, Value: "2026-11-25 sf123456"}, clerk, now)
	tell, ok := effectOf[TellPartsShipped](effects)
	if !ok || tell.Date != "2026-11-25" || tell.Tracking != "SF123456" || tell.DueBack != "" {
		t.Fatalf("tell %+v", tell)
	}
	if c.Details[DetailPartsStatus] != PartsShipped || c.Details[DetailPartsDueBack] != "" {
		t.Fatalf("details %v", c.Details) // paid parts: nothing due back
	}
	refusedAt(t, c, Action{Verb: PartsShip, Value: "2026-11-26 SF999999"}, clerk, now, Conflict, "shipped already")
}

// rule: PRT-2
func TestPartsFeeRefusedGoesToASupervisor(t *testing.T) {
	c := partsCase(t, "paid_expired")
	c, _ = mustDo(t, c, Action{Verb: PartsAdd, Value: "VW-100 1", Part: valve}, clerk, now)
	c, _ = mustDo(t, c, Action{Verb: PartsQuote}, clerk, now)
	c, effects := mustDo(t, c, Action{Verb: PartsRefuse}, cust, now)
	m, ok := effectOf[ToManagers](effects)
	if !ok || !strings.Contains(m.Text, "Supervisor needed") || c.Details[DetailPartsStatus] != PartsRefused {
		t.Fatalf("refusal: %+v %v", effects, c.Details)
	}
	refusedAt(t, c, Action{Verb: PartsQuote}, clerk, now, Forbidden, "supervisor")
	refusedAt(t, c, Action{Verb: PartsWaive, Value: "goodwill"}, clerk, now, Forbidden, "")
	refusedAt(t, c, Action{Verb: PartsShip, Value: "2026-11-25 SF123456"}, clerk, now, Conflict, "after the payment")
	waived, _ := mustDo(t, c, Action{Verb: PartsWaive, Value: "老客户, 免收"}, super, now)
	if waived.Details[DetailPartsStatus] != PartsWaived {
		t.Fatalf("waived %v", waived.Details)
	}
	mustDo(t, waived, Action{Verb: PartsShip, Value: "2026-11-25 SF123456"}, clerk, now)
	again, _ := mustDo(t, c, Action{Verb: PartsQuote}, super, now) // or the supervisor asks again
	if again.Details[DetailPartsStatus] != PartsQuoted {
		t.Fatalf("re-quote %v", again.Details)
	}
}

// rule: PRT-6
func TestPartsCallBackVisitHasNoServiceFee(t *testing.T) {
	c := partsCase(t, "paid_expired")
	c, _ = mustDo(t, c, Action{Verb: PartsAdd, Value: "VW-100 1", Part: valve}, clerk, now)
	refusedAt(t, c, Action{Verb: PartsQuote, Value: "callback", AmountYuan: 30}, clerk, now, Invalid, "no service fee")
	refusedAt(t, c, Action{Verb: PartsQuote, Value: "callback 30"}, clerk, now, Invalid, "no service fee")
	refusedAt(t, c, Action{Verb: PartsQuote, Value: "-5"}, clerk, now, Invalid, "service fee -5")
	refusedAt(t, c, Action{Verb: PartsQuote, Value: "lots"}, clerk, now, Invalid, "quote")
	if _, effects := mustDo(t, c, Action{Verb: PartsQuote, Value: "40"}, clerk, now); len(effects) == 0 {
		t.Fatal("no effects")
	} else if ask, _ := effectOf[AskPartsFee](effects); ask.ServiceCents != 4000 {
		t.Fatalf("service from the value: %+v", ask)
	}
	q, effects := mustDo(t, c, Action{Verb: PartsQuote, Value: "callback"}, clerk, now)
	if ask, _ := effectOf[AskPartsFee](effects); ask.ServiceCents != 0 || ask.PartsCents != 4550 || q.Details[DetailPartsStatus] != PartsQuoted {
		t.Fatalf("call-back quote %+v", ask)
	}
	free := partsCase(t, "free")
	free, _ = mustDo(t, free, Action{Verb: PartsAdd, Value: "VW-100 1", Part: valve}, clerk, now)
	refusedAt(t, free, Action{Verb: PartsQuote}, clerk, now, Conflict, "no fee to agree")
	mustDo(t, free, Action{Verb: PartsShip, Value: "2026-11-25 SF123456"}, clerk, now) // free parts ship at once
}

// rule: PRT-4
func TestReplacedPartsDueBackRemindedChargedOrReturned(t *testing.T) {
	c := partsCase(t, "free")
	c, _ = mustDo(t, c, Action{Verb: PartsAdd, Value: "VW-100 2", Part: valve}, clerk, now)
	c, effects := mustDo(t, c, Action{Verb: PartsShip, Value: "2026-11-25 SF123456"}, clerk, now)
	if c.Details[DetailPartsDueBack] != "2026-12-25" {
		t.Fatalf("due back %v", c.Details)
	}
	if tell, _ := effectOf[TellPartsShipped](effects); tell.DueBack != "2026-12-25" {
		t.Fatalf("tell %+v", tell)
	}
	refusedAt(t, c, Action{Verb: PartsRemind}, clerk, now, Forbidden, "")
	reminded, effects := mustDo(t, c, Action{Verb: PartsRemind}, sched, now.AddDate(0, 0, 28))
	if _, ok := effectOf[TellPartsDue](effects); !ok || reminded.Details[DetailPartsReminded] != "2026-12-22" {
		t.Fatalf("remind %+v", effects)
	}
	refusedAt(t, reminded, Action{Verb: PartsRemind}, sched, now.AddDate(0, 0, 28), Conflict, "reminded today")
	// On the due date itself it is not yet overdue.
	refusedAt(t, c, Action{Verb: PartsCharge}, sched, time.Date(2026, 12, 25, 20, 0, 0, 0, shanghai), Conflict, "not yet")
	late := time.Date(2026, 12, 26, 9, 0, 0, 0, shanghai)
	charged, effects := mustDo(t, c, Action{Verb: PartsCharge}, sched, late)
	if _, ok := effectOf[PartsLinesCharged](effects); !ok || charged.Details[DetailPartsCharged] != "9100" {
		t.Fatalf("charge %+v %v", effects, charged.Details)
	}
	refusedAt(t, charged, Action{Verb: PartsCharge}, sched, late, Conflict, "no replaced parts")
	// Returned on time: no charge; returned twice: refused.
	back, effects := mustDo(t, c, Action{Verb: PartsReturned}, clerk, now.AddDate(0, 0, 10))
	if _, ok := effectOf[PartsLinesCharged](effects); ok || back.Details[DetailPartsReturned] != "2026-12-04" {
		t.Fatalf("returned %+v", effects)
	}
	refusedAt(t, back, Action{Verb: PartsReturned}, clerk, now.AddDate(0, 0, 11), Conflict, "already")
	refusedAt(t, back, Action{Verb: PartsCharge}, sched, late, Conflict, "no replaced parts")
	// Returned late, before the scheduler charged: charged all the same.
	lateBack, effects := mustDo(t, c, Action{Verb: PartsReturned}, clerk, late)
	if _, ok := effectOf[PartsLinesCharged](effects); !ok || lateBack.Details[DetailPartsCharged] != "9100" {
		t.Fatalf("late return %+v", effects)
	}
	// Paid parts are not due back.
	paid := partsCase(t, "paid_expired")
	refusedAt(t, paid, Action{Verb: PartsReturned}, clerk, now, Conflict, "no replaced parts")
}
