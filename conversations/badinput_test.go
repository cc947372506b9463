package conversations

import (
	"reflect"
	"strings"
	"testing"
)

func TestEmojiOnly(t *testing.T) {
	for s, want := range map[string]bool{
		"😀": true, "😭😭": true, " 👍🏻 ": true, "❤️": true, "👨‍👩‍👧": true, "🇨🇳": true, "⭐⭐⭐": true, "☺": true,
		"": false, "   ": false, "好的👍": false, "ok 👍": false, "1️⃣": false, "!!": false, "？": false, "12月3日": false,
		"©": false, "<script>😀</script>": false, "😀\x00": false,
	} {
		if got := emojiOnly(s); got != want {
			t.Errorf("emojiOnly(%q) = %v, want %v", s, got, want)
		}
	}
}

// An emoji-only message is answered and changes nothing, at a text
// question too (a description of "😭😭" would open a case that says
// nothing); handed to a colleague, it goes to them.
func TestEmojiOnlyChangesNothing(t *testing.T) {
	for _, lang := range []Lang{ZhHans, En} {
		c := newChat(t, lang)
		id := wang()
		c.st.Verified = &id
		c.choose(choiceRepair)
		c.choose(prefixAnswer + "SO-1001")
		c.choose(prefixAnswer + "1")
		before := c.st
		effects := c.send(Inbound{Text: "😭😭"})
		if len(effects) != 1 || lastReply(t, effects).Text != T(lang, "bad.emoji_only") || !reflect.DeepEqual(c.st, before) {
			t.Errorf("%s: %+v, state %+v", lang, effects, c.st)
		}
	}
	c := newChat(t, En)
	c.st.HandedOff = true
	c.env.Lookup = transcriptLookup()
	if effects := c.send(Inbound{Text: "👍"}); len(effects) > 0 && lastReplyText(effects) == T(En, "bad.emoji_only") {
		t.Errorf("a thumbs-up to a colleague was refused: %+v", effects)
	}
}

func lastReplyText(effects []Effect) string {
	if r := lastEffect[Reply](effects); r != nil {
		return r.Text
	}
	return ""
}

// The same picture twice in one step counts once; in another step it is
// taken.
func TestSamePhotoTwiceCountsOnce(t *testing.T) {
	c := newChat(t, En)
	id := wang()
	c.st.Verified = &id
	for _, d := range []string{choiceDamage, prefixAnswer + "SO-1001", prefixAnswer + "1", prefixAnswer + answerDone, prefixAnswer + "home"} {
		c.choose(d)
	}
	p := &Photo{SHA256: "same", MIME: "image/png", Size: 10}
	c.send(Inbound{Photo: p})
	before := c.st
	if r := lastReply(t, c.send(Inbound{Photo: p})); r.Text != T(En, "photo.duplicate") || !reflect.DeepEqual(c.st, before) {
		t.Fatalf("twice: %q, photos %+v", r.Text, c.st.Draft.Photos)
	}
	c.choose(prefixAnswer + answerDone)
	if r := lastReply(t, c.send(Inbound{Photo: p})); !strings.Contains(r.Text, "1") || len(c.st.Draft.Photos) != 2 {
		t.Fatalf("the same picture for the whole item: %q, photos %+v", r.Text, c.st.Draft.Photos)
	}
}

// A reply to an old message (the channel tells) is answered and changes
// nothing.
func TestOldReplyChangesNothing(t *testing.T) {
	c := newChat(t, ZhHant)
	c.choose(choiceRepair)
	before := c.st
	effects := c.send(Inbound{Text: "SO-1001", Rejected: RejectOldReply})
	if len(effects) != 1 || lastReply(t, effects).Text != T(ZhHant, "bad.old_reply") || !reflect.DeepEqual(c.st, before) {
		t.Fatalf("%+v %+v", effects, c.st)
	}
}
