// Package config holds the desk's configuration: defaults that run with
// nothing set, a JSON file named by FRONTDESK_CONFIG, and environment
// variables, which win. It also holds the business calendar and the SLA
// targets, because every clock in the desk is counted against them.
package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is everything the desk can be told. The zero value is not useful;
// start from Default.
type Config struct {
	Addr          string `json:"addr"`
	DataDir       string `json:"data_dir"`
	RedisURL      string `json:"redis_url"`
	APIToken      string `json:"api_token"`
	StaffPassword string `json:"staff_password"`

	Telegram Telegram `json:"telegram"`
	Slack    Slack    `json:"slack"`
	Calendar Calendar `json:"calendar"`
	SLA      SLA      `json:"sla"`
	Limits   Limits   `json:"limits"`
	Outbox   Outbox   `json:"outbox"`

	// Compensation: a clerk decides money compensations up to this many
	// yuan; above it a manager approves (004 四(四)).
	ClerkCompensationLimitYuan int `json:"clerk_compensation_limit_yuan"`

	// DigestAt is the cron spec of the managers' daily digest, in the
	// calendar's zone.
	DigestAt string `json:"digest_at"`
}

// Telegram configures the customer channel on Telegram.
type Telegram struct {
	Token         string `json:"token"`
	WebhookURL    string `json:"webhook_url"`
	WebhookSecret string `json:"webhook_secret"`
	APIEndpoint   string `json:"api_endpoint"`
}

// Slack configures the staff channel on Slack.
type Slack struct {
	BotToken        string `json:"bot_token"`
	AppToken        string `json:"app_token"`
	SigningSecret   string `json:"signing_secret"`
	StaffChannel    string `json:"staff_channel"`
	ManagersChannel string `json:"managers_channel"`
	APIURL          string `json:"api_url"`
	// NoteByDefault: a thread message is an internal note unless it starts
	// with "reply:". Off (the default): it reaches the customer unless it
	// starts with "note:".
	NoteByDefault bool `json:"note_by_default"`
}

// Limits bound what a customer can send and how often they may guess.
type Limits struct {
	MaxTextBytes       int      `json:"max_text_bytes"`
	MaxUploadBytes     int64    `json:"max_upload_bytes"`
	VerifyAttempts     int      `json:"verify_attempts"`
	VerifyCooldown     Duration `json:"verify_cooldown"`
	DialogTTL          Duration `json:"dialog_ttl"`
	RetentionDays      int      `json:"retention_days"`
	InboundDedupeHours int      `json:"inbound_dedupe_hours"`
}

// Outbox tunes the delivery of outbound messages.
type Outbox struct {
	// GiveUpAfter: a message still failing this long after it was written
	// (or re-queued by staff) is given up on and shown to staff.
	GiveUpAfter Duration `json:"give_up_after"`
	// BaseBackoff and MaxBackoff bound the wait after a failed attempt:
	// doubled from the base each failure, never more than the maximum.
	BaseBackoff Duration `json:"base_backoff"`
	MaxBackoff  Duration `json:"max_backoff"`
	PollEvery   Duration `json:"poll_every"`
	// SendTimeout bounds one call to a channel; a call that takes longer
	// is abandoned and counted as a failed attempt.
	SendTimeout Duration `json:"send_timeout"`
	// MaxAttempts is no longer used (the sender gives up by time, see
	// GiveUpAfter); a file that still sets it is refused with that advice.
	MaxAttempts int `json:"max_attempts,omitempty"`
}

// SLA holds the service-time targets of DOMAIN.md. Business-hour targets are
// counted on the calendar; the others are wall-clock.
type SLA struct {
	FirstResponse    Duration `json:"first_response"`
	InquiryAnswer    Duration `json:"inquiry_answer"`
	CaseConfirmDays  int      `json:"case_confirm_working_days"`
	ServiceStartDays int      `json:"service_start_working_days"`
	RepairDispatch   Duration `json:"repair_dispatch"`
	RepairResolve    Duration `json:"repair_resolve"`
	RepairResolveMax Duration `json:"repair_resolve_max"`
	ComplaintApology Duration `json:"complaint_apology"`
	ComplaintSolve   Duration `json:"complaint_solution"`
	ComplaintFollow  Duration `json:"complaint_follow_up"`
	ReturnReviewDays int      `json:"return_review_working_days"`
	LowScoreFollowUp Duration `json:"low_score_follow_up"`
	InstallerConfirm Duration `json:"installer_confirm_before"`
}

