package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"

	"frontdesk/backoffice"
	"frontdesk/bot"
	slackdesk "frontdesk/bot/slack"
	"frontdesk/bot/staffweb"
	"frontdesk/bot/telegram"
	"frontdesk/bot/warranty"
	"frontdesk/bot/webchat"
	"frontdesk/config"
	"frontdesk/conversations"
	"frontdesk/internal/dialogstate"
	"frontdesk/internal/metrics"
	"frontdesk/internal/outbox"
	"frontdesk/internal/photos"
	"frontdesk/scheduler"
	"frontdesk/store"
)

// shutdownGrace is how long in-flight requests and deliveries get to finish.
const shutdownGrace = 10 * time.Second

func loadConfig(getenv func(string) string) (config.Config, error) {
	return config.Load(getenv)
}

func openStore(ctx context.Context, cfg config.Config) (*store.DB, error) {
	return store.Open(ctx, filepath.Join(cfg.DataDir, "frontdesk.db"))
}

// openConfigured loads the configuration and opens its store, for the
// commands that work on the records.
func openConfigured(ctx context.Context, getenv func(string) string) (*store.DB, error) {
	cfg, err := loadConfig(getenv)
	if err != nil {
		return nil, err
	}
	return openStore(ctx, cfg)
}

func migrate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 0 {
		return fmt.Errorf("%w: migrate takes no arguments", errUsage)
	}
	db, err := openConfigured(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	names, err := db.Migrations(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s is at the latest schema:\n", db.Path())
	for _, n := range names {
		fmt.Fprintln(stdout, "  "+n)
	}
	return nil
}

// desk is everything serve wires together.
type desk struct {
	cfg    config.Config
	log    *slog.Logger
	reg    *prometheus.Registry
	db     *store.DB
	state  dialogstate.Store
	rdb    *redis.Client
	photos *photos.Store
	desk   *bot.Desk
	chat   *webchat.Chat
	staff  *staffweb.Page
	slack  *slackdesk.Slack
	tg     *telegram.Channel
	sender *outbox.Sender
	api    *backoffice.API
	sched  *scheduler.Scheduler
	claim  *store.ServeLock // this process serves the database file

	warranty *warranty.Page // the electronic warranty cards (ARC-2)
}

func serve(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	demo := fs.Bool("demo", false, "load demo orders and shipments")
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	d, err := build(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer d.close()
	if *demo {
		if err := d.loadDemo(ctx, stdout); err != nil {
			return err
		}
	}
	if d.tg != nil {
		mode := "long polling"
		if cfg.Telegram.WebhookURL != "" {
			mode = "webhook " + cfg.Telegram.WebhookURL + " (served at /telegram/webhook)"
		}
		fmt.Fprintf(stdout, "telegram: @%s, %s\n", d.tg.BotName(), mode)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s (FRONTDESK_ADDR): %w", cfg.Addr, err)
	}
	base := "http://" + ln.Addr().String()
	metricsAt := base + "/metrics"
	var metricsLn net.Listener
	if cfg.MetricsAddr != "" {
		if metricsLn, err = net.Listen("tcp", cfg.MetricsAddr); err != nil {
			ln.Close()
			return fmt.Errorf("listen on %s (FRONTDESK_METRICS_ADDR): %w", cfg.MetricsAddr, err)
		}
		metricsAt = "http://" + metricsLn.Addr().String() + "/metrics"
	}
	if cfg.MetricsToken != "" {
		metricsAt += " (Authorization: Bearer <FRONTDESK_METRICS_TOKEN>)"
	}
	staffLogin, err := d.firstAdmin(ctx)
	if err != nil {
		ln.Close()
		if metricsLn != nil {
			metricsLn.Close()
		}
		return err
	}
	api := "off (set FRONTDESK_API_TOKEN)"
	if cfg.APIToken != "" {
		api = base + "/api/v1 (OpenAPI: " + base + "/api/v1/openapi.json)"
	}
	if d.slack != nil {
		mode := "HTTP mode: /slack/events, /slack/interactions, /slack/commands"
		if cfg.Slack.AppToken != "" {
			mode = "Socket Mode"
		}
		fmt.Fprintf(stdout, "slack: staff channel %s, %s\n", cfg.Slack.StaffChannel, mode)
	}
	fmt.Fprintf(stdout, "frontdesk: listening on %s\n  web chat: %s/chat\n  staff:    %s/staff (%s)\n  back office API: %s\n  health:   %s/healthz  %s/readyz\n  metrics:  %s\n  data:     %s (dialog state: %s)\n",
		base, base, base, staffLogin, api, base, base, metricsAt, cfg.DataDir, d.stateKind())
	return d.run(ctx, ln, metricsLn)
}

// build wires the desk in one ordered sequence, each part complete when it
// is made and never changed afterwards: store, dialog state, desk, channels,
// outbox sender, back office, scheduler. The HTTP handler comes last
// (handler), when serving starts.
func build(ctx context.Context, cfg config.Config, log *slog.Logger) (*desk, error) {
	return assemble(ctx, cfg, log, true)
}

// assemble opens the store, claims it for serving when serve is set (the
// import builds a desk beside a serving one), then the dialog state and
// everything on them; what it opened is closed again when a step fails.
func assemble(ctx context.Context, cfg config.Config, log *slog.Logger, serve bool) (*desk, error) {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var claim *store.ServeLock
	if serve {
		if claim, err = store.LockServe(db.Path()); err != nil {
			db.Close()
			return nil, err
		}
	}
	state, rdb, err := openState(ctx, cfg, db)
	if err == nil {
		var d *desk
		if d, err = wire(ctx, cfg, log, db, state, rdb, claim); err == nil {
			return d, nil
		}
		if rdb != nil {
			rdb.Close()
		}
	}
	claim.Release()
	db.Close()
	return nil, err
}

// wire builds everything on the opened store and dialog state.
func wire(ctx context.Context, cfg config.Config, log *slog.Logger, db *store.DB, state dialogstate.Store, rdb *redis.Client,
	claim *store.ServeLock) (*desk, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "frontdesk_outbox_backlog", Help: "Outbound messages not yet delivered.",
	}, func() float64 {
		n, err := db.OutboxBacklog(context.Background())
		if err != nil {
			return -1
		}
		return float64(n)
	}))
	m := metrics.New(reg)
	ops := metrics.NewOps(reg)                         // clock breaches, escalations, scheduler job runs
	metrics.CaseGauges(reg, func() (int, int, error) { // the workbench's counts (store/workbench.go)
		c, err := db.WorkbenchCounts(context.Background(), "", time.Now())
		return c.Active, c.Overdue, err
	})
	pics := &photos.Store{Dir: filepath.Join(cfg.DataDir, "photos"), MaxBytes: cfg.Limits.MaxUploadBytes}

	// The desk wakes the outbox sender after each commit; the signal is
	// made first so that the sender can come after the channels it needs.
	wake := outbox.NewSignal()
	dk := &bot.Desk{
		State: state, Store: db, Now: time.Now, Location: cfg.Calendar.Location(), Metrics: m, Log: log,
		StaffLang: conversations.Lang(cfg.StaffLanguage()), Notify: wake.Notify, Photos: pics, Clocks: cfg.ClocksFor, ClocksOn: cfg.ClocksOn, Calendar: &cfg.Calendar,
		ClerkLimitYuan: cfg.ClerkCompensationLimitYuan, InstallerConfirm: cfg.SLA.InstallerConfirm.D(),
		CallBackAfter: cfg.SLA.CallBackAfter.D(), Quality: cfg.Quality,
		ClerkLimitRolls: cfg.ClerkCompensationLimitRolls, WrittenSolution: cfg.SLA.ComplaintWrittenSolution.D(), GMCallback: cfg.SLA.ComplaintGMCallback.D(),
		PartsReturnDays: cfg.PartsReturnDays,
		Promises: conversations.Promises{FirstResponse: cfg.SLA.FirstResponse.D(), ConfirmDays: cfg.SLA.CaseConfirmDays,
			RepairDispatch: cfg.SLA.RepairDispatch.D(), RepairResolve: cfg.SLA.RepairResolve.D(),
			RepairResolveMax: cfg.SLA.RepairResolveMax.D(), ComplaintApology: cfg.SLA.ComplaintApology.D(),
			ComplaintSolution: cfg.SLA.ComplaintSolve.D(), ComplaintFollowUp: cfg.SLA.ComplaintFollow.D(),
			ReturnReviewDays: cfg.SLA.ReturnReviewDays, LowScoreFollowUp: cfg.SLA.LowScoreFollowUp.D(), When: cfg.Promise},
		Limits: conversations.Limits{MaxTextBytes: cfg.Limits.MaxTextBytes, MaxTextChars: cfg.Limits.MaxTextChars, MaxUploadBytes: cfg.Limits.MaxUploadBytes,
			VerifyAttempts: cfg.Limits.VerifyAttempts, VerifyCooldown: cfg.Limits.VerifyCooldown.D(),
			VerifyIdle: cfg.Limits.VerifyIdle.D()},
		Shop: conversations.Shop{Name: cfg.Shop.Name, Phone: cfg.Shop.Phone, Days: cfg.Calendar.Weekdays(), Hours: cfg.Calendar.Hours(),
			Open: cfg.Calendar.IsWorkingDay},

		// The customer's products: knowledge base, warranty card links, care reminders.
		Products:  conversations.ProductsEnv{Knowledge: cfg.Products.KnowledgeBase(), BaseURL: cfg.Products.BaseURL(cfg.Addr)},
		CareRules: cfg.Products.Care(),
	}

	// The channels: the web chat and the staff page always, Slack and
	// Telegram when configured. Slack, when set, takes the staff posts.
	chat := &webchat.Chat{Desk: dk, History: db, Sessions: db, Photos: pics, Log: log, Now: time.Now, Limits: cfg.WebChat,
		ShopName: cfg.Shop.Name, MaxTextChars: cfg.Limits.MaxTextChars}
	staff := &staffweb.Page{Desk: dk, Cases: db, Photos: pics, Log: log, Now: time.Now, Location: cfg.Calendar.Location(),
		Digests: scheduler.OnDemand{Store: db, Cal: &cfg.Calendar, Now: time.Now, ChartFont: cfg.ChartFont, Log: log}}
	channels := map[string]outbox.Channel{webchat.ChannelName: chat, bot.StaffChannel: staff}
	var sl *slackdesk.Slack
	if sc := cfg.Slack; sc.BotToken != "" {
		sl = slackdesk.New(slackdesk.Config{BotToken: sc.BotToken, AppToken: sc.AppToken, SigningSecret: sc.SigningSecret,
			StaffChannel: sc.StaffChannel, ManagersChannel: sc.ManagersChannel, APIURL: sc.APIURL,
			NoteByDefault: sc.NoteByDefault, Location: cfg.Calendar.Location(), Lang: conversations.Lang(cfg.StaffLanguage())},
			dk, db, pics, log, time.Now)
		channels[bot.StaffChannel] = sl
	}
	var tg *telegram.Channel
	if tc := cfg.Telegram; tc.Token != "" {
		ch, err := telegram.New(telegram.Config{Token: tc.Token, Endpoint: tc.APIEndpoint, WebhookURL: tc.WebhookURL,
			WebhookSecret: tc.WebhookSecret}, dk, pics, log, time.Now)
		if err != nil {
			return nil, fmt.Errorf("TELEGRAM_TOKEN / TELEGRAM_API_ENDPOINT: %w", err)
		}
		tg = ch
		channels[telegram.ChannelName] = tg
	}

	sender := &outbox.Sender{Store: db, Channels: channels, Now: time.Now, Config: cfg.Outbox, Metrics: m, Log: log,
		Signal: wake, AfterSend: dk.AfterSend, Died: dk.MessageDied}
	calendar := &cfg.Calendar
	api := &backoffice.API{Store: db, Desk: dk, Token: cfg.APIToken, Location: cfg.Calendar.Location(), Now: time.Now,
		Log: log, PhotoBody: pics.Read, Calendar: calendar, Knowledge: cfg.Products.KnowledgeBase()}

	// The scheduler, in the shop's zone; one replica runs each job, by a
	// Redis lock or a lease in SQLite.
	var locker scheduler.Locker = &scheduler.StoreLocker{Store: db, Now: time.Now}
	if rdb != nil {
		id, err := db.InstallID(ctx)
		if err != nil {
			return nil, err
		}
		locker = scheduler.NewRedisLocker(rdb, redisPrefix(id))
	}
	sched, err := scheduler.NewWithTable(ctx, cfg.Calendar.Location(), time.Now, log, locker, scheduler.Table(scheduler.TableConfig{
		Jobs: &scheduler.Jobs{Store: db, Desk: dk, Cal: calendar, Log: log, Metrics: ops,
			Lang: conversations.Lang(cfg.StaffLanguage()), ChartFont: cfg.ChartFont},
		Reporter: dk, Photos: pics, DigestAt: cfg.DigestAt, RetentionDays: cfg.Limits.RetentionDays, CallBacks: dk, Visits: dk,
		Quality: dk, Products: dk, Parts: dk, PartsRemindBefore: time.Duration(cfg.PartsRemindDays) * 24 * time.Hour,
		PhotoGrace: cfg.Limits.DialogTTL.D(), DedupeWindow: time.Duration(cfg.Limits.InboundDedupeHours) * time.Hour,
	}))
	if err != nil {
		return nil, err
	}
	sched.Metrics = ops
	return &desk{cfg: cfg, log: log, reg: reg, db: db, claim: claim, state: state, rdb: rdb, photos: pics, desk: dk, chat: chat,
		staff: staff, slack: sl, tg: tg, sender: sender, api: api, sched: sched,
		warranty: &warranty.Page{Cards: db, Shop: cfg.Shop.Name, BaseURL: cfg.Products.BaseURL(cfg.Addr), Now: time.Now, Location: cfg.Calendar.Location(), Log: log}}, nil
}

