package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"frontdesk/cases"
)

// Providers and their visits (000 §4; PRV-1 … PRV-7): the provider record,
// the visit a dispatch creates, the service record and the customer's
// acceptance, the complaint rate, and the provider's own chat.

const providerColumns = `p.id, p.name, p.region, p.stars, p.visits, p.last_summary, p.regions, p.phone, p.company, p.prices,
	p.hours, p.flagged_at IS NOT NULL, p.flag_note, (SELECT COUNT(*) FROM visits v WHERE v.provider_id = p.id)`

func scanProvider(row scanner) (cases.Provider, error) {
	var p cases.Provider
	var regions, prices string
	err := row.Scan(&p.ID, &p.Name, &p.Region, &p.Stars, &p.Visits, &p.LastSummary, &regions, &p.Phone, &p.Company,
		&prices, &p.Hours, &p.Flagged, &p.FlagNote, &p.Jobs)
	if err != nil {
		return p, err
	}
	p.Regions = splitRegions(regions)
	if prices != "" && prices != "{}" {
		if err := json.Unmarshal([]byte(prices), &p.Prices); err != nil {
			return p, fmt.Errorf("store: provider %d prices: %w", p.ID, err)
		}
	}
	return p, nil
}

func splitRegions(s string) []string {
	var out []string
	for _, r := range strings.Split(s, ",") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}

// providerByID reads one provider in full through q.
func providerByID(row *sql.Row) (cases.Provider, error) {
	p, err := scanProvider(row)
	return orNotFound(p, err)
}

// ProviderRecord returns a provider with every field of its record.
func (tx *Tx) ProviderRecord(id int64) (cases.Provider, error) {
	return providerByID(tx.queryRow("SELECT "+providerColumns+" FROM providers p WHERE p.id = ?", id))
}

// ProviderRecordByID is ProviderRecord outside a transaction.
func (db *DB) ProviderRecordByID(ctx context.Context, id int64) (cases.Provider, error) {
	return providerByID(db.queryRow(ctx, "SELECT "+providerColumns+" FROM providers p WHERE p.id = ?", id))
}

// ProviderRecords lists every provider in full, best rated first.
func (db *DB) ProviderRecords(ctx context.Context) ([]cases.Provider, error) {
	rows, err := db.query(ctx, "SELECT "+providerColumns+" FROM providers p ORDER BY p.stars DESC, p.name")
	return collect(rows, err, "providers", scanProvider)
}

// ProviderRecordsInTx is ProviderRecords inside a transaction.
func (tx *Tx) ProviderRecordsInTx() ([]cases.Provider, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, "SELECT "+providerColumns+" FROM providers p ORDER BY p.stars DESC, p.name")
	return collect(rows, err, "providers", scanProvider)
}

// SaveProviderRecord writes the record fields of PRV-1 (regions, phone,
// company, prices, hours) of provider id.
func (tx *Tx) SaveProviderRecord(id int64, p cases.Provider) error {
	prices := "{}"
	if len(p.Prices) > 0 {
		b, err := json.Marshal(p.Prices)
		if err != nil {
			return err
		}
		prices = string(b)
	}
	_, err := tx.exec("UPDATE providers SET regions = ?, phone = ?, company = ?, prices = ?, hours = ? WHERE id = ?",
		strings.Join(p.Regions, ","), p.Phone, boolInt(p.Company), prices, p.Hours, id)
	if err != nil {
		return fmt.Errorf("store: provider record: %w", err)
	}
	return nil
}

// ComplaintCounts counts a provider's visits completed since, and the
// complaints against them: low-score cases of those visits and complaint
// cases on their orders opened since (PRV-6).
func (tx *Tx) ComplaintCounts(providerID int64, since time.Time) (complaints, visits int, err error) {
	err = tx.queryRow(`SELECT COUNT(*) FROM visits WHERE provider_id = ? AND completed_at >= ?`, providerID, millis(since)).Scan(&visits)
	if err != nil {
		return 0, 0, fmt.Errorf("store: provider visits: %w", err)
	}
	err = tx.queryRow(`SELECT COUNT(*) FROM cases c WHERE c.created_at >= ? AND (
		(c.kind = 'low_survey_score' AND json_extract(c.details, '$.visit_id') IN
			(SELECT id FROM visits WHERE provider_id = ?))
		OR (c.kind = 'complaint' AND c.order_no IN
			(SELECT order_no FROM visits WHERE provider_id = ? AND completed_at >= ?)))`,
		millis(since), providerID, providerID, millis(since)).Scan(&complaints)
	if err != nil {
		return 0, 0, fmt.Errorf("store: provider complaints: %w", err)
	}
	return complaints, visits, nil
}

