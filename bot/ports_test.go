package bot_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"

	"frontdesk/bot"
	"frontdesk/internal/testkit"
)

// Of many concurrent deliveries of one event, exactly one goes on; a
// forgotten event is handled again.
func TestSeenEventChecksAndMarksAtOnce(t *testing.T) {
	desk := testkit.NewDesk(t)
	ctx := context.Background()
	var fresh atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 16; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seen, err := desk.SeenEvent(ctx, "slack", "Ev1")
			if err != nil {
				t.Error(err)
			}
			if !seen {
				fresh.Add(1)
			}
		}()
	}
	wg.Wait()
	if n := fresh.Load(); n != 1 {
		t.Fatalf("%d deliveries went on, want 1", n)
	}
	if seen, _ := desk.SeenEvent(ctx, "web", "Ev1"); seen {
		t.Fatal("an id of another channel counts as seen")
	}
	if err := desk.ForgetEvent(ctx, "slack", "Ev1"); err != nil {
		t.Fatal(err)
	}
	if seen, err := desk.SeenEvent(ctx, "slack", "Ev1"); seen || err != nil {
		t.Fatalf("after ForgetEvent: seen %v, %v", seen, err)
	}
}

func TestOffsetIsKeptAcrossDesks(t *testing.T) {
	db := testkit.OpenStore(t)
	ctx := context.Background()
	if n, err := testkit.NewDesk(t, testkit.WithStore(db)).Offset(ctx, "telegram.offset"); n != 0 || err != nil {
		t.Fatalf("no offset yet: %d, %v", n, err)
	}
	if err := testkit.NewDesk(t, testkit.WithStore(db)).SaveOffset(ctx, "telegram.offset", 4711); err != nil {
		t.Fatal(err)
	}
	if n, err := testkit.NewDesk(t, testkit.WithStore(db)).Offset(ctx, "telegram.offset"); n != 4711 || err != nil {
		t.Fatalf("offset after a restart: %d, %v", n, err)
	}
}

func TestTellWritesToTheChatAndWakesTheSender(t *testing.T) {
	desk := testkit.NewDesk(t)
	woken := 0
	desk.Notify = func() { woken++ }
	if err := desk.Tell(context.Background(), "telegram", "-100", bot.Message{Text: "private chats only"}); err != nil {
		t.Fatal(err)
	}
	log := desk.Messages("telegram", "-100")
	if len(log) != 1 || log[0].Text != "private chats only" || woken != 1 {
		t.Fatalf("told %+v, sender woken %d times", log, woken)
	}
}

func TestLatestManagersPost(t *testing.T) {
	desk := testkit.NewDesk(t)
	ctx := context.Background()
	if _, ok, err := desk.LatestManagersPost(ctx, "digest"); ok || err != nil {
		t.Fatalf("before any digest: %v, %v", ok, err)
	}
	if _, err := desk.PostToManagers(ctx, "digest:2026-11-24", "the day", nil); err != nil {
		t.Fatal(err)
	}
	post, ok, err := desk.LatestManagersPost(ctx, "digest")
	if err != nil || !ok || post.Text != "the day" {
		t.Fatalf("latest digest: %+v, %v, %v", post, ok, err)
	}
	if _, ok, _ := desk.LatestManagersPost(ctx, "weekly"); ok {
		t.Fatal("a weekly report that was never posted")
	}
}
