package staffweb

import (
	"bufio"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/store"
)

// benchCases opens three cases on the harness: A overdue and unassigned,
// B due within the hour and claimed by 小李, C due later, from Telegram.
func (h *harness) benchCases() (a, b, c cases.Case) {
	h.t.Helper()
	now := h.clock.Now()
	open := func(k cases.Case) cases.Case {
		var got cases.Case
		if err := h.db.Update(context.Background(), func(tx *store.Tx) (err error) {
			got, err = tx.OpenCase(k, now, time.UTC)
			return err
		}); err != nil {
			h.t.Fatal(err)
		}
		return got
	}
	a = open(cases.Case{Kind: config.KindTransportDamage, OrderNo: "SO-1", Phone: "13800001234", CustomerName: "王芳", Channel: "web",
		DeadlineAt: now.Add(-10 * time.Minute)})
	b = open(cases.Case{Kind: config.KindRepair, Phone: "13900005678", CustomerName: "李雷", Channel: "web", DeadlineAt: now.Add(30 * time.Minute)})
	c = open(cases.Case{Kind: config.KindInquiry, Phone: "13700009999", CustomerName: "王小明", Channel: "telegram", DeadlineAt: now.Add(5 * time.Hour)})
	b.Status, b.Assignee = cases.Claimed, "小李"
	if err := h.db.Update(context.Background(), func(tx *store.Tx) error { return tx.SaveCase(b, now) }); err != nil {
		h.t.Fatal(err)
	}
	return a, b, c
}

var listedCase = regexp.MustCompile(`<tr id="case-(AS-[0-9-]+)" class="([a-z ]*)"`)

// listed is the list's cases in their order, with their row classes.
func listed(page string) (numbers []string, classes map[string]string) {
	classes = map[string]string{}
	for _, m := range listedCase.FindAllStringSubmatch(page, -1) {
		numbers = append(numbers, m[1])
		classes[m[1]] = m[2]
	}
	return numbers, classes
}