// Default returns a configuration that runs the desk alone on this machine.
func Default() Config {
	return Config{
		Addr:                       "127.0.0.1:8080",
		DataDir:                    "./data",
		ClerkCompensationLimitYuan: 500,
		DigestAt:                   "30 18 * * *",
		Calendar: Calendar{
			Timezone:    "Asia/Shanghai",
			Periods:     []Period{{Start: "09:00", End: "12:00"}, {Start: "13:30", End: "18:00"}},
			WorkingDays: []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
		},
		SLA: SLA{
			FirstResponse:    Duration(time.Hour),
			InquiryAnswer:    Duration(24 * time.Hour),
			CaseConfirmDays:  2,
			ServiceStartDays: 3,
			RepairDispatch:   Duration(time.Hour),
			RepairResolve:    Duration(24 * time.Hour),
			RepairResolveMax: Duration(48 * time.Hour),
			ComplaintApology: Duration(time.Hour),
			ComplaintSolve:   Duration(24 * time.Hour),
			ComplaintFollow:  Duration(72 * time.Hour),
			ReturnReviewDays: 1,
			LowScoreFollowUp: Duration(time.Hour),
			InstallerConfirm: Duration(12 * time.Hour),
		},
		Limits: Limits{
			MaxTextBytes:       4096,
			MaxUploadBytes:     10 << 20,
			VerifyAttempts:     5,
			VerifyCooldown:     Duration(15 * time.Minute),
			DialogTTL:          Duration(7 * 24 * time.Hour),
			RetentionDays:      365,
			InboundDedupeHours: 72,
		},
		Outbox: Outbox{
			GiveUpAfter: Duration(24 * time.Hour),
			BaseBackoff: Duration(time.Second),
			MaxBackoff:  Duration(time.Minute),
			PollEvery:   Duration(2 * time.Second),
			SendTimeout: Duration(15 * time.Second),
		},
	}
}

// Load builds the configuration: defaults, then the file named by
// FRONTDESK_CONFIG, then the environment. getenv is os.Getenv outside tests.
func Load(getenv func(string) string) (Config, error) {
	cfg := Default()
	if path := getenv("FRONTDESK_CONFIG"); path != "" {
		if err := cfg.loadFile(path); err != nil {
			return Config{}, err
		}
	}
	if err := cfg.applyEnv(getenv); err != nil {
		return Config{}, err
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

func (c *Config) loadFile(path string) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config: FRONTDESK_CONFIG: %w", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(c); err != nil {
		return fmt.Errorf("config: file %s: %w (the file is JSON; see README for the fields)", path, err)
	}
	return nil
}

// envString names an environment variable and the field it sets. Secrets
// also accept NAME_FILE, whose content (trimmed) is the value.
type envString struct {
	name   string
	field  *string
	secret bool
}

func (c *Config) stringVars() []envString {
	return []envString{
		{"FRONTDESK_ADDR", &c.Addr, false},
		{"FRONTDESK_DATA", &c.DataDir, false},
		{"REDIS_URL", &c.RedisURL, true},
		{"FRONTDESK_API_TOKEN", &c.APIToken, true},
		{"FRONTDESK_STAFF_PASSWORD", &c.StaffPassword, true},
		{"TELEGRAM_TOKEN", &c.Telegram.Token, true},
		{"TELEGRAM_WEBHOOK_URL", &c.Telegram.WebhookURL, false},
		{"TELEGRAM_WEBHOOK_SECRET", &c.Telegram.WebhookSecret, true},
		{"TELEGRAM_API_ENDPOINT", &c.Telegram.APIEndpoint, false},
		{"SLACK_BOT_TOKEN", &c.Slack.BotToken, true},
		{"SLACK_APP_TOKEN", &c.Slack.AppToken, true},
		{"SLACK_SIGNING_SECRET", &c.Slack.SigningSecret, true},
		{"SLACK_STAFF_CHANNEL", &c.Slack.StaffChannel, false},
		{"SLACK_MANAGERS_CHANNEL", &c.Slack.ManagersChannel, false},
		{"SLACK_API_URL", &c.Slack.APIURL, false},
		{"FRONTDESK_TIMEZONE", &c.Calendar.Timezone, false},
	}
}

func (c *Config) applyEnv(getenv func(string) string) error {
	for _, v := range c.stringVars() {
		if val := getenv(v.name); val != "" {
			*v.field = val
			continue
		}
		if !v.secret {
			continue
		}
		if path := getenv(v.name + "_FILE"); path != "" {
			b, err := os.ReadFile(path)
			if err != nil {
				return fmt.Errorf("config: %s_FILE: %w", v.name, err)
			}
			*v.field = strings.TrimSpace(string(b))
		}
	}
	if val := getenv("FRONTDESK_RETENTION_DAYS"); val != "" {
		n, err := strconv.Atoi(val)
		if err != nil {
			return fmt.Errorf("config: FRONTDESK_RETENTION_DAYS=%q: want a whole number of days", val)
		}
		c.Limits.RetentionDays = n
	}
	return nil
}

