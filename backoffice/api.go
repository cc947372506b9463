package backoffice

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/internal/jsonhttp"
	"frontdesk/store"
)

// Desk is what the API asks of the desk when records arrive.
type Desk interface {
	NotifyShipment(ctx context.Context, trackingNo string) (bool, error)
	StartSurvey(ctx context.Context, visitID, stage string) error
	// OpenIntake opens a case for a request that came by phone, in the
	// shop, by letter or by fax (INT-1).
	OpenIntake(ctx context.Context, by cases.Actor, in cases.Intake) (cases.Case, error)
	// Providers and visits (providers.go).
	ProposeProviders(ctx context.Context, caseNo string) ([]cases.Provider, string, error)
	Dispatch(ctx context.Context, caseNo, value, actor string) (cases.Case, error)
	ClearProvider(ctx context.Context, providerID int64, actor, note string) error
	NewProviderCode(ctx context.Context, providerID int64, actor string) (string, error)
}

// API serves /api/v1. With no token it is off: every request gets 404.
type API struct {
	Store    *store.DB
	Desk     Desk
	Token    string
	Location *time.Location
	Now      func() time.Time
	Log      *slog.Logger
	// PhotoBody reads a stored photo, for GET /cases/{no}?photos=include.
	PhotoBody func(sha256, mime string) ([]byte, error)
	// Calendar, when set, keeps surveys to opening hours: a visit posted
	// when the shop is closed gets its survey from the scheduler later.
	Calendar *config.Calendar
	// Knowledge is the configured knowledge base (knowledge.go).
	Knowledge []config.KBEntry
}

// maxBody bounds every request body.
const maxBody = 1 << 20

//go:embed openapi.json
var openapi embed.FS

// route is one endpoint; the OpenAPI test checks the document against
// this table.
type route struct {
	method, path string
	handle       func(a *API, w http.ResponseWriter, r *http.Request)
}

var routes = []route{
	{"POST", "/api/v1/orders", (*API).postOrder},
	{"GET", "/api/v1/orders/{no}", (*API).getOrder},
	{"PUT", "/api/v1/orders/{no}/deadline", (*API).putDeadline}, // deadlines.go
	{"POST", "/api/v1/shipments", (*API).postShipment},
	{"POST", "/api/v1/visits", (*API).postVisit},
	{"GET", "/api/v1/providers", (*API).listProviders},
	{"POST", "/api/v1/providers", (*API).postProvider},
	{"PUT", "/api/v1/providers/{id}", (*API).putProvider},
	// providers.go
	{"POST", "/api/v1/providers/{id}/clear", (*API).clearProvider},
	{"POST", "/api/v1/providers/{id}/code", (*API).providerCode},
	{"GET", "/api/v1/visits/{id}", (*API).getVisit},
	{"GET", "/api/v1/cases/{no}/providers", (*API).proposedProviders},
	{"POST", "/api/v1/cases/{no}/dispatch", (*API).dispatchCase},
	{"GET", "/api/v1/cases", (*API).listCases},
	{"GET", "/api/v1/cases/{no}", (*API).getCase},
	{"POST", "/api/v1/cases", (*API).postCase},
	{"GET", "/api/v1/knowledge", (*API).listKnowledge}, // knowledge.go
	{"POST", "/api/v1/knowledge", (*API).postKnowledge},
	{"PUT", "/api/v1/wallpaper/stock", (*API).putWallpaperStock}, // wallpaper.go (WAL-3, WAL-8)
	{"GET", "/api/v1/wallpaper/stock", (*API).getWallpaperStock},
	{"GET", "/api/v1/parts", (*API).listParts},          // parts.go
	{"POST", "/api/v1/parts", (*API).postParts},         // parts.go
	{"GET", "/api/v1/parts/counts", (*API).partsCounts}, // parts.go
}

// Routes registers the API on mux.
func (a *API) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		b, _ := openapi.ReadFile("openapi.json")
		w.Header().Set("Content-Type", "application/json")
		w.Write(b)
	})
	for _, rt := range routes {
		mux.HandleFunc(rt.method+" "+rt.path, a.guard(rt.handle))
	}
	mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "", "no such endpoint; see /api/v1/openapi.json")
	})
}

