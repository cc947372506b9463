package slack

import "frontdesk/bot"

// partsVerbs are the thread commands of the spare parts (PRT-1 … PRT-4):
// "parts_add: CART-35 1", "parts_quote: 30" (the service fee; "callback"
// at a call-back visit), "parts_waive: why", "parts_paid: note",
// "parts_ship: 2026-11-25 SF123", "parts_returned:".
var partsVerbs = []string{bot.ActPartsAdd, bot.ActPartsQuote, bot.ActPartsWaive, bot.ActPartsPaid, bot.ActPartsShip, bot.ActPartsReturned}