// ProviderClearedAt is when staff last cleared the provider's flag (zero
// when never): complaints before it no longer count.
func (tx *Tx) ProviderClearedAt(id int64) (time.Time, error) {
	var at sql.NullInt64
	err := tx.queryRow("SELECT cleared_at FROM providers WHERE id = ?", id).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, notFound("no provider %d", id)
	}
	return fromNullMillis(at), err
}

// FlagProvider flags a provider (PRV-6); it returns false when it was
// flagged already.
func (tx *Tx) FlagProvider(id int64, note string, now time.Time) (bool, error) {
	res, err := tx.exec("UPDATE providers SET flagged_at = ?, flag_note = ? WHERE id = ? AND flagged_at IS NULL", millis(now), note, id)
	if err != nil {
		return false, fmt.Errorf("store: flag provider: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ClearProvider lifts a provider's flag with staff's note.
func (tx *Tx) ClearProvider(id int64, note string, now time.Time) error {
	res, err := tx.exec(`UPDATE providers SET flagged_at = NULL, flag_note = '', cleared_at = ?, clear_note = ?
		WHERE id = ? AND flagged_at IS NOT NULL`, millis(now), note, id)
	if err != nil {
		return fmt.Errorf("store: clear provider: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		var exists int
		if tx.queryRow("SELECT COUNT(*) FROM providers WHERE id = ?", id).Scan(&exists); exists == 0 {
			return notFound("no provider %d", id)
		}
		return fmt.Errorf("store: %w", cases.Errorf(cases.Conflict, "provider %d is not flagged", id))
	}
	return nil
}

// FlaggedProviders lists the flagged providers, for the digest.
func (db *DB) FlaggedProviders(ctx context.Context) ([]cases.Provider, error) {
	rows, err := db.query(ctx, "SELECT "+providerColumns+" FROM providers p WHERE p.flagged_at IS NOT NULL ORDER BY p.name")
	return collect(rows, err, "flagged providers", scanProvider)
}

// OrderPlace is where an order's goods are: the address and its region
// ("city" or "city/district").
type OrderPlace struct {
	Address string
	Region  string
}

// SetOrderPlace records an order's address and region.
func (tx *Tx) SetOrderPlace(orderNo string, p OrderPlace) error {
	_, err := tx.exec("UPDATE orders SET address = ?, region = ? WHERE order_no = ?", p.Address, p.Region, orderNo)
	if err != nil {
		return fmt.Errorf("store: order place: %w", err)
	}
	return nil
}

// OrderPlaceInTx returns an order's address and region.
func (tx *Tx) OrderPlaceInTx(orderNo string) (OrderPlace, error) {
	var p OrderPlace
	err := tx.queryRow("SELECT address, region FROM orders WHERE order_no = ?", orderNo).Scan(&p.Address, &p.Region)
	return orNotFound(p, err)
}

// OrderPlace returns an order's address and region.
func (db *DB) OrderPlace(ctx context.Context, orderNo string) (OrderPlace, error) {
	var p OrderPlace
	err := db.queryRow(ctx, "SELECT address, region FROM orders WHERE order_no = ?", orderNo).Scan(&p.Address, &p.Region)
	return orNotFound(p, err)
}

// VisitRecord is a visit with what the desk records on it beyond the back
// office's fields: the case, the payment way, the service record and the
// customer's acceptance (PRV-4, PRV-5).
type VisitRecord struct {
	Visit
	CaseID         int64
	Payment        string
	ServiceDone    string
	ServiceResult  string
	ServiceParts   string
	Acceptance     string // "", asked, accepted, problem
	AcceptanceNote string
	AcceptedAt     time.Time
	ConfirmedAt    time.Time
	RatedAt        time.Time
}

const visitRecordColumns = `id, order_no, COALESCE(provider_id, 0), kind, appointment_at, completed_at, COALESCE(case_id, 0),
	payment, service_done, service_result, service_parts, acceptance, acceptance_note, accepted_at, confirmed_at, rated_at`

func scanVisitRecord(row scanner) (VisitRecord, error) {
	var v VisitRecord
	var appt, done, acc, conf, rated sql.NullInt64
	err := row.Scan(&v.ID, &v.OrderNo, &v.ProviderID, &v.Kind, &appt, &done, &v.CaseID, &v.Payment, &v.ServiceDone,
		&v.ServiceResult, &v.ServiceParts, &v.Acceptance, &v.AcceptanceNote, &acc, &conf, &rated)
	v.AppointmentAt, v.CompletedAt = fromNullMillis(appt), fromNullMillis(done)
	v.AcceptedAt, v.ConfirmedAt, v.RatedAt = fromNullMillis(acc), fromNullMillis(conf), fromNullMillis(rated)
	return v, err
}

// VisitRecordInTx returns a visit with its record.
func (tx *Tx) VisitRecordInTx(id string) (VisitRecord, error) {
	return orNotFound(scanVisitRecord(tx.queryRow("SELECT "+visitRecordColumns+" FROM visits WHERE id = ?", id)))
}

// VisitRecordByID returns a visit with its record.
func (db *DB) VisitRecordByID(ctx context.Context, id string) (VisitRecord, error) {
	return orNotFound(scanVisitRecord(db.queryRow(ctx, "SELECT "+visitRecordColumns+" FROM visits WHERE id = ?", id)))
}

// VisitOfCase returns the latest visit a case dispatched.
func (tx *Tx) VisitOfCase(caseID int64) (VisitRecord, error) {
	return orNotFound(scanVisitRecord(tx.queryRow("SELECT "+visitRecordColumns+
		" FROM visits WHERE case_id = ? ORDER BY rowid DESC LIMIT 1", caseID)))
}

// VisitsOfProvider lists a provider's visits, newest first.
func (db *DB) VisitsOfProvider(ctx context.Context, providerID int64) ([]VisitRecord, error) {
	rows, err := db.query(ctx, "SELECT "+visitRecordColumns+" FROM visits WHERE provider_id = ? ORDER BY rowid DESC", providerID)
	return collect(rows, err, "visits of provider", scanVisitRecord)
}

// OpenCaseVisit creates the visit of a dispatch, named after the case
// ("AS-…-V1"), with the payment way (PRV-4).
func (tx *Tx) OpenCaseVisit(c cases.Case, providerID int64, kind, payment string) (string, error) {
	var n int
	if err := tx.queryRow("SELECT COUNT(*) FROM visits WHERE case_id = ?", c.ID).Scan(&n); err != nil {
		return "", fmt.Errorf("store: visits of case: %w", err)
	}
	id := fmt.Sprintf("%s-V%d", c.Number, n+1)
	if _, err := tx.AddVisit(Visit{ID: id, OrderNo: c.OrderNo, ProviderID: providerID, Kind: kind}); err != nil {
		return "", err
	}
	if _, err := tx.exec("UPDATE visits SET case_id = ?, payment = ? WHERE id = ?", c.ID, payment, id); err != nil {
		return "", fmt.Errorf("store: visit of case: %w", err)
	}
	return id, nil
}

// SetVisitAppointment records the visit's appointment; it is to be
// confirmed again.
func (tx *Tx) SetVisitAppointment(id string, at time.Time) error {
	_, err := tx.exec("UPDATE visits SET appointment_at = ?, confirmed_at = NULL, reminded_at = NULL WHERE id = ?", millis(at), id)
	return wrapExec("visit appointment", err)
}

// ConfirmVisit records that the provider confirmed the appointment (INS-2).
func (tx *Tx) ConfirmVisit(id string, now time.Time) error {
	_, err := tx.exec("UPDATE visits SET confirmed_at = ? WHERE id = ?", millis(now), id)
	return wrapExec("confirm visit", err)
}

// CompleteVisitRecord records the visit done with its service record
// (PRV-5).
func (tx *Tx) CompleteVisitRecord(id string, r cases.ServiceRecord, now time.Time) error {
	_, err := tx.exec(`UPDATE visits SET completed_at = ?, service_done = ?, service_result = ?, service_parts = ? WHERE id = ?`,
		millis(now), r.Done, r.Result, r.Parts, id)
	return wrapExec("complete visit", err)
}

// SetAcceptance records the customer's acceptance of a visit: asked,
// accepted or problem (PRV-5).
func (tx *Tx) SetAcceptance(id, state, note string, now time.Time) error {
	at := any(nil)
	if state != "asked" {
		at = millis(now)
	}
	_, err := tx.exec("UPDATE visits SET acceptance = ?, acceptance_note = ?, accepted_at = ? WHERE id = ?", state, note, at, id)
	return wrapExec("visit acceptance", err)
}

// MarkVisitRated marks that a visit rated its provider; false when it had
// already (PRV-7: one visit rates once).
func (tx *Tx) MarkVisitRated(id string, now time.Time) (bool, error) {
	res, err := tx.exec("UPDATE visits SET rated_at = ? WHERE id = ? AND rated_at IS NULL", millis(now), id)
	if err != nil {
		return false, fmt.Errorf("store: mark visit rated: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// VisitsToRemind returns the confirmed-or-not visits whose appointment is
// in [from, to) and whose customer was not reminded yet (PRV-3).
func (db *DB) VisitsToRemind(ctx context.Context, from, to time.Time) ([]VisitRecord, error) {
	rows, err := db.query(ctx, "SELECT "+visitRecordColumns+` FROM visits WHERE appointment_at >= ? AND appointment_at < ?
		AND reminded_at IS NULL AND completed_at IS NULL ORDER BY appointment_at`, millis(from), millis(to))
	return collect(rows, err, "visits to remind", scanVisitRecord)
}

// MarkReminded records that the customer was reminded of the visit; false
// when they had been.
func (tx *Tx) MarkReminded(id string, now time.Time) (bool, error) {
	res, err := tx.exec("UPDATE visits SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL", millis(now), id)
	if err != nil {
		return false, fmt.Errorf("store: mark reminded: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

func wrapExec(what string, err error) error {
	if err != nil {
		return fmt.Errorf("store: %s: %w", what, err)
	}
	return nil
}

// OrderProviderIDs lists the providers who visited an order.
func (tx *Tx) OrderProviderIDs(orderNo string) ([]int64, error) {
	rows, err := tx.tx.QueryContext(tx.ctx, `SELECT DISTINCT provider_id FROM visits WHERE order_no = ? AND provider_id IS NOT NULL`, orderNo)
	return collect(rows, err, "order providers", func(row scanner) (int64, error) {
		var id int64
		return id, row.Scan(&id)
	})
}

// demoProviders are the demo's local installers and repairers: two in
// 上海, one company and one individual, and one in 北京 (PRV-1).
func demoProviders(tx *Tx) error {
	for _, p := range []cases.Provider{
		{Name: "安心家居安装服务有限公司", Regions: []string{"上海"}, Phone: "021-55550101", Company: true,
			Prices: map[string]int{"install": 150, "repair": 120}, Hours: "08:00-20:00"},
		{Name: "张师傅", Regions: []string{"上海/浦东新区", "上海/徐汇区"}, Phone: "13700001111",
			Prices: map[string]int{"install": 120, "repair": 100}, Hours: "08:00-19:00"},
		{Name: "京城快修", Regions: []string{"北京"}, Phone: "010-66660202", Company: true,
			Prices: map[string]int{"install": 180, "repair": 150}, Hours: "09:00-18:00"},
	} {
		p.Region = p.Regions[0]
		if _, err := tx.UpsertProvider(p); err != nil {
			return err
		}
	}
	return nil
}