// The list finds a case by its number, the customer's phone (as typed, with
// +86 and dashes), the order number or the start of the name; filters by
// kind, status, channel, assignee, overdue and unassigned; "mine" is the
// cases assigned to me; the next due comes first, overdue and due-soon
// cases stand out, and every filter shows its count.
// rule: STF-3
func TestWorkbenchFindsFiltersAndSorts(t *testing.T) {
	h := newHarness(t)
	a, b, c := h.benchCases()
	h.login("li", clerkPW)
	status, page := h.get("/staff")
	got, classes := listed(page)
	if status != 200 || strings.Join(got, " ") != strings.Join([]string{a.Number, b.Number, c.Number}, " ") {
		t.Fatalf("the list, next due first: %d %v", status, got)
	}
	if classes[a.Number] != "overdue" || classes[b.Number] != "soon" || classes[c.Number] != "" {
		t.Fatalf("overdue and due-soon marks: %v", classes)
	}
	for _, want := range []string{"已超时</b>", "1 小时内到期</b>", `处理中 <b>3</b>`, `我的 <b>1</b>`, `未分配 <b>2</b>`, `已超时 <b>1</b>`, `运输损坏 <b>1</b>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the list lacks %q", want)
		}
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"q=" + b.Number, []string{b.Number}},
		{"q=" + url.QueryEscape(strings.ToLower(b.Number[:12])), []string{a.Number, b.Number, c.Number}}, // a number's start, any case
		{"q=13900005678", []string{b.Number}},
		{"q=" + url.QueryEscape("+86 139-0000-5678"), []string{b.Number}},
		{"q=SO-1", []string{a.Number}},
		{"q=" + url.QueryEscape("王"), []string{a.Number, c.Number}},
		{"q=" + url.QueryEscape("王小明"), []string{c.Number}},
		{"q=nobody", nil},
		{"kind=repair", []string{b.Number}},
		{"overdue=1", []string{a.Number}},
		{"unassigned=1", []string{a.Number, c.Number}},
		{"view=mine", []string{b.Number}},
		{"status=mine", []string{b.Number}},
		{"status=claimed", []string{b.Number}},
		{"status=resolved", nil},
		{"channel=telegram", []string{c.Number}},
		{"assignee=" + url.QueryEscape("小李"), []string{b.Number}},
		{"q=" + url.QueryEscape("王") + "&unassigned=1&kind=inquiry", []string{c.Number}},
	} {
		status, page := h.get("/staff?" + tc.query)
		got, _ := listed(page)
		if status != 200 || strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("%s: %d %v, want %v", tc.query, status, got, tc.want)
		}
	}
	if _, page := h.get("/staff?q=nobody"); !strings.Contains(page, "没有符合条件的服务单") {
		t.Error("an empty result says so")
	}
}

// An unknown filter value, a search of 10 000 characters or a flag that is
// not 1 gets a clear message naming the filter, a 400, and no list.
// rule: STF-3
func TestWorkbenchBadFilters(t *testing.T) {
	h := newHarness(t)
	h.benchCases()
	h.login("li", clerkPW)
	long := strings.Repeat("王", 10000)
	for _, tc := range []struct{ query, want string }{
		{"kind=bogus", "筛选条件「问题类型」没有“bogus”这一项"},
		{"status=closed", "筛选条件「状态」没有“closed”这一项"},
		{"channel=pigeon", "筛选条件「渠道」没有“pigeon”这一项"},
		{"overdue=yes", "筛选条件 overdue 只能是 1"},
		{"q=" + url.QueryEscape(long), "搜索内容太长：最多 100 个字"},
	} {
		status, page := h.get("/staff?" + tc.query)
		got, _ := listed(page)
		if status != http.StatusBadRequest || !strings.Contains(page, tc.want) || len(got) != 0 {
			t.Errorf("%.30s: %d, %d rows, %.200s", tc.query, status, len(got), page)
		}
		if strings.Contains(page, strings.Repeat("王", 200)) {
			t.Error("the long search is echoed back")
		}
	}
}

// The workbench speaks zh-Hans by default and English to a staff member
// who chose it: kinds, statuses and channels by name, never their codes.
// rule: STF-2
func TestWorkbenchSpeaksTheStaffLanguage(t *testing.T) {
	h := newHarness(t)
	a, _, _ := h.benchCases()
	visible := regexp.MustCompile(`>[^<]*<`)
	codes := []string{"transport_damage", "low_survey_score", "touch_up_paint", "message_in", "claimed<", "open<", ">web<", "(000 §"}
	check := func(page string, want ...string) {
		t.Helper()
		text := strings.Join(visible.FindAllString(page, -1), "")
		for _, code := range codes {
			if i := strings.Index(text, code); i >= 0 {
				t.Errorf("the page shows the code %q: %s", code, text[max(0, i-80):min(len(text), i+40)])
			}
		}
		for _, w := range want {
			if !strings.Contains(page, w) {
				t.Errorf("the page lacks %q", w)
			}
		}
	}
	h.login("li", clerkPW)
	_, list := h.get("/staff")
	codes = append(codes, "repair<", "inquiry")
	check(list, `<html lang="zh-Hans">`, "运输损坏", "维修", "咨询", "已认领", "待处理", "网页聊天", "搜索")
	_, page := h.get("/staff/case/" + a.Number)
	check(page, "运输损坏", "回复顾客（顾客会收到）", "内部备注（顾客看不到）", "认领", "转交", "标为已解决", "补漆", "整件更换")

	codes = codes[:len(codes)-2] // English names them so
	if err := h.desk.SetStaffLang(context.Background(), "it", "li", "en"); err != nil {
		t.Fatal(err)
	}
	_, list = h.get("/staff")
	check(list, `<html lang="en">`, "transport damage</span>", "Claimed", "Open", "Search", "Overdue <b>1</b>")
	_, page = h.get("/staff/case/" + a.Number)
	check(page, "Reply to the customer (the customer reads it)", "Touch-up paint", "Full replacement")
}

// A customer's message marks the case unread for each staff member until
// they open it; the next message marks it again.
func TestWorkbenchUnreadMarker(t *testing.T) {
	h := newHarness(t)
	a, b, _ := h.benchCases()
	say := func(c cases.Case, text string) {
		if err := h.db.Update(context.Background(), func(tx *store.Tx) error {
			_, err := tx.AddCaseEvent(store.CaseEvent{CaseID: c.ID, At: h.clock.Now(), Actor: "customer", Kind: "message_in", Body: text})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	unread := func(c *http.Client) []string {
		_, page := h.getWith(c, "/staff")
		var out []string
		_, classes := listed(page)
		for no, cl := range classes {
			if strings.Contains(cl, "unread") {
				out = append(out, no)
			}
		}
		return out
	}
	li, zhou := h.as("li", clerkPW), h.as("zhou", supPW)
	say(a, "还在吗？")
	if got := unread(li); len(got) != 1 || got[0] != a.Number {
		t.Fatalf("unread for li: %v", got)
	}
	h.getWith(li, "/staff/case/"+a.Number)
	if got := unread(li); len(got) != 0 {
		t.Fatalf("unread for li after opening: %v", got)
	}
	if got := unread(zhou); len(got) != 1 { // every staff member has their own marks
		t.Fatalf("unread for zhou: %v", got)
	}
	say(a, "师傅几点来？")
	say(b, "谢谢")
	if got := unread(li); len(got) != 2 {
		t.Fatalf("unread for li after two more messages: %v", got)
	}
}

// A clerk assigns a case to a colleague, who finds it under "mine"; the
// admin keeps canned replies with placeholders, a clerk fills the reply box
// with one and the customer gets it filled in; a canned reply with an
// unknown placeholder is refused and not kept; a clerk cannot keep one.
// rule: STF-4
func TestAssignAndCannedReplies(t *testing.T) {
	h := newHarness(t)
	c := h.openCase()
	li, admin, zhou := h.as("li", clerkPW), h.as("it", adminPW), h.as("zhou", supPW)

	_, page := h.getWith(li, "/staff/case/"+c.Number)
	if !strings.Contains(page, `<select name="value" id="assignee"`) || !strings.Contains(page, "<option>周主管</option>") {
		t.Fatalf("no colleagues to assign to: %.300s", page)
	}
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)[1]
	if status, _ := h.postWith(li, "/staff/case/"+c.Number, url.Values{"action": {"assign"}, "value": {"周主管"}, "version": {version}}, nil); status != 200 {
		t.Fatalf("assign: %d", status)
	}
	if got, _ := h.db.CaseByNumber(context.Background(), c.Number); got.Assignee != "周主管" {
		t.Fatalf("assignee: %q", got.Assignee)
	}
	if _, page := h.getWith(zhou, "/staff?view=mine"); !strings.Contains(page, `id="case-`+c.Number+`"`) {
		t.Fatal("the colleague's own list lacks the case")
	}

	status, page := h.postWith(admin, "/staff/canned", url.Values{"action": {"add"}, "title": {"问候"}, "lang": {"zh-Hans"},
		"body": {"您好 {name}，关于 {case}"}}, nil)
	if status != http.StatusBadRequest || !strings.Contains(page, "不认识的占位符 {name}") || !strings.Contains(page, "您好 {name}，关于 {case}") {
		t.Fatalf("unknown placeholder: %d %.300s", status, page)
	}
	if list, _ := h.db.CannedReplies(context.Background()); len(list) != 0 {
		t.Fatalf("a refused reply was kept: %v", list)
	}
	if status, _ := h.postWith(li, "/staff/canned", url.Values{"action": {"add"}, "title": {"x"}, "lang": {"zh-Hans"}, "body": {"x"}}, nil); status != http.StatusForbidden {
		t.Fatalf("a clerk keeps a canned reply: %d", status)
	}
	if status, _ := h.postWith(admin, "/staff/canned", url.Values{"action": {"add"}, "title": {"进度"}, "lang": {"zh-Hans"},
		"body": {"{customer}您好，服务单 {case}（订单 {order}）正在处理，{staff}会尽快联系您。"}}, nil); status != 200 {
		t.Fatalf("add a canned reply: %d", status)
	}
	list, _ := h.db.CannedReplies(context.Background())
	if len(list) != 1 {
		t.Fatalf("canned replies: %v", list)
	}
	want := "王芳您好，服务单 " + c.Number + "（订单 SO-1）正在处理，小李会尽快联系您。"
	_, page = h.getWith(li, "/staff/case/"+c.Number+"?canned="+strconv.FormatInt(list[0].ID, 10))
	if !strings.Contains(page, `id="reply" required maxlength="4000" placeholder="写给顾客的话…">`+want+`</textarea>`) {
		t.Fatalf("the reply box is not filled: %.2000s", page[strings.Index(page, `id="reply"`):])
	}
	if _, page := h.getWith(li, "/staff/case/"+c.Number+"?canned=999"); !strings.Contains(page, "这条常用回复已不存在") {
		t.Fatal("a canned reply that is gone")
	}
	h.postWith(li, "/staff/case/"+c.Number, url.Values{"action": {"message"}, "value": {want}}, nil)
	h.sender.RunOnce(context.Background())
	if web := h.sender.Channels["web"].(*recordingWeb); len(web.got) == 0 || !strings.Contains(web.got[len(web.got)-1], want) {
		t.Fatalf("the customer did not get the canned reply: %v", web.got)
	}
}

// An action on a case someone else changed after the page was made is
// refused with who changed it, and what they did stands.
func TestChangedMeanwhileIsNotOverwritten(t *testing.T) {
	h := newHarness(t)
	c := h.openCase()
	li, zhou := h.as("li", clerkPW), h.as("zhou", supPW)
	_, page := h.getWith(li, "/staff/case/"+c.Number)
	version := regexp.MustCompile(`name="version" value="(\d+)"`).FindStringSubmatch(page)[1]
	h.clock.Advance(time.Minute)
	if status, _ := h.postWith(zhou, "/staff/case/"+c.Number, url.Values{"action": {"claim"}}, nil); status != 200 {
		t.Fatalf("zhou claims: %d", status)
	}
	status, page := h.postWith(li, "/staff/case/"+c.Number, url.Values{"action": {"claim"}, "version": {version}}, nil)
	if status != http.StatusConflict || !strings.Contains(page, "已被周主管修改，您的操作没有执行") || !strings.Contains(page, "负责人：周主管") {
		t.Fatalf("stale claim: %d %.500s", status, page)
	}
	if got, _ := h.db.CaseByNumber(context.Background(), c.Number); got.Assignee != "周主管" {
		t.Fatalf("the stale claim overwrote: %q", got.Assignee)
	}
	// A reply never overwrites anything: it goes through on a stale page.
	if status, _ := h.postWith(li, "/staff/case/"+c.Number, url.Values{"action": {"message"}, "value": {"马上处理"}, "version": {version}}, nil); status != 200 {
		t.Fatalf("reply on a stale page: %d", status)
	}
}

// The event stream sends the store's change mark at once and again when a
// case changes, so open pages update without a reload.
func TestLiveUpdatesStream(t *testing.T) {
	h := newHarness(t)
	c := h.openCase()
	h.login("li", clerkPW)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", h.srv.URL+"/staff/events", nil)
	res, err := h.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("stream: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	lines := bufio.NewScanner(res.Body)
	next := func() string {
		for lines.Scan() {
			if d, ok := strings.CutPrefix(lines.Text(), "data: "); ok {
				return d
			}
		}
		t.Fatalf("the stream ended: %v", lines.Err())
		return ""
	}
	first := next()
	if _, page := h.get("/staff"); !strings.Contains(page, `data-mark="`+first+`"`) {
		t.Fatalf("the page's mark is not the stream's %q", first)
	}
	h.act(c.Number, "action", "message", "value", "您好", "internal", "on")
	if second := next(); second == first {
		t.Fatalf("no change sent: %q", second)
	}
	// Without a login there is no stream.
	res2, err := h.newClient().Get(h.srv.URL + "/staff/events")
	if err != nil {
		t.Fatal(err)
	}
	res2.Body.Close()
	if res2.Request.URL.Path != "/staff/login" {
		t.Fatalf("stream without a login: %s", res2.Request.URL.Path)
	}
}

// A case the chat opened shows its triage, photos, orders and history by
// name: no handbook reference, kind, status or photo-step code, and not the
// customer's chat address.
// rule: STF-2
func TestCasePageShowsNoCodes(t *testing.T) {
	h := newHarness(t)
	c := h.openCase()
	h.login("li", clerkPW)
	h.act(c.Number, "action", "claim")
	_, page := h.get("/staff/case/" + c.Number)
	text := strings.Join(regexp.MustCompile(`>[^<]*<`).FindAllString(page, -1), "")
	for _, code := range []string{"§", "quality_defect", "transport_damage", ">packaging<", ">closeup<", "message_in", "claimed", "placed<", "web:"} {
		if i := strings.Index(text, code); i >= 0 {
			t.Errorf("the case page shows %q: %s", code, text[max(0, i-80):min(len(text), i+40)])
		}
	}
	for _, want := range []string{"外包装", "损坏特写", "顾客留言", "已认领"} {
		if !strings.Contains(text, want) {
			t.Errorf("the case page lacks %q", want)
		}
	}
}
