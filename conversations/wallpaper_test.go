package conversations

import (
	"strings"
	"testing"
	"time"

	"frontdesk/config"
)

// The wallpaper's texts and golden transcripts: complaints, follow-ups and
// returns of good wallpaper (WAL-1, WAL-2, WAL-7, WAL-8).
func init() {
	for key, args := range map[string][]string{
		"done.wall_transport":      {"Case", "Answer"},
		"done.wall_installation":   {"Case", "Answer"},
		"done.wall_quality":        {"Case", "Answer"},
		"wallfollow.intro":         {"Order", "When"},
		"wallfollow.case":          {"Case", "Answer"},
		"q.wall_rolls":             {"Max"},
		"wall.return_instructions": {"Case", "Address"},
	} {
		callArgs[key] = args
	}
	scripts = append(scripts,
		// A colour difference on the wall, told as a complaint: the batch is
		// the order's, the case a quality one.
		script{name: "wallpaper-colour-complaint", verify: true, orders: wallOrders, turns: []turn{press(choiceComplain),
			press("ans:SO-3001"), press("ans:regular"), press("ans:colour"), press("ans:yes"), say("两卷颜色明显不一样"),
			photo("wall"), press("ans:done")}},
		// Rolls damaged on arrival, the batch number not found: transport.
		script{name: "wallpaper-arrival-batch-unknown", verify: true, turns: []turn{press(choiceDamage), press("ans:SO-1002"),
			press("ans:2"), press("ans:done"), press("ans:arrival_damaged"), press("ans:no"), photo("rolls"), press("ans:done"),
			photo("dent"), press("ans:done"), press("ans:none"), say("两卷外包装破了，纸面有折痕")}},
		// The follow-ups ask about the wallpaper; a problem opens a case.
		script{name: "wallpaper-follow-up-problem", who: wang(), orders: wallOrders,
			begin: Survey("V-9", "month1", "install", "SO-3001"), turns: []turn{press("ans:problem"), press("ans:seams"),
				photo("seam"), press("ans:done"), say("客厅墙角的接缝开了")}},
		script{name: "wallpaper-follow-up-fine", who: wang(), orders: wallOrders,
			begin: Survey("V-9", "week1", "install", "SO-3001"), turns: []turn{press("ans:fine")}},
		// Good wallpaper: 13 rolls of a batch of 12 refused, then 12 taken.
		script{name: "wallpaper-return-approvals", verify: true, orders: wallOrders, turns: []turn{press(choiceReturn),
			press("ans:SO-3001"), say("13"), say("12"), press("ans:changed_mind"), press("ans:yes"), press("ans:yes"),
			press("ans:yes"), press("ans:yes")}},
		// Fewer than 12 rolls of a batch none of which is left: said first.
		script{name: "wallpaper-return-short-batch", verify: true, orders: wallOrders, turns: []turn{press(choiceReturn),
			press("ans:SO-3002"), say("6"), press("ans:complaint")}},
		// The button under the return instructions: the tracking number of
		// the wallpaper sent back (WAL-3).
		script{name: "wallpaper-return-tracking", verify: true, orders: wallOrders, open: []Case{{Number: "AS-20261123-0007",
			Kind: "quality_defect", Status: "claimed", CreatedAt: time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)}}, turns: []turn{
			press(prefixWallTracking + "AS-20261123-0007"), say("#1"), say("sf 2026 1128")}},
		// More than 3 months after the order: said before any question.
		script{name: "wallpaper-return-too-late", verify: true, orders: wallOrders, turns: []turn{press(choiceReturn),
			press("ans:SO-3003")}},
	)
}

var wallOrders = []Order{
	{No: "SO-3001", CustomerName: "王芳", Phone: "13800001234", Status: "installed", PaidOn: "2026-10-20", DeliveredOn: "2026-10-25",
		Items: []Item{{Line: 1, Name: "无纺布壁纸 米白", Quantity: 12, Category: "wallpaper", BatchNo: "B2611", StockKnown: true, StockRolls: 30}}},
	{No: "SO-3002", CustomerName: "王芳", Phone: "13800001234", Status: "delivered", PaidOn: "2026-11-01", DeliveredOn: "2026-11-05",
		Items: []Item{{Line: 1, Name: "纯纸壁纸 浅灰", Quantity: 8, Category: "wallpaper", BatchNo: "B2702", StockKnown: true}}},
	{No: "SO-3003", CustomerName: "王芳", Phone: "13800001234", Status: "installed", PaidOn: "2026-07-01", DeliveredOn: "2026-07-06",
		Items: []Item{{Line: 1, Name: "墙布 米色", Quantity: 20, Category: "wallpaper", BatchNo: "B2401", StockKnown: true, StockRolls: 5}}},
}

