package cases

import (
	"strings"
	"testing"
	"time"

	"frontdesk/config"
)

func wallCase() Case {
	c := newCase()
	c.Kind = config.KindQualityDefect
	c.Details = map[string]string{"wall_class": "quality", "wall_problem": "colour", "batch_no": "B2611", "on_wall": "yes"}
	return c
}

func wallReturnCase() Case {
	c := newCase()
	c.Kind = config.KindReturnExchange
	c.Details = map[string]string{DetailWallReturn: "yes", "quantity": "12", "batch_no": "B2611"}
	return c
}

var dutyManager = Actor{Name: "赵经理", Role: DutyManager}

// steps runs actions on c in turn, failing the test on a refusal.
func steps(t *testing.T, c Case, by Actor, at time.Time, acts ...Action) (Case, []Effect) {
	t.Helper()
	var all []Effect
	for _, a := range acts {
		next, e, err := Decide(c, a, by, at, policy())
		if err != nil {
			t.Fatalf("%s %q: %v", a.Verb, a.Value, err)
		}
		c, all = next, append(all, e...)
		at = at.Add(time.Hour)
	}
	return c, all
}

func refused(t *testing.T, c Case, a Action, by Actor, code Code, words string) {
	t.Helper()
	next, e, err := Decide(c, a, by, now, policy())
	if ErrorCode(err) != code || !strings.Contains(ErrorMessage(err), words) {
		t.Fatalf("%s %q: %v, want %s naming %q", a.Verb, a.Value, err, code, words)
	}
	if len(e) != 0 || next.Details[string(a.Verb)+"_at"] != c.Details[string(a.Verb)+"_at"] {
		t.Fatalf("a refused %s changed the case: %v %v", a.Verb, e, next.Details)
	}
}

// rule: WAL-3, WAL-1
// A quality complaint: same-batch stock check → QC trial hanging → the same
// problem → the customer returns the wallpaper (instructions in the chat,
// tracking kept, arrival recorded); each step with who and when, in order,
// once.
func TestWallpaperQualityFlow(t *testing.T) {
	c := wallCase()
	refused(t, c, Action{Verb: WallTrial, Value: TrialSameProblem}, clerk, Conflict, "stock check first")
	refused(t, c, Action{Verb: WallReturn, Value: "上海仓"}, clerk, Conflict, "trial hanging")
	refused(t, c, Action{Verb: WallStock, Value: "many"}, clerk, Invalid, "rolls of the same batch")
	refused(t, c, Action{Verb: WallStock, Value: "-3"}, clerk, Invalid, "rolls of the same batch")
	c, _ = steps(t, c, clerk, now, Action{Verb: WallStock, Value: "30 back_office"})
	if c.Details[DetailWallStock] != "30" || c.Details["wall_stock_by"] != "小王" || c.Details["wall_stock_at"] == "" {
		t.Fatalf("stock check: %v", c.Details)
	}
	refused(t, c, Action{Verb: WallStock, Value: "12"}, clerk, Conflict, "recorded already")
	refused(t, c, Action{Verb: WallTrial, Value: "looks odd"}, clerk, Invalid, "same_problem")
	c, _ = steps(t, c, clerk, now, Action{Verb: WallTrial, Value: TrialSameProblem})
	refused(t, c, Action{Verb: WallTracking, Value: "SF123456"}, clerk, Conflict, "no return was asked")
	c, e := steps(t, c, clerk, now, Action{Verb: WallReturn, Value: "上海市闵行区仓库 2 号门"})
	var told bool
	for _, x := range e {
		if r, ok := x.(WallReturnInstructions); ok && r.Address == "上海市闵行区仓库 2 号门" {
			told = true
		}
	}
	if !told {
		t.Fatalf("no return instructions for the customer: %v", e)
	}
	refused(t, c, Action{Verb: WallTracking, Value: "SF<1>"}, clerk, Invalid, "tracking number")
	c, _ = steps(t, c, clerk, now, Action{Verb: WallTracking, Value: "sf 1234 5678"}, Action{Verb: WallReceived, Value: "3 卷，撕下的墙纸一包"})
	if c.Details[DetailWallTracking] != "SF12345678" || c.Details["wall_received_at"] == "" {
		t.Fatalf("return: %v", c.Details)
	}
	// No stock of the batch: nothing to trial-hang, the return is asked at once.
	none, _ := steps(t, wallCase(), clerk, now, Action{Verb: WallStock, Value: "0"})
	refused(t, none, Action{Verb: WallTrial, Value: TrialFine}, clerk, Conflict, "no roll of the batch")
	steps(t, none, clerk, now, Action{Verb: WallReturn, Value: "上海仓"})
	// Touch-up paint is never a wallpaper remedy (WAL-1).
	refused(t, wallCase(), Action{Verb: Remedy, Value: "touch_up_paint"}, clerk, Invalid, "never a wallpaper remedy")
	// A furniture case has none of these steps.
	refused(t, newCase(), Action{Verb: WallStock, Value: "3"}, clerk, Conflict, "no wallpaper case")
}