// Validate checks every field once, at start-up, and names the field and the
// fix in its message. All problems are reported together.
func (c *Config) Validate() error {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, fmt.Errorf("config: %s: "+format, append([]any{field}, args...)...))
	}
	if c.Addr == "" {
		bad("addr (FRONTDESK_ADDR)", "is empty; set host:port such as 127.0.0.1:8080")
	}
	if c.DataDir == "" {
		bad("data_dir (FRONTDESK_DATA)", "is empty; set a folder such as ./data")
	}
	if c.RedisURL != "" && !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://") {
		bad("redis_url (REDIS_URL)", "%q must start with redis:// or rediss://", c.RedisURL)
	}
	if c.Telegram.WebhookURL != "" && c.Telegram.Token == "" {
		bad("telegram.webhook_url (TELEGRAM_WEBHOOK_URL)", "is set without TELEGRAM_TOKEN; set the token too")
	}
	if c.Telegram.WebhookURL != "" && c.Telegram.WebhookSecret == "" {
		bad("telegram.webhook_secret (TELEGRAM_WEBHOOK_SECRET)", "is empty; a webhook needs a secret so forged updates are refused")
	}
	if c.Slack.BotToken != "" && c.Slack.StaffChannel == "" {
		bad("slack.staff_channel (SLACK_STAFF_CHANNEL)", "is empty; name the channel ID the cases go to")
	}
	if c.Slack.BotToken != "" && c.Slack.AppToken == "" && c.Slack.SigningSecret == "" {
		bad("slack.signing_secret (SLACK_SIGNING_SECRET)", "is empty; HTTP mode needs it (or set SLACK_APP_TOKEN for Socket Mode)")
	}
	if err := c.Calendar.validate(); err != nil {
		errs = append(errs, err)
	}
	if c.ClerkCompensationLimitYuan < 0 {
		bad("clerk_compensation_limit_yuan", "is negative; give the yuan a clerk may grant, e.g. 500")
	}
	errs = append(errs, c.Limits.validate()...)
	errs = append(errs, c.Outbox.validate()...)
	return errors.Join(errs...)
}

func (l Limits) validate() []error {
	var errs []error
	positive := map[string]int64{
		"limits.max_text_bytes":                            int64(l.MaxTextBytes),
		"limits.max_upload_bytes":                          l.MaxUploadBytes,
		"limits.verify_attempts":                           int64(l.VerifyAttempts),
		"limits.verify_cooldown":                           int64(l.VerifyCooldown),
		"limits.dialog_ttl":                                int64(l.DialogTTL),
		"limits.retention_days (FRONTDESK_RETENTION_DAYS)": int64(l.RetentionDays),
		"limits.inbound_dedupe_hours":                      int64(l.InboundDedupeHours),
	}
	for field, v := range positive {
		if v <= 0 {
			errs = append(errs, fmt.Errorf("config: %s: must be greater than zero", field))
		}
	}
	return errs
}

func (o Outbox) validate() []error {
	var errs []error
	if o.MaxAttempts != 0 {
		errs = append(errs, fmt.Errorf("config: outbox.max_attempts: is no longer used; the desk gives up on a message by time: remove it and set outbox.give_up_after (default \"24h\") if needed"))
	}
	if o.GiveUpAfter <= 0 {
		errs = append(errs, fmt.Errorf("config: outbox.give_up_after: must be greater than zero, e.g. \"24h\""))
	}
	if o.SendTimeout <= 0 {
		errs = append(errs, fmt.Errorf("config: outbox.send_timeout: must be greater than zero, e.g. \"15s\""))
	}
	if o.BaseBackoff <= 0 || o.MaxBackoff < o.BaseBackoff {
		errs = append(errs, fmt.Errorf("config: outbox.base_backoff/max_backoff: want 0 < base_backoff <= max_backoff"))
	}
	if o.PollEvery <= 0 {
		errs = append(errs, fmt.Errorf("config: outbox.poll_every: must be greater than zero"))
	}
	return errs
}

// Duration is a time.Duration that reads and writes as "1h30m" in JSON.
type Duration time.Duration

// D returns the standard library duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// MarshalJSON writes the duration as a Go duration string.
func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

// UnmarshalJSON reads a Go duration string such as "90m" or "24h".
func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a duration string such as \"1h30m\"")
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("duration %q: %w", s, err)
	}
	*d = Duration(v)
	return nil
}
