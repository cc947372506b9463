package conversations

import "time"

// The golden transcripts of repairs and returns (REP-5, REP-7, RET-5 …
// RET-7), run with the others by TestGoldenTranscripts.
func init() {
	returnCase := Case{Number: "AS-20261123-0002", Kind: "return_exchange", Status: "claimed",
		CreatedAt: time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)}
	scripts = append(scripts,
		// An item with no warranty term recorded: to be checked, never expired;
		// the description and the photos are kept on the case.
		script{name: "repair-warranty-to-check", verify: true, turns: []turn{say("椅子要报修"), press("ans:SO-0901"), press("ans:2"),
			say("椅子腿断了一根"), photo("chair-leg"), photo("chair"), press("ans:done"), press("ans:none"), press("ans:phone")}},
		// Custom-made: said right after the item is chosen, and the customer
		// goes on to a repair of the same item.
		script{name: "return-blocked-custom-to-repair", verify: true, turns: []turn{press(choiceReturn), press("ans:SO-1002"),
			press("ans:1"), press("ans:repair"), say("柜门关不上"), press("ans:none"), press("ans:none"), press("ans:visit")}},
		// Past the window, but the shop sent the wrong size: taken back.
		script{name: "return-blocked-late-shop-error", verify: true, turns: []turn{press(choiceReturn), press("ans:SO-0901"),
			press("ans:2"), press("ans:shop_error"), say("9"), say("4"), press("ans:yes")}},
		// Past the window: a complaint instead.
		script{name: "return-blocked-late-complaint", verify: true, turns: []turn{press(choiceReturn), press("ans:SO-0901"),
			press("ans:1"), press("ans:complaint"), press("ans:regular"), say("桌面开裂，过了退货期也不给退"), photo("crack"),
			press("ans:done")}},
		// The button under the return instructions: the tracking number.
		script{name: "return-tracking-number", verify: true, open: []Case{returnCase}, turns: []turn{
			press(prefixReturnTracking + returnCase.Number), say("#12"), say("sf1234 5678 90")}},
		// A forged or stale button for a case that is no return of theirs.
		script{name: "return-tracking-no-open-return", verify: true, turns: []turn{
			press(prefixReturnTracking + "AS-20261120-0003")}},
	)
}
