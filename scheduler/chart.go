package scheduler

import (
	"bytes"
	"fmt"
	"image/color"
	"log/slog"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"frontdesk/conversations"
)

// The chart's size in pixels: wide enough for 14 days of bars and a legend
// of every kind beside them.
const (
	ChartWidth, ChartHeight = 1000, 640
	chartDPI                = 96
)

// palette colours the kinds; more kinds than colours reuse them in order.
var palette = []color.RGBA{
	{31, 111, 92, 255}, {214, 125, 44, 255}, {52, 101, 164, 255}, {180, 60, 60, 255}, {120, 90, 160, 255},
	{90, 150, 60, 255}, {200, 170, 40, 255}, {120, 120, 120, 255}, {40, 160, 170, 255}, {200, 90, 150, 255},
}

// ChartOptions say how the digest chart is drawn: in which language, with
// which font (a path from config; empty finds one on the system), and where
// a missing font is logged.
type ChartOptions struct {
	Lang     conversations.Lang
	FontPath string
	Log      *slog.Logger
}

// Chart draws the digest in zh-Hans with a CJK font found on the system
// (English labels when there is none).
func Chart(d Digest) ([]byte, error) {
	return ChartOptions{}.Render(d)
}

// Render draws the digest as a PNG with gonum/plot: new cases by kind over
// 14 days as stacked bars, every kind in the legend, and below it the daily
// SLA compliance against the 90 % target.
func (o ChartOptions) Render(d Digest) ([]byte, error) {
	lang := o.Lang
	if lang == "" {
		lang = conversations.ZhHans
	}
	hdlr, ok := chartTextHandler(o.FontPath, lang, o.Log)
	if !ok && lang != conversations.En {
		lang = conversations.En // the built-in font has no Chinese glyphs
	}
	kinds := chartKinds(d)
	bars, legend, err := inflowPlot(d, kinds, lang, hdlr)
	if err != nil {
		return nil, err
	}
	sla, slaLegend, err := slaPlot(d, lang, hdlr)
	if err != nil {
		return nil, err
	}
	img := vgimg.NewWith(vgimg.UseWH(ChartWidth*72/chartDPI, ChartHeight*72/chartDPI), vgimg.UseDPI(chartDPI),
		vgimg.UseBackgroundColor(color.White))
	c := draw.New(img)
	w, h := c.Max.X-c.Min.X, c.Max.Y-c.Min.Y
	legendW := w * 0.2
	left := draw.Crop(c, 0, -legendW, 0, 0)
	bars.Draw(draw.Crop(left, 0, 0, h*0.4, 0))
	sla.Draw(draw.Crop(left, 0, 0, 0, -h*0.6))
	legend.Draw(draw.Crop(c, w-legendW+vg.Points(6), 0, h*0.4, -vg.Points(40)))
	slaLegend.Draw(draw.Crop(c, w-legendW+vg.Points(6), 0, 0, -h*0.6-vg.Points(40)))
	var b bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// ChartLegend names the legend's entries, top down: every kind that came in
// during the 14 days, by its name in lang.
func ChartLegend(d Digest, lang conversations.Lang) []string {
	kinds := chartKinds(d)
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[len(kinds)-1-i] = conversations.Label(lang, "kind.", k)
	}
	return out
}

// inflowPlot stacks the new cases of each day by kind; the legend lists the
// kinds top down in the order their bars are stacked bottom up.
func inflowPlot(d Digest, kinds []string, lang conversations.Lang, hdlr text.Handler) (*plot.Plot, plot.Legend, error) {
	p := newChartPlot(hdlr)
	p.Title.Text = conversations.T(lang, "staff.chart.inflow_title", conversations.Args{"Date": d.Date})
	p.Y.Label.Text = conversations.T(lang, "staff.chart.cases")
	p.X.Label.Text = conversations.T(lang, "staff.chart.day")
	legend := plot.NewLegend()
	legend.TextStyle.Handler = hdlr
	legend.TextStyle.Font.Size = vg.Points(10)
	legend.Top = true
	legend.Left = true
	legend.Padding = vg.Points(3)
	p.Add(plotter.NewGrid()) // first, so the bars cover it
	var below *plotter.BarChart
	entries := make([]struct {
		name string
		bar  *plotter.BarChart
	}, 0, len(kinds))
	for i, kind := range kinds {
		vals := make(plotter.Values, len(d.Inflow))
		for day, byKind := range d.Inflow {
			vals[day] = float64(byKind[kind])
		}
		bar, err := plotter.NewBarChart(vals, vg.Points(18))
		if err != nil {
			return nil, legend, err
		}
		bar.Color = palette[i%len(palette)]
		bar.LineStyle.Width = 0
		if below != nil {
			bar.StackOn(below)
		}
		below = bar
		p.Add(bar)
		entries = append(entries, struct {
			name string
			bar  *plotter.BarChart
		}{conversations.Label(lang, "kind.", kind), bar})
	}
	for i := len(entries) - 1; i >= 0; i-- {
		legend.Add(entries[i].name, entries[i].bar)
	}
	if len(kinds) == 0 {
		p.Title.Text += "  " + conversations.T(lang, "staff.chart.no_cases")
	}
	p.Y.Min, p.Y.Max = 0, float64(busiestDay(d))*1.1+1
	p.Y.Tick.Marker = wholeTicks{}
	p.NominalX(d.InflowDays...)
	return p, legend, nil
}

