package conversations

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"
	"time"

	"frontdesk/cases"
	"frontdesk/config"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// callArgs names the values the call sites fill into each text that takes
// any; every other text takes none. A text filled with Count is read
// through Plural, the others through T.
var callArgs = map[string][]string{
	"unknown.command":           {"Command"},
	"bad.too_long":              {"Count"},
	"bad.too_large":             {"Max"},
	"verify.mismatch":           {"Count"},
	"verify.locked":             {"Count"},
	"verify.lapsed":             {"Count"},
	"verify.ok":                 {"Name"},
	"verify.someone_tried":      {"Order"},
	"staff.delivery_failed":     {"Channel", "Error"},
	"staff.delivery_retried":    {"Name", "Channel"},
	"where.order":               {"Order", "Items", "Status", "Deadline"},
	"where.shipment":            {"Carrier", "Tracking", "Phone", "Expected"},
	"status.line":               {"Case", "Kind", "Status", "Opened"},
	"photo.got":                 {"Count", "Group"},
	"photo.missing":             {"Group"},
	"done.transport_damage":     {"Case", "Reply", "Days"},
	"done.quality_defect":       {"Case", "Reply", "Days"},
	"q.quantity":                {"Max"},
	"q.contact":                 {"Last4"},
	"return.not_eligible":       {"Reasons"},
	"done.return":               {"Case", "Count"},
	"done.repair":               {"Case", "Warranty", "Next", "Dispatch", "Resolve", "ResolveMax"},
	"done.install":              {"Case", "Reply"},
	"done.complaint":            {"Case", "Apology", "Solution", "FollowUp"},
	"done.complaint_major":      {"Case", "Solution"},
	"handoff.started":           {"Case", "Reply"},
	"notice.shipped":            {"Order", "Carrier", "Tracking", "Phone", "Packages", "Pieces", "Volume", "Freight", "Packaging", "Expected"},
	"arrival.intro":             {"Order", "Carrier", "Tracking"},
	"arrival.delay":             {"Deadline", "Case", "Reply"},
	"arrival.delay_description": {"Deadline"},
	"notice.delay":              {"Order", "Deadline", "Case"},
	"survey.intro":              {"Order", "Service"},
	"q.satisfaction":            {"Service"},
	"survey.low":                {"Reply"},
	"staff.login.locked":        {"Until"},
	"staff.admin.new_password":  {"Login", "Password"},
	"staff.admin.done":          {"Login"},
	"staff.approval.pending":    {"Amount"},
	"help.hours":                {"Days", "Hours"},
	"verify.no_order_call":      {"Phone"},
	"cancel.confirm_photos":     {"Count"},
	"help.contact":              {"Shop", "Phone"},
	"days.range":                {"From", "To"},
	"staff.approval.waiting":    {"Roles"},
	// --- intake ---
	"intake.opened":       {"Channel", "Kind", "Case"},
	"staff.intake.opened": {"Case"},
	// --- deadlines ---
	"deadline.risk":   {"Order", "Old", "New"},
	"deadline.agreed": {"Order", "New"},
	"preview.intro":   {"Order"},
	"preview.cycle":   {"Deadline"},
	"early.ask":       {"Order", "Expected", "Deadline"},
	"early.agreed":    {"Expected"},
	"early.declined":  {"Deadline"},
	// clocks
	"dur.hours":      {"Count"},
	"dur.minutes":    {"Count"},
	"promise.within": {"Duration"},
	"promise.by":     {"Due"},
	"promise.closed": {"Due", "Opens"},
	"when.today":     {"Time"},
	"when.tomorrow":  {"Weekday", "Time"},
	"when.weekday":   {"Weekday", "Time"},
	"when.date":      {"Month", "Day", "Time"},
	// --- resolution ---
	"staff.reply":         {"From", "Case", "Text"},
	"resolution.already":  {"Case"},
	"resolution.thanks":   {"Case"},
	"resolution.reopened": {"Case", "Reply"},
	"callback.ask":        {"Case"},
	"callback.sorry":      {"Case", "Reply"},
	"handoff.staff_ended": {"Case"},
	// --- providers ---
	"visit.appointment": {"Order", "Service", "At", "Provider", "Phone"},
	"visit.reminder":    {"Order", "Service", "At", "Provider", "Phone"},
	"accept.intro":      {"Order", "Service"},
	"prov.job":          {"Case", "Service", "Customer", "Phone", "Address", "Items", "Problem"},
	"prov.photos":       {"Count"},
	"prov.briefing":     {"Shop"},
	"prov.next_steps":   {"Case"},
	"prov.appointment":  {"Case", "At"},
	"prov.confirmed":    {"Case", "At"},
	"prov.done_ok":      {"Case"},
	"prov.photo_kept":   {"Case"},
	"prov.need_photo":   {"Case"},
	"prov.job_line":     {"Case", "Service", "Customer", "At", "State"},
	"prov.linked":       {"Name"},
	"prov.refused":      {"Reason"},
	// --- workbench ---
	"staff.wb.search_too_long":       {"Max"},
	"staff.wb.bad_filter":            {"Field", "Value"},
	"staff.wb.bad_flag":              {"Field", "Value"},
	"staff.wb.changed_meanwhile":     {"Who"},
	"staff.case.assigned_to":         {"Name"},
	"staff.case.installer_confirmed": {"At"},
	"staff.canned.intro":             {"Placeholders"},
	"staff.canned.bad":               {"Error"},
	"staff.canned.bad_lang":          {"Value"},
	"staff.dg.title":                 {"Date"},
	"staff.dg.new":                   {"N"},
	"staff.dg.open":                  {"Open", "Overdue"},
	"staff.dg.sla":                   {"Ratio"},
	"staff.dg.target":                {"Name", "Value", "Target"},
	"staff.dg.surveys":               {"Unsatisfied", "Basic", "Fair"},
	"staff.dg.visits":                {"N"},
	"staff.dg.granted":               {"N", "Yuan", "Rolls", "Advance"},
	"staff.digest.bad_day":           {"Value"},
	"staff.slack.found":              {"Search"},
	// --- parts ---
	"parts.fee_ask":        {"Case", "Lines", "Parts", "Service", "Total"},
	"parts.shipped":        {"Case", "Date", "Tracking"},
	"parts.due_back":       {"Due"},
	"parts.remind":         {"Case", "Due"},
	"parts.already":        {"Case"},
	"parts.accepted":       {"Case"},
	"parts.refused":        {"Case"},
	"parts.line_paid":      {"Part", "Qty", "Fee"},
	"parts.line_free":      {"Part", "Qty"},
	"staff.parts.fee":      {"Parts", "Service"},
	"staff.parts.shipped":  {"Date", "Tracking"},
	"staff.parts.due_back": {"Due"},
	"staff.parts.returned": {"Date"},
	"staff.parts.charged":  {"Amount"},
	"staff.parts.monthly":  {"Month", "Issued", "Free", "Returned", "Charged", "ChargedYuan", "Fees"},
	// --- instdate ---
	"bad.install_date_past":         {"Date"},
	"bad.install_date_far":          {"Date", "Days"},
	"bad.install_date_closed":       {"Date"},
	"install.refused_not_delivered": {"Order"},
	"install.refused_not_included":  {"Order"},
	"install.refused_unknown":       {"Order"},
	"done.install_on":               {"Case", "Date", "Reply"},
	"instdate.day":                  {"Month", "Day", "Weekday"},
	"instdate.day_part":             {"Date", "Part"},
}

