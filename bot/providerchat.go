package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"frontdesk/cases"
	"frontdesk/conversations"
	"frontdesk/store"
)

// The provider's own chat (PRV-2, INS-2): a chat linked with a one-time
// code is a provider's, and its messages are commands on the provider's own
// jobs, never a customer dialog. A provider sees and touches only the cases
// it was dispatched to.

// providerChat handles a message of a provider's chat, or the /link of a
// chat not linked yet; it reports false for a customer's message.
func (d *Desk) providerChat(ctx context.Context, key string, in conversations.Inbound) (bool, error) {
	pc, err := d.Store.ProviderChatOf(ctx, in.Channel, in.ChatID)
	linked := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return false, err
	}
	cmd := conversations.ParseProvider(in)
	if !linked && !strings.HasPrefix(strings.TrimSpace(in.Text), "/link") {
		return false, nil
	}
	// Not under the chat's lock: a finished visit starts the customer's
	// acceptance, whose lock may be the same one.
	if in.ExternalID != "" {
		seen, err := d.Store.InboundSeen(ctx, in.Channel, in.ExternalID)
		if err != nil {
			return true, err
		}
		if seen {
			d.Metrics.Duplicate(in.Channel)
			return true, ErrDuplicate
		}
	}
	if !linked {
		return true, d.linkProvider(ctx, key, in, cmd)
	}
	lang := langOf(pc)
	var replies []conversations.Reply
	say := func(key string, args ...any) {
		replies = append(replies, conversations.Reply{Text: conversations.T(lang, key, args...)})
	}
	var photoCase string
	switch {
	case in.Rejected != conversations.RejectNone:
		say("bad.unsupported")
	case cmd.Verb == conversations.ProvLink:
		return true, d.linkProvider(ctx, key, in, cmd)
	case cmd.Verb == conversations.ProvJobs:
		lines, err := d.providerJobs(ctx, pc.ProviderID, lang)
		if err != nil {
			return true, err
		}
		replies = append(replies, conversations.Reply{Text: lines})
	case cmd.Verb == conversations.ProvPhoto:
		photoCase, err = d.providerOpenJob(ctx, pc.ProviderID)
		if err != nil {
			return true, err
		}
		if photoCase == "" {
			say("prov.photo_no_job")
		} else {
			say("prov.photo_kept", conversations.Args{"Case": photoCase})
		}
	case cmd.Verb == conversations.ProvAppoint || cmd.Verb == conversations.ProvConfirm || cmd.Verb == conversations.ProvDone:
		r, err := d.providerAct(ctx, pc, lang, cmd)
		if err != nil {
			return true, err
		}
		replies = append(replies, r...)
	case cmd.Value != "" && cmd.Value != "prov.help":
		say(cmd.Value)
	default:
		say("prov.help")
	}
	now := d.Now()
	err = d.commit(ctx, key, in, nil, now, func(tx *store.Tx) error {
		if photoCase != "" && in.Photo != nil {
			if err := d.providerPhoto(tx, pc, photoCase, *in.Photo, now); err != nil {
				return err
			}
		}
		for _, r := range replies {
			if err := toProviderChat(tx, pc, r, now); err != nil {
				return err
			}
		}
		return nil
	})
	d.wake(err, true)
	return true, err
}

// linkProvider spends a one-time code and links the chat to its provider;
// a code used before, expired or unknown changes nothing.
func (d *Desk) linkProvider(ctx context.Context, key string, in conversations.Inbound, cmd conversations.ProviderCommand) error {
	lang := conversations.NormalizeLang(in.LangHint)
	if lang == "" {
		lang = conversations.ZhHans
	}
	pc := store.ProviderChat{Channel: in.Channel, ChatID: in.ChatID, Lang: string(lang)}
	now := d.Now()
	err := d.commit(ctx, key, in, nil, now, func(tx *store.Tx) error {
		if cmd.Verb != conversations.ProvLink {
			return toProviderChat(tx, pc, conversations.Reply{Text: conversations.T(lang, "prov.link_how")}, now)
		}
		id, err := tx.UseProviderCode(strings.ToUpper(cmd.Value), pc, now)
		if errors.Is(err, store.ErrBadCode) {
			return toProviderChat(tx, pc, conversations.Reply{Text: conversations.T(lang, "prov.code_bad")}, now)
		}
		if err != nil {
			return err
		}
		p, err := tx.ProviderRecord(id)
		if err != nil {
			return err
		}
		if err := tx.Audit(store.AuditEntry{At: now, Actor: "provider " + p.Name, Action: "provider_linked",
			Subject: "provider " + strconv.FormatInt(id, 10), Detail: in.Channel + " chat"}); err != nil {
			return err
		}
		return toProviderChat(tx, pc, conversations.Reply{Text: conversations.T(lang, "prov.linked", conversations.Args{"Name": p.Name})}, now)
	})
	d.wake(err, true)
	return err
}

// ownJob returns the case when it is one the provider was dispatched to,
// else ErrNotFound: a provider never sees another's job.
func (d *Desk) ownJob(ctx context.Context, providerID int64, caseNo string) (cases.Case, error) {
	c, err := d.Store.CaseByNumber(ctx, caseNo)
	if err != nil {
		return cases.Case{}, err
	}
	if c.Details["provider_id"] != strconv.FormatInt(providerID, 10) {
		return cases.Case{}, store.ErrNotFound
	}
	return c, nil
}

