package scheduler

import (
	"bytes"
	"image/png"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"frontdesk/conversations"
)

// allKindsDigest is a digest whose 14 days saw every kind of case.
func allKindsDigest() Digest {
	kinds := []string{"delivery_delay", "transport_damage", "quality_defect", "installation_help", "repair",
		"return_exchange", "complaint", "inquiry", "low_survey_score"}
	d := Digest{Date: "2026-11-24"}
	start := time.Date(2026, 11, 11, 0, 0, 0, 0, time.UTC)
	for i := range 14 {
		d.InflowDays = append(d.InflowDays, start.AddDate(0, 0, i).Format("01-02"))
		day := map[string]int{}
		for k, kind := range kinds {
			day[kind] = (i+k)%4 + k%2
		}
		d.Inflow = append(d.Inflow, day)
		d.SLADays = append(d.SLADays, Ratio{Met: 7 + i%4, Total: 10})
	}
	d.SLADays[3] = Ratio{}
	return d
}

func decodeChart(t *testing.T, b []byte) {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("chart is no PNG: %v", err)
	}
	if img.Bounds().Dx() != ChartWidth || img.Bounds().Dy() != ChartHeight {
		t.Fatalf("chart is %v, want %dx%d", img.Bounds(), ChartWidth, ChartHeight)
	}
}

// TestChartShowsEveryKind: with all nine kinds in the 14 days the legend
// names each of them (the old chart dropped kinds past the fifth), in
// Chinese, and the chart is drawn with the CJK font found on the system.
func TestChartShowsEveryKind(t *testing.T) {
	var logs bytes.Buffer
	o := ChartOptions{Lang: conversations.ZhHans, Log: slog.New(slog.NewTextHandler(&logs, nil))}
	d := allKindsDigest()
	if _, ok := chartTextHandler("", conversations.ZhHans, o.Log); !ok {
		t.Skip("no CJK font on this machine; " + InstallCJKFontHint)
	}
	b, err := o.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	decodeChart(t, b)
	legend := ChartLegend(d, conversations.ZhHans)
	for _, want := range []string{"运输损坏", "延迟交货", "投诉", "咨询"} {
		if !slices.Contains(legend, want) {
			t.Errorf("legend %v lacks %q", legend, want)
		}
	}
	if len(legend) != 9 {
		t.Errorf("legend has %d entries, want all 9 kinds: %v", len(legend), legend)
	}
	for _, e := range legend {
		if strings.Contains(e, "_") {
			t.Errorf("legend shows a code: %q", e)
		}
	}
	if logs.Len() != 0 {
		t.Errorf("a found font logs nothing, got %s", logs.String())
	}
	if out := os.Getenv("FD_WRITE_CHART"); out != "" {
		os.WriteFile(out, b, 0o644)
	}
}

// TestChartFallsBackToEnglishWithoutAFont: a configured font that is not
// there, or a font without Chinese glyphs, gives English labels and one log
// line naming the package to install; the chart is still drawn.
func TestChartFallsBackToEnglishWithoutAFont(t *testing.T) {
	notFont := filepath.Join(t.TempDir(), "font.ttc")
	os.WriteFile(notFont, []byte("not a font"), 0o644)
	for _, path := range []string{filepath.Join(t.TempDir(), "missing.ttc"), notFont} {
		var logs bytes.Buffer
		o := ChartOptions{FontPath: path, Log: slog.New(slog.NewTextHandler(&logs, nil))}
		b, err := o.Render(allKindsDigest())
		if err != nil {
			t.Fatal(err)
		}
		decodeChart(t, b)
		if n := strings.Count(logs.String(), "\n"); n != 1 || !strings.Contains(logs.String(), "apt-get install fonts-noto-cjk") ||
			!strings.Contains(logs.String(), path) {
			t.Errorf("%s: want one log line naming the package and the path, got %d:\n%s", path, n, logs.String())
		}
		if _, ok := chartTextHandler(path, conversations.ZhHans, slog.New(slog.DiscardHandler)); ok {
			t.Errorf("%s taken as a CJK font", path)
		}
	}
}

// TestChartFallsBackWhenTheSystemHasNoFont: no font configured and none of
// the system paths exists.
func TestChartFallsBackWhenTheSystemHasNoFont(t *testing.T) {
	saved := SystemCJKFonts
	SystemCJKFonts = []string{filepath.Join(t.TempDir(), "none.ttc")}
	defer func() { SystemCJKFonts = saved }()
	var logs bytes.Buffer
	b, err := ChartOptions{Log: slog.New(slog.NewTextHandler(&logs, nil))}.Render(allKindsDigest())
	if err != nil {
		t.Fatal(err)
	}
	decodeChart(t, b)
	if !strings.Contains(logs.String(), "fonts-noto-cjk") {
		t.Errorf("log: %s", logs.String())
	}
}

// TestChartOfAnEmptyDigest: a desk's first day has no cases and no clocks.
func TestChartOfAnEmptyDigest(t *testing.T) {
	d := Digest{Date: "2026-11-24", InflowDays: []string{"11-24"}, Inflow: []map[string]int{{}}, SLADays: []Ratio{{}}}
	b, err := Chart(d)
	if err != nil {
		t.Fatal(err)
	}
	decodeChart(t, b)
}
