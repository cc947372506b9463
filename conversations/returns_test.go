package conversations

import (
	"strings"
	"testing"
	"time"
)

// rule: REP-5
func TestNoWarrantyTermIsToBeCheckedNeverExpired(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	for _, paid := range []string{"2026-11-01", "2020-01-01", ""} {
		for _, excl := range []string{"none", "misuse"} {
			if got := RepairCharge(paid, 0, excl, now, time.UTC); got != WarrantyUnknown {
				t.Errorf("RepairCharge(%q, 0 months, %s) = %s, want %s", paid, excl, got, WarrantyUnknown)
			}
		}
	}
	if got := WarrantyClassification(WarrantyUnknown); !strings.Contains(got, "to be checked") || strings.Contains(got, "expired") {
		t.Errorf("staff read %q", got)
	}
	for _, lang := range Langs {
		if text := T(lang, "warranty."+WarrantyUnknown); text == T(lang, "warranty."+WarrantyExpired) {
			t.Errorf("%s: to-check reads as expired: %s", lang, text)
		}
	}
	if !strings.Contains(T(ZhHans, "warranty."+WarrantyUnknown), "待核实") {
		t.Errorf("zh-Hans: %s", T(ZhHans, "warranty."+WarrantyUnknown))
	}
	effects, _ := runAll(t, scriptNamed(t, "repair-warranty-to-check"), En)
	c := casesOf(effects)
	if len(c) != 1 || c[0].Details["warranty"] != WarrantyUnknown || !strings.Contains(c[0].Classification, "to be checked") {
		t.Fatalf("repair case %+v", c)
	}
	text := repliesOf(effects)
	if !strings.Contains(text, "to be checked") || strings.Contains(text, "has ended") {
		t.Errorf("the customer read: %s", text)
	}
}

// rule: REP-7
func TestRepairAndComplaintTakePhotosAndKeepTheDescription(t *testing.T) {
	effects, _ := runAll(t, scriptNamed(t, "repair-warranty-to-check"), ZhHans)
	c := casesOf(effects)
	if len(c) != 1 || len(c[0].Photos) != 2 || c[0].Photos[0].Step != "repair" || c[0].Photos[1].Photo.SHA256 != "sha-chair" {
		t.Fatalf("repair photos: %+v", c)
	}
	// The customer's words are the case's description (they were lost).
	if c[0].Description != "椅子腿断了一根" || c[0].Details["repair"] != "" {
		t.Errorf("repair description %q, details %v", c[0].Description, c[0].Details)
	}
	effects, _ = runAll(t, scriptNamed(t, "complaint-major"), En)
	c = casesOf(effects)
	if len(c) != 1 || len(c[0].Photos) != 2 || c[0].Photos[0].Step != "complaint" || c[0].Description == "" {
		t.Fatalf("complaint photos: %+v", c)
	}
	if !strings.Contains(repliesOf(effects), "photos") {
		t.Errorf("the complaint asked for no photos: %s", repliesOf(effects))
	}
	// Photos are asked, not demanded: "skip" opens the case without any.
	for _, name := range []string{"complaint-regular", "repair-excluded-visit"} {
		effects, _ = runAll(t, scriptNamed(t, name), En)
		if c = casesOf(effects); len(c) != 1 || len(c[0].Photos) != 0 {
			t.Errorf("%s skipped photos: %+v", name, c)
		}
	}
}

