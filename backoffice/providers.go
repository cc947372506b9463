package backoffice

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"frontdesk/cases"
	"frontdesk/config"
	"frontdesk/store"
)

// Providers and visits in the back office (PRV-1, PRV-4 … PRV-6): the
// provider record, where an order goes, the desk's proposals and dispatch,
// the flag and its clearing, the link code of a provider's chat, and a
// visit with its service record and acceptance.

// recordFields checks and copies the provider record of PRV-1.
func (in ProviderIn) recordFields(p *cases.Provider) error {
	for i, r := range in.Regions {
		r = strings.TrimSpace(r)
		if !cases.KnownRegion(r, config.KnownCities) {
			return bad("regions["+strconv.Itoa(i)+"]", "%q is not a known region: want a city such as 上海, or city/district such as 上海/浦东新区", r)
		}
		p.Regions = append(p.Regions, r)
	}
	p.Phone = strings.TrimSpace(in.Phone)
	if len(p.Phone) > 40 || (p.Phone != "" && len(store.NormalizePhone(p.Phone)) < 5) {
		return bad("phone", "want a phone number of 5 to 40 characters")
	}
	switch in.Kind {
	case "", "individual":
	case "company":
		p.Company = true
	default:
		return bad("kind", "%q: want company or individual", in.Kind)
	}
	for k, v := range in.Prices {
		if k != "install" && k != "repair" {
			return bad("prices."+k, "want a price for install or repair")
		}
		if v < 0 || v > 100000 {
			return bad("prices."+k, "want yuan from 0 to 100000")
		}
	}
	if len(in.Prices) > 0 {
		p.Prices = in.Prices
	}
	p.Hours = strings.TrimSpace(in.Hours)
	if err := cases.ValidHours(p.Hours); err != nil {
		return bad("hours", "%q: want HH:MM-HH:MM, e.g. 08:00-20:00", in.Hours)
	}
	return nil
}

// orderPlace checks an order's address and region.
func orderPlace(in OrderIn) (address, region string, err error) {
	address, region = strings.TrimSpace(in.Address), strings.TrimSpace(in.Region)
	if len(address) > 500 || !utf8.ValidString(address) {
		return "", "", bad("address", "at most 500 bytes")
	}
	if region != "" && !cases.KnownRegion(region, config.KnownCities) {
		return "", "", bad("region", "%q is not a known region: want a city such as 上海, or city/district such as 上海/浦东新区", region)
	}
	return address, region, nil
}

// providerRow reads a provider line of a CSV: regions separated by ";"
// (or "、"), prices as "install=120;repair=80".
func providerRow(r rowReader) (ProviderIn, error) {
	in := ProviderIn{Name: r.s("name"), Region: r.s("region"), Phone: r.s("phone"), Kind: r.s("kind"), Hours: r.s("hours")}
	for _, reg := range strings.FieldsFunc(r.s("regions"), func(c rune) bool { return c == ';' || c == '、' || c == '；' }) {
		if reg = strings.TrimSpace(reg); reg != "" {
			in.Regions = append(in.Regions, reg)
		}
	}
	if s := strings.TrimSpace(r.s("prices")); s != "" {
		in.Prices = map[string]int{}
		for _, kv := range strings.Split(s, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if !ok || err != nil {
				return in, bad("prices", "%q: want kind=yuan pairs separated by ';', e.g. install=120;repair=80", s)
			}
			in.Prices[strings.TrimSpace(k)] = n
		}
	}
	return in, nil
}

func (a *API) providerID(w http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		writeError(w, http.StatusBadRequest, "bad_id", "id", "want a provider id, a whole number")
		return 0, false
	}
	return id, true
}

// ClearIn clears a flagged provider (PRV-6).
type ClearIn struct {
	Note  string `json:"note"`
	Actor string `json:"actor"`
}