// providerAct applies an appointment, a confirmation or a finished visit of
// the provider's own job through the case lifecycle.
func (d *Desk) providerAct(ctx context.Context, pc store.ProviderChat, lang conversations.Lang, cmd conversations.ProviderCommand) ([]conversations.Reply, error) {
	text := func(key string, args ...any) []conversations.Reply {
		return []conversations.Reply{{Text: conversations.T(lang, key, args...)}}
	}
	c, err := d.ownJob(ctx, pc.ProviderID, cmd.Case)
	if errors.Is(err, store.ErrNotFound) {
		return text("prov.not_yours"), nil
	}
	if err != nil {
		return nil, err
	}
	p, err := d.Store.ProviderRecordByID(ctx, pc.ProviderID)
	if err != nil {
		return nil, err
	}
	a := StaffAction{Case: c.Number, Actor: "provider " + p.Name, Role: cases.System}
	switch cmd.Verb {
	case conversations.ProvAppoint:
		a.Kind, a.Value = ActAppoint, cmd.Value
	case conversations.ProvConfirm:
		a.Kind = ActConfirm
		if c.Details["appointment"] != "" && !d.Now().Before(d.appointmentAt(c)) {
			reason := conversations.T(lang, "prov.appointment_passed", conversations.Args{"At": c.Details["appointment"]})
			return text("prov.refused", conversations.Args{"Reason": reason}), nil
		}
	case conversations.ProvDone:
		n, err := d.providerPhotos(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return text("prov.need_photo", conversations.Args{"Case": c.Number}), nil
		}
		a.Kind, a.Value = ActVisitDone, cmd.Value
	}
	after, err := d.Staff(ctx, a)
	var ce *cases.Error
	if errors.As(err, &ce) && errors.Is(err, ErrBadAction) {
		// The refusal in the provider's language (history2): never the
		// lifecycle's English inside a Chinese message.
		return text("prov.refused", conversations.Args{"Reason": conversations.Refusal(lang, err)}), nil
	}
	if err != nil {
		return nil, err
	}
	switch cmd.Verb {
	case conversations.ProvConfirm:
		return text("prov.confirmed", conversations.Args{"Case": c.Number, "At": after.Details["appointment"]}), nil
	case conversations.ProvDone:
		return text("prov.done_ok", conversations.Args{"Case": c.Number}), nil
	}
	return nil, nil // the appointment: the desk sent the provider its confirmation button
}

func (d *Desk) appointmentAt(c cases.Case) time.Time {
	at, err := time.ParseInLocation("2006-01-02 15:04", c.Details["appointment"], d.location())
	if err != nil {
		return time.Time{}
	}
	return at
}

// providerJobs is the list of the provider's own jobs.
func (d *Desk) providerJobs(ctx context.Context, providerID int64, lang conversations.Lang) (string, error) {
	nos, err := d.Store.ProviderCaseNumbers(ctx, providerID)
	if err != nil {
		return "", err
	}
	if len(nos) == 0 {
		return conversations.T(lang, "prov.jobs_none"), nil
	}
	var lines []string
	err = d.Store.Update(ctx, func(tx *store.Tx) error {
		for _, no := range nos {
			c, err := tx.CaseInTx(no)
			if err != nil {
				return err
			}
			j, err := d.providerJob(tx, c)
			if err != nil {
				return err
			}
			lines = append(lines, conversations.ProviderJobLine(lang, j))
		}
		return nil
	})
	return strings.Join(lines, "\n"), err
}

// providerOpenJob is the provider's latest job not reported done, the one
// its photos belong to; "" when it has none.
func (d *Desk) providerOpenJob(ctx context.Context, providerID int64) (string, error) {
	nos, err := d.Store.ProviderCaseNumbers(ctx, providerID)
	if err != nil {
		return "", err
	}
	for _, no := range nos {
		c, err := d.Store.CaseByNumber(ctx, no)
		if err != nil {
			return "", err
		}
		if c.Details["visit_done"] == "" && c.Status != cases.Resolved {
			return no, nil
		}
	}
	return "", nil
}

func (d *Desk) providerPhotos(ctx context.Context, caseID int64) (int, error) {
	var n int
	err := d.Store.Update(ctx, func(tx *store.Tx) (err error) {
		n, err = tx.CountPhotos(caseID, providerStep)
		return err
	})
	return n, err
}

// providerPhoto keeps a provider's photo of the work on its case; it goes
// to the staff thread like the customer's.
func (d *Desk) providerPhoto(tx *store.Tx, pc store.ProviderChat, caseNo string, p conversations.Photo, now time.Time) error {
	c, err := tx.CaseInTx(caseNo)
	if err != nil {
		return err
	}
	if c.Details["provider_id"] != strconv.FormatInt(pc.ProviderID, 10) {
		return fmt.Errorf("bot: provider %d photo on case %s: not its job", pc.ProviderID, caseNo)
	}
	id, err := tx.AddPhoto(store.Photo{CaseID: c.ID, SHA256: p.SHA256, MIME: p.MIME, Size: p.Size, Step: providerStep, CreatedAt: now})
	if err != nil {
		return err
	}
	if _, err := tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: now, Actor: "provider", Kind: "photo", Body: providerStep, PhotoID: id}); err != nil {
		return err
	}
	return enqueueStaff(tx, c.Number, StaffPost{Kind: "thread", From: "bot", Text: "provider photo", PhotoSH: p.SHA256, PhotoMT: p.MIME}, now)
}
