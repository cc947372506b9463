package conversations

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The values the desk fills into the texts of approvals and complaints
// (bot/approvals.go, the staff page and Slack).
func init() {
	for key, names := range map[string][]string{
		"approval.customer.yuan":         {"Case", "Amount"},
		"approval.customer.rolls":        {"Case", "Rolls"},
		"approval.customer.advance":      {"Case", "Amount"},
		"approval.customer.declined":     {"Case"},
		"staff.approval.pending_rolls":   {"Rolls"},
		"staff.approval.pending_advance": {"Amount", "Claim"},
		"staff.approval.asked_by":        {"Name"},
		"staff.approval.approved_by":     {"By", "At"},
		"staff.approval.rejected_by":     {"By", "At"},
		"staff.complaint.major_since":    {"At"},
	} {
		callArgs[key] = names
	}
}

// moneyWords are the words of money given to a customer, in the three
// languages (索赔, the claim against the carrier, is not among them).
var moneyWords = []string{"赔偿", "賠償", "补偿", "補償", "退款", "退钱", "退錢", "垫付", "墊付", "现金", "現金", "红包", "紅包",
	"优惠", "優惠", "折扣", "返现", "返現", "compensat", "refund", "money", "cash", "discount", "coupon", "voucher", "advance payment", "pay you"}

// answersAnAsk are the customer texts that may speak of money, each
// because it answers the customer's own request: the shop never raises it.
var answersAnAsk = map[string]string{
	"done.compensation":          "acknowledges the customer who asked for compensation in the damage report",
	"approval.customer.yuan":     "the result of the customer's own request (sent only when they asked)",
	"approval.customer.rolls":    "the result of the customer's own request (sent only when they asked)",
	"approval.customer.advance":  "the result of the customer's own request (sent only when they asked)",
	"approval.customer.declined": "the result of the customer's own request (sent only when they asked)",
}

// No customer text proposes money: a text that speaks of it answers the
// customer's own request, and says so above. Staff texts are not the
// customer's.
// rule: APR-3
func TestNoCustomerTextOffersMoney(t *testing.T) {
	for _, l := range Langs {
		for key, m := range messages.files[l] {
			if strings.HasPrefix(key, "staff.") || strings.HasPrefix(key, "role.") {
				continue
			}
			text := strings.ToLower(strings.Join([]string{m.Other, m.One}, " "))
			for _, w := range moneyWords {
				if strings.Contains(text, w) && answersAnAsk[key] == "" {
					t.Errorf("%s (%s) speaks of money (%q) to a customer who did not ask: %q", key, l, w, m.Other)
				}
			}
		}
	}
	for key := range answersAnAsk {
		if _, ok := messages.files[ZhHans][key]; !ok {
			t.Errorf("answersAnAsk names %s, which the catalog lacks", key)
		}
	}
}

// No button of any dialog offers money: the customer can ask in words,
// the bot never puts it on the menu.
// rule: APR-3
func TestNoButtonOffersMoney(t *testing.T) {
	for _, sc := range scripts {
		for _, lang := range Langs {
			effects, _ := runAll(t, sc, lang)
			for _, e := range effects {
				r, ok := e.(Reply)
				if !ok {
					continue
				}
				for _, row := range r.Buttons {
					for _, b := range row {
						for _, w := range moneyWords {
							if strings.Contains(strings.ToLower(b.Label+" "+b.Data), w) {
								t.Errorf("%s (%s): the button %q offers money", sc.name, lang, b.Label)
							}
						}
					}
				}
			}
		}
	}
}

// At pickup, repair or parts are promised (000 §2.1.2): in the pickup rules
// of every shipping notice, and when the customer reports damage found at
// pickup.
// rule: APR-3
func TestRepairOrPartsArePromisedAtPickup(t *testing.T) {
	promise := map[Lang][]string{ZhHans: {"修补", "配件"}, ZhHant: {"修補", "配件"}, En: {"repair", "parts"}}
	for _, l := range Langs {
		notice := ShippingNotice(l, "SO-1001", Shipment{Carrier: "德邦", TrackingNo: "DB1"}).Text
		for _, w := range promise[l] {
			if !strings.Contains(notice, w) {
				t.Errorf("the %s pickup rules do not promise %q: %s", l, w, notice)
			}
		}
		pickup := repliesOf(mustRun(t, "damage-transport-same-place", l))
		home := repliesOf(mustRun(t, "damage-quality-defect", l))
		if !strings.Contains(pickup, T(l, "done.pickup_promise")) {
			t.Errorf("damage found at pickup (%s) is not promised repair or parts:\n%s", l, pickup)
		}
		if strings.Contains(home, T(l, "done.pickup_promise")) {
			t.Errorf("damage found at home (%s) got the pickup promise", l)
		}
	}
}

func mustRun(t *testing.T, name string, l Lang) []Effect {
	t.Helper()
	effects, _ := runAll(t, scriptNamed(t, name), l)
	return effects
}

// What a customer who asked for money reads of the decision, in each of
// the results, as a golden file a person can read: the result, the case,
// what happens next, never who deliberated.
// rule: APR-1, APR-3
func TestGoldenApprovalResults(t *testing.T) {
	for _, lang := range []Lang{ZhHans, En} {
		var b strings.Builder
		for _, r := range []struct {
			key  string
			args Args
		}{
			{"approval.customer.yuan", Args{"Case": "AS-20261124-0001", "Amount": "800"}},
			{"approval.customer.rolls", Args{"Case": "AS-20261124-0002", "Rolls": "5"}},
			{"approval.customer.advance", Args{"Case": "AS-20261124-0003", "Amount": "600"}},
			{"approval.customer.declined", Args{"Case": "AS-20261124-0004"}},
		} {
			b.WriteString("# " + r.key + "\n" + T(lang, r.key, r.args) + "\n\n")
		}
		path := filepath.Join("testdata", "approvals", "results."+string(lang)+".txt")
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run `go test ./conversations -run Golden -update` to write it)", err)
		}
		if b.String() != string(want) {
			t.Errorf("%s differs (-update to accept):\n%s", path, firstDiff(string(want), b.String()))
		}
	}
}
