package conversations

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// goldenFile compares got with the transcript name under testdata, or
// writes it with -update.
func goldenFile(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "transcripts", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run `go test ./conversations -run Golden -update` to write it)", err)
	}
	if got != string(want) {
		t.Errorf("transcript differs from %s (-update to accept):\n%s", path, firstDiff(string(want), got))
	}
}

// goldenInLangs writes the transcript base in Chinese and in English, each
// as a subtest named after its file, and compares it with the golden file.
func goldenInLangs(t *testing.T, base string, play func(t *testing.T, lang Lang) string) {
	t.Helper()
	for _, lang := range []Lang{ZhHans, En} {
		name := fmt.Sprintf("%s.%s.txt", base, lang)
		t.Run(name, func(t *testing.T) { goldenFile(t, name, play(t, lang)) })
	}
}

// TestGoldenAcceptanceTranscripts writes the customer's side of a visit:
// told the appointment and who comes, reminded the day before, asked to
// accept the work after it, then the survey; or a problem.
// rule: PRV-3, PRV-5
func TestGoldenAcceptanceTranscripts(t *testing.T) {
	for _, sc := range []struct {
		name  string
		turns []turn
	}{
		{"visit-accepted-then-survey", []turn{press("ans:accepted"), press("ans:yes"), press("ans:fair")}},
		{"visit-acceptance-problem", []turn{say("/help"), press("ans:problem"), say("抽屉还是卡，关不上")}},
	} {
		for _, lang := range []Lang{ZhHans, En} {
			name := fmt.Sprintf("%s.%s.txt", sc.name, lang)
			t.Run(name, func(t *testing.T) {
				var b strings.Builder
				fmt.Fprintf(&b, "# %s (%s)\n# > the customer, < the bot, [label → data] its buttons, = what the desk records\n", sc.name, lang)
				b.WriteString("\n(the desk tells the customer the appointment)\n")
				b.WriteString(renderEffect(Reply{Text: AppointmentNotice(lang, "SO-1001", "repair", "2026-12-01 10:00", "张师傅", "13700001111")}))
				b.WriteString("\n(the day before)\n")
				b.WriteString(renderEffect(Reply{Text: AppointmentReminder(lang, "SO-1001", "repair", "2026-12-01 10:00", "张师傅", "13700001111")}))
				body := runScript(t, script{name: sc.name, verify: true, begin: Acceptance("AS-20261124-0001-V1", "repair", "SO-1001"),
					turns: sc.turns}, lang)
				_, rest, _ := strings.Cut(body, "what the desk records\n")
				b.WriteString(rest)
				goldenFile(t, name, b.String())
			})
		}
	}
}

// TestGoldenProviderTranscripts writes a provider's chat: linked with its
// code, the job with the briefing, the appointment and its confirmation,
// the photo and the report of the visit done, and what it cannot read.
// rule: PRV-2, INS-1, INS-2
func TestGoldenProviderTranscripts(t *testing.T) {
	job := ProviderJob{Case: "AS-20261124-0001", Kind: "repair", Customer: "王芳", Phone: "13800001234",
		Address: "上海市浦东新区张杨路 500 号 1203 室", Items: []string{"布艺沙发", "钢化玻璃茶几"}, Problem: "抽屉拉不动了", Photos: 3}
	for _, lang := range []Lang{ZhHans, En} {
		name := fmt.Sprintf("provider-job-confirm-done.%s.txt", lang)
		t.Run(name, func(t *testing.T) {
			var b strings.Builder
			fmt.Fprintf(&b, "# provider-job-confirm-done (%s)\n# > the provider, < the desk, [label → data] its buttons, = the command the desk applies\n", lang)
			step := func(in Inbound, replies ...Reply) {
				b.WriteString("\n" + renderInbound(in))
				c := ParseProvider(in)
				fmt.Fprintf(&b, "= %s %s %q\n", c.Verb, c.Case, c.Value)
				for _, r := range replies {
					b.WriteString(renderEffect(r))
				}
			}
			t1 := func(key string, args ...any) Reply { return Reply{Text: T(lang, key, args...)} }
			step(Inbound{Text: "/link K7MX2Q"}, t1("prov.linked", Args{"Name": "张师傅"}))
			b.WriteString("\n(the desk sends the job)\n")
			b.WriteString(renderEffect(ProviderBriefing(lang, "安心家居", job)))
			step(Inbound{Text: "/appoint AS-20261124-0001 2026-12-01 10:00"})
			appointed := job
			appointed.Appointment = "2026-12-01 10:00"
			b.WriteString(renderEffect(ProviderAppointment(lang, appointed)))
			step(Inbound{Choice: "pv:confirm:AS-20261124-0001"}, t1("prov.confirmed", Args{"Case": job.Case, "At": appointed.Appointment}))
			step(Inbound{Text: "/done AS-20261124-0001 更换抽屉滑轨 | 抽屉顺滑 | 滑轨一副"}, t1("prov.need_photo", Args{"Case": job.Case}))
			step(Inbound{Photo: &Photo{SHA256: "f00d", MIME: "image/jpeg", Size: 10}}, t1("prov.photo_kept", Args{"Case": job.Case}))
			step(Inbound{Text: "/done AS-20261124-0001 更换抽屉滑轨 | 抽屉顺滑 | 滑轨一副"}, t1("prov.done_ok", Args{"Case": job.Case}))
			done := appointed
			done.Confirmed, done.Done = true, true
			step(Inbound{Text: "/jobs"}, Reply{Text: ProviderJobLine(lang, done)})
			step(Inbound{Text: "/confirm AS-1"}, t1("prov.bad_case"))
			step(Inbound{Text: "你好"}, t1("prov.help"))
			goldenFile(t, name, b.String())
		})
	}
}

// The provider's commands are read strictly: the job number, the time and
// the service record, nothing guessed.
// rule: PRV-2
func TestParseProvider(t *testing.T) {
	for in, want := range map[string]ProviderCommand{
		"/link abc123": {Verb: ProvLink, Value: "abc123"},
		"/link":        {Verb: ProvHelp, Value: "prov.link_how"},
		"/appoint as-20261124-0001 2026-12-01 10:00": {Verb: ProvAppoint, Case: "AS-20261124-0001", Value: "2026-12-01 10:00"},
		"/appoint AS-20261124-0001 明天":               {Verb: ProvHelp, Value: "prov.help"},
		"/confirm@shop_bot AS-20261124-0001":         {Verb: ProvConfirm, Case: "AS-20261124-0001"},
		"/confirm SO-1001":                           {Verb: ProvHelp, Value: "prov.bad_case"},
		"/done AS-20261124-0001 换滑轨 ｜ 好了":            {Verb: ProvDone, Case: "AS-20261124-0001", Value: "换滑轨 ｜ 好了"},
		"/jobs": {Verb: ProvJobs},
		"随便说说":  {Verb: ProvHelp},
		"/appoint ../../AS-20261124-0001 2026-12-01 1": {Verb: ProvHelp, Value: "prov.bad_case"},
	} {
		if got := ParseProvider(Inbound{Text: in}); got != want {
			t.Errorf("%q: %+v, want %+v", in, got, want)
		}
	}
	d, r, p := ParseServiceRecord("换滑轨 ｜ 好了")
	if d != "换滑轨" || r != "好了" || p != "" {
		t.Errorf("record %q %q %q", d, r, p)
	}
}
