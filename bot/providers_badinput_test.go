package bot_test

import (
	"context"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/conversations"
	"frontdesk/store"
)

// Issue 16, "Bad input", beyond TestTheProvidersOwnChat: what a bad code
// or another provider's chat tries changes nothing, and a provider never
// sees a job that is not its own.

// rule: PRV-2
// A code that is expired, unknown or hostile links nothing: the chat stays
// a customer's; the code is refused, or (several words) how to link is said.
func TestABadProviderCodeLinksNothing(t *testing.T) {
	v := newVisitDesk(t)
	ctx := context.Background()
	pid := v.provider(cases.Provider{Name: "张师傅", Regions: []string{"上海"}}, 4)
	expired, err := v.desk.NewProviderCode(ctx, pid, "小王")
	if err != nil {
		t.Fatal(err)
	}
	v.desk.Clock.Advance(bot.ProviderCodeTTL + time.Minute)
	want := conversations.T(conversations.ZhHans, "prov.code_bad")
	for i, code := range []string{expired, "NOPE1234", "<script>", "'; DROP TABLE providers;--", "ＡＢＣＤ"} {
		chat := "px" + strconv.Itoa(i)
		v.desk.Say("web", chat, conversations.Inbound{Text: "/link " + code})
		if got := last(v.desk.Texts("web", chat)); got != want && got != conversations.T(conversations.ZhHans, "prov.link_how") {
			t.Errorf("/link %q: %q", code, got)
		}
		if _, err := v.desk.Store.ProviderChatOf(ctx, "web", chat); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("/link %q linked the chat: %v", code, err)
		}
	}
	// The expired code stays spent: a fresh one still works.
	v.link(pid, "p1")
	if _, err := v.desk.Store.ProviderChatOf(ctx, "web", "p1"); err != nil {
		t.Fatalf("a fresh code after the expired one: %v", err)
	}
}

// rule: PRV-2
// Another provider's chat that names the job (the confirm button, /confirm,
// /done, /appoint) or sends a photo is told it has no such job; the case,
// its visit and its photos stay as they were.
func TestAnotherProvidersChatCannotTouchTheJob(t *testing.T) {
	v := newVisitDesk(t)
	ctx := context.Background()
	pid := v.provider(cases.Provider{Name: "张师傅", Regions: []string{"上海"}, Hours: "08:00-19:00"}, 4)
	other := v.provider(cases.Provider{Name: "李师傅", Regions: []string{"上海"}}, 4)
	v.link(pid, "p1")
	v.link(other, "p2")
	if _, err := v.staff(bot.ActDispatch, strconv.FormatInt(pid, 10)); err != nil {
		t.Fatal(err)
	}
	v.desk.Say("web", "p1", conversations.Inbound{Text: "/appoint " + v.c.Number + " 2026-12-01 10:00"})
	before, err := v.desk.Store.CaseByNumber(ctx, v.c.Number)
	if err != nil || before.Details["appointment"] == "" {
		t.Fatalf("the own provider's appointment: %+v %v", before.Details, err)
	}
	photosBefore, _ := v.desk.Store.Photos(ctx, before.ID)
	notYours := conversations.T(conversations.ZhHans, "prov.not_yours")
	for _, in := range []conversations.Inbound{
		{Choice: "pv:confirm:" + v.c.Number},
		{Text: "/confirm " + v.c.Number},
		{Text: "/done " + v.c.Number + " 换了滑轨 | 已修好 | 滑轨×1"},
		{Text: "/appoint " + v.c.Number + " 2026-12-02 09:00"},
	} {
		v.desk.Say("web", "p2", in)
		if got := last(v.desk.Texts("web", "p2")); got != notYours {
			t.Errorf("%+v from another provider: %q", in, got)
		}
	}
	// A photo from the other provider, which has no job open: not kept.
	ph := conversations.Photo{SHA256: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", MIME: "image/png", Size: 10}
	v.desk.Say("web", "p2", conversations.Inbound{Photo: &ph})
	if got := last(v.desk.Texts("web", "p2")); got != conversations.T(conversations.ZhHans, "prov.photo_no_job") {
		t.Errorf("a photo from another provider: %q", got)
	}
	after, _ := v.desk.Store.CaseByNumber(ctx, v.c.Number)
	if !reflect.DeepEqual(after.Details, before.Details) || after.Status != before.Status {
		t.Fatalf("the job changed:\n%+v\n%+v", before.Details, after.Details)
	}
	if photos, _ := v.desk.Store.Photos(ctx, before.ID); len(photos) != len(photosBefore) {
		t.Fatalf("photos on the job: %d, were %d", len(photos), len(photosBefore))
	}
	// Its job list shows nothing of the job, in any form.
	v.desk.Say("web", "p2", conversations.Inbound{Text: "/jobs"})
	for _, leak := range []string{v.c.Number, "张杨路", "抽屉"} {
		if got := last(v.desk.Texts("web", "p2")); strings.Contains(got, leak) {
			t.Errorf("another provider's /jobs shows %q: %q", leak, got)
		}
	}
}
