package staffweb

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"frontdesk/bot"
	"frontdesk/conversations"
	"frontdesk/store"
)

// DeadLetters is what the undelivered-messages page (/staff/dead) needs of
// the desk: the messages the outbox gave up on, and sending one again. The
// desk offers it; a Desk that does not has no such page.
type DeadLetters interface {
	DeadMessages(ctx context.Context, limit int) ([]bot.DeadMessage, error)
	RetryDead(ctx context.Context, id int64, actor string) error
}

// deadRoutes registers the undelivered-messages page.
func (p *Page) deadRoutes(handle func(string, http.HandlerFunc)) {
	handle("GET /staff/dead", p.auth(p.dead))
	handle("POST /staff/dead/{id}/retry", p.auth(p.retryDead))
}

// deadLabels are the page's texts, from the catalog.
var deadLabels = []string{"title", "intro", "channel", "recipient", "case", "text", "error", "written", "died",
	"retry", "empty", "back"}

// deadNotices are the outcomes a retry redirects with (?ok= or ?e=).
var deadNotices = map[string]bool{"requeued": true, "not_found": true}

func (p *Page) dead(w http.ResponseWriter, r *http.Request, me staff) {
	dl, ok := p.Desk.(DeadLetters)
	if !ok {
		http.NotFound(w, r)
		return
	}
	lang := conversations.NormalizeLang(r.URL.Query().Get("lang"))
	if lang == "" {
		lang = conversations.NormalizeLang(me.Lang)
	}
	msgs, err := dl.DeadMessages(r.Context(), 200)
	if err != nil {
		p.fail(w, err)
		return
	}
	type row struct {
		bot.DeadMessage
		ChannelName string
	}
	rows := make([]row, len(msgs))
	for i, m := range msgs {
		rows[i] = row{m, bot.ChannelName(lang, m.Channel)}
	}
	labels := map[string]string{}
	for _, k := range deadLabels {
		labels[k] = conversations.T(lang, "staff.dead."+k)
	}
	data := map[string]any{"Staff": me.Name, "Rows": rows, "L": labels, "Lang": string(lang)}
	if k := r.URL.Query().Get("ok"); deadNotices[k] {
		data["Notice"] = conversations.T(lang, "staff.dead."+k)
	}
	if k := r.URL.Query().Get("e"); deadNotices[k] {
		data["Error"] = conversations.T(lang, "staff.dead."+k)
	}
	p.render(w, http.StatusOK, "dead.html", data)
}

// retryDead sends one undelivered message again. An id that names no
// undelivered message changes nothing and says so.
func (p *Page) retryDead(w http.ResponseWriter, r *http.Request, me staff) {
	dl, ok := p.Desk.(DeadLetters)
	if !ok {
		http.NotFound(w, r)
		return
	}
	back := "/staff/dead?"
	if lang := r.FormValue("lang"); lang != "" {
		back += "lang=" + url.QueryEscape(lang) + "&"
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err == nil && id > 0 {
		err = dl.RetryDead(r.Context(), id, me.Name)
	} else {
		err = store.ErrNotFound
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		http.Redirect(w, r, back+"e=not_found", http.StatusSeeOther)
	case err != nil:
		p.fail(w, err)
	default:
		http.Redirect(w, r, back+"ok=requeued", http.StatusSeeOther)
	}
}
