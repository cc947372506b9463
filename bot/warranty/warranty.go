// Package warranty serves the electronic warranty card (ARC-2): a page at
// /warranty/{token}, reached from the chat by a link whose token cannot be
// guessed. The page shows the card number, the shop, the product, the
// purchase and warranty dates and the warranty terms of 003 (what is
// charged even within the warranty), in the customer's language.
package warranty

import (
	"context"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"frontdesk/conversations"
	"frontdesk/store"
)

//go:embed templates/*.html
var templates embed.FS

var page = template.Must(template.New("").ParseFS(templates, "templates/*.html"))

// Cards is what the page reads: a card by its token, and its order.
type Cards interface {
	CardByToken(ctx context.Context, token string) (store.WarrantyCard, error)
	Order(ctx context.Context, no string) (store.Order, error)
}

// Page serves the warranty cards.
type Page struct {
	Cards    Cards
	Shop     string // the shop's name
	BaseURL  string // where customers reach the desk, for the preview image
	Now      func() time.Time
	Location *time.Location
	Log      *slog.Logger
}

// Routes registers the card page on mux.
func (p *Page) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /warranty/{token}", p.card)
	mux.HandleFunc("GET /warranty/{token}/card.png", p.cardImage)
}

// exclusions are the cases charged even within the warranty (003 材料收费).
var exclusions = []string{"misuse", "self_move", "unauthorised", "power", "disaster"}

// view is what the template shows.
type view struct {
	Lang                       string
	T                          func(key string) string
	Found                      bool
	Number, Shop, Product, SKU string
	Order, Bought, Until       string
	Valid                      bool
	Exclusions                 []string
	Langs                      []langLink
	Image                      string // the card as a picture, for link previews
}

type langLink struct {
	Code, Name string
	Current    bool
}

// tokenLen is the length of a token: 16 random bytes, base64url.
const tokenLen = 22

func (p *Page) card(w http.ResponseWriter, r *http.Request) {
	lang := conversations.NormalizeLang(r.URL.Query().Get("lang"))
	if lang == "" {
		lang = conversations.ZhHans
	}
	v := view{Lang: string(lang), T: func(key string) string { return conversations.T(lang, key) }}
	for _, l := range []struct{ code, name string }{{"zh-Hans", "简体中文"}, {"zh-Hant", "繁體中文"}, {"en", "English"}} {
		v.Langs = append(v.Langs, langLink{l.code, l.name, l.code == string(lang)})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer") // the link is the key to the card
	w.Header().Set("X-Robots-Tag", "noindex")
	token := r.PathValue("token")
	card, err := store.WarrantyCard{}, error(store.ErrNotFound)
	if len(token) == tokenLen {
		card, err = p.Cards.CardByToken(r.Context(), token)
	}
	var o store.Order
	if err == nil {
		o, err = p.Cards.Order(r.Context(), card.OrderNo)
	}
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			p.Log.Error("warranty: card", "err", err)
			w.WriteHeader(http.StatusInternalServerError)
		} else {
			w.WriteHeader(http.StatusNotFound)
		}
		p.render(w, v)
		return
	}
	v.Found, v.Number, v.Shop, v.Order, v.Bought = true, card.Number, p.Shop, o.No, o.PaidOn
	v.Image = p.BaseURL + "/warranty/" + token + "/card.png"
	for _, it := range o.Items {
		if it.Line == card.Line {
			v.Product, v.SKU = it.Name, it.SKU
			v.Until = warrantyEnd(o.PaidOn, it.WarrantyMonths, p.location())
		}
	}
	v.Valid = v.Until != "" && p.Now().In(p.location()).Format("2006-01-02") <= v.Until
	for _, e := range exclusions {
		v.Exclusions = append(v.Exclusions, conversations.T(lang, "card.excl."+e))
	}
	p.render(w, v)
}

func (p *Page) render(w http.ResponseWriter, v view) {
	if err := page.ExecuteTemplate(w, "warranty.html", v); err != nil {
		p.Log.Error("warranty: render", "err", err)
	}
}

var warrantyEnd = conversations.WarrantyEnd

func (p *Page) location() *time.Location {
	if p.Location == nil {
		return time.UTC
	}
	return p.Location
}