// guard checks the bearer token, bounds the body and replays responses of
// requests with a known Idempotency-Key.
func (a *API) guard(h func(a *API, w http.ResponseWriter, r *http.Request)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a.Token == "" {
			writeError(w, http.StatusNotFound, "api_off", "", "the back-office API is off: set FRONTDESK_API_TOKEN to turn it on")
			return
		}
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(a.Token)) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="frontdesk"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "", "send Authorization: Bearer <FRONTDESK_API_TOKEN>")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, maxBody)
		key := r.Header.Get("Idempotency-Key")
		if r.Method == http.MethodGet || key == "" {
			h(a, w, r)
			return
		}
		a.idempotent(w, r, key, h)
	}
}

func (a *API) idempotent(w http.ResponseWriter, r *http.Request, key string, h func(a *API, w http.ResponseWriter, r *http.Request)) {
	if len(key) > 200 {
		writeError(w, http.StatusBadRequest, "bad_idempotency_key", "Idempotency-Key", "at most 200 characters")
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusRequestEntityTooLarge, "too_large", "", fmt.Sprintf("the body is over %d bytes", maxBody))
		return
	}
	sum := sha256.Sum256(body)
	request := r.Method + " " + r.URL.Path + " " + hex.EncodeToString(sum[:])
	if prev, err := a.Store.IdempotentResponse(r.Context(), key); err == nil {
		if prev.Request != request {
			writeError(w, http.StatusUnprocessableEntity, "idempotency_key_reused", "Idempotency-Key", "this key was used for another request")
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Idempotent-Replayed", "true")
		w.WriteHeader(prev.Status)
		w.Write(prev.Body)
		return
	}
	r.Body = io.NopCloser(strings.NewReader(string(body)))
	rec := &recorder{ResponseWriter: w, status: http.StatusOK}
	h(a, rec, r)
	if rec.status < 500 {
		if err := a.Store.SaveIdempotentResponse(r.Context(), key, store.IdempotentResponse{Request: request,
			Status: rec.status, Body: rec.body}, a.Now()); err != nil {
			a.Log.Error("backoffice: keep idempotent response", "err", err)
		}
	}
}

// recorder keeps a copy of a response for the idempotency table.
type recorder struct {
	http.ResponseWriter
	status int
	body   []byte
}

func (r *recorder) WriteHeader(status int) { r.status = status; r.ResponseWriter.WriteHeader(status) }
func (r *recorder) Write(b []byte) (int, error) {
	r.body = append(r.body, b...)
	return r.ResponseWriter.Write(b)
}

func (a *API) postOrder(w http.ResponseWriter, r *http.Request) {
	o, ok := decodeRecord(a, w, r, func(in OrderIn) (store.Order, error) { return in.record(a.Location) })
	if !ok {
		return
	}
	prev, err := a.Store.Order(r.Context(), o.No)
	switch {
	case err == nil && store.SameOrder(prev, o):
		writeJSON(w, http.StatusOK, map[string]any{"order": orderOut(prev), "changed": false})
		return
	case err != nil && !errors.Is(err, store.ErrNotFound):
		a.fail(w, r, err)
		return
	}
	created := errors.Is(err, store.ErrNotFound)
	if !a.ok(w, r, a.upsertOrder(r.Context(), prev, o, created)) { // deadlines.go: a new date is kept in the history
		return
	}
	resp := map[string]any{"changed": true}
	if created {
		resp["preview"] = a.preview(r.Context(), o.No) // DLV-11
	}
	a.writeOrderWithHistory(w, r, o.No, createdStatus(created), resp)
}

func (a *API) getOrder(w http.ResponseWriter, r *http.Request) {
	o, err := a.Store.Order(r.Context(), r.PathValue("no"))
	if !a.found(w, r, err, http.StatusNotFound, "unknown_order", "no", "no order "+strconv.Quote(r.PathValue("no"))) {
		return
	}
	shipments, err := a.Store.ShipmentsByOrder(r.Context(), o.No)
	if !a.ok(w, r, err) {
		return
	}
	out := orderOut(o)
	out["shipments"] = shipmentsOut(shipments)
	out["delivered_on"] = o.DeliveredOn
	if out["deadline_history"], err = a.deadlineHistory(r.Context(), o.No); !a.ok(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"order": out})
}

