package bot_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/store"
)

// outboxOf is every message the desk wrote to a chat, in order.
func outboxOf(t *testing.T, v *visitDesk, channel, chat string) []bot.Message {
	t.Helper()
	rows, err := v.desk.Store.OutboxAfter(context.Background(), channel, chat, 0, 200)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]bot.Message, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal(r.Payload, &out[i]); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// rule: PRV-2
// A provider's linked web chat gets the problem photos of its job right
// after the briefing (and not its own work photos, nor another job's); a
// provider with no linked chat gets them from staff, as the briefing says.
func TestTheBriefingIsFollowedByTheProblemPhotos(t *testing.T) {
	v := newVisitDesk(t)
	ctx := context.Background()
	zhang := v.provider(cases.Provider{Name: "张师傅", Regions: []string{"上海/浦东新区"}, Phone: "13700001111"}, 4.5)
	li := v.provider(cases.Provider{Name: "李师傅", Regions: []string{"上海/浦东新区"}, Phone: "13700002222"}, 4.0)
	v.link(zhang, "pz")
	v.link(li, "pl")
	err := v.desk.Store.Update(ctx, func(tx *store.Tx) error {
		for i, step := range []string{"problem", "closeup", "provider"} {
			p := store.Photo{CaseID: v.c.ID, SHA256: strings.Repeat(strconv.Itoa(i+1), 64), MIME: "image/jpeg", Size: 10, Step: step,
				CreatedAt: v.desk.Clock.Now()}
			if _, err := tx.AddPhoto(p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.staff(bot.ActDispatch, strconv.FormatInt(zhang, 10)); err != nil {
		t.Fatal(err)
	}
	got := outboxOf(t, v, "web", "pz")
	i := len(got) - 3
	if i < 0 || !strings.Contains(got[i].Text, "鞋套") || !strings.Contains(got[i].Text, "2 张问题照片") || got[i].Photo != "" {
		t.Fatalf("briefing then two photos, got %+v", got)
	}
	for n, want := range []string{strings.Repeat("1", 64), strings.Repeat("2", 64)} {
		m := got[i+1+n]
		if m.Photo != want || !strings.Contains(m.Text, v.c.Number) || !strings.Contains(m.Text, strconv.Itoa(n+1)) {
			t.Fatalf("photo %d: %+v", n+1, m)
		}
	}
	for _, m := range outboxOf(t, v, "web", "pl") {
		if m.Photo != "" || strings.Contains(m.Text, v.c.Number) {
			t.Fatalf("another provider got the job or its photos: %+v", m)
		}
	}
}
