package scheduler

import (
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"

	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"

	"frontdesk/conversations"
)

// SystemCJKFonts are where Debian's CJK font packages put their fonts
// (fonts-noto-cjk first); the chart takes the first that loads.
var SystemCJKFonts = []string{
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
	"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/truetype/arphic/uming.ttc",
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
	"/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
}

// InstallCJKFontHint is what the log says when no CJK font is found.
const InstallCJKFontHint = "apt-get install fonts-noto-cjk"

// cjkTypeface names the loaded CJK face inside gonum/plot's font cache.
const cjkTypeface font.Typeface = "FrontdeskCJK"

// loadedFonts keeps each parsed font file (a CJK collection is some 20 MB),
// keyed by path and language, so a chart costs one parse per process.
var loadedFonts sync.Map

type loadedFont struct {
	face *opentype.Font
	err  error
}

// chartTextHandler is the text handler with a CJK face: from path when
// config names one, else the first system font that loads. Without one it
// logs which package to install and returns the built-in handler (Latin
// only) and false.
func chartTextHandler(path string, lang conversations.Lang, log *slog.Logger) (text.Handler, bool) {
	if log == nil {
		log = slog.Default()
	}
	candidates := SystemCJKFonts
	if path != "" {
		candidates = []string{path}
	}
	var errs []string
	for _, p := range candidates {
		face, err := loadCJKFace(p, lang)
		if err == nil {
			// Every style of a plot names plot.DefaultFont: the CJK face
			// stands in for it.
			def := plot.DefaultFont
			def.Size = 0
			cache := font.NewCache(font.Collection{{Font: font.Font{Typeface: cjkTypeface}, Face: face}, {Font: def, Face: face}})
			return text.Plain{Fonts: cache}, true
		}
		if path != "" || !os.IsNotExist(err) {
			errs = append(errs, err.Error())
		}
	}
	if path != "" {
		log.Warn("digest chart: the configured chart font (FRONTDESK_CHART_FONT) cannot be used, labels fall back to English; install " +
			"a CJK font with `" + InstallCJKFontHint + "` or name one that exists: " + strings.Join(errs, "; "))
	} else {
		log.Warn("digest chart: no CJK font found, labels fall back to English; install one with `" + InstallCJKFontHint +
			"` or set FRONTDESK_CHART_FONT to a .ttf/.otf/.ttc file")
	}
	return plot.DefaultTextHandler, false
}

// loadCJKFace parses a font file (a single font or a .ttc collection) and
// picks the face for lang: in a collection the simplified-Chinese member for
// zh-Hans, the traditional one for zh-Hant. A face without Chinese glyphs is
// refused, so a Latin font named by mistake falls back to English labels
// rather than drawing boxes.
func loadCJKFace(path string, lang conversations.Lang) (*opentype.Font, error) {
	key := path + "\x00" + string(lang)
	if v, ok := loadedFonts.Load(key); ok {
		lf := v.(loadedFont)
		return lf.face, lf.err
	}
	face, err := parseCJKFace(path, lang)
	loadedFonts.Store(key, loadedFont{face, err})
	return face, err
}

func parseCJKFace(path string, lang conversations.Lang) (*opentype.Font, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	coll, err := opentype.ParseCollection(src)
	if err != nil {
		return nil, fmt.Errorf("%s: not a font file: %w", path, err)
	}
	want := " SC"
	if lang == conversations.ZhHant {
		want = " TC"
	}
	var first *opentype.Font
	for i := range coll.NumFonts() {
		f, err := coll.Font(i)
		if err != nil || !hasChinese(f) {
			continue
		}
		if first == nil {
			first = f
		}
		if name, err := f.Name(nil, sfnt.NameIDFamily); err == nil && strings.Contains(name, want) {
			return f, nil
		}
	}
	if first == nil {
		return nil, fmt.Errorf("%s: has no Chinese glyphs", path)
	}
	return first, nil
}

// hasChinese reports whether f draws the characters of a digest's title.
func hasChinese(f *opentype.Font) bool {
	var buf sfnt.Buffer
	for _, r := range "日报新案件" {
		if i, err := f.GlyphIndex(&buf, r); err != nil || i == 0 {
			return false
		}
	}
	return true
}
