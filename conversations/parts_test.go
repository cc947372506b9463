package conversations

import (
	"context"
	"strings"
	"testing"
)

// partsQuotes are the parts requests the test chats' fee buttons may name.
var partsQuotes = map[string]PartsQuote{
	"AS-20261124-0011": {Number: "AS-20261124-0011", Status: "quoted"},
	"AS-20261124-0012": {Number: "AS-20261124-0012", Status: "accepted"},
}

// PartsQuote serves partsQuotes, as the store serves a chat's own cases.
func (m memLookup) PartsQuote(_ context.Context, _, _, number string) (PartsQuote, error) {
	if q, ok := partsQuotes[number]; ok {
		return q, nil
	}
	return PartsQuote{}, ErrNotFound
}

func init() {
	quoted := notice(func(l Lang) Reply {
		return PartsFeeQuestion(l, "AS-20261124-0011", []PartsFeeLine{{SKU: "CART-35", Name: "阀芯", Qty: 1, FeeCents: 6800},
			{SKU: "HOSE-2", Name: "进水软管", Qty: 2, FeeCents: 3000}, {SKU: "SEAL-1", Name: "密封圈", Qty: 1, Free: true}}, 9800, 5000)
	})
	scripts = append(scripts,
		// rule: PRT-2
		script{name: "parts-fee-accepted", who: wang(), begin: quoted,
			turns: []turn{press("partsfee:accept:AS-20261124-0011")}},
		// rule: PRT-2
		script{name: "parts-fee-refused-mid-flow", who: wang(), verify: true, begin: quoted,
			turns: []turn{press(choiceDamage), press("ans:SO-1001"), press("partsfee:refuse:AS-20261124-0011"), press("ans:1"),
				press("partsfee:accept:AS-20261124-0012"), press("partsfee:maybe:AS-20261124-0011"), press("partsfee:accept:AS-20991231-9999")}},
		// rule: PRT-3, PRT-4
		script{name: "parts-shipped-and-reminded", who: wang(),
			begin: notice(func(l Lang) Reply {
				return Reply{Text: PartsShippedNotice(l, "AS-20261124-0011", "2026-11-25", "SF7001", "2026-12-25") + "\n" +
					PartsDueNotice(l, "AS-20261124-0011", "2026-12-25")}
			})},
	)
}

// The fee question names the parts, the fees and the total, with the two
// answers; the customer's answer is recorded only while the fee waits for
// one, and never for another customer's case.
// rule: PRT-2
func TestPartsFeeAnswers(t *testing.T) {
	r := PartsFeeQuestion(ZhHans, "AS-1", []PartsFeeLine{{SKU: "A", Name: "甲", Qty: 1, FeeCents: 1000}, {SKU: "B", Name: "乙", Qty: 2, Free: true}}, 1000, 400)
	if !strings.Contains(r.Text, "合计 ¥14.00") || !strings.Contains(r.Text, "甲 (A) × 1：¥10.00\n乙 (B) × 2：保修内免费") ||
		!hasButton(r, "partsfee:accept:AS-1") || !hasButton(r, "partsfee:refuse:AS-1") {
		t.Fatalf("question %+v", r)
	}
	for _, tt := range []struct {
		name, data string
		want       *PartsFeeAnswered
		reply      string
	}{
		{"accepted", "partsfee:accept:AS-20261124-0011", &PartsFeeAnswered{CaseNumber: "AS-20261124-0011", Accepted: true}, "fee of case AS-20261124-0011 is agreed"},
		{"refused", "partsfee:refuse:AS-20261124-0011", &PartsFeeAnswered{CaseNumber: "AS-20261124-0011"}, "goes to a supervisor"},
		{"answered already", "partsfee:refuse:AS-20261124-0012", nil, "settled already"},
		{"another customer's case", "partsfee:accept:AS-20261124-9999", nil, "no longer valid"},
		{"a forged answer", "partsfee:free:AS-20261124-0011", nil, "no longer valid"},
		{"no number", "partsfee:accept", nil, "no longer valid"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newChat(t, En)
			effects := c.send(Inbound{Choice: tt.data})
			got := lastEffect[PartsFeeAnswered](effects)
			if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
				t.Errorf("answer %+v, want %+v", got, tt.want)
			}
			if r := lastReply(t, effects); !strings.Contains(r.Text, tt.reply) {
				t.Errorf("reply %q, want %q", r.Text, tt.reply)
			}
		})
	}
}