// TestCatalogIsComplete checks the locale files against each other: every
// language has exactly the keys of zh-Hans, no empty text, texts that parse,
// and the same placeholders as zh-Hans.
// rule: LNG-1
func TestCatalogIsComplete(t *testing.T) {
	ref := messages.files[ZhHans]
	if len(ref) < 100 {
		t.Fatalf("zh-Hans has only %d keys", len(ref))
	}
	for _, l := range Langs {
		texts := messages.files[l]
		for key := range ref {
			if _, ok := texts[key]; !ok {
				t.Errorf("%s has no %s text", key, l)
			}
		}
		for key, m := range texts {
			if _, ok := ref[key]; !ok {
				t.Errorf("%s has %s, which zh-Hans lacks", l, key)
				continue
			}
			want := slices.Sorted(slices.Values(placeholders(ref[key].Other)))
			for form, s := range forms(m) {
				if s == "" {
					t.Errorf("%s: %s %s is empty", key, l, form)
				}
				if _, err := template.New("").Parse(s); err != nil {
					t.Errorf("%s: %s %s does not parse: %v", key, l, form, err)
				}
				if got := slices.Sorted(slices.Values(placeholders(s))); !slices.Equal(got, want) {
					t.Errorf("%s: %s %s has placeholders %v, zh-Hans %v", key, l, form, got, want)
				}
			}
		}
	}
}

