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
	"unicode/utf8"
)

// Config is everything the desk can be told. The zero value is not useful;
// start from Default.
type Config struct {
	Addr     string `json:"addr"`
	DataDir  string `json:"data_dir"`
	RedisURL string `json:"redis_url"`
	APIToken string `json:"api_token"`
	// AdminPassword is the password of the admin account made at the very
	// first start, when the store has no staff account; read only then.
	AdminPassword string `json:"admin_password"`
	// MetricsAddr, when set, serves /metrics on this address only (not on
	// Addr), e.g. a port only the monitoring network reaches.
	MetricsAddr string `json:"metrics_addr"`
	// MetricsToken, when set, is asked of every /metrics request as
	// Authorization: Bearer.
	MetricsToken string `json:"metrics_token"`

	// HTTP bounds how long a client may take over a request.
	HTTP HTTP `json:"http"`

	Telegram Telegram `json:"telegram"`
	Slack    Slack    `json:"slack"`
	Shop     Shop     `json:"shop"`
	Calendar Calendar `json:"calendar"`
	SLA      SLA      `json:"sla"`
	Limits   Limits   `json:"limits"`
	Outbox   Outbox   `json:"outbox"`
	WebChat  WebChat  `json:"web_chat"`
	Quality  Quality  `json:"quality"`  // the quality loop (quality.go)
	Products Products `json:"products"` // products.go: warranty card, care reminders, knowledge base

	// Compensation: a clerk decides money compensations up to this many
	// yuan; above it a manager approves (004 四(四)).
	ClerkCompensationLimitYuan int `json:"clerk_compensation_limit_yuan"`
	// ClerkCompensationLimitRolls: wallpaper compensation is counted in
	// rolls; a clerk grants up to this many, more needs the business
	// supervisor and the duty manager (004 四(四)1: one to three).
	ClerkCompensationLimitRolls int `json:"clerk_compensation_limit_rolls"`
	// Parts: replaced parts given free in warranty are due back this many
	// days after the new parts ship, and the customer and the provider are
	// reminded this many days before (003 材料处理 二, PRT-4).
	PartsReturnDays int `json:"parts_return_days"`
	PartsRemindDays int `json:"parts_remind_days"`

	// DigestAt is the cron spec of the managers' daily digest, in the
	// calendar's zone.
	DigestAt string `json:"digest_at"`

	// StaffLang is the language of the shared Slack channels (the case
	// card, thread posts, the digest and reports): zh-Hans when empty,
	// zh-Hant or en (stafflang.go).
	StaffLang string `json:"staff_lang"`
	// ChartFont is a font file with Chinese glyphs (.ttf, .otf or .ttc)
	// for the digest chart; empty finds one on the system.
	ChartFont string `json:"chart_font"`
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
	MaxTextBytes int `json:"max_text_bytes"`
	// MaxTextChars bounds a text in characters, as the customer counts
	// them (the answer says so; the web chat's box holds no more).
	MaxTextChars   int      `json:"max_text_chars"`
	MaxUploadBytes int64    `json:"max_upload_bytes"`
	VerifyAttempts int      `json:"verify_attempts"`
	VerifyCooldown Duration `json:"verify_cooldown"`
	// VerifyIdle is how long a web-chat verification lasts without
	// activity (ID-7); Telegram's does not lapse.
	VerifyIdle         Duration `json:"verify_idle"`
	DialogTTL          Duration `json:"dialog_ttl"`
	RetentionDays      int      `json:"retention_days"`
	InboundDedupeHours int      `json:"inbound_dedupe_hours"`
}

// WebChat bounds what one client may ask of the built-in web chat. Rates
// are counted per client address: the connection's, or, with TrustedProxy,
// the last address of X-Forwarded-For (which the proxy in front appends).
type WebChat struct {
	TrustedProxy         bool `json:"trusted_proxy"`
	SessionsPerMinute    int  `json:"sessions_per_minute"`
	SessionBurst         int  `json:"session_burst"`
	UploadsPerMinute     int  `json:"uploads_per_minute"`
	UploadBurst          int  `json:"upload_burst"`
	UploadsPerSessionDay int  `json:"uploads_per_session_day"`
	ConcurrentUploads    int  `json:"concurrent_uploads"`
}

// LongestLongPoll is the longest a web chat client may wait for messages
// in one request (GET /chat/api/messages?wait=30): HTTP.WriteTimeout must
// leave room for it.
const LongestLongPoll = 30 * time.Second

