package scheduler

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"sort"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// Chart sizes.
const (
	chartW, chartH = 900, 560
	marginL        = 50
)

var palette = []color.RGBA{
	{31, 111, 92, 255}, {214, 125, 44, 255}, {52, 101, 164, 255}, {180, 60, 60, 255}, {120, 90, 160, 255},
	{90, 150, 60, 255}, {200, 170, 40, 255}, {90, 90, 90, 255}, {40, 160, 170, 255},
}

// Chart draws the digest as a PNG: new cases by kind over 14 days as
// stacked bars, and the daily SLA compliance against the 90 % line.
// (basicfont keeps it dependency-light; labels are ASCII.)
func Chart(d Digest) ([]byte, error) {
	img := image.NewRGBA(image.Rect(0, 0, chartW, chartH))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.White}, image.Point{}, draw.Src)
	text(img, marginL, 20, "New cases by kind, last 14 days ("+d.Date+")", color.Black)
	kinds := chartKinds(d)
	barsTop, barsBottom := 40, 300
	maxDay := 1
	for _, day := range d.Inflow {
		n := 0
		for _, v := range day {
			n += v
		}
		maxDay = max(maxDay, n)
	}
	slot := (chartW - marginL - 20) / max(len(d.Inflow), 1)
	line(img, marginL, barsBottom, chartW-20, barsBottom, color.Gray{120})
	text(img, 8, barsTop+10, fmt.Sprint(maxDay), color.Gray{80})
	text(img, 20, barsBottom, "0", color.Gray{80})
	for i, day := range d.Inflow {
		x := marginL + i*slot + slot/5
		y := barsBottom
		for k, kind := range kinds {
			h := day[kind] * (barsBottom - barsTop) / maxDay
			fill(img, x, y-h, x+slot*3/5, y, palette[k%len(palette)])
			y -= h
		}
		text(img, x-2, barsBottom+15, d.InflowDays[i], color.Gray{60})
	}
	for k, kind := range kinds {
		fill(img, marginL+k*170, 320, marginL+k*170+10, 330, palette[k%len(palette)])
		text(img, marginL+k*170+14, 330, kind, color.Black)
	}
	top, bottom := 380, 530
	text(img, marginL, 365, "SLA compliance per day (clocks due that day met in time); dashed: 90 % target", color.Black)
	line(img, marginL, bottom, chartW-20, bottom, color.Gray{120})
	text(img, 8, top+5, "100%", color.Gray{80})
	text(img, 20, bottom, "0%", color.Gray{80})
	target := bottom - (bottom-top)*90/100
	for x := marginL; x < chartW-20; x += 8 {
		line(img, x, target, x+4, target, color.RGBA{200, 60, 60, 255})
	}
	prevX, prevY := -1, 0
	for i, r := range d.SLADays {
		x := marginL + i*slot + slot/2
		if r.Total == 0 {
			prevX = -1
			continue
		}
		y := bottom - int(float64(bottom-top)*r.Percent()/100)
		fill(img, x-3, y-3, x+3, y+3, palette[0])
		if prevX >= 0 {
			line(img, prevX, prevY, x, y, palette[0])
		}
		prevX, prevY = x, y
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func chartKinds(d Digest) []string {
	set := map[string]bool{}
	for _, day := range d.Inflow {
		for k := range day {
			set[k] = true
		}
	}
	var out []string
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	if len(out) > 5 { // the legend has room for five; the rest are summed as "other"
		out = out[:5]
	}
	return out
}

func fill(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	draw.Draw(img, image.Rect(x0, y0, x1, y1), &image.Uniform{c}, image.Point{}, draw.Src)
}

// line draws a straight line (Bresenham).
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := sign(x1-x0), sign(y1-y0)
	e := dx + dy
	for {
		img.Set(x0, y0, c)
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

func sign(v int) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

func text(img *image.RGBA, x, y int, s string, c color.Color) {
	d := &font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}
