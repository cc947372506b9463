package conversations

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The quality loop's questionnaire in the chat: the quarterly call-back
// (QLT-2, 002 六(一)) and the half-yearly satisfaction questionnaire to the
// main customers (QLT-3, 004 三.4). Two questions, product quality and
// service quality, 1 to 5 each, as buttons that carry the questionnaire's
// id; like the call-back question they need no dialog state, and a
// customer in the middle of a flow answers and carries on.

// prefixQuestionnaire starts the buttons' data: "qn:<id>:<product|service>:<score>".
const prefixQuestionnaire = "qn:"

// The questions of the questionnaire.
const (
	QuestionProduct = "product"
	QuestionService = "service"
)

// QualityCall is what the questionnaire knows of one sent to this chat.
type QualityCall struct {
	ID      int64
	Kind    string // callback or questionnaire
	Product int    // 1–5, 0 until answered
	Service int
}

// QualityCallLookup reads a questionnaire sent to this chat by its id; a
// Lookup without it treats every questionnaire button as stale.
type QualityCallLookup interface {
	QualityCall(ctx context.Context, channel, chatID string, id int64) (QualityCall, error)
}

// QuestionnaireAnswered records one answer of a questionnaire.
type QuestionnaireAnswered struct {
	ID       int64
	Question string // QuestionProduct or QuestionService
	Score    int    // 1–5
}

func (QuestionnaireAnswered) isEffect() {}

// QuestionnaireStart is the questionnaire's first message: why we ask, and
// the product question.
func QuestionnaireStart(lang Lang, kind string, id int64) Reply {
	intro := T(lang, "questionnaire.intro_"+kind)
	return Reply{Text: intro + "\n\n" + T(lang, "questionnaire.product"), Buttons: scoreButtons(lang, id, QuestionProduct)}
}

func scoreButtons(lang Lang, id int64, question string) [][]Button {
	row := make([]Button, 0, 5)
	for n := 5; n >= 1; n-- {
		row = append(row, Button{Label: T(lang, "questionnaire.score_"+strconv.Itoa(n)),
			Data: fmt.Sprintf("%s%d:%s:%d", prefixQuestionnaire, id, question, n)})
	}
	return [][]Button{row}
}

// questionnaireChoice reports whether data is a questionnaire button.
func questionnaireChoice(data string) bool { return strings.HasPrefix(data, prefixQuestionnaire) }

// questionnaireAnswer records a questionnaire button: the product score
// asks the service question next; the service score thanks the customer.
// A button of another chat, a forged one, a score out of range and a
// question answered before are answered in words and record nothing.
func (d *dialog) questionnaireAnswer(data string) error {
	parts := strings.Split(strings.TrimPrefix(data, prefixQuestionnaire), ":")
	if len(parts) != 3 {
		d.sayKeepingFlow(d.t("resolution.stale"))
		return nil
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	score, err2 := strconv.Atoi(parts[2])
	question := parts[1]
	if err1 != nil || err2 != nil || score < 1 || score > 5 || (question != QuestionProduct && question != QuestionService) {
		d.sayKeepingFlow(d.t("resolution.stale"))
		return nil
	}
	lk, ok := d.env.Lookup.(QualityCallLookup)
	if !ok {
		d.sayKeepingFlow(d.t("resolution.stale"))
		return nil
	}
	call, err := lk.QualityCall(d.ctx, d.in.Channel, d.in.ChatID, id)
	if errors.Is(err, ErrNotFound) {
		d.sayKeepingFlow(d.t("resolution.stale"))
		return nil
	}
	if err != nil {
		return fmt.Errorf("conversations: questionnaire: %w", err)
	}
	switch {
	case question == QuestionProduct && call.Product != 0, question == QuestionService && call.Service != 0:
		d.sayKeepingFlow(d.t("questionnaire.already"))
		return nil
	case question == QuestionService && call.Product == 0:
		d.say(d.t("questionnaire.product"), scoreButtons(d.lang(), id, QuestionProduct))
		return nil
	}
	d.effects = append(d.effects, QuestionnaireAnswered{ID: id, Question: question, Score: score})
	if question == QuestionProduct {
		d.say(d.t("questionnaire.service"), scoreButtons(d.lang(), id, QuestionService))
		return nil
	}
	if score <= 2 || call.Product <= 2 {
		d.sayKeepingFlow(d.t("questionnaire.sorry"))
		return nil
	}
	d.sayKeepingFlow(d.t("questionnaire.thanks"))
	return nil
}