func (a *API) postShipment(w http.ResponseWriter, r *http.Request) {
	s, ok := decodeRecord(a, w, r, func(in ShipmentIn) (store.Shipment, error) { return in.record(a.Location) })
	if !ok {
		return
	}
	saved, created, err := a.Store.AddShipment(r.Context(), s, a.Now())
	if !a.found(w, r, err, http.StatusUnprocessableEntity, "unknown_order", "order_no", "no order "+strconv.Quote(s.OrderNo)) {
		return
	}
	if !created && saved.OrderNo != s.OrderNo {
		writeError(w, http.StatusConflict, "tracking_no_taken", "tracking_no", "this tracking number belongs to order "+saved.OrderNo)
		return
	}
	// The notice goes out once per shipment, whatever the retries; a
	// customer who has not verified in any chat yet gets it later.
	notice := "sent"
	if sent, err := a.Desk.NotifyShipment(r.Context(), saved.TrackingNo); err != nil {
		notice = "waiting_for_customer_chat"
		a.Log.Info("backoffice: shipping notice not sent yet", "tracking_no", saved.TrackingNo, "err", err)
	} else if !sent {
		notice = "sent_before"
	}
	writeJSON(w, createdStatus(created), map[string]any{"shipment": shipmentsOut([]store.Shipment{saved})[0], "created": created, "notice": notice,
		"early_delivery": a.earlyConsent(r.Context(), saved)}) // deadlines.go: DLV-12
}

func (a *API) postVisit(w http.ResponseWriter, r *http.Request) {
	v, ok := decodeRecord(a, w, r, VisitIn.record)
	if !ok {
		return
	}
	var created bool
	err := a.Store.Update(r.Context(), func(tx *store.Tx) (err error) {
		created, err = tx.AddVisit(v)
		return err
	})
	if !a.found(w, r, err, http.StatusUnprocessableEntity, "unknown_order_or_provider", "order_no", "no such order or provider_id") {
		return
	}
	if !created {
		prev, err := a.Store.VisitByID(r.Context(), v.ID)
		if !a.ok(w, r, err) {
			return
		}
		if prev.OrderNo != v.OrderNo || prev.Kind != v.Kind {
			writeError(w, http.StatusConflict, "visit_id_taken", "visit_id", "this visit id belongs to another visit (order "+prev.OrderNo+")")
			return
		}
	}
	survey := "sent_before"
	now := a.Now()
	switch {
	case created && a.Calendar != nil && !a.Calendar.NextOpen(now).Equal(now):
		survey = "scheduled_for_opening_hours"
	case created:
		survey = "sent"
		if err := a.Desk.StartSurvey(r.Context(), v.ID, "visit"); err != nil {
			survey = "waiting_for_customer_chat"
			a.Log.Info("backoffice: survey not sent yet", "visit", v.ID, "err", err)
		}
	}
	writeJSON(w, createdStatus(created), map[string]any{"visit_id": v.ID, "created": created, "survey": survey})
}

func (a *API) listProviders(w http.ResponseWriter, r *http.Request) {
	ps, err := a.Store.Providers(r.Context())
	if !a.ok(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"providers": each(ps, providerOut)})
}

func (a *API) postProvider(w http.ResponseWriter, r *http.Request) {
	p, ok := decodeRecord(a, w, r, ProviderIn.record)
	if !ok {
		return
	}
	var id int64
	if !a.ok(w, r, a.Store.Update(r.Context(), func(tx *store.Tx) (err error) { id, err = tx.UpsertProvider(p); return err })) {
		return
	}
	saved, err := a.Store.ProviderByID(r.Context(), id)
	if !a.ok(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"provider": providerOut(saved)})
}

func (a *API) putProvider(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusBadRequest, "bad_id", "id", "want a provider id, a whole number")
		return
	}
	p, ok := decodeRecord(a, w, r, ProviderIn.record)
	if !ok {
		return
	}
	p.ID = id
	err = a.Store.Update(r.Context(), func(tx *store.Tx) error { return tx.UpdateProvider(p) })
	// a clash with another provider's name and region is a 409
	if !a.found(w, r, jsonhttp.InField("name", err), http.StatusNotFound, "unknown_provider", "id", "no provider "+r.PathValue("id")) {
		return
	}
	saved, _ := a.Store.ProviderByID(r.Context(), id)
	writeJSON(w, http.StatusOK, map[string]any{"provider": providerOut(saved)})
}

