package conversations

import (
	"context"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"frontdesk/config"
)

// The knowledge base (ARC-4, 001 §2.1.3): usage and care questions are
// answered from questions and answers per category before a handover.
// Free text the dialogs do not take as a request is matched against it by
// keywords and by similar wording; the best answers are offered with "this
// helped" and "talk to a person".

// KnowledgeLookup is what a Lookup may add to the configured knowledge
// base: the entries staff added from resolved cases or the back office,
// which replace a configured entry of the same id.
type KnowledgeLookup interface {
	Knowledge(ctx context.Context) ([]config.KBEntry, error)
}

// KBOffered records that answers were offered, for the entries' figures.
type KBOffered struct {
	IDs []string
}

// KBHelped records that the customer said an answer helped.
type KBHelped struct {
	ID string
}

func (KBOffered) isEffect() {}
func (KBHelped) isEffect()  {}

// Button data of the knowledge base.
const (
	prefixKBHelped = "kb:helped:"
	maxKBAnswers   = 2
)

// knowledge is the configured knowledge base with the lookup's entries
// over it.
func (d *dialog) knowledge() ([]config.KBEntry, error) {
	base := d.env.Products.Knowledge
	lk, ok := d.env.Lookup.(KnowledgeLookup)
	if !ok {
		return base, nil
	}
	added, err := lk.Knowledge(d.ctx)
	if err != nil {
		return nil, errLookup("knowledge", err)
	}
	if len(added) == 0 {
		return base, nil
	}
	out := make([]config.KBEntry, 0, len(base)+len(added))
	for _, e := range base {
		if !slices.ContainsFunc(added, func(a config.KBEntry) bool { return a.ID == e.ID }) {
			out = append(out, e)
		}
	}
	return append(out, added...), nil
}

// MatchKB returns the entries that answer text best, best first: a keyword
// the text holds counts most (a longer keyword more), wording like one of
// the entry's questions next. With a category, only the entries of that
// category and the general ones are considered. A greeting is returned
// only when nothing else matched.
func MatchKB(entries []config.KBEntry, text, category string) []config.KBEntry {
	norm := normalizeKB(text)
	if norm == "" {
		return nil
	}
	type scored struct {
		e     config.KBEntry
		score float64
	}
	var hits []scored
	for _, e := range entries {
		if category != "" && e.Category != "" && string(e.Category) != category {
			continue
		}
		score := 0.0
		for _, k := range e.Keywords {
			if kw := normalizeKB(k); kw != "" && holdsKeyword(norm, kw) {
				score += 1 + float64(utf8.RuneCountInString(kw))/10
			}
		}
		best := 0.0
		for _, q := range e.Question {
			best = max(best, similarity(norm, normalizeKB(q)))
		}
		if best >= 0.5 {
			score += 2 * best
		}
		if score > 0 {
			hits = append(hits, scored{e, score})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].score != hits[j].score {
			return hits[i].score > hits[j].score
		}
		return hits[i].e.ID < hits[j].e.ID
	})
	var out, smallTalk []config.KBEntry
	for _, h := range hits {
		if h.e.SmallTalk {
			smallTalk = append(smallTalk, h.e)
			continue
		}
		out = append(out, h.e)
	}
	if len(out) == 0 {
		return smallTalk
	}
	return out
}

// normalizeKB lower-cases text and turns everything but letters and digits
// into single spaces.
func normalizeKB(s string) string {
	var b strings.Builder
	space := true
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSpace(b.String())
}

// holdsKeyword: a keyword of Latin letters must be whole words ("hi" is
// not in "this"); one with Chinese characters anywhere.
func holdsKeyword(text, kw string) bool {
	ascii := true
	for _, r := range kw {
		if r >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.Contains(" "+text+" ", " "+kw+" ")
	}
	return strings.Contains(strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(kw, " ", ""))
}

// similarity is the Dice coefficient of the two texts' character pairs
// (words, for Latin text): 1 for the same wording, 0 for nothing shared.
func similarity(a, b string) float64 {
	ga, gb := grams(a), grams(b)
	if len(ga) == 0 || len(gb) == 0 {
		return 0
	}
	shared := 0
	for g, n := range ga {
		shared += min(n, gb[g])
	}
	total := 0
	for _, n := range ga {
		total += n
	}
	for _, n := range gb {
		total += n
	}
	return 2 * float64(shared) / float64(total)
}

func grams(s string) map[string]int {
	out := map[string]int{}
	for _, w := range strings.Fields(s) {
		runes := []rune(w)
		if runes[0] < utf8.RuneSelf {
			out[w]++
			continue
		}
		if len(runes) == 1 {
			out[w]++
		}
		for i := 0; i+1 < len(runes); i++ {
			out[string(runes[i:i+2])]++
		}
	}
	return out
}

// kbText is an entry's text in the customer's language, zh-Hans when it
// lacks one.
func kbText(m map[string]string, lang Lang) string {
	if s := m[string(lang)]; s != "" {
		return s
	}
	return m[string(ZhHans)]
}

// answerFromKB offers the best answers to what the customer typed, and
// reports whether there were any. category narrows them to a product's.
func (d *dialog) answerFromKB(text, category string) (bool, error) {
	entries, err := d.knowledge()
	if err != nil {
		return false, err
	}
	found := MatchKB(entries, text, category)
	if len(found) == 0 {
		return false, nil
	}
	if found[0].SmallTalk {
		d.say(kbText(found[0].Answer, d.lang()), menuButtons(d.lang()))
		return true, nil
	}
	found = found[:min(len(found), maxKBAnswers)]
	var b strings.Builder
	b.WriteString(d.t("kb.found"))
	ids := make([]string, len(found))
	var next []string
	for i, e := range found {
		ids[i] = e.ID
		b.WriteString("\n\n【" + kbText(e.Question, d.lang()) + "】\n" + kbText(e.Answer, d.lang()))
		for _, n := range e.Next {
			if !slices.Contains(next, n) {
				next = append(next, n)
			}
		}
	}
	b.WriteString("\n\n" + d.t("kb.ask_helped"))
	rows := [][]Button{{{Label: d.t("btn.kb_helped"), Data: prefixKBHelped + ids[0]}, {Label: d.t("btn.human"), Data: choiceHuman}}}
	var row []Button
	for _, n := range next {
		if b, ok := nextButton(d.lang(), n); ok {
			row = append(row, b)
		}
	}
	if len(row) > 0 {
		rows = append(rows, row)
	}
	rows = append(rows, backButtons(d.lang())[0])
	d.effects = append(d.effects, KBOffered{IDs: ids})
	d.say(b.String(), rows)
	return true, nil
}

// nextButton is the menu button an answer offers as its next step.
func nextButton(lang Lang, next string) (Button, bool) {
	data := map[string]string{"repair": choiceRepair, "status": choiceStatus, "products": choiceProducts, "where": choiceWhere,
		"install": choiceInstall, "human": choiceHuman, "return": choiceReturn, "damage": choiceDamage}[next]
	if data == "" {
		return Button{}, false
	}
	return Button{Label: T(lang, "btn."+next), Data: data}, true
}

// kbHelped thanks the customer for saying an answer helped; an id the
// knowledge base does not hold (an old button, forged data) is a stale
// button.
func (d *dialog) kbHelped(id string) error {
	entries, err := d.knowledge()
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(entries, func(e config.KBEntry) bool { return e.ID == id && !e.SmallTalk }) {
		d.stale()
		return nil
	}
	d.effects = append(d.effects, KBHelped{ID: id})
	d.say(d.t("kb.thanks"), menuButtons(d.lang()))
	return nil
}
