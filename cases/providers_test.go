package cases

import (
	"reflect"
	"strings"
	"testing"
)

// The providers of one city: a company and individuals, local and not,
// rated, unrated and flagged.
var (
	coPudong   = Provider{ID: 1, Name: "安心安装公司", Regions: []string{"上海"}, Company: true, Stars: 3.5, Visits: 4, Jobs: 4, Phone: "021-5555"}
	zhangLocal = Provider{ID: 2, Name: "张师傅", Regions: []string{"上海/浦东新区"}, Stars: 4.8, Visits: 9, Jobs: 9, Phone: "13700001111", Hours: "08:00-19:00"}
	liCity     = Provider{ID: 3, Name: "李师傅", Regions: []string{"上海"}, Stars: 4.9, Visits: 3, Jobs: 3}
	lowStars   = Provider{ID: 4, Name: "慢师傅", Regions: []string{"上海/浦东新区"}, Stars: 2.5, Visits: 2, Jobs: 2}
	newcomer   = Provider{ID: 5, Name: "新师傅", Regions: []string{"上海/浦东新区"}}
	harbin     = Provider{ID: 6, Name: "哈尔滨维修队", Regions: []string{"哈尔滨"}, Company: true, Stars: 5, Visits: 20, Jobs: 20}
	flagged    = Provider{ID: 7, Name: "投诉多师傅", Regions: []string{"上海"}, Stars: 4.2, Visits: 30, Jobs: 30, Flagged: true}
)

func names(ps []Provider) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return out
}

// rule: PRV-1, SRV-7, PRV-6
// The desk proposes only providers that serve the order's region, with at
// least three stars and not flagged; companies first, then the nearest
// (the district before the whole city), then the best rated.
func TestProposeLocalProviders(t *testing.T) {
	all := []Provider{harbin, lowStars, liCity, newcomer, zhangLocal, flagged, coPudong}
	got := names(Propose(all, "上海/浦东新区", 3))
	want := []string{"安心安装公司", "张师傅", "李师傅"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("proposed %v, want %v", got, want)
	}
	if got := names(Propose(all, "哈尔滨/南岗区", 3)); !reflect.DeepEqual(got, []string{"哈尔滨维修队"}) {
		t.Fatalf("哈尔滨: %v", got)
	}
	if got := names(Propose(all, "北京", 3)); len(got) != 0 {
		t.Fatalf("北京 has no provider, proposed %v", got)
	}
}

// rule: SRV-7
// An unrated provider is proposed only when no rated one serves the region.
func TestProposeUnratedOnlyWhenNoneIsRated(t *testing.T) {
	if got := names(Propose([]Provider{newcomer, lowStars}, "上海/浦东新区", 3)); !reflect.DeepEqual(got, []string{"新师傅"}) {
		t.Fatalf("no rated provider with 3★: want the newcomer, got %v", got)
	}
	if got := names(Propose([]Provider{newcomer, zhangLocal}, "上海/浦东新区", 3)); !reflect.DeepEqual(got, []string{"张师傅"}) {
		t.Fatalf("a rated provider serves the region: got %v", got)
	}
}

func TestKnownRegion(t *testing.T) {
	known := []string{"上海", "北京"}
	for region, want := range map[string]bool{"上海": true, "上海/浦东新区": true, "北京/朝阳区": true, "火星": false,
		"火星/一区": false, "": false, "上海/": false} {
		if got := KnownRegion(region, known); got != want {
			t.Errorf("KnownRegion(%q) = %v, want %v", region, got, want)
		}
	}
}

// rule: PRV-6
// More than 3 % complaints and low scores per visit flags a provider.
func TestComplaintRate(t *testing.T) {
	for _, tt := range []struct {
		complaints, visits int
		want               bool
	}{{0, 0, false}, {0, 50, false}, {3, 100, false}, {4, 100, true}, {1, 1, true}, {1, 0, true}, {1, 34, false}, {2, 34, true}} {
		if got := ComplaintRateExceeded(tt.complaints, tt.visits); got != tt.want {
			t.Errorf("%d in %d visits: flagged %v, want %v", tt.complaints, tt.visits, got, tt.want)
		}
	}
}

func dispatchTo(p Provider, value string, proposed ...Provider) Action {
	return Action{Verb: Dispatch, Value: value, Provider: &p, Region: "上海/浦东新区", Proposed: proposed}
}