// forms returns the texts of a message by plural form; "other" always.
func forms(m *i18n.Message) map[string]string {
	out := map[string]string{"other": m.Other}
	for form, s := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many} {
		if s != "" {
			out[form] = s
		}
	}
	return out
}

// TestCatalogPlaceholders renders every text of every language with the
// values its call sites fill: nothing may print "<no value>", every value
// must show, and a text that shows a count has the plural forms of its
// language (Chinese only "other", English "one" and "other").
func TestCatalogPlaceholders(t *testing.T) {
	for key := range callArgs {
		if _, ok := messages.files[ZhHans][key]; !ok {
			t.Errorf("callArgs names %s, which the catalog lacks", key)
		}
	}
	for _, l := range Langs {
		for key, m := range messages.files[l] {
			names := callArgs[key]
			for _, p := range placeholders(m.Other) {
				if !slices.Contains(names, p) {
					t.Errorf("%s %s: {{.%s}} is filled by no call site", key, l, p)
				}
			}
			args := Args{}
			for _, n := range names {
				args[n] = "‹" + n + "›"
			}
			plural := slices.Contains(names, "Count")
			switch {
			case plural && l == En && (m.One == "" || m.Other == ""):
				t.Errorf("%s %s: a count needs the forms one and other", key, l)
			case plural && l != En && (m.One != "" || m.Other == ""):
				t.Errorf("%s %s: Chinese has only the form other", key, l)
			case !plural && (m.Zero+m.One+m.Two+m.Few+m.Many != ""):
				t.Errorf("%s %s: plural forms, but no call site gives a count", key, l)
			}
			var got []string
			if plural {
				delete(args, "Count")
				got = []string{Plural(l, key, 1, args), Plural(l, key, 2, args)}
			} else {
				got = []string{T(l, key, args)}
			}
			for i, s := range got {
				if s == key || strings.Contains(s, "<no value>") {
					t.Errorf("%s %s renders %q", key, l, s)
				}
				for n := range args {
					if !strings.Contains(s, "‹"+n+"›") {
						t.Errorf("%s %s does not show %s: %q", key, l, n, s)
					}
				}
				if plural && !strings.Contains(s, []string{"1", "2"}[i]) {
					t.Errorf("%s %s does not show the count: %q", key, l, s)
				}
			}
		}
	}
}

// TestCatalogMissing checks that what the catalog lacks never panics: a
// missing key comes back as itself, a language it lacks gets zh-Hans.
func TestCatalogMissing(t *testing.T) {
	for _, l := range append(slices.Clone(Langs), "", "fr") {
		if got := T(l, "no.such.key", Args{"X": 1}); got != "no.such.key" {
			t.Errorf("T(%q) of a missing key = %q", l, got)
		}
		if got := Plural(l, "no.such.key", 3, nil); got != "no.such.key" {
			t.Errorf("Plural(%q) of a missing key = %q", l, got)
		}
	}
	if got, want := T("fr", "menu"), T(ZhHans, "menu"); got != want {
		t.Errorf("an unknown language got %q, want zh-Hans %q", got, want)
	}
	if got := T(En, "verify.ok"); !strings.Contains(got, "<no value>") {
		t.Errorf("a text without its values: %q", got)
	}
}

// TestPluralPicksForm runs Plural on a small catalog whose English forms
// differ, as a translator may write them.
func TestPluralPicksForm(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, l := range Langs {
		text := `"n" = "{{.Count}} 件（{{.Of}}）"`
		if l == En {
			text = "\"n\".one = \"{{.Count}} piece of {{.Of}}\"\n\"n\".other = \"{{.Count}} pieces of {{.Of}}\""
		}
		fsys["locales/active."+string(l)+".toml"] = &fstest.MapFile{Data: []byte(text)}
	}
	c, err := loadCatalog(fsys)
	if err != nil {
		t.Fatal(err)
	}
	args := Args{"Of": "SO-1"}
	for _, tc := range []struct {
		lang  Lang
		count int
		want  string
	}{{En, 1, "1 piece of SO-1"}, {En, 2, "2 pieces of SO-1"}, {En, 0, "0 pieces of SO-1"},
		{ZhHans, 1, "1 件（SO-1）"}, {ZhHant, 5, "5 件（SO-1）"}} {
		if got := c.plural(tc.lang, "n", tc.count, args); got != tc.want {
			t.Errorf("%s %d: %q, want %q", tc.lang, tc.count, got, tc.want)
		}
	}
	if len(args) != 1 {
		t.Errorf("Plural changed the caller's args: %v", args)
	}
}

