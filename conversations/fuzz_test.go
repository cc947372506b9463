package conversations

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

var fuzzTexts = []string{"/start", "/cancel", "/status", "/help", "/language", "/human", "SO-1001", "SO-2001", "1234", "5678",
	"0000", "hello", "2", "where is my order", "我的沙发坏了", "退货", "投诉", "B2611", "12月5日上午", "", strings.Repeat("长", 1500)}

var orderNo = regexp.MustCompile(`SO-\d{4}`)

// FuzzStep feeds random event sequences to the dialogs. Whatever happens:
// no panic and no error, no case for a customer who is not verified (but a
// handoff), no other customer's order in a reply, no text short of a value
// it names, and /cancel always leads back to the menu.
func FuzzStep(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7})
	f.Add([]byte{1, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9})
	f.Add([]byte{1, 30, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8})
	f.Add([]byte{0, 25, 6, 25, 8, 25, 3})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		lk := transcriptLookup()
		env := testEnv()
		env.Lookup, env.Promises = lk, DefaultPromises()
		st := State{Lang: Langs[int(data[0])%len(Langs)]}
		if data[0]%2 == 1 {
			id := wang()
			st.Verified = &id
		}
		var last Reply
		for i := 1; i < len(data) && i < 200; i++ {
			in := fuzzEvent(data, i, last)
			next, effects, err := Step(context.Background(), env, st, in)
			if err != nil {
				t.Fatalf("step %d %+v: %v", i, in, err)
			}
			checkEffects(t, next, effects)
			for _, e := range effects {
				if r, ok := e.(Reply); ok {
					last = r
				}
				if _, ok := e.(Handoff); ok {
					lk.handoff["web:c1"] = "AS-1"
				}
			}
			st = next
			if data[i]%17 == 16 {
				checkWayOut(t, env, st)
			}
		}
		checkWayOut(t, env, st)
	})
}

func fuzzEvent(data []byte, i int, last Reply) Inbound {
	in := Inbound{Channel: "web", ChatID: "c1"}
	b := data[i]
	switch b % 8 {
	case 0, 1, 2: // press one of the last reply's buttons
		var all []Button
		for _, row := range last.Buttons {
			all = append(all, row...)
		}
		if len(all) > 0 {
			in.Choice = all[int(b/8)%len(all)].Data
			return in
		}
		in.Choice = "ans:" + string(rune('0'+b%10))
	case 3, 4:
		in.Text = fuzzTexts[int(b/8)%len(fuzzTexts)]
	case 5:
		in.Photo = &Photo{SHA256: "p", MIME: "image/png", Size: 1}
	case 6:
		in.Contact = &Contact{Phone: []string{"13800001234", "13900005678", "1"}[int(b/8)%3], Own: b%16 < 8}
	default:
		in.Choice = []string{"ans:SO-2001", "order:SO-2001", "install:SO-2001", "lang:xx", "menu:nothing", "ans:done"}[int(b/8)%6]
	}
	return in
}

func checkEffects(t *testing.T, st State, effects []Effect) {
	t.Helper()
	mine := map[string]bool{}
	if st.Verified != nil {
		for _, o := range transcriptLookup().orders {
			if o.Phone == st.Verified.Phone {
				mine[o.No] = true
			}
		}
	}
	for _, e := range effects {
		switch e := e.(type) {
		case OpenCase:
			if e.Customer.Phone == "" && e.Kind != "inquiry" {
				t.Fatalf("a %s case for an unverified customer", e.Kind)
			}
			if e.OrderNo != "" && !mine[e.OrderNo] {
				t.Fatalf("a case on order %s that is not the customer's", e.OrderNo)
			}
		case Reply:
			if strings.Contains(e.Text, "<no value>") {
				t.Fatalf("a reply lacks a value its text names: %q", e.Text)
			}
			for _, no := range orderNo.FindAllString(e.Text, -1) {
				if !mine[no] {
					t.Fatalf("a reply shows order %s to someone else: %q", no, e.Text)
				}
			}
			for _, row := range e.Buttons {
				for _, btn := range row {
					for _, no := range orderNo.FindAllString(btn.Label+btn.Data, -1) {
						if !mine[no] {
							t.Fatalf("a button offers order %s to someone else", no)
						}
					}
				}
			}
		}
	}
}

func checkWayOut(t *testing.T, env Env, st State) {
	t.Helper()
	next, effects, err := Step(context.Background(), env, st, Inbound{Channel: "web", ChatID: "c1", Text: "/cancel"})
	if err != nil || next.Flow != "" || next.Draft != nil || next.HandedOff || len(effects) != 1 {
		t.Fatalf("/cancel did not lead out: %+v %+v %v", next, effects, err)
	}
	if r, ok := effects[0].(Reply); !ok || len(r.Buttons) == 0 {
		t.Fatalf("/cancel without a menu: %+v", effects)
	}
}