// HTTP holds the server's timeouts, which drop slow or idle clients (a
// slowloris holding connections open by sending its headers a byte at a
// time).
type HTTP struct {
	// ReadHeaderTimeout: the request's headers must arrive within it.
	ReadHeaderTimeout Duration `json:"read_header_timeout"`
	// ReadTimeout: the whole request, body included (an upload of
	// limits.max_upload_bytes on a slow line).
	ReadTimeout Duration `json:"read_timeout"`
	// WriteTimeout: from the end of the headers to the end of the answer;
	// more than LongestLongPoll.
	WriteTimeout Duration `json:"write_timeout"`
	// IdleTimeout: a kept-alive connection waiting for its next request.
	IdleTimeout Duration `json:"idle_timeout"`
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
	// Clocks of SLA-11 … SLA-13 and opening hours (SLA-10), see clockson.go.
	ProgressUpdate   Duration        `json:"progress_update"`
	ReturnCheckDays  int             `json:"return_check_working_days"`
	ReturnRefundDays int             `json:"return_refund_working_days"`
	MailInRepairDays int             `json:"mailin_repair_working_days"`
	BusinessHours    map[string]bool `json:"business_hours"`
	// CallBackAfter is when the call-back of a resolved service is due
	// after the resolve (001 §2.3.6, CAS-3).
	CallBackAfter Duration `json:"call_back_after"`
	// A major complaint: the written solution, and the general manager's
	// call-back with an apology (002 六(二), CMP-4).
	ComplaintWrittenSolution Duration `json:"complaint_written_solution"`
	ComplaintGMCallback      Duration `json:"complaint_gm_callback"`
}

// Default returns a configuration that runs the desk alone on this machine.
func Default() Config {
	return Config{
		Addr:                       "127.0.0.1:8080",
		DataDir:                    "./data",
		ClerkCompensationLimitYuan: 500,
		DigestAt:                   "30 18 * * *",
		Quality:                    DefaultQuality(),

		ClerkCompensationLimitRolls: 3,
		PartsReturnDays:             30,
		PartsRemindDays:             3,
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
			ProgressUpdate:   Duration(24 * time.Hour),
			ReturnCheckDays:  3,
			ReturnRefundDays: 3,
			MailInRepairDays: 5,
			BusinessHours:    map[string]bool{"first_response": true, "complaint_apology": true, "repair_dispatch": true, "low_score_follow_up": true},
			CallBackAfter:    Duration(48 * time.Hour),

			ComplaintWrittenSolution: Duration(24 * time.Hour),
			ComplaintGMCallback:      Duration(24 * time.Hour),
		},
		Limits: Limits{
			MaxTextBytes:       4096,
			MaxTextChars:       1000,
			MaxUploadBytes:     10 << 20,
			VerifyAttempts:     5,
			VerifyCooldown:     Duration(15 * time.Minute),
			VerifyIdle:         Duration(30 * time.Minute),
			DialogTTL:          Duration(7 * 24 * time.Hour),
			RetentionDays:      365,
			InboundDedupeHours: 72,
		},
		WebChat: WebChat{
			SessionsPerMinute:    10,
			SessionBurst:         20,
			UploadsPerMinute:     30,
			UploadBurst:          30,
			UploadsPerSessionDay: 60,
			ConcurrentUploads:    8,
		},
		HTTP: HTTP{
			ReadHeaderTimeout: Duration(10 * time.Second),
			ReadTimeout:       Duration(2 * time.Minute),
			WriteTimeout:      Duration(2 * time.Minute),
			IdleTimeout:       Duration(2 * time.Minute),
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
		{"FRONTDESK_ADMIN_PASSWORD", &c.AdminPassword, true},
		{"FRONTDESK_METRICS_ADDR", &c.MetricsAddr, false},
		{"FRONTDESK_METRICS_TOKEN", &c.MetricsToken, true},
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
		{"FRONTDESK_SHOP_NAME", &c.Shop.Name, false},
		{"FRONTDESK_SHOP_PHONE", &c.Shop.Phone, false},
		{"FRONTDESK_PUBLIC_URL", &c.Products.PublicURL, false},
		{"FRONTDESK_STAFF_LANG", &c.StaffLang, false},
		{"FRONTDESK_CHART_FONT", &c.ChartFont, false},
	}
}

