package conversations

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// The call sites' values of the texts of edits, albums and photos to the
// provider (TestCatalogPlaceholders).
func init() {
	callArgs["prov.photos_sent"] = []string{"Count"}
	callArgs["prov.photo_caption"] = []string{"Case", "N", "Total"}
	callArgs["edit.not_read"] = nil
	callArgs["edit.taken"] = nil
	scripts = append(scripts, tgeditScripts...)
}

// Turns that name the channel's messages: a tap on the button of message
// ref, a typed message ref, the customer's edit of it, an album's photo.
func tapOn(ref, data string) turn {
	return turn{choice: data, more: func(in *Inbound) { in.ButtonRef = ref }}
}

func typed(ref, text string) turn {
	return turn{text: text, more: func(in *Inbound) { in.MessageRef = ref }}
}

func edit(ref, text string) turn {
	return turn{text: text, more: func(in *Inbound) { in.MessageRef, in.Edited = ref, true }}
}

func albumPhoto(name, album string, last bool) turn {
	return turn{photo: name, more: func(in *Inbound) { in.Album, in.AlbumLast = album, last }}
}

// renderChannelRefs renders a turn that names the channel's messages; ""
// for any other.
func renderChannelRefs(in Inbound) string {
	switch {
	case in.Edited:
		return fmt.Sprintf("> (edits message %s to) %s\n", in.MessageRef, in.Text)
	case in.ButtonRef != "":
		return fmt.Sprintf("> [%s] (on message %s)\n", in.Choice, in.ButtonRef)
	case in.Album != "":
		last := ""
		if in.AlbumLast {
			last = ", the last seen"
		}
		return fmt.Sprintf("> (photo %s of album %s%s)\n", in.Photo.SHA256, in.Album, last)
	case in.MessageRef != "":
		return fmt.Sprintf("> %s (message %s)\n", in.Text, in.MessageRef)
	}
	return ""
}

var tgeditScripts = []script{
	// Ticks of a multi-choice question update it in place; "done" moves on.
	{name: "multi-choice-in-place", verify: true, turns: []turn{press(choiceDamage), press("ans:SO-1001"),
		tapOn("m5", "ans:1"), tapOn("m5", "ans:2"), tapOn("m5", "ans:1"), tapOn("m5", "ans:done")}},
	// An edit of a refused answer is a correction; of an answer taken, or
	// of an older message, it is not read.
	{name: "edited-message", turns: []turn{press(choiceWhere), typed("m1", "SO 1001!"), edit("m1", "SO-1001"),
		edit("m1", "SO-1002"), edit("m0", "hello"), typed("m2", "1234")}},
	// An album is acknowledged once, every photo kept.
	{name: "album-acknowledged-once", verify: true, turns: []turn{press(choiceDamage), press("ans:SO-1001"), press("ans:1"),
		press("ans:done"), press("ans:pickup"), albumPhoto("a", "G1", false), albumPhoto("b", "G1", false),
		albumPhoto("c", "G1", true), albumPhoto("d", "G1", true), photo("e"), press("ans:done")}},
}

// An edit of an answer a guided flow took goes back to that step: the
// corrected answer is kept, and the flow asks again what comes next.
func TestAnEditGoesBackToTheStepItAnswered(t *testing.T) {
	env := testEnv()
	env.Lookup = transcriptLookup()
	id := wang()
	st := State{Lang: En, Verified: &id}
	step := func(in Inbound) []Effect {
		t.Helper()
		in.Channel, in.ChatID = "telegram", "1"
		next, effects, err := Step(context.Background(), env, st, in)
		if err != nil {
			t.Fatal(err)
		}
		st = next
		return effects
	}
	// A flow of two typed answers in a row (none of the shop's flows
	// asks that today; the correction must still go back).
	anyText := func(d *dialog, s string) (string, string, bool) { return s, "", true }
	flows["test-two-texts"] = &flowDef{name: "test-two-texts", questions: []question{
		{key: "where", prompt: prompt("q.order"), text: anyText},
		{key: "what", prompt: prompt("q.order"), text: anyText},
	}, finish: func(d *dialog) error { return nil }}
	t.Cleanup(func() { delete(flows, "test-two-texts") })
	st.Flow, st.Step, st.Draft = "test-two-texts", "where", &Draft{Answers: map[string]string{}}
	textStep := "what"
	first := st.Step
	step(Inbound{Text: "first answer", MessageRef: "m1"})
	if st.Step != textStep || st.Draft.Answers[first] == "" {
		t.Fatalf("the first answer was not taken: %+v", st)
	}
	effects := step(Inbound{Text: "corrected answer", MessageRef: "m1", Edited: true})
	if st.Step != textStep || !strings.Contains(st.Draft.Answers[first], "corrected") {
		t.Fatalf("the correction was not kept: step %s, answers %v", st.Step, st.Draft.Answers)
	}
	if len(effects) < 2 || !strings.Contains(effects[0].(Reply).Text, "correction") {
		t.Fatalf("effects: %+v", effects)
	}
	// Any other message since: an edit of m1 is no longer the latest answer.
	step(Inbound{Text: "second answer", MessageRef: "m2"})
	before := st
	effects = step(Inbound{Text: "again", MessageRef: "m1", Edited: true})
	if r, ok := effects[0].(Reply); len(effects) != 1 || !ok || !r.Aside || !strings.Contains(r.Text, "edits") {
		t.Fatalf("an old edit: %+v", effects)
	}
	if fmt.Sprint(before) != fmt.Sprint(st) {
		t.Fatalf("an old edit changed the state")
	}
}