func (a *API) listCases(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.CaseFilter{Status: q.Get("status"), Kind: q.Get("kind"), OrderNo: q.Get("order"), Limit: 50}
	var err error
	if f.Since, err = instant("since", q.Get("since"), false); !a.ok(w, r, err) {
		return
	}
	if f.Until, err = instant("until", q.Get("until"), false); !a.ok(w, r, err) {
		return
	}
	if s := q.Get("limit"); s != "" {
		if f.Limit, err = strconv.Atoi(s); err != nil || f.Limit < 1 || f.Limit > 500 {
			writeError(w, http.StatusBadRequest, "bad_limit", "limit", "want 1 to 500")
			return
		}
	}
	if c := q.Get("cursor"); c != "" {
		b, err := base64.RawURLEncoding.DecodeString(c)
		if f.Before, _ = strconv.ParseInt(string(b), 10, 64); err != nil || f.Before <= 0 {
			writeError(w, http.StatusBadRequest, "bad_cursor", "cursor", "use the next_cursor of the previous page")
			return
		}
	}
	switch f.Status {
	case "", "open", "claimed", "resolved":
	default:
		writeError(w, http.StatusBadRequest, "bad_status", "status", "want open, claimed or resolved")
		return
	}
	page, err := a.Store.Cases(r.Context(), f)
	if !a.ok(w, r, err) {
		return
	}
	resp := map[string]any{"cases": each(page, caseOut)}
	if len(page) == f.Limit {
		resp["next_cursor"] = base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(page[len(page)-1].ID, 10)))
	}
	writeJSON(w, http.StatusOK, resp)
}

func (a *API) getCase(w http.ResponseWriter, r *http.Request) {
	c, err := a.Store.CaseByNumber(r.Context(), r.PathValue("no"))
	if !a.found(w, r, err, http.StatusNotFound, "unknown_case", "no", "no case "+strconv.Quote(r.PathValue("no"))) {
		return
	}
	events, err := a.Store.CaseEvents(r.Context(), c.ID)
	if !a.ok(w, r, err) {
		return
	}
	photos, err := a.Store.Photos(r.Context(), c.ID)
	if !a.ok(w, r, err) {
		return
	}
	withBodies := r.URL.Query().Get("photos") == "include"
	out := caseOut(c)
	out["events"] = eventsOut(events)
	var ps []map[string]any
	for _, p := range photos {
		m := map[string]any{"id": p.ID, "sha256": p.SHA256, "mime": p.MIME, "size": p.Size, "step": p.Step}
		if withBodies && a.PhotoBody != nil {
			if b, err := a.PhotoBody(p.SHA256, p.MIME); err == nil {
				m["data_base64"] = base64.StdEncoding.EncodeToString(b)
			} else {
				m["data_error"] = "not kept (purged or missing)"
			}
		}
		ps = append(ps, m)
	}
	out["photos"] = ps
	if !a.ok(w, r, a.addIntake(r.Context(), c, out)) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"case": out})
}

// fail answers err by its code (jsonhttp.WriteError): the store's and the
// records' errors say what is wrong; an internal error's detail goes to
// the log only.
func (a *API) fail(w http.ResponseWriter, r *http.Request, err error) {
	jsonhttp.WriteError(w, r, a.Log.With("component", "backoffice"), err)
}

// ok reports whether err is nil; otherwise it has answered err (fail).
func (a *API) ok(w http.ResponseWriter, r *http.Request, err error) bool {
	if err != nil {
		a.fail(w, r, err)
		return false
	}
	return true
}

// found is ok for a lookup: store.ErrNotFound is answered with status,
// code, field and message instead.
func (a *API) found(w http.ResponseWriter, r *http.Request, err error, status int, code, field, message string) bool {
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, status, code, field, message)
		return false
	}
	return a.ok(w, r, err)
}

// decodeRecord decodes the body into an In and turns it into its record
// with record; on false it has answered the problem.
func decodeRecord[In, R any](a *API, w http.ResponseWriter, r *http.Request, record func(In) (R, error)) (R, bool) {
	var in In
	if !decode(w, r, &in) {
		var zero R
		return zero, false
	}
	rec, err := record(in)
	return rec, a.ok(w, r, err)
}

// createdStatus is 201 for a record just created, else 200.
func createdStatus(created bool) int {
	if created {
		return http.StatusCreated
	}
	return http.StatusOK
}

// each maps a page of records to their JSON shapes (an empty list, not null).
func each[T any](items []T, out func(T) map[string]any) []map[string]any {
	res := make([]map[string]any, 0, len(items))
	for _, it := range items {
		res = append(res, out(it))
	}
	return res
}

func writeJSON(w http.ResponseWriter, status int, v any) { jsonhttp.Write(w, status, v) }

func writeError(w http.ResponseWriter, status int, code, field, message string) {
	jsonhttp.Error(w, status, code, field, message)
}

// decode reads one JSON object; the body's size was bounded by guard.
func decode(w http.ResponseWriter, r *http.Request, v any) bool {
	if r.Header.Get("Content-Type") == "" {
		writeError(w, http.StatusUnsupportedMediaType, "bad_content_type", "", "send Content-Type: application/json")
		return false
	}
	return jsonhttp.Decode(w, r, v, maxBody)
}
