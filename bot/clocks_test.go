package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"frontdesk/conversations"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// rule: SLA-10
// A customer who asks for a person at 02:00 on Sunday is told the real time
// (the shop opens at 09:00 on Monday and answers by 10:00), and the case
// first response is due then, with and without the desk's clocks.
func TestSundayNightHandoffIsPromisedForMonday(t *testing.T) {
	cfg := testkit.Config(t)
	loc := cfg.Calendar.Location()
	sunday := time.Date(2026, 11, 29, 2, 0, 0, 0, loc)
	monday10 := time.Date(2026, 11, 30, 10, 0, 0, 0, loc)
	for name, clocks := range map[string]bool{"with clocks": true, "without clocks": false} {
		t.Run(name, func(t *testing.T) {
			desk := testkit.NewDesk(t, testkit.WithClock(testkit.ClockAt(sunday)), testkit.WithLocation(loc))
			desk.Promises.When = cfg.Promise
			if clocks {
				desk.Clocks, desk.ClocksOn = cfg.ClocksFor, cfg.ClocksOn
			}
			desk.Seed().Orders()
			desk.Say("web", "c1", conversations.Inbound{Text: "/start"}, conversations.Inbound{Choice: "menu:human"})
			texts := strings.Join(desk.Texts("web", "c1"), "\n")
			if !strings.Contains(texts, "于明天（周一）10:00 前（我们 09:00 开门）") {
				t.Fatalf("the customer was promised:\n%s", texts)
			}
			open, err := desk.Store.Cases(context.Background(), store.CaseFilter{})
			if err != nil || len(open) != 1 {
				t.Fatalf("cases %+v %v", open, err)
			}
			due := open[0].DeadlineAt
			if clocks {
				list, err := desk.Store.CaseClocks(context.Background(), open[0].ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, k := range list {
					if k.Name == "first_response" {
						due = k.DueAt
					}
				}
			}
			if !due.Equal(monday10) {
				t.Fatalf("the first response is due %s, want %s", due.In(loc), monday10)
			}
		})
	}
}