// rule: RET-5
func TestReturnWindowFromDeliveryAndShopErrorAlwaysTakenBack(t *testing.T) {
	now := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	ok := ReturnRequest{Unused: true, OriginalPackage: true, ProofOfPurchase: true, Reason: "changed_mind"}
	tests := []struct {
		name string
		mod  func(r *ReturnRequest)
		want []string
	}{
		{"made to order: paid long ago, delivered on day 7", func(r *ReturnRequest) { r.PaidOn, r.DeliveredOn = "2026-10-01", "2026-11-18" }, nil},
		{"made to order: delivered 8 days ago", func(r *ReturnRequest) { r.PaidOn, r.DeliveredOn = "2026-10-01", "2026-11-16" }, []string{"ret.too_late"}},
		{"paid after delivery: from payment", func(r *ReturnRequest) { r.PaidOn, r.DeliveredOn = "2026-11-20", "2026-11-01" }, nil},
		{"paid after delivery, 8 days ago", func(r *ReturnRequest) { r.PaidOn, r.DeliveredOn = "2026-11-16", "2026-11-01" }, []string{"ret.too_late"}},
		{"not delivered yet: the window has not begun", func(r *ReturnRequest) { r.PaidOn, r.Undelivered = "2026-09-01", true }, nil},
		{"delivered, day unknown: from payment", func(r *ReturnRequest) { r.PaidOn = "2026-11-16" }, []string{"ret.too_late"}},
		{"wrong item, late and custom-made", func(r *ReturnRequest) {
			r.PaidOn, r.DeliveredOn, r.CustomMade, r.Reason = "2026-01-01", "2026-02-01", true, ReasonShopError
		}, nil},
		{"wrong item, even unpacked and used", func(r *ReturnRequest) {
			r.PaidOn, r.Unused, r.OriginalPackage, r.Reason = "2025-01-01", false, false, ReasonShopError
		}, nil},
		{"custom-made for another reason", func(r *ReturnRequest) { r.PaidOn, r.CustomMade = "2026-11-20", true }, []string{"ret.custom"}},
	}
	for _, tt := range tests {
		r := ok
		tt.mod(&r)
		if got := ReturnEligibility(r, now, time.UTC); strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
	// In the dialog: past the window, the wrong size is still taken back.
	effects, _ := runAll(t, scriptNamed(t, "return-blocked-late-shop-error"), En)
	c := casesOf(effects)
	if len(c) != 1 || c[0].Details["reason"] != ReasonShopError || c[0].Details["shop_error"] != "yes" || c[0].Details["quantity"] != "4" {
		t.Fatalf("shop error return: %+v", c)
	}
}

// rule: RET-6
func TestReturnThatCannotBeAcceptedIsSaidFirst(t *testing.T) {
	for _, name := range []string{"return-blocked-custom-to-repair", "return-blocked-late-complaint", "return-blocked-late-shop-error"} {
		turns, _ := play(t, scriptNamed(t, name), En)
		// turns: return, order, item: the third answer is the refusal, and
		// nothing else was asked before it.
		var asked []string
		for _, p := range turns[:3] {
			asked = append(asked, repliesOf(p.effects))
		}
		if strings.Contains(strings.Join(asked, ""), T(En, "q.return_reason")) || strings.Contains(strings.Join(asked, ""), T(En, "q.unused")) {
			t.Errorf("%s: asked before saying no: %s", name, asked)
		}
		refusal := turns[2].effects[0].(Reply)
		if !strings.Contains(refusal.Text, "cannot be returned") {
			t.Fatalf("%s: no refusal after the item: %s", name, refusal.Text)
		}
		var data []string
		for _, row := range refusal.Buttons {
			for _, b := range row {
				data = append(data, b.Data)
			}
		}
		// No dead end: the shop's error, a repair, a complaint, a person.
		for _, want := range []string{"ans:shop_error", "ans:repair", "ans:complaint", choiceHuman} {
			if !strings.Contains(strings.Join(data, " "), want) {
				t.Errorf("%s: no %s among %v", name, want, data)
			}
		}
	}
	effects, _ := runAll(t, scriptNamed(t, "return-blocked-custom-to-repair"), En)
	if c := casesOf(effects); len(c) != 1 || c[0].Kind != "repair" || c[0].OrderNo != "SO-1002" || len(c[0].Lines) != 1 ||
		c[0].Lines[0] != 1 || c[0].Description != "柜门关不上" {
		t.Fatalf("the repair instead: %+v", c)
	}
	effects, _ = runAll(t, scriptNamed(t, "return-blocked-late-complaint"), ZhHans)
	if c := casesOf(effects); len(c) != 1 || c[0].Kind != "complaint" || c[0].OrderNo != "SO-0901" || len(c[0].Photos) != 1 {
		t.Fatalf("the complaint instead: %+v", c)
	}
	// An eligible item goes straight on to the reason.
	turns, _ := play(t, scriptNamed(t, "return-eligible-other-phone"), En)
	if got := repliesOf(turns[2].effects); !strings.Contains(got, T(En, "q.return_reason")) {
		t.Errorf("eligible item: %s", got)
	}
}

// rule: RET-7
func TestReturnInstructionsAndTrackingNumber(t *testing.T) {
	for _, lang := range Langs {
		r := ReturnInstructions(lang, "AS-20261123-0002", "上海市闵行区 仓库 张三 021-5555")
		for _, want := range []string{"AS-20261123-0002", "上海市闵行区 仓库 张三 021-5555"} {
			if !strings.Contains(r.Text, want) {
				t.Errorf("%s: instructions lack %q: %s", lang, want, r.Text)
			}
		}
		if len(r.Buttons) == 0 || r.Buttons[0][0].Data != prefixReturnTracking+"AS-20261123-0002" {
			t.Errorf("%s: no tracking button: %+v", lang, r.Buttons)
		}
	}
	en := ReturnInstructions(En, "AS-1", "X").Text
	for _, want := range []string{"original packaging", "bubble wrap", "You pay the return postage", "price difference"} {
		if !strings.Contains(en, want) {
			t.Errorf("instructions lack %q: %s", want, en)
		}
	}
	if zh := ReturnInstructions(ZhHans, "AS-1", "X").Text; !strings.Contains(zh, "邮费") || !strings.Contains(zh, "原包装") {
		t.Errorf("zh-Hans instructions: %s", zh)
	}
	effects, st := runAll(t, scriptNamed(t, "return-tracking-number"), En)
	var shipped []ReturnShipped
	for _, e := range effects {
		if s, ok := e.(ReturnShipped); ok {
			shipped = append(shipped, s)
		}
	}
	if len(shipped) != 1 || shipped[0] != (ReturnShipped{CaseNumber: "AS-20261123-0002", TrackingNo: "SF1234567890"}) || st.Flow != "" {
		t.Fatalf("tracking kept: %+v (state %+v)", shipped, st)
	}
	if !strings.Contains(repliesOf(effects), T(En, "bad.return_tracking")) {
		t.Errorf("a bad number was not re-asked: %s", repliesOf(effects))
	}
	// A button naming a case that is no open return of theirs changes nothing.
	effects, _ = runAll(t, scriptNamed(t, "return-tracking-no-open-return"), En)
	for _, e := range effects {
		if _, ok := e.(ReturnShipped); ok {
			t.Fatalf("a forged button kept a number: %+v", effects)
		}
	}
	if !strings.Contains(repliesOf(effects), T(En, "return.no_open")) {
		t.Errorf("forged button: %s", repliesOf(effects))
	}
}