// redisPrefix namespaces this installation's Redis keys by its install id:
// two desks with their own stores sharing one Redis never meet.
func redisPrefix(installID string) string { return "frontdesk:" + installID + ":" }

// openState opens the dialog state: in Redis when REDIS_URL is set (rdb is
// its client), embedded in the store otherwise.
func openState(ctx context.Context, cfg config.Config, db *store.DB) (dialogstate.Store, *redis.Client, error) {
	ttl := cfg.Limits.DialogTTL.D()
	if cfg.RedisURL == "" {
		return dialogstate.NewEmbedded(db, ttl, time.Now), nil, nil
	}
	id, err := db.InstallID(ctx)
	if err != nil {
		return nil, nil, err
	}
	opts, err := redis.ParseURL(cfg.RedisURL)
	if err != nil {
		return nil, nil, fmt.Errorf("REDIS_URL: %w", err)
	}
	rdb := redis.NewClient(opts)
	state := dialogstate.NewRedis(rdb, redisPrefix(id)+"dialog:", ttl)
	if err := state.Ping(ctx); err != nil {
		rdb.Close()
		return nil, nil, fmt.Errorf("REDIS_URL %s does not answer: %w", opts.Addr, err)
	}
	return state, rdb, nil
}

// firstAdmin makes the admin account at the very first start, when the
// store has no staff account (STF-1), and says how staff log in. A password
// made up here is in this answer, printed once on the start-up output and
// never again: the next start finds the account.
func (d *desk) firstAdmin(ctx context.Context) (string, error) {
	created, made, err := d.desk.FirstAdmin(ctx, d.cfg.AdminPassword)
	switch {
	case err != nil:
		return "", fmt.Errorf("the first admin account (FRONTDESK_ADMIN_PASSWORD): %w", err)
	case created && made != "":
		return "first start: account " + bot.FirstAdminLogin + " (role admin) made with the password " + made +
			" (shown this once; change it at /staff/admin, or set FRONTDESK_ADMIN_PASSWORD before the first start)", nil
	case created:
		return "first start: account " + bot.FirstAdminLogin + " (role admin) made with the password from FRONTDESK_ADMIN_PASSWORD", nil
	}
	return "log in with your own account; admins manage accounts at /staff/admin or with `frontdesk staff`", nil
}

