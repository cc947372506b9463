package testkit

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/conversations"
	"frontdesk/internal/dialogstate"
	"frontdesk/store"
)

func TestClockIsSafeForConcurrentUse(t *testing.T) {
	c := NewClock()
	if !c.Now().Equal(Start) {
		t.Fatalf("starts at %v", c.Now())
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 100; j++ {
				c.Advance(time.Second)
				c.Now()
			}
		}()
	}
	wg.Wait()
	if got := c.Now().Sub(Start); got != 800*time.Second {
		t.Fatalf("moved %v, want 800 s", got)
	}
	c.Set(Start)
	if !c.Now().Equal(Start) {
		t.Fatal("Set did not set")
	}
}

func TestAStoreReopensWithWhatWasSeeded(t *testing.T) {
	db := OpenStore(t)
	Seed(t, db, Start).Orders()
	db.Close() // a restart
	again := ReopenStore(t, db.Path())
	o, err := again.Order(context.Background(), "SO-1001")
	if err != nil || o.CustomerName != CustomerName || o.Phone != Phone || o.Items[0].Name != Sofa.Name {
		t.Fatalf("after a restart: %+v %v", o, err)
	}
}

func TestNewDeskKeepsItsStateWhereTold(t *testing.T) {
	for name, state := range StateStores {
		t.Run(name, func(t *testing.T) {
			d := NewDesk(t, state)
			d.Seed().Orders()
			d.Say("web", "c1", conversations.Inbound{Choice: "menu:where"}, conversations.Inbound{Text: "SO-1001"})
			st, _, err := d.State.Load(context.Background(), "web:c1")
			if err != nil || st.OrderNo != "SO-1001" {
				t.Fatalf("state %+v %v", st, err)
			}
			_, isRedis := d.State.(*dialogstate.Redis)
			if isRedis != (name == "redis") {
				t.Fatalf("%s desk keeps its state in %T", name, d.State)
			}
			if texts := d.Texts("web", "c1"); len(texts) != 2 {
				t.Fatalf("replies %q", texts)
			}
		})
	}
}

// failing fails its first n sends, as a channel that is down.
type failing struct {
	*Recorder
	n int
}

func (f *failing) Send(ctx context.Context, m store.OutboxMessage) error {
	if f.n > 0 {
		f.n--
		return errors.New("503")
	}
	return f.Recorder.Send(ctx, m)
}

func TestDeliverDrainsTheOutboxMovingTheClock(t *testing.T) {
	d := NewDesk(t)
	web := &failing{Recorder: NewRecorder(), n: 2}
	out := d.Outbox(Channels{"web": web})
	if err := d.Tell(context.Background(), "web", "c1", bot.Message{Text: "hello"}); err != nil {
		t.Fatal(err)
	}
	out.Deliver()
	if web.Last() != "hello" || len(web.Texts()) != 1 {
		t.Fatalf("delivered %q", web.Texts())
	}
	if !d.Clock.Now().After(Start) {
		t.Fatal("the clock did not move past the backoff")
	}
}
