package conversations

import (
	"fmt"
	"strings"
	"testing"
)

// rule: DLV-12
func TestEarlyShipmentIsMoreThanTheDeliveryWeekBeforeTheDate(t *testing.T) {
	for _, tc := range []struct {
		deadline, expected string
		early              bool
	}{
		{"2026-12-10", "2026-12-10", false}, // on the date
		{"2026-12-10", "2026-12-03", false}, // within the delivery week
		{"2026-12-10", "2026-12-02", true},  // eight days before
		{"2026-12-10", "2026-11-20", true},
		{"2026-12-10", "2026-12-12", false}, // late is not early (the delay watch takes it)
		{"", "2026-11-20", false},           // no date promised: nothing to agree
		{"2026-12-10", "20/11/2026", false}, // not a date
	} {
		if got := EarlyShipment(tc.deadline, tc.expected); got != tc.early {
			t.Errorf("deadline %q, expected %q: early %v, want %v", tc.deadline, tc.expected, got, tc.early)
		}
	}
}

// rule: DLV-12
func TestEarlyConsentAsksYesOrNoAndRecordsTheAnswer(t *testing.T) {
	for _, tc := range []struct {
		script string
		yes    bool
		says   string
	}{{"early-delivery-agreed", true, "2026-11-20"}, {"early-delivery-declined", false, "2026-12-10"}} {
		turns, st := play(t, scriptNamed(t, tc.script), En)
		ask := turns[0].effects[0].(Reply)
		if !strings.Contains(ask.Text, "2026-11-20") || !strings.Contains(ask.Text, "2026-12-10") ||
			ask.Buttons[0][0].Data != "ans:yes" || ask.Buttons[1][0].Data != "ans:no" {
			t.Fatalf("%s: the question: %+v", tc.script, ask)
		}
		var got []EarlyAnswered
		var replies []string
		for _, p := range turns[1:] {
			for _, e := range p.effects {
				switch e := e.(type) {
				case EarlyAnswered:
					got = append(got, e)
				case Reply:
					replies = append(replies, e.Text)
				}
			}
		}
		want := EarlyAnswered{OrderNo: "SO-1001", TrackingNo: "DB123", Expected: "2026-11-20", Yes: tc.yes}
		if len(got) != 1 || got[0] != want || st.Flow != "" {
			t.Fatalf("%s: answered %+v (flow %q), want %+v", tc.script, got, st.Flow, want)
		}
		if last := replies[len(replies)-1]; !strings.Contains(last, tc.says) {
			t.Errorf("%s: the answer's reply %q does not name %s", tc.script, last, tc.says)
		}
	}
	// Typing instead of pressing asks again and records nothing.
	turns, _ := play(t, scriptNamed(t, "early-delivery-agreed"), ZhHans)
	for _, e := range turns[1].effects {
		if _, ok := e.(EarlyAnswered); ok {
			t.Fatal("a typed answer was taken as consent")
		}
	}
}

// rule: DLV-10
// rule: DLV-13
func TestArrivalAnswersRecordTheDeliveryAndAskWhenDamageWasFound(t *testing.T) {
	delivered := func(effects []Effect) int {
		n := 0
		for _, e := range effects {
			if d, ok := e.(Delivered); ok && d.OrderNo == "SO-1001" {
				n++
			}
		}
		return n
	}
	fine, _ := runAll(t, scriptNamed(t, "arrival-fine-installation-next"), En)
	if delivered(fine) != 1 {
		t.Errorf("\"arrived, all fine\" records no delivery: %+v", fine)
	}
	waiting, _ := runAll(t, scriptNamed(t, "arrival-not-yet-before-deadline"), En)
	if delivered(waiting) != 0 {
		t.Errorf("\"not yet\" records a delivery")
	}
	turns, st := play(t, scriptNamed(t, "arrival-damaged-starts-damage-report"), En)
	var all []Effect
	for _, p := range turns {
		all = append(all, p.effects...)
	}
	if delivered(all) != 1 {
		t.Errorf("\"arrived damaged\" records no delivery")
	}
	// After the items, the question whether it was seen at pickup or after
	// unpacking, with both answers; the answer goes into the report.
	var asked *Reply
	for _, e := range turns[3].effects { // the answer "done" to the items
		if r, ok := e.(Reply); ok {
			asked = &r
		}
	}
	if asked == nil || !strings.Contains(asked.Text, "When did you find") || asked.Buttons[0][0].Data != "ans:pickup" ||
		asked.Buttons[1][0].Data != "ans:home" {
		t.Fatalf("the arrival's damage report does not ask when it was found: %+v", asked)
	}
	if st.Flow != flowDamage || st.Draft.Answers["found_at"] != "pickup" {
		t.Fatalf("the answer is not kept: %+v %+v", st, st.Draft)
	}
}

// rule: DLV-9
// rule: DLV-11
// TestGoldenDeadlineNotices writes the messages the desk sends on its own
// about a delivery date, in zh-Hans and English, to testdata/transcripts:
// the service preview of a new order (with and without a date, with
// installation), a delay risk told before the date, a new date agreed.
func TestGoldenDeadlineNotices(t *testing.T) {
	for _, lang := range []Lang{ZhHans, En} {
		var b strings.Builder
		fmt.Fprintf(&b, "# deadline-notices (%s)\n# what the desk sends by itself about delivery dates\n", lang)
		section := func(title, text string) {
			b.WriteString("\n(" + title + ")\n")
			for _, line := range strings.Split(text, "\n") {
				b.WriteString("< " + line + "\n")
			}
		}
		section("service preview of a new order with a date and installation",
			ServicePreview(lang, Order{No: "SO-3001", Deadline: "2026-12-20", InstallIncluded: true}))
		section("service preview of a new order without a date yet", ServicePreview(lang, Order{No: "SO-3002"}))
		section("delay risk declared before the date", DeadlineNotice(lang, "SO-3001", "2026-12-20", "2026-12-28", true))
		section("new date agreed with the customer", DeadlineNotice(lang, "SO-3001", "2026-12-20", "2026-12-28", false))
		got := b.String()
		for _, want := range []string{"SO-3001", "2026-12-20", "2026-12-28", "SO-3002"} {
			if !strings.Contains(got, want) {
				t.Errorf("%s: the notices lack %s", lang, want)
			}
		}
		goldenFile(t, fmt.Sprintf("deadline-notices.%s.txt", lang), got)
	}
	// The preview says how to prepare: the space cleared, old furniture removed.
	zh := ServicePreview(ZhHans, Order{No: "SO-3002"})
	en := ServicePreview(En, Order{No: "SO-3002"})
	if !strings.Contains(zh, "清空摆放位置") || !strings.Contains(zh, "旧家具") || !strings.Contains(en, "Clear the space") ||
		!strings.Contains(en, "old furniture") || strings.Contains(en, "installer") {
		t.Errorf("preview: %s\n%s", zh, en)
	}
}
