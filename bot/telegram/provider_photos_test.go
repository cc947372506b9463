package telegram

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"strconv"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/bot/telegram/telegramtest"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

// pic is a small PNG of its own for each shade (testkit.PNG's are all
// alike once encoded: its pixel is transparent).
func pic(shade byte) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Pix[0], img.Pix[3] = shade, 255
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

// caseWithPhotos opens a repair case on SO-1001 with the given problem
// photos kept, and returns its number.
func caseWithPhotos(t *testing.T, h *harness, description string, pics ...[]byte) string {
	t.Helper()
	var kept []store.Photo
	for _, p := range pics {
		photo, err := h.desk.Photos.Save(bytes.NewReader(p))
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, store.Photo{SHA256: photo.SHA256, MIME: photo.MIME, Size: photo.Size, Step: "problem"})
	}
	var c cases.Case
	err := h.db.Update(context.Background(), func(tx *store.Tx) (err error) {
		c, err = tx.OpenCase(cases.Case{Kind: config.KindRepair, OrderNo: "SO-1001", CustomerName: testkit.CustomerName,
			Phone: "13800001234", Channel: ChannelName, ChatID: strconv.Itoa(telegramtest.UserID), Description: description,
			Details: map[string]string{}}, h.clock.Now(), time.UTC)
		if err != nil {
			return err
		}
		for _, p := range kept {
			p.CaseID, p.CreatedAt = c.ID, h.clock.Now()
			if _, err := tx.AddPhoto(p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return c.Number
}

// linkTelegram links Telegram chat chat to the provider with a one-time code.
func linkTelegram(t *testing.T, h *harness, provider int64, chat int64) {
	t.Helper()
	code, err := h.desk.NewProviderCode(context.Background(), provider, "小王")
	if err != nil {
		t.Fatal(err)
	}
	h.send(telegramtest.TextFrom(chat, "/link "+code, "zh-hans"))
	if sent := h.fake.SentTo(chat); len(sent) != 1 || !strings.Contains(sent[0].Text, "师傅") {
		t.Fatalf("link: %+v", sent)
	}
}

// rule: PRV-2
// A job sent to a provider's linked Telegram chat is followed by the
// problem photos of the case (sendPhoto, after the briefing, in order);
// a provider never receives the photos of a job that is not its own.
func TestTheProblemPhotosFollowTheBriefingToTheProvider(t *testing.T) {
	h := newHarness(t, Config{})
	ctx := context.Background()
	const zhang, li = int64(7001), int64(7002)
	pZhang := h.desk.Seed().Provider(cases.Provider{Name: "张师傅", Regions: []string{"上海/浦东新区"}, Phone: "13700001111"}, 4.5)
	pLi := h.desk.Seed().Provider(cases.Provider{Name: "李师傅", Regions: []string{"上海/徐汇区"}, Phone: "13700002222"}, 4.5)
	linkTelegram(t, h, pZhang, zhang)
	linkTelegram(t, h, pLi, li)

	mine := caseWithPhotos(t, h, "抽屉拉不动了", pic(1), pic(2))
	theirs := caseWithPhotos(t, h, "柜门掉了", pic(3))
	for _, d := range []struct {
		no       string
		provider int64
	}{{mine, pZhang}, {theirs, pLi}} {
		_, err := h.desk.Staff(ctx, bot.StaffAction{Case: d.no, Actor: "小王", Kind: bot.ActDispatch,
			Value: strconv.FormatInt(d.provider, 10) + " 就近的师傅"})
		if err != nil {
			t.Fatalf("dispatch %s: %v", d.no, err)
		}
	}
	h.deliver()

	got := h.fake.SentTo(zhang)[1:] // after the link's answer
	if len(got) != 3 || got[0].Method != "sendMessage" || !strings.Contains(got[0].Text, mine) || !strings.Contains(got[0].Text, "2 张问题照片") {
		t.Fatalf("briefing then photos, got %+v", got)
	}
	for i, want := range [][]byte{pic(1), pic(2)} {
		m := got[1+i]
		if m.Method != "sendPhoto" || !bytes.Equal(m.Photo, want) || !strings.Contains(m.Text, mine) {
			t.Fatalf("photo %d: %s %q (%d bytes)", i+1, m.Method, m.Text, len(m.Photo))
		}
	}
	for _, m := range h.fake.SentTo(zhang) {
		if strings.Contains(m.Text, theirs) || bytes.Equal(m.Photo, pic(3)) {
			t.Fatalf("张师傅 received the job or photo of another provider (%s): %q %d bytes", theirs, m.Text, len(m.Photo))
		}
	}
	liGot := h.fake.SentTo(li)[1:]
	if len(liGot) != 2 || liGot[1].Method != "sendPhoto" || !bytes.Equal(liGot[1].Photo, pic(3)) {
		t.Fatalf("李师傅's job: %+v", liGot)
	}
	for _, m := range liGot {
		if bytes.Equal(m.Photo, pic(1)) || bytes.Equal(m.Photo, pic(2)) || strings.Contains(m.Text, mine) {
			t.Fatal("李师傅 received a photo of another provider's job")
		}
	}
	if h.fake.OverLimit() != 0 {
		t.Fatalf("%d calls over Telegram's limits", h.fake.OverLimit())
	}
}
