package testkit

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"frontdesk/bot"
	"frontdesk/config"
	"frontdesk/internal/outbox"
	"frontdesk/store"
)

// Outbox is the outbox sender of a test desk: the configured backoff, no
// jitter, the desk's clock and its after-send hook.
type Outbox struct {
	*outbox.Sender
	desk *Desk
}

// Channels are the outbox's channels by name ("web", bot.StaffChannel …).
type Channels = map[string]outbox.Channel

// Outbox builds the sender of the desk's outbox to channels.
func (d *Desk) Outbox(channels Channels) *Outbox {
	return &Outbox{desk: d, Sender: &outbox.Sender{Store: d.Store, Channels: channels, Now: d.Clock.Now,
		Config: config.Default().Outbox, Log: Log(), Jitter: func() float64 { return 0 }, AfterSend: d.AfterSend}}
}

// maxPasses bounds Deliver: more passes than this and the outbox is stuck.
const maxPasses = 200

// Deliver runs the sender until the outbox is empty, moving the clock a
// second after each pass that leaves messages behind (past the channels'
// rate limits and the retries' backoff); an outbox that does not drain
// fails the test.
func (o *Outbox) Deliver() {
	tb := o.desk.tb
	tb.Helper()
	ctx := context.Background()
	for i := 0; i < maxPasses; i++ {
		o.RunOnce(ctx)
		n, err := o.desk.Store.OutboxBacklog(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		if n == 0 {
			return
		}
		o.desk.Clock.Advance(time.Second)
	}
	tb.Fatal("the outbox did not drain")
}

// Recorder is an outbox channel that keeps what reached it: a customer's
// chat, or a staff desk a test does not look at.
type Recorder struct {
	mu   sync.Mutex
	sent []store.OutboxMessage
}

// NewRecorder returns an empty recorder.
func NewRecorder() *Recorder { return &Recorder{} }

// Send records m.
func (r *Recorder) Send(_ context.Context, m store.OutboxMessage) error {
	r.mu.Lock()
	r.sent = append(r.sent, m)
	r.mu.Unlock()
	return nil
}

// Texts are the texts of the messages recorded, in order.
func (r *Recorder) Texts() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]string, 0, len(r.sent))
	for _, m := range r.sent {
		var msg bot.Message
		json.Unmarshal(m.Payload, &msg)
		out = append(out, msg.Text)
	}
	return out
}

// Last is the text of the last message recorded ("" before any).
func (r *Recorder) Last() string {
	texts := r.Texts()
	if len(texts) == 0 {
		return ""
	}
	return texts[len(texts)-1]
}
