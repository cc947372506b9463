package bot_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/conversations"
	"frontdesk/internal/dialogstate"
	"frontdesk/internal/testkit"
)

func webIn(chat, text string) conversations.Inbound {
	return conversations.Inbound{Channel: "web", ChatID: chat, Text: text}
}

// rule: DLV-7
func TestDeskWalksWhereIsMyOrder(t *testing.T) {
	for name, state := range testkit.StateStores {
		t.Run(name, func(t *testing.T) {
			desk := testkit.NewDesk(t, state)
			db := desk.Store
			desk.Seed().Orders()
			ctx := context.Background()
			for _, in := range []conversations.Inbound{
				webIn("c1", "/start"),
				{Channel: "web", ChatID: "c1", Choice: "menu:where"},
				webIn("c1", "SO-1001"),
				webIn("c1", "1234"),
			} {
				if err := desk.Handle(ctx, in); err != nil {
					t.Fatal(err)
				}
			}
			log := desk.Messages("web", "c1")
			if len(log) != 5 {
				t.Fatalf("got %d messages: %+v", len(log), log)
			}
			if len(log[0].Buttons) == 0 || !log[1].RequestContact {
				t.Errorf("menu without buttons or no contact request: %+v", log[:2])
			}
			if last := log[4].Text; !strings.Contains(last, "DB123") || !strings.Contains(last, "德邦物流") {
				t.Errorf("answer: %q", last)
			}
			trail, _ := db.AuditTrail(ctx, "chat web:c1")
			if len(trail) != 1 || trail[0].Action != "verified" {
				t.Errorf("audit: %+v", trail)
			}
		})
	}
}

func TestDuplicateUpdateIsHandledOnce(t *testing.T) {
	desk := testkit.NewDesk(t, testkit.WithRedis())
	in := webIn("c1", "/start")
	in.ExternalID = "msg-1"
	if err := desk.Handle(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	if err := desk.Handle(context.Background(), in); !errors.Is(err, bot.ErrDuplicate) {
		t.Fatalf("second delivery: %v", err)
	}
	if n := len(desk.Messages("web", "c1")); n != 1 {
		t.Fatalf("%d replies to one message", n)
	}
}

// A failed commit must not leave the dialog ahead of the records: the state
// is committed with the effects, so the customer's retry is stepped from
// where it was.
func TestFailedCommitRestoresState(t *testing.T) {
	state := dialogstate.NewRedis(testkit.Redis(t), testkit.RedisPrefix(t), time.Hour)
	desk := testkit.NewDesk(t, testkit.WithState(state))
	db := desk.Store
	ctx := context.Background()
	if err := desk.Handle(ctx, conversations.Inbound{Channel: "web", ChatID: "c1", Choice: "menu:where"}); err != nil {
		t.Fatal(err)
	}
	db.Close() // the next commit fails
	if err := desk.Handle(ctx, webIn("c1", "SO-1001")); err == nil {
		t.Fatal("commit on a closed store succeeded")
	}
	st, _, _ := state.Load(ctx, "web:c1")
	if st.Step != "order_no" || st.OrderNo != "" {
		t.Fatalf("state ran ahead of the failed commit: %+v", st)
	}
}

// racingState lets another replica write the same conversation between the
// desk's load and its save, once.
type racingState struct {
	dialogstate.Store
	once  sync.Once
	other func()
}

func (r *racingState) Load(ctx context.Context, key string) (conversations.State, int64, error) {
	st, v, err := r.Store.Load(ctx, key)
	r.once.Do(r.other)
	return st, v, err
}

// The desk steps again on the state another replica wrote: neither
// message's change is lost.
func TestDeskRestepsOnConflict(t *testing.T) {
	other := testkit.NewDesk(t, testkit.WithRedis())
	other.Seed().Orders()
	ctx := context.Background()
	redisState := other.State
	if err := other.Handle(ctx, conversations.Inbound{Channel: "web", ChatID: "c1", Choice: "menu:where"}); err != nil {
		t.Fatal(err)
	}
	racing := &racingState{Store: redisState, other: func() {
		if err := other.Handle(ctx, conversations.Inbound{Channel: "web", ChatID: "c1", Choice: "lang:en"}); err != nil {
			t.Error(err)
		}
	}}
	desk := testkit.NewDesk(t, testkit.WithStore(other.Store), testkit.WithClock(other.Clock), testkit.WithState(racing))
	if err := desk.Handle(ctx, webIn("c1", "SO-1001")); err != nil {
		t.Fatal(err)
	}
	st, v, _ := redisState.Load(ctx, "web:c1")
	if st.Lang != conversations.En || st.Step != "phone4" || st.OrderNo != "SO-1001" || v != 3 {
		t.Fatalf("a concurrent update was lost: %+v v%d", st, v)
	}
	log := desk.Messages("web", "c1")
	if last := log[len(log)-1].Text; last != conversations.T(conversations.En, "verify.ask_phone4") {
		t.Fatalf("reply not stepped on the new state: %q", last)
	}
}

// A Redis that lost every key (a restart without persistence) loses no
// conversation: the state is read back from the store, verification too.
func TestRedisRestartLosesNoDialog(t *testing.T) {
	rdb, prefix := testkit.Redis(t), testkit.RedisPrefix(t)
	desk := testkit.NewDesk(t, testkit.WithState(dialogstate.NewRedis(rdb, prefix, time.Hour)))
	desk.Seed().Orders()
	ctx := context.Background()
	desk.Say("web", "c1", conversations.Inbound{Choice: "menu:where"}, conversations.Inbound{Text: "SO-1001"})
	if err := rdb.Del(ctx, prefix+"web:c1").Err(); err != nil { // Redis forgets
		t.Fatal(err)
	}
	desk.Say("web", "c1", conversations.Inbound{Text: "1234"})
	texts := desk.Texts("web", "c1")
	if last := texts[len(texts)-1]; !strings.Contains(last, "DB123") {
		t.Fatalf("the dialog was lost with Redis: %q", last)
	}
	// Verified is kept too: the next question needs no verification.
	if err := rdb.Del(ctx, prefix+"web:c1").Err(); err != nil {
		t.Fatal(err)
	}
	desk.Say("web", "c1", conversations.Inbound{Choice: "menu:where"})
	texts = desk.Texts("web", "c1")
	if last := texts[len(texts)-1]; !strings.Contains(last, "DB123") {
		t.Fatalf("verification was lost with Redis: %q", last)
	}
}