// slaPlot draws the daily share of clocks met with the 90 % target dashed.
func slaPlot(d Digest, lang conversations.Lang, hdlr text.Handler) (*plot.Plot, plot.Legend, error) {
	legend := plot.NewLegend()
	legend.TextStyle.Handler = hdlr
	legend.TextStyle.Font.Size = vg.Points(10)
	legend.Top, legend.Left = true, true
	p := newChartPlot(hdlr)
	p.Add(plotter.NewGrid())
	p.Title.Text = conversations.T(lang, "staff.chart.sla_title")
	p.Y.Label.Text = "%"
	p.Y.Min, p.Y.Max = 0, 105
	// A day without clocks due breaks the line rather than bridging it.
	for _, run := range complianceRuns(d.SLADays) {
		line, dots, err := plotter.NewLinePoints(run)
		if err != nil {
			return nil, legend, err
		}
		line.Color, line.Width = palette[0], vg.Points(2)
		dots.Color, dots.Shape, dots.Radius = palette[0], draw.CircleGlyph{}, vg.Points(3)
		p.Add(line, dots)
	}
	n := max(len(d.SLADays), 1)
	target, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: 90}, {X: float64(n) - 0.5, Y: 90}})
	if err != nil {
		return nil, legend, err
	}
	target.Color = color.RGBA{200, 60, 60, 255}
	target.Dashes = []vg.Length{vg.Points(6), vg.Points(4)}
	p.Add(target)
	legend.Add(conversations.T(lang, "staff.chart.sla_met"), complianceThumb())
	legend.Add(conversations.T(lang, "staff.chart.target"), target)
	p.X.Min, p.X.Max = -0.5, float64(n)-0.5
	days := append([]string(nil), d.InflowDays...)
	p.NominalX(days...)
	return p, legend, nil
}

// complianceRuns are the runs of consecutive days that had clocks due,
// as points (day index, percent met).
func complianceRuns(days []Ratio) []plotter.XYs {
	var runs []plotter.XYs
	var run plotter.XYs
	for i, r := range days {
		if r.Total == 0 {
			if len(run) > 0 {
				runs = append(runs, run)
			}
			run = nil
			continue
		}
		run = append(run, plotter.XY{X: float64(i), Y: r.Percent()})
	}
	if len(run) > 0 {
		runs = append(runs, run)
	}
	return runs
}

// busiestDay is the most new cases of one day in the chart.
func busiestDay(d Digest) int {
	most := 0
	for _, day := range d.Inflow {
		n := 0
		for _, v := range day {
			n += v
		}
		most = max(most, n)
	}
	return most
}

// complianceThumb is the legend's sample of the compliance line, drawn
// even on days without a point.
func complianceThumb() plot.Thumbnailer {
	l := &plotter.Line{}
	l.LineStyle = draw.LineStyle{Color: palette[0], Width: vg.Points(2)}
	return l
}

// newChartPlot is a plot whose every text goes through hdlr (the CJK font
// when there is one).
func newChartPlot(hdlr text.Handler) *plot.Plot {
	p := plot.New()
	p.TextHandler = hdlr
	p.Title.TextStyle.Handler = hdlr
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.Title.Padding = vg.Points(6)
	p.Legend.TextStyle.Handler = hdlr
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Handler = hdlr
		a.Label.TextStyle.Font.Size = vg.Points(10)
		a.Tick.Label.Handler = hdlr
		a.Tick.Label.Font.Size = vg.Points(8)
	}
	return p
}

// wholeTicks marks counts with whole numbers only.
type wholeTicks struct{}

// Ticks implements plot.Ticker.
func (wholeTicks) Ticks(lo, hi float64) []plot.Tick {
	step := 1.0
	for (hi-lo)/step > 8 {
		step *= 2
	}
	var out []plot.Tick
	for v := 0.0; v <= hi; v += step {
		if v >= lo {
			out = append(out, plot.Tick{Value: v, Label: fmt.Sprint(int(v))})
		}
	}
	return out
}

// chartKinds are all the kinds that came in during the chart's days, in a
// stable order: none is left out, however many there are.
func chartKinds(d Digest) []string {
	set := map[string]bool{}
	for _, day := range d.Inflow {
		for k, n := range day {
			if n > 0 {
				set[k] = true
			}
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