func (c *Config) applyEnv(getenv func(string) string) error {
	// The shared staff password is gone (STF-1): a desk that still sets it
	// would let its operator believe the staff page takes it.
	for _, name := range []string{"FRONTDESK_STAFF_PASSWORD", "FRONTDESK_STAFF_PASSWORD_FILE"} {
		if getenv(name) != "" {
			return fmt.Errorf("config: %s is no longer read: every staff member logs in with an own account; "+
				"remove it, and add accounts with `frontdesk staff add LOGIN --name NAME --role ROLE` "+
				"(the first start makes the account admin, see FRONTDESK_ADMIN_PASSWORD)", name)
		}
	}
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
	if err := c.validateStaffLang(); err != nil {
		errs = append(errs, err)
	}
	if c.Addr == "" {
		bad("addr (FRONTDESK_ADDR)", "is empty; set host:port such as 127.0.0.1:8080")
	}
	if c.DataDir == "" {
		bad("data_dir (FRONTDESK_DATA)", "is empty; set a folder such as ./data")
	}
	if c.RedisURL != "" && !strings.HasPrefix(c.RedisURL, "redis://") && !strings.HasPrefix(c.RedisURL, "rediss://") {
		// The value is not shown: it may hold the password.
		bad("redis_url (REDIS_URL)", "must start with redis:// or rediss://")
	}
	if c.MetricsAddr != "" && c.MetricsAddr == c.Addr && !strings.HasSuffix(c.Addr, ":0") {
		bad("metrics_addr (FRONTDESK_METRICS_ADDR)", "is the same as addr (FRONTDESK_ADDR); give /metrics an address of its own, or leave it empty to serve it on addr")
	}
	if c.Telegram.WebhookURL != "" && c.Telegram.Token == "" {
		bad("telegram.webhook_url (TELEGRAM_WEBHOOK_URL)", "is set without TELEGRAM_TOKEN; set the token too")
	}
	if c.Telegram.WebhookURL != "" && c.Telegram.WebhookSecret == "" {
		bad("telegram.webhook_secret (TELEGRAM_WEBHOOK_SECRET)", "is empty; a webhook needs a secret so forged updates are refused")
	}
	if c.Telegram.APIEndpoint != "" {
		if _, err := TelegramEndpointBase(c.Telegram.APIEndpoint); err != nil {
			errs = append(errs, err)
		}
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
	if n := utf8.RuneCountInString(c.AdminPassword); c.AdminPassword != "" && n < 10 {
		bad("admin_password (FRONTDESK_ADMIN_PASSWORD)", "has %d characters; a staff password needs at least 10", n)
	}
	if c.ClerkCompensationLimitYuan < 0 {
		bad("clerk_compensation_limit_yuan", "is negative; give the yuan a clerk may grant, e.g. 500")
	}
	errs = append(errs, c.Shop.validate()...)
	if c.PartsReturnDays < 1 || c.PartsRemindDays < 0 || c.PartsRemindDays >= c.PartsReturnDays {
		bad("parts_return_days and parts_remind_days", "are %d and %d; give the days replaced parts have to come back (e.g. 30) and the days before that a reminder goes (e.g. 3, fewer)", c.PartsReturnDays, c.PartsRemindDays)
	}
	if c.ClerkCompensationLimitRolls < 1 {
		bad("clerk_compensation_limit_rolls", "is %d; give the rolls of wallpaper a clerk may grant, e.g. 3", c.ClerkCompensationLimitRolls)
	}
	if c.SLA.ComplaintWrittenSolution <= 0 || c.SLA.ComplaintGMCallback <= 0 {
		bad("sla.complaint_written_solution and sla.complaint_gm_callback", "must be greater than zero, e.g. \"24h\"")
	}
	errs = append(errs, c.Limits.validate()...)
	errs = append(errs, c.Outbox.validate()...)
	errs = append(errs, c.WebChat.validate()...)
	errs = append(errs, c.HTTP.validate()...)
	errs = append(errs, c.SLA.validate()...)
	errs = append(errs, c.SLA.validateCallBack()...)
	errs = append(errs, c.Quality.validate()...)
	errs = append(errs, c.Products.validate()...)
	return errors.Join(errs...)
}

func (l Limits) validate() []error {
	var errs []error
	positive := map[string]int64{
		"limits.max_text_bytes":                            int64(l.MaxTextBytes),
		"limits.max_text_chars":                            int64(l.MaxTextChars),
		"limits.max_upload_bytes":                          l.MaxUploadBytes,
		"limits.verify_attempts":                           int64(l.VerifyAttempts),
		"limits.verify_cooldown":                           int64(l.VerifyCooldown),
		"limits.verify_idle":                               int64(l.VerifyIdle),
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

func (w WebChat) validate() []error {
	var errs []error
	positive := []struct {
		field string
		v     int
	}{
		{"web_chat.sessions_per_minute", w.SessionsPerMinute},
		{"web_chat.session_burst", w.SessionBurst},
		{"web_chat.uploads_per_minute", w.UploadsPerMinute},
		{"web_chat.upload_burst", w.UploadBurst},
		{"web_chat.uploads_per_session_day", w.UploadsPerSessionDay},
		{"web_chat.concurrent_uploads", w.ConcurrentUploads},
	}
	for _, p := range positive {
		if p.v <= 0 {
			errs = append(errs, fmt.Errorf("config: %s: must be greater than zero", p.field))
		}
	}
	return errs
}

func (h HTTP) validate() []error {
	var errs []error
	for field, d := range map[string]Duration{"http.read_header_timeout": h.ReadHeaderTimeout, "http.read_timeout": h.ReadTimeout,
		"http.write_timeout": h.WriteTimeout, "http.idle_timeout": h.IdleTimeout} {
		if d <= 0 {
			errs = append(errs, fmt.Errorf("config: %s: must be greater than zero, e.g. \"1m\"", field))
		}
	}
	if h.ReadHeaderTimeout > h.ReadTimeout {
		errs = append(errs, fmt.Errorf("config: http.read_header_timeout: %v is longer than http.read_timeout %v; the headers are part of the request",
			h.ReadHeaderTimeout.D(), h.ReadTimeout.D()))
	}
	if h.WriteTimeout.D() <= LongestLongPoll+5*time.Second {
		errs = append(errs, fmt.Errorf("config: http.write_timeout: %v cuts the web chat's long poll (up to %v); give it more than %v",
			h.WriteTimeout.D(), LongestLongPoll, LongestLongPoll+5*time.Second))
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