// rule: WAL-1
// A wallpaper problem is triaged as transport, installation or quality,
// whatever the packaging (the furniture rule asks nothing of it).
func TestWallpaperTriage(t *testing.T) {
	for _, tc := range []struct {
		problem string
		onWall  bool
		class   string
		kind    config.CaseKind
	}{
		{WallArrivalDamaged, false, WallTransport, config.KindTransportDamage},
		{WallWrongQuantity, false, WallTransport, config.KindTransportDamage},
		{WallColour, true, WallQuality, config.KindQualityDefect},
		{WallColour, false, WallQuality, config.KindQualityDefect},
		{WallSeams, true, WallInstallation, config.KindQualityDefect},
		{WallSeams, false, WallQuality, config.KindQualityDefect},
		{WallBubbles, true, WallInstallation, config.KindQualityDefect},
		{WallPeeling, true, WallInstallation, config.KindQualityDefect},
		{WallMould, true, WallQuality, config.KindQualityDefect},
	} {
		class, kind := WallpaperTriage(tc.problem, tc.onWall)
		if class != tc.class || kind != tc.kind {
			t.Errorf("%s on wall %v: %s/%s, want %s/%s", tc.problem, tc.onWall, class, kind, tc.class, tc.kind)
		}
	}
}

// rule: WAL-1
// The dialogs ask what is wrong instead of the packaging questions, and no
// wallpaper case is offered touch-up paint or a carrier claim.
func TestWallpaperDialogsSkipTheFurnitureRule(t *testing.T) {
	for _, name := range []string{"damage-wallpaper-bad-input", "wallpaper-colour-complaint", "wallpaper-arrival-batch-unknown"} {
		for _, lang := range []Lang{ZhHans, En} {
			effects, _ := runAll(t, scriptNamed(t, name), lang)
			c := casesOf(effects)
			if len(c) != 1 {
				t.Fatalf("%s: %d cases", name, len(c))
			}
			if c[0].Details[DetailWallClass] == "" || strings.Contains(c[0].Details["remedy_ladder"]+c[0].Details[DetailWallRemedy], "touch_up") {
				t.Errorf("%s: details %v", name, c[0].Details)
			}
			if _, ok := c[0].Details["same_place"]; ok {
				t.Errorf("%s: asked the packaging question", name)
			}
			text := repliesOf(effects)
			for _, w := range []string{"承运", "carrier", "外包装", "packaging"} {
				if strings.Contains(text, w) {
					t.Errorf("%s (%s) says %q", name, lang, w)
				}
			}
		}
	}
	colour := casesOf(wallRun(t, "wallpaper-colour-complaint"))[0]
	if colour.Kind != string(config.KindQualityDefect) || colour.Details[DetailWallClass] != WallQuality {
		t.Errorf("colour difference on the wall: %+v", colour)
	}
	arrival := casesOf(wallRun(t, "wallpaper-arrival-batch-unknown"))[0]
	if arrival.Kind != string(config.KindTransportDamage) || arrival.Details[DetailWallClass] != WallTransport {
		t.Errorf("rolls damaged on arrival: %+v", arrival)
	}
}

func wallRun(t *testing.T, name string) []Effect {
	t.Helper()
	effects, _ := runAll(t, scriptNamed(t, name), ZhHans)
	return effects
}

// rule: WAL-2
// The batch number is the order's when it knows it (never asked); else it
// is asked, odd characters are refused, and "can't find it" is an answer.
func TestWallpaperBatchNumber(t *testing.T) {
	colour := casesOf(wallRun(t, "wallpaper-colour-complaint"))[0]
	if colour.Details["batch_no"] != "B2611" || colour.Details["batch_source"] != "order" {
		t.Errorf("batch from the order: %v", colour.Details)
	}
	if strings.Contains(repliesOf(wallRun(t, "wallpaper-colour-complaint")), T(ZhHans, "q.batch_no")) {
		t.Error("asked for a batch the order knows")
	}
	typed := casesOf(wallRun(t, "damage-wallpaper-bad-input"))[0]
	if typed.Details["batch_no"] != "B2611" {
		t.Errorf("typed batch: %v", typed.Details)
	}
	if !strings.Contains(repliesOf(wallRun(t, "damage-wallpaper-bad-input")), T(ZhHans, "bad.batch")) {
		t.Error("a batch of odd characters is not refused")
	}
	unknown := casesOf(wallRun(t, "wallpaper-arrival-batch-unknown"))[0]
	if unknown.Details["batch_no"] != "unknown" || unknown.Details["batch_source"] == "" {
		t.Errorf("can't find it: %v", unknown.Details)
	}
}