// rule: WAL-4
// Responsibility: quantity, delivery or transport → after-sales or the
// dealer; installation → the dealer; a product dispute → site visit and the
// factory, with an advance of at most 50 %.
func TestWallpaperResponsibility(t *testing.T) {
	for cause, party := range map[string]string{"quantity": "after_sales_or_dealer", "delivery": "after_sales_or_dealer",
		"transport": "after_sales_or_dealer", "installation": "dealer"} {
		c, _ := steps(t, wallCase(), clerk, now, Action{Verb: WallResponsibility, Value: cause})
		if c.Details[DetailWallParty] != party {
			t.Errorf("%s → %s, want %s", cause, c.Details[DetailWallParty], party)
		}
	}
	refused(t, wallCase(), Action{Verb: WallResponsibility, Value: "weather"}, clerk, Invalid, "quantity, delivery")
	refused(t, wallCase(), Action{Verb: WallResponsibility, Value: "product"}, clerk, Conflict, "stock check")
	c, _ := steps(t, wallCase(), clerk, now, Action{Verb: WallStock, Value: "5"}, Action{Verb: WallResponsibility, Value: "product"})
	if c.Details[DetailWallParty] != "factory" || c.Details["wall_site_visit"] != "needed" {
		t.Fatalf("product dispute: %v", c.Details)
	}
	// The advance on a product dispute is capped at half the claim (APR-2).
	c.Details[askedForMoney] = "yes"
	if _, _, err := Decide(c, Action{Verb: Remedy, Value: "advance", AmountYuan: 600, ClaimYuan: 1000}, clerk, now, policy()); ErrorCode(err) != Invalid {
		t.Errorf("an advance of 60 %%: %v", err)
	}
}

// rule: WAL-5
// An answer within 24 hours, a general issue's plan the same day, a major
// quality accident within 3 to 5 days.
func TestWallpaperClocks(t *testing.T) {
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, shanghai)
	ks := WallpaperClocks(wallCase(), at, shanghai, WallTimes{})
	if len(ks) != 2 || ks[0].Name != WallAnswerClock || !ks[0].Due.Equal(at.Add(24*time.Hour)) ||
		ks[1].Name != WallPlanClock || !ks[1].Due.Equal(time.Date(2026, 11, 24, 23, 59, 0, 0, shanghai)) {
		t.Fatalf("clocks: %+v", ks)
	}
	if len(WallpaperClocks(newCase(), at, shanghai, WallTimes{})) != 0 {
		t.Error("a furniture case runs wallpaper clocks")
	}
	_, e := steps(t, wallCase(), clerk, at, Action{Verb: MarkMajor})
	var major *StartClock
	for _, x := range e {
		if k, ok := x.(StartClock); ok && k.Name == WallMajorClock {
			major = &k
		}
	}
	if major == nil || !major.Due.Equal(at.Add(72*time.Hour)) || !major.FarDue.Equal(at.Add(120*time.Hour)) {
		t.Fatalf("major accident clock: %+v", major)
	}
	// The plan stops the plan clock: it is the event the clock waits for.
	_, e = steps(t, wallCase(), clerk, at, Action{Verb: WallPlan, Value: "明天上门复查并补发 2 卷同批号壁纸"})
	if r, ok := e[0].(Record); !ok || r.Event != string(WallPlan) {
		t.Fatalf("plan: %v", e)
	}
}

