package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"frontdesk/cases"
)

// CustomerChat is a chat in which a customer proved who they are; proactive
// messages for their orders go there.
type CustomerChat struct {
	Phone      string
	Channel    string
	ChatID     string
	Lang       string
	VerifiedAt time.Time
}

// BindChat records that the chat belongs to the customer with this phone.
func (tx *Tx) BindChat(c CustomerChat) error {
	_, err := tx.exec(`INSERT INTO customer_chats (phone, channel, chat_id, lang, verified_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(channel, chat_id) DO UPDATE SET phone=excluded.phone, lang=excluded.lang, verified_at=excluded.verified_at`,
		NormalizePhone(c.Phone), c.Channel, c.ChatID, c.Lang, millis(c.VerifiedAt))
	if err != nil {
		return fmt.Errorf("store: bind chat: %w", err)
	}
	return nil
}

const chatsByPhone = `SELECT phone, channel, chat_id, lang, verified_at FROM customer_chats
	WHERE phone = ? ORDER BY verified_at DESC`

// ChatsByPhone returns the customer's chats, most recently verified first.
func (db *DB) ChatsByPhone(ctx context.Context, phone string) ([]CustomerChat, error) {
	rows, err := db.query(ctx, chatsByPhone, NormalizePhone(phone))
	return collect(rows, err, "chats by phone", scanChat)
}

func scanChat(row scanner) (CustomerChat, error) {
	var c CustomerChat
	var at int64
	err := row.Scan(&c.Phone, &c.Channel, &c.ChatID, &c.Lang, &at)
	c.VerifiedAt = fromMillis(at)
	return c, err
}

// UpsertProvider inserts a provider or updates its name and region.
func (tx *Tx) UpsertProvider(p cases.Provider) (int64, error) {
	if p.Name == "" {
		return 0, invalid("provider: name is empty")
	}
	var id int64
	err := tx.queryRow(`INSERT INTO providers (name, region, stars, visits, last_summary) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(name, region) DO UPDATE SET name = excluded.name RETURNING id`,
		p.Name, p.Region, p.Stars, p.Visits, p.LastSummary).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: provider: %w", err)
	}
	return id, tx.SaveProviderRecord(id, p) // providers.go
}

// Provider returns a provider by id.
func (tx *Tx) Provider(id int64) (cases.Provider, error) {
	return tx.ProviderRecord(id) // providers.go: the whole record
}

// RateProvider stores a provider's new rating after one more visit.
func (tx *Tx) RateProvider(id int64, stars float64, summary string) error {
	_, err := tx.exec("UPDATE providers SET stars = ?, visits = visits + 1, last_summary = ? WHERE id = ?", stars, summary, id)
	if err != nil {
		return fmt.Errorf("store: rate provider: %w", err)
	}
	return nil
}

// ProviderByID returns a provider outside a transaction.
func (db *DB) ProviderByID(ctx context.Context, id int64) (cases.Provider, error) {
	return db.ProviderRecordByID(ctx, id) // providers.go: the whole record
}

// Visit is an installation or repair visit by a provider.
type Visit struct {
	ID            string
	OrderNo       string
	ProviderID    int64
	Kind          string // install, repair
	AppointmentAt time.Time
	CompletedAt   time.Time
}

// AddVisit records a visit; the same id again changes nothing and returns
// created=false.
func (tx *Tx) AddVisit(v Visit) (created bool, err error) {
	if v.ID == "" || v.OrderNo == "" || (v.Kind != "install" && v.Kind != "repair") {
		return false, invalid("visit: want id, order_no and kind install or repair")
	}
	var provider any
	if v.ProviderID != 0 {
		provider = v.ProviderID
	}
	res, err := tx.exec(`INSERT INTO visits (id, order_no, provider_id, kind, appointment_at, completed_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`,
		v.ID, v.OrderNo, provider, v.Kind, nullMillis(v.AppointmentAt), nullMillis(v.CompletedAt))
	if err != nil {
		if isForeignKeyViolation(err) {
			if v.ProviderID == 0 {
				return false, missingRef("visit %s: there is no order %s", v.ID, v.OrderNo)
			}
			return false, missingRef("visit %s: there is no order %s or no provider %d", v.ID, v.OrderNo, v.ProviderID)
		}
		return false, fmt.Errorf("store: visit: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// VisitByID returns a visit.
func (db *DB) VisitByID(ctx context.Context, id string) (Visit, error) {
	var v Visit
	var provider, appt, done sql.NullInt64
	err := db.queryRow(ctx, "SELECT id, order_no, provider_id, kind, appointment_at, completed_at FROM visits WHERE id = ?", id).
		Scan(&v.ID, &v.OrderNo, &provider, &v.Kind, &appt, &done)
	if errors.Is(err, sql.ErrNoRows) {
		return Visit{}, ErrNotFound
	}
	v.ProviderID = provider.Int64
	v.AppointmentAt, v.CompletedAt = fromNullMillis(appt), fromNullMillis(done)
	return v, err
}

// Survey is one callback survey sent to one chat.
type Survey struct {
	ID         int64
	VisitID    string
	Stage      string // visit, week1, month1, month3, month6
	Channel    string
	ChatID     string
	SentAt     time.Time
	AnsweredAt time.Time
	Answers    string // JSON
	Comment    string
	Score      float64
}

// StartSurvey records that a survey was sent; sending the same survey to the
// same chat again returns created=false.
func (tx *Tx) StartSurvey(s Survey) (created bool, err error) {
	res, err := tx.exec(`INSERT INTO surveys (visit_id, stage, channel, chat_id, sent_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(visit_id, stage, channel, chat_id) DO NOTHING`, s.VisitID, s.Stage, s.Channel, s.ChatID, millis(s.SentAt))
	if err != nil {
		return false, fmt.Errorf("store: start survey: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// AnswerSurvey stores the answers of a sent survey. A survey answered
// already, or never sent, returns ErrNotFound.
func (tx *Tx) AnswerSurvey(s Survey) error {
	res, err := tx.exec(`UPDATE surveys SET answered_at = ?, answers = ?, comment = ?, score = ?
		WHERE visit_id = ? AND stage = ? AND channel = ? AND chat_id = ? AND answered_at IS NULL`,
		millis(s.AnsweredAt), s.Answers, s.Comment, s.Score, s.VisitID, s.Stage, s.Channel, s.ChatID)
	if err != nil {
		return fmt.Errorf("store: answer survey: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("no unanswered survey %s/%s", s.VisitID, s.Stage)
	}
	return nil
}

// SurveysByVisit returns a visit's surveys.
func (db *DB) SurveysByVisit(ctx context.Context, visitID string) ([]Survey, error) {
	rows, err := db.query(ctx, `SELECT id, visit_id, stage, channel, chat_id, sent_at, answered_at, answers, comment,
		COALESCE(score, 0) FROM surveys WHERE visit_id = ? ORDER BY id`, visitID)
	return collect(rows, err, "surveys", func(row scanner) (Survey, error) {
		var s Survey
		var sent, answered sql.NullInt64
		err := row.Scan(&s.ID, &s.VisitID, &s.Stage, &s.Channel, &s.ChatID, &sent, &answered, &s.Answers, &s.Comment, &s.Score)
		s.SentAt, s.AnsweredAt = fromNullMillis(sent), fromNullMillis(answered)
		return s, err
	})
}
