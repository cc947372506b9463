package conversations

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// qnLookup is the transcripts' lookup plus the questionnaires sent to the
// chat, kept up to date with the answers the desk records.
type qnLookup struct {
	memLookup
	calls map[int64]*QualityCall
}

func (l qnLookup) QualityCall(_ context.Context, channel, chatID string, id int64) (QualityCall, error) {
	c, ok := l.calls[id]
	if !ok || channel != "web" || chatID != "c1" {
		return QualityCall{}, ErrNotFound
	}
	return *c, nil
}

// qnScript is a questionnaire in the chat: the desk sends it, the customer
// presses buttons.
type qnScript struct {
	name  string
	kind  string
	id    int64
	press []string
}

var qnScripts = []qnScript{
	{name: "questionnaire-half-yearly", kind: "questionnaire", id: 7,
		press: []string{"qn:7:product:4", "qn:7:product:2", "qn:7:service:5", "qn:7:service:1", "qn:99:service:3", "qn:7:service:9"}},
	{name: "questionnaire-quarterly-call-back-low", kind: "callback", id: 8,
		press: []string{"qn:8:service:3", "qn:8:product:2", "qn:8:service:3"}},
}

func playQuestionnaire(t *testing.T, sc qnScript, lang Lang) string {
	t.Helper()
	lk := qnLookup{memLookup: transcriptLookup(), calls: map[int64]*QualityCall{sc.id: {ID: sc.id, Kind: sc.kind}}}
	env := testEnv()
	env.Lookup = lk
	st := State{Lang: lang}
	var b strings.Builder
	fmt.Fprintf(&b, "# %s (%s)\n# > the customer, < the bot, [label → data] its buttons, = what the desk records\n", sc.name, lang)
	b.WriteString("\n(the desk sends the questionnaire)\n")
	b.WriteString(renderEffect(QuestionnaireStart(lang, sc.kind, sc.id)))
	for _, data := range sc.press {
		in := Inbound{Channel: "web", ChatID: "c1", Choice: data}
		next, effects, err := Step(context.Background(), env, st, in)
		if err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		st = next
		b.WriteString("\n" + renderInbound(in))
		for _, e := range effects {
			b.WriteString(renderEffect(e))
			if a, ok := e.(QuestionnaireAnswered); ok {
				c := lk.calls[a.ID]
				if a.Question == QuestionProduct {
					c.Product = a.Score
				} else {
					c.Service = a.Score
				}
			}
		}
	}
	return b.String()
}

// The questionnaire in the chat, in zh-Hans and English: the product score
// asks the service score; a question answered twice, a forged id and a
// score out of range record nothing; a low score is met with an apology
// and staff's call.
// rule: QLT-2, QLT-3
func TestGoldenQuestionnaire(t *testing.T) {
	for _, sc := range qnScripts {
		goldenInLangs(t, sc.name, func(t *testing.T, lang Lang) string { return playQuestionnaire(t, sc, lang) })
	}
}

// Each question is recorded once, and only for a questionnaire of this
// chat.
// rule: QLT-2, QLT-3
func TestQuestionnaireRecordsEachAnswerOnce(t *testing.T) {
	for _, c := range []struct {
		name   string
		call   QualityCall
		press  string
		record bool
	}{
		{"product first", QualityCall{ID: 7}, "qn:7:product:5", true},
		{"service after product", QualityCall{ID: 7, Product: 5}, "qn:7:service:4", true},
		{"product twice", QualityCall{ID: 7, Product: 5}, "qn:7:product:1", false},
		{"service twice", QualityCall{ID: 7, Product: 5, Service: 4}, "qn:7:service:1", false},
		{"service before product", QualityCall{ID: 7}, "qn:7:service:4", false},
		{"another chat's", QualityCall{ID: 7}, "qn:8:product:5", false},
		{"score out of range", QualityCall{ID: 7}, "qn:7:product:6", false},
		{"unknown question", QualityCall{ID: 7}, "qn:7:price:5", false},
		{"garbage", QualityCall{ID: 7}, "qn:7", false},
	} {
		call := c.call
		env := testEnv()
		env.Lookup = qnLookup{memLookup: transcriptLookup(), calls: map[int64]*QualityCall{7: &call}}
		_, effects, err := Step(context.Background(), env, State{Lang: ZhHans}, Inbound{Channel: "web", ChatID: "c1", Choice: c.press})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		recorded := false
		replied := false
		for _, e := range effects {
			switch e.(type) {
			case QuestionnaireAnswered:
				recorded = true
			case Reply:
				replied = true
			}
		}
		if recorded != c.record || !replied {
			t.Errorf("%s: recorded %v, replied %v", c.name, recorded, replied)
		}
	}
}