// rule: WAL-6
// Compensation on a wallpaper complaint is counted in rolls: up to 3 by the
// clerk, more waits for the business supervisor and the duty manager.
func TestWallpaperCompensationInRolls(t *testing.T) {
	c := wallCase()
	c.Details[askedForMoney] = "yes"
	granted, e, err := Decide(c, Action{Verb: Remedy, Value: Compensation, Rolls: 2, Wallpaper: true}, clerk, now, policy())
	if err != nil || granted.Details["approval"] == "pending" {
		t.Fatalf("2 rolls: %v %v", err, granted.Details)
	}
	var g bool
	for _, x := range e {
		if gr, ok := x.(Grant); ok && gr.Rolls == 2 {
			g = true
		}
	}
	if !g {
		t.Fatalf("no grant of 2 rolls: %v", e)
	}
	pending, _, err := Decide(c, Action{Verb: Remedy, Value: Compensation, Rolls: 5, Wallpaper: true}, clerk, now, policy())
	if err != nil || pending.Details["approval"] != "pending" {
		t.Fatalf("5 rolls: %v %v", err, pending.Details)
	}
}

// rule: WAL-8
// A good-wallpaper return is approved by the salesperson and the duty
// manager before its instructions go out, and the warehouse checks each
// roll before the return is checked.
func TestWallpaperReturnApprovals(t *testing.T) {
	c := wallReturnCase()
	refused(t, c, Action{Verb: ApproveReturn, Value: "上海仓"}, clerk, Conflict, "salesperson's and the duty manager's")
	refused(t, c, Action{Verb: WallReturnOK, Value: "duty_manager"}, clerk, Forbidden, "only the duty manager")
	refused(t, c, Action{Verb: WallReturnOK, Value: "boss"}, clerk, Invalid, "salesperson or duty_manager")
	c, _ = steps(t, c, clerk, now, Action{Verb: WallReturnOK, Value: "salesperson"})
	refused(t, c, Action{Verb: WallReturnOK, Value: "salesperson"}, clerk, Conflict, "approved already")
	refused(t, c, Action{Verb: ApproveReturn, Value: "上海仓"}, clerk, Conflict, "duty manager missing")
	c, _ = steps(t, c, dutyManager, now, Action{Verb: WallReturnOK, Value: "duty_manager"})
	if c.Details["wall_return_ok_salesperson_by"] != "小王" || c.Details["wall_return_ok_duty_manager_by"] != "赵经理" {
		t.Fatalf("approvals: %v", c.Details)
	}
	c, _ = steps(t, c, clerk, now, Action{Verb: ApproveReturn, Value: "上海市闵行区仓库"})
	refused(t, c, Action{Verb: WallRollCheck, Value: "12/12"}, clerk, Conflict, "once they are received")
	c, _ = steps(t, c, clerk, now, Action{Verb: ReturnReceived})
	refused(t, c, Action{Verb: ReturnChecked}, clerk, Conflict, "roll-by-roll")
	refused(t, c, Action{Verb: WallRollCheck, Value: "13/13"}, clerk, Invalid, "at most the 12 rolls")
	refused(t, c, Action{Verb: WallRollCheck, Value: "5/4"}, clerk, Invalid, "<good>/<returned>")
	c, _ = steps(t, c, clerk, now, Action{Verb: WallRollCheck, Value: "11/12"}, Action{Verb: ReturnChecked})
	if c.Details[DetailWallRollsGood] != "11" || c.Details["wall_rolls_returned"] != "12" {
		t.Fatalf("roll check: %v", c.Details)
	}
	refused(t, c, Action{Verb: WallRollCheck, Value: "12/12"}, clerk, Conflict, "checked already")
	// The complaint steps are not a return's.
	refused(t, wallReturnCase(), Action{Verb: WallStock, Value: "3"}, clerk, Conflict, "wallpaper complaints")
}