// TestPositionalArgs keeps T working for callers that still pass plain
// values: they fill the placeholders in the order of the zh-Hans text.
func TestPositionalArgs(t *testing.T) {
	for _, l := range Langs {
		if got, want := T(l, "bad.too_long", 4096), Plural(l, "bad.too_long", 4096, nil); got != want {
			t.Errorf("%s: %q, want %q", l, got, want)
		}
		named := T(l, "where.shipment", Args{"Carrier": "德邦物流", "Tracking": "DB1", "Phone": "95353", "Expected": "2026-11-28"})
		if got := T(l, "where.shipment", "德邦物流", "DB1", "95353", "2026-11-28"); got != named {
			t.Errorf("%s: %q, want %q", l, got, named)
		}
	}
}

// TestEveryLanguageFillsItsTexts plays every transcript script in every
// language, and the texts the desk sends outside a dialog, so that a call
// site that forgets a value or names a key the catalog lacks shows in any
// language, not only in the two the golden transcripts keep.
func TestEveryLanguageFillsItsTexts(t *testing.T) {
	keys := slices.Collect(maps.Keys(messages.files[ZhHans]))
	check := func(t *testing.T, where, s string) {
		t.Helper()
		if strings.Contains(s, "<no value>") {
			t.Errorf("%s: %q", where, s)
		}
		for _, k := range keys {
			if strings.Contains(k, ".") && strings.Contains(s, k) {
				t.Errorf("%s shows the key %s: %q", where, k, s)
			}
		}
	}
	for _, l := range Langs {
		for _, sc := range scripts {
			turns, _ := play(t, sc, l)
			for _, p := range turns {
				for _, e := range p.effects {
					switch e := e.(type) {
					case Reply:
						check(t, sc.name+"."+string(l), e.Text)
						for _, row := range e.Buttons {
							for _, b := range row {
								check(t, sc.name+"."+string(l), b.Label)
							}
						}
					case OpenCase:
						check(t, sc.name+"."+string(l), e.Description)
					}
				}
			}
		}
		s := Shipment{Carrier: "德邦物流", TrackingNo: "DB1", CarrierPhone: "95353", Packages: 1, Pieces: 2, VolumeM3: 1.5,
			ContainsGlass: true, ExpectedArrival: "2026-11-28"}
		check(t, "shipping notice", ShippingNotice(l, "SO-1001", s).Text)
		check(t, "delay notice", DelayNotice(l, "SO-1001", "2026-12-10", "AS-1"))
		for _, rej := range []Rejection{RejectNotImage, RejectTooLarge, RejectUnsupported} {
			_, effects, _ := Step(context.Background(), Env{Now: time.Now(), Limits: Limits{MaxUploadBytes: 10 << 20}},
				State{Lang: l}, Inbound{Rejected: rej})
			check(t, "rejection", effects[0].(Reply).Text)
		}
	}
}

// TestCatalogNamesTheVocabulary checks that every case kind and order
// status of config has a name in every language, so that customers and
// staff never see an internal code.
// rule: STF-2
func TestCatalogNamesTheVocabulary(t *testing.T) {
	for _, l := range Langs {
		for _, r := range cases.Roles {
			if _, ok := messages.files[l]["role."+string(r)]; !ok {
				t.Errorf("%s has no name for the staff role %s", l, r)
			}
		}
	}
	statuses := []config.OrderStatus{config.OrderPlaced, config.OrderInProduction, config.OrderShipped,
		config.OrderDelivered, config.OrderInstalled}
	for _, l := range Langs {
		for _, k := range config.CaseKinds {
			if _, ok := messages.files[l]["kind."+string(k)]; !ok {
				t.Errorf("%s has no name for the case kind %s", l, k)
			}
		}
		for _, s := range statuses {
			if _, ok := messages.files[l]["order."+string(s)]; !ok {
				t.Errorf("%s has no name for the order status %s", l, s)
			}
		}
	}
}
