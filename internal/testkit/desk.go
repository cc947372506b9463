package testkit

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/dialogstate"
	"frontdesk/internal/photos"
	"frontdesk/store"
)

// Desk is a desk as the tests use it: a real store in the test's folder, a
// fake clock, dialog state in the store (or Redis), the configured limits,
// promises and compensation limit, a photo store and a quiet logger. The
// fields of the bot.Desk can be changed before it handles anything.
type Desk struct {
	*bot.Desk
	Clock *Clock
	// Dir is the folder of the store's file; the photos are kept below it.
	Dir string
	tb  testing.TB
}

// Option changes how NewDesk builds the desk.
type Option func(*deskOptions)

type deskOptions struct {
	db       *store.DB
	clock    *Clock
	state    func(tb testing.TB, db *store.DB, clock *Clock, ttl time.Duration) dialogstate.Store
	ttl      time.Duration
	location *time.Location
	limits   func(*conversations.Limits)
	log      *slog.Logger
}

// WithRedis keeps the dialog state in Redis, under the test's own prefix.
func WithRedis() Option {
	return func(o *deskOptions) {
		o.state = func(tb testing.TB, _ *store.DB, _ *Clock, ttl time.Duration) dialogstate.Store {
			return dialogstate.NewRedis(Redis(tb), RedisPrefix(tb), ttl)
		}
	}
}

// WithEmbedded keeps the dialog state in the store (the default).
func WithEmbedded() Option {
	return func(o *deskOptions) { o.state = embedded }
}

func embedded(_ testing.TB, db *store.DB, clock *Clock, ttl time.Duration) dialogstate.Store {
	return dialogstate.NewEmbedded(db, ttl, clock.Now)
}

// WithState keeps the dialog state in s.
func WithState(s dialogstate.Store) Option {
	return func(o *deskOptions) {
		o.state = func(testing.TB, *store.DB, *Clock, time.Duration) dialogstate.Store { return s }
	}
}

// StateStores are both dialog-state stores, by name: what the desk does
// must hold with either.
var StateStores = map[string]Option{"redis": WithRedis(), "embedded": WithEmbedded()}

// WithStateTTL is how long a dialog is kept (an hour unless told).
func WithStateTTL(ttl time.Duration) Option { return func(o *deskOptions) { o.ttl = ttl } }

// WithStore builds the desk on db (a second desk on one store, a restart)
// instead of a new store.
func WithStore(db *store.DB) Option { return func(o *deskOptions) { o.db = db } }

// WithClock drives the desk by clock instead of a new one at Start.
func WithClock(clock *Clock) Option { return func(o *deskOptions) { o.clock = clock } }

// WithLocation is the shop's time zone (UTC unless told).
func WithLocation(loc *time.Location) Option { return func(o *deskOptions) { o.location = loc } }

// WithLimits changes the desk's limits (Limits unless told) with change:
// a channel test that counts on a shorter verify cooldown, say.
func WithLimits(change func(*conversations.Limits)) Option {
	return func(o *deskOptions) { o.limits = change }
}

// WithLog logs to log instead of nowhere: a test that reads the desk's log
// lines.
func WithLog(log *slog.Logger) Option { return func(o *deskOptions) { o.log = log } }

// NewDesk builds a desk for the test tb.
func NewDesk(tb testing.TB, opts ...Option) *Desk {
	tb.Helper()
	o := deskOptions{state: embedded, ttl: time.Hour, location: time.UTC, log: Log()}
	for _, opt := range opts {
		opt(&o)
	}
	if o.db == nil {
		o.db = OpenStore(tb)
	}
	if o.clock == nil {
		o.clock = NewClock()
	}
	dir := filepath.Dir(o.db.Path())
	cfg := config.Default()
	limits := Limits()
	if o.limits != nil {
		o.limits(&limits)
	}
	return &Desk{
		Desk: &bot.Desk{
			State:          o.state(tb, o.db, o.clock, o.ttl),
			Store:          o.db,
			Now:            o.clock.Now,
			Location:       o.location,
			Limits:         limits,
			Promises:       conversations.DefaultPromises(),
			ClerkLimitYuan: cfg.ClerkCompensationLimitYuan,
			Photos:         &photos.Store{Dir: filepath.Join(dir, "photos"), MaxBytes: Limits().MaxUploadBytes},
			Log:            o.log,
		},
		Clock: o.clock,
		Dir:   dir,
		tb:    tb,
	}
}

