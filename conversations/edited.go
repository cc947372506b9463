package conversations

import "slices"

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
	f, cur := d.currentFlow()
	lt := d.st.LastText
	if f == nil || cur < 0 || d.st.HandedOff || lt == nil || lt.Ref != in.MessageRef || lt.Flow != d.st.Flow ||
		in.Text == "" || f.questions[cur].text == nil {
		d.aside(d.t("edit.not_read"))
		return nil
	}
	at := slices.IndexFunc(f.questions, func(q question) bool { return q.key == lt.Step })
	if at < 0 || at > cur || f.questions[at].text == nil {
		d.aside(d.t("edit.not_read"))
		return nil
	}
	// Back to the step the edited message answered, its answer taken
	// back; the questions answered since keep theirs, and the flow goes
	// on from there.
	delete(d.draft().Answers, lt.Step)
	d.st.Step = lt.Step
	d.say(d.t("edit.taken"), nil)
	in.Edited = false
	return d.replyText(f.questions[at], at, in)
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
