package warranty

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"net/http"
	"sync"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"frontdesk/store"
)

// The card as a picture, for Telegram: the page names it as its preview
// image (og:image), so a chat that shows link previews shows the card
// itself. The binary carries no Chinese font, so the picture holds what is
// written in Latin letters and digits (number, order, SKU, dates); the page
// has the rest.

var (
	facesOnce           sync.Once
	titleFace, textFace font.Face
)

func faces() (font.Face, font.Face) {
	facesOnce.Do(func() {
		bold, _ := opentype.Parse(gobold.TTF)
		regular, _ := opentype.Parse(goregular.TTF)
		titleFace, _ = opentype.NewFace(bold, &opentype.FaceOptions{Size: 30, DPI: 72, Hinting: font.HintingFull})
		textFace, _ = opentype.NewFace(regular, &opentype.FaceOptions{Size: 22, DPI: 72, Hinting: font.HintingFull})
	})
	return titleFace, textFace
}

// CardPNG draws the card: its number, order, product SKU (and name, when
// it is in Latin letters), purchase day and warranty end.
func CardPNG(card store.WarrantyCard, o store.Order, product, sku, until string, valid bool) ([]byte, error) {
	const w, h = 800, 420
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{244, 241, 234, 255}}, image.Point{}, draw.Src)
	green := color.RGBA{31, 111, 92, 255}
	draw.Draw(img, image.Rect(0, 0, w, 96), &image.Uniform{green}, image.Point{}, draw.Src)
	title, text := faces()
	say := func(face font.Face, c color.Color, x, y int, s string) {
		d := &font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face, Dot: fixed.P(x, y)}
		d.DrawString(s)
	}
	say(title, color.White, 32, 48, "Electronic warranty card")
	say(text, color.White, 32, 80, "No. "+card.Number)
	lines := []string{"Order  " + o.No}
	if sku != "" {
		lines = append(lines, "SKU    "+sku)
	}
	if latin(product) {
		lines = append(lines, "Item   "+product)
	}
	lines = append(lines, "Bought "+o.PaidOn)
	status := "in warranty"
	if !valid {
		status = "warranty ended"
	}
	if until != "" {
		lines = append(lines, "Warranty until "+until+" ("+status+")")
	}
	for i, l := range lines {
		say(text, color.Black, 32, 150+i*40, l)
	}
	say(text, green, 32, h-28, "Terms and repairs: open the card's link from the chat.")
	var b bytes.Buffer
	err := png.Encode(&b, img)
	return b.Bytes(), err
}

func latin(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// cardImage serves the card as a PNG, for the same token as the page.
func (p *Page) cardImage(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	if len(token) != tokenLen {
		http.NotFound(w, r)
		return
	}
	card, err := p.Cards.CardByToken(r.Context(), token)
	var o store.Order
	if err == nil {
		o, err = p.Cards.Order(r.Context(), card.OrderNo)
	}
	if err != nil {
		http.NotFound(w, r)
		return
	}
	var name, sku, until string
	for _, it := range o.Items {
		if it.Line == card.Line {
			name, sku, until = it.Name, it.SKU, warrantyEnd(o.PaidOn, it.WarrantyMonths, p.location())
		}
	}
	png, err := CardPNG(card, o, name, sku, until, until != "" && p.Now().In(p.location()).Format("2006-01-02") <= until)
	if err != nil {
		p.Log.Error("warranty: image", "err", err)
		http.Error(w, "no image", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(png)
}