func (d *desk) stateKind() string {
	if d.rdb != nil {
		return "redis"
	}
	return "embedded"
}

func (d *desk) close() {
	if d.rdb != nil {
		d.rdb.Close()
	}
	d.db.Close()
	d.claim.Release()
}

func (d *desk) loadDemo(ctx context.Context, stdout io.Writer) error {
	hints, err := store.LoadDemo(ctx, d.db, time.Now(), d.cfg.Calendar.Location())
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "demo data loaded; in the web chat choose \"Where is my order\" and verify with:")
	for _, h := range hints {
		fmt.Fprintf(stdout, "  order %s, phone last four %s (%s: %s)\n", h.OrderNo, h.LastFour, h.Customer, h.Describes)
	}
	return nil
}

func (d *desk) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"ok"}`+"\n")
	})
	mux.HandleFunc("GET /readyz", d.ready)
	if d.cfg.MetricsAddr == "" {
		mux.Handle("GET /metrics", d.metrics())
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/chat", http.StatusFound)
	})
	d.chat.Routes(mux)
	d.api.Routes(mux)
	d.staff.Routes(mux)
	d.warranty.Routes(mux) // the electronic warranty cards (ARC-2)
	if d.slack != nil && d.cfg.Slack.AppToken == "" {
		d.slack.Routes(mux)
	}
	if d.tg != nil && d.cfg.Telegram.WebhookURL != "" {
		mux.Handle("POST /telegram/webhook", d.tg)
	}
	mux.Handle("GET /favicon.ico", http.RedirectHandler("/staff/favicon.svg", http.StatusMovedPermanently))
	return metrics.NewHTTP(d.reg).Wrap(mux) // requests by route, status and duration
}

// ready reports whether the desk can work: the store can write (a full
// disk or a read-only file makes it unready) and Redis, when configured,
// answers. The answer names the parts and their state only
// ({"store":"ok","redis":"unavailable"}); the reasons go to the log.
func (d *desk) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	status := http.StatusOK
	check := func(part string, err error) string {
		if err == nil {
			return "ok"
		}
		status = http.StatusServiceUnavailable
		d.log.Warn("readyz: not ready", "part", part, "err", err)
		return "unavailable"
	}
	var body struct {
		Store string `json:"store"`
		Redis string `json:"redis,omitempty"`
	}
	body.Store = check("store", d.db.CheckWrite(ctx, time.Now()))
	if d.rdb != nil {
		body.Redis = check("redis", d.rdb.Ping(ctx).Err())
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// run serves until ctx ends, then shuts down in order: stop taking input,
// let in-flight requests finish, let the outbox finish the delivery in hand
// (what is left stays pending in the store), stop the scheduler. /metrics
// is served on metricsLn when it is given.
func (d *desk) run(ctx context.Context, ln, metricsLn net.Listener) error {
	srv := newHTTPServer(d.handler(), d.cfg.HTTP)
	stopMetrics := func(context.Context) error { return nil }
	if metricsLn != nil {
		stopMetrics = d.metricsServer(metricsLn)
	}
	d.sched.Start()
	senderCtx, stopSender := context.WithCancel(context.Background())
	senderDone := make(chan struct{})
	go func() {
		defer close(senderDone)
		d.sender.Run(senderCtx)
	}()
	slackDone := make(chan struct{})
	go func() {
		defer close(slackDone)
		if d.slack != nil && d.cfg.Slack.AppToken != "" {
			if err := d.slack.RunSocketMode(ctx); err != nil {
				d.log.Error("slack: socket mode stopped", "err", err)
			}
		}
	}()
	tgDone := make(chan struct{})
	go func() {
		defer close(tgDone)
		if d.tg != nil {
			if err := d.tg.Run(ctx); err != nil {
				d.log.Error("telegram: stopped", "err", err)
			}
		}
	}()
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()

	var err error
	select {
	case <-ctx.Done():
	case err = <-serveErr:
	}
	d.log.Info("frontdesk: shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	d.chat.Stop()
	if e := srv.Shutdown(shutdownCtx); e != nil && !errors.Is(e, http.ErrServerClosed) {
		err = errors.Join(err, e)
	}
	if e := stopMetrics(shutdownCtx); e != nil {
		err = errors.Join(err, e)
	}
	stopSender()
	for _, done := range []chan struct{}{senderDone, tgDone, slackDone} {
		select {
		case <-done:
		case <-shutdownCtx.Done():
		}
	}
	d.sched.Stop(shutdownCtx)
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}
