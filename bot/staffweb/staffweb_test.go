package staffweb

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"frontdesk/bot"
	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/internal/testkit"
	"frontdesk/store"
)

type harness struct {
	t      *testing.T
	srv    *httptest.Server
	db     *store.DB
	desk   *testkit.Desk
	sender *testkit.Outbox
	client *http.Client
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	desk := testkit.NewDesk(t)
	page := &Page{Desk: desk.Desk, Cases: desk.Store, Photos: desk.Photos, Password: "pw-123", Log: desk.Log, Now: time.Now}
	sender := desk.Outbox(testkit.Channels{bot.StaffChannel: page, "web": testkit.NewRecorder()})
	srv := testkit.Serve(t, page.Routes)
	jar, _ := cookiejar.New(nil)
	desk.Seed().Order(store.Order{No: "SO-1"})
	return &harness{t: t, srv: srv, db: desk.Store, desk: desk, sender: sender,
		client: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}}
}

func (h *harness) get(path string) (int, string) {
	h.t.Helper()
	res, err := h.client.Get(h.srv.URL + path)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (h *harness) post(path string, form url.Values) (int, string) {
	h.t.Helper()
	res, err := h.client.PostForm(h.srv.URL+path, form)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

func (h *harness) act(no string, fields ...string) string {
	h.t.Helper()
	_, page := h.get("/staff/case/" + no)
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		h.t.Fatalf("no form on the case page:\n%s", page)
	}
	form := url.Values{"csrf": {m[1]}}
	for i := 0; i+1 < len(fields); i += 2 {
		form.Set(fields[i], fields[i+1])
	}
	_, after := h.post("/staff/case/"+no, form)
	return after
}

// openCase has a customer report damage in the web chat until a case opens.
func (h *harness) openCase() cases.Case {
	h.t.Helper()
	return h.desk.ReportDamage("w1", "SO-1", "坐垫开线")
}

func TestStaffPagesNeedALogin(t *testing.T) {
	h := newHarness(t)
	c := h.openCase()
	for _, path := range []string{"/staff", "/staff/case/" + c.Number, "/staff/photo/1"} {
		if _, body := h.get(path); !strings.Contains(body, "Staff password") {
			t.Errorf("%s without login: %.80s", path, body)
		}
	}
	if _, body := h.post("/staff/login", url.Values{"name": {"小李"}, "password": {"wrong"}}); !strings.Contains(body, "not accepted") {
		t.Fatalf("wrong password: %.200s", body)
	}
	// A forged cookie is not a login.
	u, _ := url.Parse(h.srv.URL + "/staff")
	h.client.Jar.SetCookies(u, []*http.Cookie{{Name: cookieName, Value: "5bCP5p2O.9999999999.deadbeef", Path: "/staff"}})
	if _, body := h.get("/staff"); !strings.Contains(body, "Staff password") {
		t.Fatal("a forged cookie was accepted")
	}
}

// rule: DMG-5
// rule: DMG-8
// rule: DMG-9
// rule: MGR-4
// rule: HND-1
// rule: ID-5
func TestTheWholeLoopOnTheStaffPage(t *testing.T) {
	h := newHarness(t)
	c := h.openCase()
	if _, body := h.post("/staff/login", url.Values{"name": {"小李"}, "password": {"pw-123"}}); !strings.Contains(body, c.Number) {
		t.Fatalf("case list after login: %.300s", body)
	}
	_, page := h.get("/staff/case/" + c.Number)
	for _, want := range []string{"坐垫开线", "quality_defect", "touch_up_paint", `src="/staff/photo/`} {
		if !strings.Contains(page, want) {
			t.Errorf("case page lacks %q", want)
		}
	}
	if status, _ := h.get("/staff/photo/1"); status != 200 {
		t.Fatalf("photo for staff: %d", status)
	}
	h.act(c.Number, "action", "claim")
	h.act(c.Number, "action", "classify", "value", "transport_damage")
	h.act(c.Number, "action", "remedy", "value", "onsite_repair")
	after := h.act(c.Number, "action", "remedy", "value", "compensation", "amount", "800")
	if !strings.Contains(after, "awaiting manager approval") {
		t.Fatalf("compensation over the limit: %.2000s", after)
	}
	h.act(c.Number, "action", "message", "value", "内部：先联系物流", "internal", "on")
	h.act(c.Number, "action", "message", "value", "您好，师傅明天上门修补。")
	if bad := h.act(c.Number, "action", "classify", "value", "alien"); !strings.Contains(bad, "classification") {
		t.Fatal("a bad classification was not refused")
	}
	h.sender.RunOnce(context.Background())
	web := h.sender.Channels["web"].(*testkit.Recorder)
	last := web.Last()
	if last != "您好，师傅明天上门修补。" {
		t.Fatalf("the customer got %q", last)
	}
	for _, m := range web.Texts() {
		if strings.Contains(m, "内部") {
			t.Fatal("an internal note reached the customer")
		}
	}
	h.act(c.Number, "action", "resolve")
	got, _ := h.db.CaseByNumber(context.Background(), c.Number)
	if got.Status != cases.Resolved || got.Assignee != "小李" || got.Kind != config.KindTransportDamage ||
		!strings.Contains(got.Classification, "the bot said quality_defect") || !strings.Contains(got.Remedy, "¥800") {
		t.Fatalf("case after the loop: %+v", got)
	}
	trail, _ := h.db.AuditTrail(context.Background(), c.Number)
	var actions []string
	for _, a := range trail {
		actions = append(actions, a.Actor+":"+a.Action)
	}
	want := "小李:claimed 小李:classified 小李:remedy 小李:remedy 小李:note 小李:message_out 小李:resolved"
	if !strings.Contains(strings.Join(actions, " "), want) {
		t.Fatalf("audit: %v", actions)
	}
	managers, _ := h.db.OutboxAfter(context.Background(), bot.StaffChannel, bot.ManagersRecipient, 0, 10)
	if len(managers) != 1 || !strings.Contains(string(managers[0].Payload), "Approval needed") {
		t.Fatalf("managers: %+v", managers)
	}
	receipts, _ := h.db.OutboxAfter(context.Background(), bot.StaffChannel, c.Number, 0, 100)
	found := false
	for _, r := range receipts {
		if strings.Contains(string(r.Payload), `"kind":"receipt"`) {
			found = true
		}
	}
	if !found {
		t.Fatal("no receipt for the reply that reached the customer")
	}
	if _, page := h.get("/staff/case/" + c.Number); !strings.Contains(page, "Reopen") {
		t.Fatal("no reopen after resolve")
	}
	h.act(c.Number, "action", "reopen")
	if got, _ := h.db.CaseByNumber(context.Background(), c.Number); got.Status != cases.Claimed {
		t.Fatalf("after reopen: %s", got.Status)
	}
}

// rule: MGR-5
// The case record follows fault description → cause → action (003).
func TestFaultCauseAction(t *testing.T) {
	h := newHarness(t)
	c := h.openCase()
	h.post("/staff/login", url.Values{"name": {"小李"}, "password": {"pw-123"}})
	h.act(c.Number, "action", "cause", "value", "缝线工艺不良")
	page := h.act(c.Number, "action", "action", "value", "更换坐垫，反馈生产线")
	got, _ := h.db.CaseByNumber(context.Background(), c.Number)
	if got.Description != "坐垫开线" || got.Cause != "缝线工艺不良" || got.Action != "更换坐垫，反馈生产线" {
		t.Fatalf("case record: %q / %q / %q", got.Description, got.Cause, got.Action)
	}
	if !strings.Contains(page, "Cause: 缝线工艺不良") {
		t.Fatal("the page does not show the cause")
	}
}

// rule: SRV-7
// Only providers with at least three stars can be sent.
func TestOnlyWellRatedProvidersAreSent(t *testing.T) {
	h := newHarness(t)
	c := h.openCase()
	low := h.desk.Seed().Provider(cases.Provider{Name: "慢师傅", Region: "浦东"}, 2.5)
	good := h.desk.Seed().Provider(cases.Provider{Name: "好师傅", Region: "浦东"}, 4.5)
	h.post("/staff/login", url.Values{"name": {"小李"}, "password": {"pw-123"}})
	_, page := h.get("/staff/case/" + c.Number)
	if strings.Contains(page, "慢师傅") || !strings.Contains(page, "好师傅") {
		t.Fatal("the page offers a provider below three stars")
	}
	if after := h.act(c.Number, "action", "dispatch", "value", strconv.FormatInt(low, 10)); !strings.Contains(after, "at least 3") {
		t.Fatal("a 2.5-star provider was sent")
	}
	h.act(c.Number, "action", "dispatch", "value", strconv.FormatInt(good, 10))
	if got, _ := h.db.CaseByNumber(context.Background(), c.Number); got.Details["provider"] != "好师傅" {
		t.Fatalf("dispatch: %+v", got.Details)
	}
}

func TestStaleFormIsRefused(t *testing.T) {
	h := newHarness(t)
	c := h.openCase()
	h.post("/staff/login", url.Values{"name": {"小李"}, "password": {"pw-123"}})
	status, _ := h.post("/staff/case/"+c.Number, url.Values{"action": {"resolve"}, "csrf": {"0000"}})
	if got, _ := h.db.CaseByNumber(context.Background(), c.Number); status != 403 || got.Status == cases.Resolved {
		t.Fatalf("a form without the token: %d %s", status, got.Status)
	}
}

// rule: DMG-10
func TestMajorQualityIncidentGoesToTheManagers(t *testing.T) {
	h := newHarness(t)
	c := h.openCase()
	if _, err := h.desk.Staff(context.Background(), bot.StaffAction{Case: c.Number, Actor: "小李", Kind: bot.ActMajor}); err != nil {
		t.Fatal(err)
	}
	managers, _ := h.db.OutboxAfter(context.Background(), bot.StaffChannel, bot.ManagersRecipient, 0, 10)
	if len(managers) != 1 || !strings.Contains(string(managers[0].Payload), "Major quality incident") {
		t.Fatalf("managers: %+v", managers)
	}
}