// Limits are the desk's limits in the tests: the configured ones, but
// uploads capped at 1 MiB, so that a test of a too large file sends 2 MiB
// and not 20.
func Limits() conversations.Limits {
	l := config.Default().Limits
	return conversations.Limits{MaxTextBytes: l.MaxTextBytes, MaxUploadBytes: 1 << 20,
		VerifyAttempts: l.VerifyAttempts, VerifyCooldown: l.VerifyCooldown.D()}
}

// Say hands the desk one inbound event after another from one chat, failing
// the test on an error.
func (d *Desk) Say(channel, chat string, ins ...conversations.Inbound) {
	d.tb.Helper()
	for _, in := range ins {
		in.Channel, in.ChatID = channel, chat
		if err := d.Handle(context.Background(), in); err != nil {
			d.tb.Fatalf("%+v: %v", in, err)
		}
	}
}

// ReportDamage is the customer (Phone) verifying in the web chat chat with
// order and the phone's last four digits, and reporting damage to the
// order's first item at home, with a photo at each of the three steps and
// description: it returns the case that opened.
func (d *Desk) ReportDamage(chat, order, description string) cases.Case {
	d.tb.Helper()
	ph, err := d.Photos.Save(bytes.NewReader(PNG(1)))
	if err != nil {
		d.tb.Fatal(err)
	}
	d.Say("web", chat, conversations.Inbound{Text: "/status"}, conversations.Inbound{Text: order},
		conversations.Inbound{Text: Phone[len(Phone)-4:]})
	for _, step := range []string{"menu:damage", "ans:1", "ans:done", "ans:home"} {
		d.Say("web", chat, conversations.Inbound{Choice: step})
	}
	for i := 0; i < 3; i++ {
		d.Say("web", chat, conversations.Inbound{Photo: &ph}, conversations.Inbound{Choice: "ans:done"})
	}
	d.Say("web", chat, conversations.Inbound{Choice: "ans:no"}, conversations.Inbound{Text: description})
	open, err := d.Store.CasesByPhone(context.Background(), Phone, true)
	if err != nil || len(open) != 1 {
		d.tb.Fatalf("cases after the damage report: %+v %v", open, err)
	}
	return open[0]
}

// Messages are the messages the desk wrote to one chat, in order.
func (d *Desk) Messages(channel, chat string) []bot.Message {
	d.tb.Helper()
	return outboxOf[bot.Message](d.tb, d.Store, channel, chat)
}

// Texts are the texts of Messages.
func (d *Desk) Texts(channel, chat string) []string {
	var out []string
	for _, m := range d.Messages(channel, chat) {
		out = append(out, m.Text)
	}
	return out
}

// StaffPosts are the desk's posts to the staff for one recipient (a case
// number, bot.ChannelRecipient or bot.ManagersRecipient), in order.
func (d *Desk) StaffPosts(recipient string) []bot.StaffPost {
	d.tb.Helper()
	return outboxOf[bot.StaffPost](d.tb, d.Store, bot.StaffChannel, recipient)
}

func outboxOf[T any](tb testing.TB, db *store.DB, channel, recipient string) []T {
	tb.Helper()
	rows, err := db.OutboxAfter(context.Background(), channel, recipient, 0, 1000)
	if err != nil {
		tb.Fatal(err)
	}
	out := make([]T, 0, len(rows))
	for _, r := range rows {
		var m T
		if err := json.Unmarshal(r.Payload, &m); err != nil {
			tb.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}