// rule: WAL-7
// The follow-ups ask about the wallpaper, not the technician; they rate no
// one; a problem opens a quality case with its photos.
func TestWallpaperFollowUps(t *testing.T) {
	for _, stage := range []string{"week1", "month1", "month3", "month6"} {
		if !IsWallFollowStage(stage) {
			t.Errorf("%s is no follow-up", stage)
		}
	}
	if IsWallFollowStage("visit") {
		t.Error("the visit's survey is a follow-up")
	}
	effects := wallRun(t, "wallpaper-follow-up-problem")
	text := repliesOf(effects)
	if strings.Contains(text, T(ZhHans, "q.on_time")) || strings.Contains(text, T(ZhHans, "q.score_attitude")) {
		t.Errorf("the follow-up asks about the technician: %s", text)
	}
	for _, e := range effects {
		if _, ok := e.(SurveyAnswered); ok {
			t.Error("a follow-up answered as a rating survey")
		}
	}
	c := casesOf(effects)
	if len(c) != 1 || c[0].Kind != string(config.KindQualityDefect) || c[0].Details[DetailWallProblem] != WallSeams ||
		c[0].OrderNo != "SO-3001" || c[0].Customer.Phone != "13800001234" || len(c[0].Photos) != 1 || c[0].Details["follow_up"] != "month1" {
		t.Fatalf("follow-up case: %+v", c)
	}
	fine := wallRun(t, "wallpaper-follow-up-fine")
	if len(casesOf(fine)) != 0 {
		t.Error("all well opens a case")
	}
	var answered bool
	for _, e := range fine {
		if a, ok := e.(WallFollowAnswered); ok && a.Stage == "week1" && a.Problem == "" {
			answered = true
		}
	}
	if !answered {
		t.Error("the follow-up's answer is not kept")
	}
}

// rule: WAL-8
// Good wallpaper is not taken back after 3 months from the order, nor when
// fewer than 12 rolls of a batch come back with none of it in stock.
func TestWallReturnStops(t *testing.T) {
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		r    WallReturn
		want string
	}{
		{"in time, a whole batch", WallReturn{OrderedOn: "2026-10-01", Rolls: 12, StockKnown: true}, ""},
		{"in time, few rolls, stock left", WallReturn{OrderedOn: "2026-10-01", Rolls: 3, StockKnown: true, StockRolls: 4}, ""},
		{"few rolls, stock unknown: staff check", WallReturn{OrderedOn: "2026-10-01", Rolls: 3}, ""},
		{"few rolls, none in stock", WallReturn{OrderedOn: "2026-10-01", Rolls: 11, StockKnown: true}, "ret.wall_short_batch"},
		{"three months to the day", WallReturn{OrderedOn: "2026-08-24", Rolls: 12}, ""},
		{"past three months", WallReturn{OrderedOn: "2026-08-23", Rolls: 12}, "ret.wall_too_late"},
		{"both", WallReturn{OrderedOn: "2026-08-01", Rolls: 2, StockKnown: true}, "ret.wall_too_late,ret.wall_short_batch"},
	} {
		if got := strings.Join(WallReturnStops(tc.r, at, time.UTC), ","); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	// The 7-day window of furniture is not wallpaper's: SO-3001 was
	// delivered a month ago and is taken back.
	ok := casesOf(wallRun(t, "wallpaper-return-approvals"))
	if len(ok) != 1 || ok[0].Details["wallpaper_return"] != "yes" || ok[0].Details["quantity"] != "12" || ok[0].Details["batch_no"] != "B2611" {
		t.Fatalf("return of a whole batch: %+v", ok)
	}
	if text := repliesOf(wallRun(t, "wallpaper-return-approvals")); !strings.Contains(text, T(ZhHans, "bad.wall_rolls")) ||
		!strings.Contains(text, T(ZhHans, "return.wall_approvals")) {
		t.Errorf("13 rolls of a batch of 12 not refused, or approvals not said: %s", text)
	}
	for name, key := range map[string]string{"wallpaper-return-short-batch": "ret.wall_short_batch", "wallpaper-return-too-late": "ret.wall_too_late"} {
		effects := wallRun(t, name)
		if len(casesOf(effects)) > 0 && name == "wallpaper-return-too-late" {
			t.Errorf("%s opened a case", name)
		}
		if !strings.Contains(repliesOf(effects), T(ZhHans, key)) {
			t.Errorf("%s does not say %s", name, key)
		}
	}
	// Said first: the refusal past 3 months is the reply to choosing the order.
	turns, _ := play(t, scriptNamed(t, "wallpaper-return-too-late"), ZhHans)
	if last := repliesOf(turns[len(turns)-1].effects); !strings.Contains(last, T(ZhHans, "ret.wall_too_late")) {
		t.Errorf("not said at once: %s", last)
	}
}