func TestDispatchRules(t *testing.T) {
	repair := func(c *Case) { c.Kind = "repair" }
	runTransitions(t, []transition{
		// rule: PRV-1, PRV-4, INS-1
		{name: "a local repeat provider: visit paid by transfer, the provider briefed", rule: "PRV-1", before: repair,
			action: dispatchTo(zhangLocal, "2", zhangLocal), by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Details["provider_id"] == "2" && c.Details["provider_phone"] == "13700001111" && c.Details["dispatch_reason"] == "", c)
				wantRecord(t, e, "dispatched", "张师傅 (上海/浦东新区, 4.8★)")
				if v := want[OpenVisit](t, e); v != (OpenVisit{ProviderID: 2, Kind: "repair", Payment: PayTransfer}) {
					t.Errorf("visit %+v", v)
				}
				if b := want[BriefProvider](t, e); b.ProviderID != 2 {
					t.Errorf("brief %+v", b)
				}
			}},
		// rule: PRV-4
		{name: "a first-time provider: the customer pays, the shop refunds", rule: "PRV-4",
			before: func(c *Case) { c.Kind = "installation_help" }, action: dispatchTo(newcomer, "5", newcomer), by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				if v := want[OpenVisit](t, e); v.Payment != PayCustomerRefund || v.Kind != "install" {
					t.Errorf("visit %+v", v)
				}
			}},
		// rule: PRV-1
		{name: "a provider from another city needs a reason", rule: "PRV-1", action: dispatchTo(harbin, "6", zhangLocal), by: clerk, wantErr: Invalid},
		// rule: PRV-1
		{name: "another region with a reason is recorded", rule: "PRV-1", action: dispatchTo(harbin, "6 本地师傅都约不上，顾客同意", zhangLocal), by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				wantCase(t, c.Details["dispatch_reason"] == "本地师傅都约不上，顾客同意", c)
				r := want[Record](t, e)
				if !strings.Contains(r.Detail, "outside 上海/浦东新区: 本地师傅都约不上，顾客同意") {
					t.Errorf("record %q", r.Detail)
				}
			}},
		// rule: SRV-7
		{name: "an unrated provider while a rated one serves the region", rule: "SRV-7", action: dispatchTo(newcomer, "5", zhangLocal), by: clerk, wantErr: Invalid},
		// rule: SRV-7
		{name: "a provider below three stars", rule: "SRV-7", action: dispatchTo(lowStars, "4", zhangLocal), by: clerk, wantErr: Invalid},
		// rule: PRV-6
		{name: "a flagged provider gets no job", rule: "PRV-6", action: dispatchTo(flagged, "7 急", zhangLocal), by: clerk, wantErr: Conflict},
		{name: "an oversized reason", rule: "PRV-1", action: dispatchTo(harbin, "6 "+strings.Repeat("长", 300)), by: clerk, wantErr: Invalid},
	}, policy())
}

func TestVisitRules(t *testing.T) {
	dispatched := func(c *Case) {
		c.Kind = "repair"
		c.Details["provider_id"], c.Details["provider"], c.Details["provider_phone"] = "2", "张师傅", "13700001111"
	}
	appointed := func(c *Case) { dispatched(c); c.Details["appointment"] = "2026-11-26 09:00" }
	runTransitions(t, []transition{
		// rule: PRV-3
		{name: "the customer is told the appointment and who comes", rule: "PRV-3", before: dispatched,
			action: Action{Verb: Appoint, Value: "2026-11-26 09:00", Provider: &zhangLocal}, by: clerk,
			check: func(t *testing.T, c Case, e []Effect) {
				if got := want[TellAppointment](t, e); got != (TellAppointment{At: "2026-11-26 09:00", Provider: "张师傅", Phone: "13700001111"}) {
					t.Errorf("told %+v", got)
				}
			}},
		// rule: INS-2
		{name: "an appointment outside the provider's hours", rule: "INS-2", before: dispatched,
			action: Action{Verb: Appoint, Value: "2026-11-26 21:30", Provider: &zhangLocal}, by: clerk, wantErr: Invalid},
		// rule: INS-2
		{name: "the provider confirms: the visit is marked confirmed", rule: "INS-2", before: appointed,
			action: Action{Verb: Confirm}, by: sched, check: func(t *testing.T, c Case, e []Effect) {
				wantRecord(t, e, "installer_confirmed", "appointment 2026-11-26 09:00 confirmed")
				want[VisitConfirmed](t, e)
			}},
		// rule: PRV-5
		{name: "the visit done with its service record", rule: "PRV-5", before: appointed,
			action: Action{Verb: VisitDone, Service: &ServiceRecord{Done: "更换抽屉滑轨", Result: "抽屉顺滑", Parts: "滑轨一副"}}, by: sched,
			check: func(t *testing.T, c Case, e []Effect) {
				wantRecord(t, e, "visit_done", "done: 更换抽屉滑轨; result: 抽屉顺滑; parts: 滑轨一副")
				if got := want[CompleteVisit](t, e); got.Record != (ServiceRecord{Done: "更换抽屉滑轨", Result: "抽屉顺滑", Parts: "滑轨一副"}) {
					t.Errorf("record %+v", got)
				}
				wantCase(t, c.Details["visit_done"] != "", c)
			}},
		// rule: PRV-5
		{name: "a service record without the result", rule: "PRV-5", before: appointed,
			action: Action{Verb: VisitDone, Service: &ServiceRecord{Done: "更换滑轨"}}, by: sched, wantErr: Invalid},
		{name: "a visit done twice", rule: "PRV-5", before: func(c *Case) { appointed(c); c.Details["visit_done"] = "2026-11-26T02:00:00Z" },
			action: Action{Verb: VisitDone, Service: &ServiceRecord{Done: "a", Result: "b"}}, by: sched, wantErr: Conflict},
		{name: "a visit done with no provider sent", rule: "PRV-5",
			action: Action{Verb: VisitDone, Service: &ServiceRecord{Done: "a", Result: "b"}}, by: sched, wantErr: Conflict},
	}, policy())
}

// runTransition runs one row the way runTransitions does, under the
// default policy.
func runTransition(t *testing.T, tt transition) {
	t.Helper()
	runTransitions(t, []transition{tt}, policy())
}
