package conversations

import (
	"slices"
	"strings"
)

// Edited messages and albums (issue 19): a customer on Telegram may edit a
// message they sent, and may send several photos at once as an album.

// ProviderPhotoCaption is the caption of the n-th of count problem
// photos of a case sent to its provider.
func ProviderPhotoCaption(lang Lang, caseNo string, n, count int) string {
	return T(lang, "prov.photo_caption", Args{"Case": caseNo, "N": n, "Total": count})
}

// LastText is the customer's latest message when it was typed text: its
// channel id, and the flow and step it answered. An edit of it corrects
// that answer.
type LastText struct {
	Ref  string `json:"ref"`
	Flow string `json:"flow,omitempty"`
	Step string `json:"step,omitempty"`
}

// noteText keeps what the customer's latest message was, before the step
// moves on: typed text with a channel id is remembered with the step it
// answered; anything else forgets it, so only the latest answer can be
// corrected.
func (d *dialog) noteText(in Inbound) {
	if in.Edited {
		return
	}
	d.noted = d.st.LastText
	d.st.LastText = nil
	if in.Text == "" || in.MessageRef == "" || in.Photo != nil || in.Choice != "" {
		return
	}
	d.st.LastText = &LastText{Ref: in.MessageRef, Flow: d.st.Flow, Step: d.st.Step}
}

// edited takes the customer's edit of a message: where the current step
// takes free text and the edit is of the latest answer, it is the
// customer's correction and the answer is given again (re-step); otherwise
// the customer is told, in one short note that leaves the question in
// front of them live, that edits are not read.
func (d *dialog) edited(in Inbound) error {
	lt := d.st.LastText
	if d.st.HandedOff || lt == nil || lt.Ref != in.MessageRef || lt.Flow != d.st.Flow || in.Text == "" ||
		strings.HasPrefix(strings.TrimSpace(in.Text), "/") || !d.takesText() {
		d.aside(d.t("edit.not_read"))
		return nil
	}
	in.Edited = false
	d.in = in
	if lt.Step == d.st.Step {
		// The edited message is the answer this step is still waiting
		// for (it was refused): the step takes it again.
		d.noteText(in)
		d.say(d.t("edit.taken"), nil)
		return d.dispatch(in)
	}
	f, cur := d.currentFlow()
	at := -1
	if f != nil {
		at = slices.IndexFunc(f.questions, func(q question) bool { return q.key == lt.Step })
	}
	if at < 0 || at > cur || f.questions[at].text == nil {
		d.aside(d.t("edit.not_read"))
		return nil
	}
	// Back to the step the edited message answered, its answer taken
	// back; the questions answered since keep theirs, and the flow goes
	// on from there.
	delete(d.draft().Answers, lt.Step)
	d.st.Step = lt.Step
	d.noteText(in)
	d.say(d.t("edit.taken"), nil)
	return d.replyText(f.questions[at], at, in)
}

// takesText reports whether the current step takes free text: a guided
// flow's typed answer, or the order number and phone digits of the
// verification and of "where is my order".
func (d *dialog) takesText() bool {
	switch d.st.Flow {
	case flowVerify:
		return d.st.Step == stepOrderNo || d.st.Step == stepPhone4
	case flowWhere:
		return true
	}
	f, cur := d.currentFlow()
	return f != nil && cur >= 0 && f.questions[cur].text != nil
}

// aside says a short note that does not supersede the question in front
// of the customer: its buttons stay live.
func (d *dialog) aside(text string) {
	d.effects = append(d.effects, Reply{Text: text, Aside: true})
}

// albumPhoto reports whether a photo of an album is kept without a word:
// only the last photo of its album that the channel has seen is
// acknowledged, and an album only once (its photos may come in several
// batches).
func (d *dialog) albumPhoto(in Inbound) (quiet bool) {
	if in.Album == "" {
		return false
	}
	dr := d.draft()
	if !in.AlbumLast || slices.Contains(dr.Albums, in.Album) {
		return true
	}
	dr.Albums = append(dr.Albums, in.Album)
	return false
}

// stale answers a tap on a button that no longer means anything and
// leaves the dialog exactly as it was, the latest typed answer included.
func (d *dialog) stale() {
	d.st.LastText = d.noted
	d.say(d.t("stale.button"), menuButtons(d.lang()))
}
