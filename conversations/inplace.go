package conversations

// Edit in place: a multi-choice question (several items ticked, then
// "done") answers each tap by updating its own buttons in the message the
// button was on, instead of asking the question again below. The channel
// says which message that is (Inbound.ButtonRef); without it the question
// is asked again as a new message, as before.

// askInPlace asks q again with its current ticks, as an edit of the
// message whose button was tapped when the channel named it.
func (d *dialog) askInPlace(q question) error {
	n := len(d.effects)
	if err := d.ask(q, ""); err != nil {
		return err
	}
	if d.in.ButtonRef == "" || d.in.Choice == "" {
		return nil
	}
	for i := n; i < len(d.effects); i++ {
		if r, ok := d.effects[i].(Reply); ok {
			r.Edit = true
			d.effects[i] = r
		}
	}
	return nil
}

// EditsInPlace reports whether a step's only answer is an edit of the
// message whose button was tapped: such a tap is not a message of the
// customer's of its own, and is not kept in the chat's history.
func EditsInPlace(effects []Effect) bool {
	edits := false
	for _, e := range effects {
		r, ok := e.(Reply)
		if !ok {
			continue
		}
		if !r.Edit {
			return false
		}
		edits = true
	}
	return edits
}