func (a *API) clearProvider(w http.ResponseWriter, r *http.Request) {
	id, ok := a.providerID(w, r)
	if !ok {
		return
	}
	var in ClearIn
	if !decode(w, r, &in) {
		return
	}
	if strings.TrimSpace(in.Note) == "" || len(in.Note) > 1000 {
		writeError(w, http.StatusBadRequest, "invalid", "note", "clearing a provider needs a note of 1 to 1000 bytes")
		return
	}
	actor := strings.TrimSpace(in.Actor)
	if actor == "" || len(actor) > 100 {
		writeError(w, http.StatusBadRequest, "invalid", "actor", "who clears it: 1 to 100 characters")
		return
	}
	err := a.Desk.ClearProvider(r.Context(), id, "back office: "+actor, in.Note)
	if !a.found(w, r, err, http.StatusNotFound, "unknown_provider", "id", "no provider "+r.PathValue("id")) {
		return
	}
	saved, err := a.Store.ProviderRecordByID(r.Context(), id)
	if !a.ok(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"provider": providerOut(saved)})
}

func (a *API) providerCode(w http.ResponseWriter, r *http.Request) {
	id, ok := a.providerID(w, r)
	if !ok {
		return
	}
	code, err := a.Desk.NewProviderCode(r.Context(), id, "back office")
	if !a.found(w, r, err, http.StatusNotFound, "unknown_provider", "id", "no provider "+r.PathValue("id")) {
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"code": code, "link": "/link " + code,
		"expires_at": stamp(a.Now().Add(providerCodeTTL))})
}

func (a *API) getVisit(w http.ResponseWriter, r *http.Request) {
	v, err := a.Store.VisitRecordByID(r.Context(), r.PathValue("id"))
	if !a.found(w, r, err, http.StatusNotFound, "unknown_visit", "id", "no visit "+r.PathValue("id")) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"visit": visitOut(v)})
}

func visitOut(v store.VisitRecord) map[string]any {
	return map[string]any{"visit_id": v.ID, "order_no": v.OrderNo, "provider_id": v.ProviderID, "kind": v.Kind,
		"appointment_at": stamp(v.AppointmentAt), "confirmed_at": stamp(v.ConfirmedAt), "completed_at": stamp(v.CompletedAt),
		"payment": v.Payment, "service_record": map[string]any{"done": v.ServiceDone, "result": v.ServiceResult, "parts": v.ServiceParts},
		"acceptance": v.Acceptance, "acceptance_note": v.AcceptanceNote, "accepted_at": stamp(v.AcceptedAt), "rated": !v.RatedAt.IsZero()}
}

func (a *API) proposedProviders(w http.ResponseWriter, r *http.Request) {
	ps, region, err := a.Desk.ProposeProviders(r.Context(), r.PathValue("no"))
	if !a.found(w, r, err, http.StatusNotFound, "unknown_case", "no", "no case "+r.PathValue("no")) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"region": region, "providers": each(ps, providerOut)})
}

// DispatchIn sends a provider to a case (PRV-1).
type DispatchIn struct {
	ProviderID int64  `json:"provider_id"`
	Reason     string `json:"reason,omitempty"` // required for a provider outside the order's region
	Actor      string `json:"actor"`
}

func (a *API) dispatchCase(w http.ResponseWriter, r *http.Request) {
	var in DispatchIn
	if !decode(w, r, &in) {
		return
	}
	actor := strings.TrimSpace(in.Actor)
	switch {
	case in.ProviderID <= 0:
		writeError(w, http.StatusBadRequest, "invalid", "provider_id", "want the provider's id")
		return
	case actor == "" || len(actor) > 100:
		writeError(w, http.StatusBadRequest, "invalid", "actor", "who dispatches: 1 to 100 characters")
		return
	case strings.ContainsAny(in.Reason, "\n\r") || len(in.Reason) > 500:
		writeError(w, http.StatusBadRequest, "invalid", "reason", "one line of at most 500 bytes")
		return
	}
	value := strconv.FormatInt(in.ProviderID, 10)
	if reason := strings.TrimSpace(in.Reason); reason != "" {
		value += " " + reason
	}
	c, err := a.Desk.Dispatch(r.Context(), r.PathValue("no"), value, "back office: "+actor)
	if errors.Is(err, store.ErrNotFound) {
		writeError(w, http.StatusNotFound, "unknown_case", "no", "no case "+r.PathValue("no"))
		return
	}
	var ce *cases.Error
	if errors.As(err, &ce) && ce.Code == cases.NotFound {
		writeError(w, http.StatusUnprocessableEntity, "unknown_provider", "provider_id", ce.Message)
		return
	}
	if !a.ok(w, r, err) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"case": caseOut(c)})
}

// providerCodeTTL is how long a link code is valid (bot.ProviderCodeTTL).
const providerCodeTTL = 72 * time.Hour
