package chaos

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"frontdesk/bot/slack/slackfake"
	"frontdesk/bot/telegram/telegramtest"
)

const slackSecret = "chaos-secret"

// form is the size of a run: the short form in every go test ./..., the
// long one with -tags chaos or FRONTDESK_CHAOS=long.
type form struct {
	long        bool
	web, tg     int           // customers walking the order script, per channel
	answerWait  time.Duration // an answer later than this after the fault ended is lost
	injectAfter time.Duration // the fault comes this far into the load
}

// harness is the desk with everything around it, for the whole run.
type harness struct {
	t     *testing.T
	form  form
	desk  *deskProc
	redis *redisProc
	tg    *telegramtest.Server
	slack *slackfake.Server
	data  string
	// noTmpfs says why the data folder is not a tmpfs of its own ("" when
	// it is, and the full-folder fault can run).
	noTmpfs string
	seq     atomic.Int64
}

func newHarness(t *testing.T, f form, wantTmpfs bool) *harness {
	h := &harness{t: t, form: f}
	logs := keptLogs(t)
	h.data = t.TempDir()
	h.noTmpfs = "not in this run"
	if wantTmpfs {
		h.noTmpfs = mountTmpfs(t, h.data, 64<<20)
	}
	bin := buildDesk(t)
	h.redis = newRedisProc(t, logs)
	if err := h.redis.start(); err != nil {
		t.Fatalf("chaos: %v", err)
	}
	h.tg = telegramtest.New(t)
	h.slack = slackfake.New(t)
	addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"FRONTDESK_ADDR=" + addr, "FRONTDESK_DATA=" + h.data, "REDIS_URL=" + h.redis.url(),
		"FRONTDESK_ADMIN_PASSWORD=chaos admin password",
		"TELEGRAM_TOKEN=" + h.tg.Token, "TELEGRAM_API_ENDPOINT=" + h.tg.URL,
		"SLACK_BOT_TOKEN=xoxb-chaos", "SLACK_SIGNING_SECRET=" + slackSecret, "SLACK_STAFF_CHANNEL=CSTAFF",
		"SLACK_MANAGERS_CHANNEL=CMGR", "SLACK_API_URL=" + h.slack.URL}
	// The staff member who works the cases in Slack, as U7.
	add := exec.Command(bin, "staff", "add", "chaos", "--name", "值班员", "--role", "clerk", "--slack", "U7")
	add.Env = env
	if out, err := add.CombinedOutput(); err != nil {
		t.Fatalf("chaos: staff add: %v\n%s", err, out)
	}
	h.desk = newDeskProc(t, bin, env, addr, logs)
	if err := h.desk.start("--demo"); err != nil {
		t.Fatalf("chaos: %v\n%s", err, h.desk.tail(30))
	}
	return h
}

// keptLogs is a folder for the logs of the desk and Redis, kept when the
// test fails.
func keptLogs(t *testing.T) string {
	dir, err := os.MkdirTemp("", "frontdesk-chaos-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("chaos: the logs are kept in %s", dir)
			return
		}
		os.RemoveAll(dir)
	})
	return dir
}

// window is a stretch of time.
type window struct{ from, to time.Time }

// phase is one fault under load.
type phase struct {
	h     *harness
	name  string
	start time.Time
	cap   time.Time // nothing in the phase waits past this

	mu         sync.Mutex
	faultStart time.Time
	faultEnd   time.Time
	kills      []time.Time
	notReady   []window // readyz must not say ready here
	unjudged   []window // the desk is down or stopping: readyz is not judged
	problems   []string // what went wrong beyond the counts (a desk that did not stop …)
	notes      []string
	poison     []int64 // Telegram chats that sent a poison update

	samples []sample
}

func (p *phase) begin() {
	p.mu.Lock()
	p.faultStart = time.Now()
	p.mu.Unlock()
}

func (p *phase) end() {
	p.mu.Lock()
	p.faultEnd = time.Now()
	p.mu.Unlock()
}

func (p *phase) problem(format string, args ...any) {
	p.mu.Lock()
	p.problems = append(p.problems, fmt.Sprintf(format, args...))
	p.mu.Unlock()
}

func (p *phase) note(format string, args ...any) {
	p.mu.Lock()
	p.notes = append(p.notes, fmt.Sprintf(format, args...))
	p.mu.Unlock()
}

func (p *phase) pastCap() bool { return time.Now().After(p.cap) }

// overdue reports whether a message sent at sentAt has waited too long:
// answerWait after it was sent or after the fault ended, whichever is
// later; while the fault lasts nothing is overdue.
func (p *phase) overdue(sentAt time.Time) bool {
	now := time.Now()
	if now.After(p.cap) {
		return true
	}
	p.mu.Lock()
	fs, fe := p.faultStart, p.faultEnd
	p.mu.Unlock()
	if !fs.IsZero() && fe.IsZero() {
		return false
	}
	base := sentAt
	if fe.After(base) {
		base = fe
	}
	return now.After(base.Add(p.h.form.answerWait))
}

// sample is one GET /readyz.
type sample struct {
	from, to time.Time
	status   int // 0: refused (the desk is down); -1: no answer within the probe's timeout
}

// probeReady asks /readyz every 200 ms, each request on its own so that a
// slow answer does not hide the next, until stop is closed. Like an
// orchestrator's probe it gives up after 3 s (the desk's own checks take
// at most 2 s), and counts that as not ready.
func (p *phase) probeReady(stop <-chan struct{}) {
	var wg sync.WaitGroup
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	client := &http.Client{Timeout: 3 * time.Second}
	for {
		select {
		case <-stop:
			wg.Wait()
			return
		case <-tick.C:
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := sample{from: time.Now()}
			res, err := client.Get(p.h.desk.base + "/readyz")
			var netErr net.Error
			switch {
			case err == nil:
				res.Body.Close()
				s.status = res.StatusCode
			case errors.As(err, &netErr) && netErr.Timeout():
				s.status = -1
			}
			s.to = time.Now()
			p.mu.Lock()
			p.samples = append(p.samples, s)
			p.mu.Unlock()
		}()
	}
}

// readyTruth judges the samples: inside a must-not-be-ready window (after
// a short grace for the fault to bite) the desk must not say ready; away
// from every window (after a settle time for the recovery) it must. Refused
// samples, and those touching a window where the desk is down or stopping,
// are not judged; a probe that timed out counts as not ready.
func (p *phase) readyTruth() (judged, inFault, lies int, detail string, examples []string) {
	const grace, settle = 300 * time.Millisecond, 2 * time.Second
	p.mu.Lock()
	defer p.mu.Unlock()
	var saidReady, saidNot int
	for _, s := range p.samples {
		if s.status == 0 || touches(s, p.unjudged, settle) {
			continue
		}
		inside := false
		for _, w := range p.notReady {
			if !s.from.Before(w.from.Add(grace)) && !s.to.After(w.to) {
				inside = true
			}
		}
		switch {
		case inside:
			judged++
			inFault++
			if s.status == http.StatusOK {
				lies++
				saidReady++
				if len(examples) < 2 {
					examples = append(examples, fmt.Sprintf("readyz: 200 asked at %s, answered at %s, in the fault", p.at(s.from), p.at(s.to)))
				}
			}
		case !touches(s, p.notReady, settle):
			judged++
			if s.status != http.StatusOK {
				lies++
				saidNot++
				if len(examples) < 2 {
					examples = append(examples, fmt.Sprintf("readyz: %d asked at %s, answered at %s, all well", s.status, p.at(s.from), p.at(s.to)))
				}
			}
		}
	}
	if saidReady > 0 {
		detail += fmt.Sprintf(" ready while broken %d;", saidReady)
	}
	if saidNot > 0 {
		detail += fmt.Sprintf(" not ready while fine %d;", saidNot)
	}
	return judged, inFault, lies, strings.TrimSuffix(strings.TrimSpace(detail), ";"), examples
}

func touches(s sample, ws []window, settle time.Duration) bool {
	for _, w := range ws {
		if !s.to.Before(w.from) && !s.from.After(w.to.Add(settle)) {
			return true
		}
	}
	return false
}

// backlog reads frontdesk_outbox_backlog from /metrics (-1 when the desk
// does not answer).
func (h *harness) backlog() int {
	res, err := quick.Get(h.desk.base + "/metrics")
	if err != nil {
		return -1
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "frontdesk_outbox_backlog "); ok {
			f, _ := strconv.ParseFloat(v, 64)
			return int(f)
		}
	}
	return -1
}

// recovery measures how long after the fault ended a new web-chat
// customer and a new Telegram customer are both answered and /readyz says
// ready; false when that did not happen within answerWait.
func (p *phase) recovery() (time.Duration, bool) {
	p.mu.Lock()
	end := p.faultEnd
	p.mu.Unlock()
	until := end.Add(p.h.form.answerWait)
	var wg sync.WaitGroup
	var webAt, tgAt, readyAt time.Time
	wg.Add(3)
	go func() {
		defer wg.Done()
		w, err := newWebChat(p)
		if err != nil || w.say(p, time.Now(), "/start", "") != nil {
			return
		}
		for time.Now().Before(until) {
			if count(w.replies(true), "after-sales desk") > 0 {
				webAt = time.Now()
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		c := &tgChat{fake: p.h.tg, id: 900000 + p.h.seq.Add(1)}
		c.say(p, time.Now(), "/start", "")
		for time.Now().Before(until) {
			if count(c.replies(true), "after-sales desk") > 0 {
				tgAt = time.Now()
				return
			}
		}
	}()
	go func() {
		defer wg.Done()
		for time.Now().Before(until) {
			if res, err := quick.Get(p.h.desk.base + "/readyz"); err == nil {
				res.Body.Close()
				if res.StatusCode == http.StatusOK {
					readyAt = time.Now()
					return
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
	}()
	wg.Wait()
	if webAt.IsZero() || tgAt.IsZero() || readyAt.IsZero() {
		return 0, false
	}
	last := webAt
	for _, t := range []time.Time{tgAt, readyAt} {
		if t.After(last) {
			last = t
		}
	}
	return max(0, last.Sub(end)), true
}

// result is one row of the table.
type result struct {
	fault      string
	sent       int // messages sent (customers' and the staff answers)
	answered   int
	lost       int // no answer within answerWait after the fault ended
	late       int // of the lost, answered by the end of the phase after all
	dup        int // an answer delivered twice for one message
	killRepeat int // a Telegram send repeated across a kill -9
	// killRepeatMax is the most repeats one chat had: each chat's worker
	// has at most one send in flight, so a kill -9 may repeat at most one
	// send per chat (the outbox is at least once: the send reached Telegram,
	// its mark did not reach the store).
	killRepeatMax int
	kills         int
	blocked       int // chats with a lost message while a later message of another chat was answered
	other         int // replies matching no script (shown, not judged)
	judged        int // /readyz samples judged
	inFault       int // of which while the desk had to say not ready
	hasWindow     bool
	lies          int
	readyNote     string
	recovery      time.Duration
	recovered     bool
	problems      []string
	notes         []string
	examples      []string // a few lost or doubled messages, for the log
	skipped       string
}

func (r result) failures() []string {
	var out []string
	if r.lost > 0 {
		out = append(out, fmt.Sprintf("%d lost", r.lost))
	}
	if r.dup > 0 {
		out = append(out, fmt.Sprintf("%d doubled", r.dup))
	}
	if r.killRepeatMax > r.kills {
		out = append(out, fmt.Sprintf("a chat had %d sends repeated across %d kill(s)", r.killRepeatMax, r.kills))
	}
	if r.blocked > 0 {
		out = append(out, fmt.Sprintf("%d chats blocked", r.blocked))
	}
	if r.lies > 0 {
		out = append(out, fmt.Sprintf("/readyz lied %d times (%s)", r.lies, r.readyNote))
	}
	return append(out, r.problems...)
}

// tally counts what the customers saw.
func (p *phase) tally(custs []*customer) result {
	r := result{fault: p.name, kills: len(p.kills)}
	type lostMsg struct {
		c      *customer
		sentAt time.Time
	}
	var losts []lostMsg
	for _, c := range custs {
		final := c.chat.replies(false)
		for _, s := range c.steps {
			r.sent++
			if !s.answeredAt.IsZero() {
				r.answered++
				continue
			}
			r.lost++
			losts = append(losts, lostMsg{c, s.sentAt})
			if len(r.examples) < 4 {
				r.examples = append(r.examples, fmt.Sprintf("lost: %s %q sent %s", c.name, s.label, p.at(s.sentAt)))
			}
			if i := indexOf(c.script, s.label); i >= 0 && c.script[i].expect != nil && allThere(final, c.script[i].expect) {
				r.late++
			}
		}
		repeats := 0
		byText := map[string][]reply{}
		for _, rp := range final {
			byText[rp.text] = append(byText[rp.text], rp)
			if !matchesAny(rp.text) {
				r.other++
				if len(r.examples) < 8 {
					r.examples = append(r.examples, fmt.Sprintf("other: %s got %q", c.name, clip(rp.text)))
				}
			}
		}
		for text, copies := range byText {
			for _, again := range copies[1:] {
				if c.chat.channel() == "telegram" && p.killBetween(copies[0].at, again.at) {
					r.killRepeat++
					repeats++
					r.killRepeatMax = max(r.killRepeatMax, repeats)
					continue
				}
				r.dup++
				if len(r.examples) < 8 {
					r.examples = append(r.examples, fmt.Sprintf("doubled: %s got %q at %s and %s", c.name, clip(text),
						p.at(copies[0].at), p.at(again.at)))
				}
			}
		}
	}
	blocked := map[*customer]bool{}
	for _, l := range losts {
		for _, c := range custs {
			if c != l.c && answeredAfter(c, l.sentAt) {
				blocked[l.c] = true
			}
		}
	}
	r.blocked = len(blocked)
	var readyExamples []string
	r.judged, r.inFault, r.lies, r.readyNote, readyExamples = p.readyTruth()
	r.examples = append(r.examples, readyExamples...)
	p.mu.Lock()
	r.hasWindow = len(p.notReady) > 0
	r.problems = append(r.problems, p.problems...)
	r.notes = append(r.notes, p.notes...)
	p.mu.Unlock()
	return r
}

func (p *phase) killBetween(a, b time.Time) bool {
	for _, k := range p.kills {
		if a.Before(k) && b.After(k) {
			return true
		}
	}
	return false
}

// at is a time as seconds into the phase.
func (p *phase) at(t time.Time) string { return fmt.Sprintf("+%.1fs", t.Sub(p.start).Seconds()) }

func answeredAfter(c *customer, t time.Time) bool {
	for _, s := range c.steps {
		if !s.answeredAt.IsZero() && !s.sentAt.Before(t) {
			return true
		}
	}
	return false
}

func indexOf(script []scriptStep, label string) int {
	for i, s := range script {
		if s.label == label {
			return i
		}
	}
	return -1
}

func allThere(rs []reply, expect []string) bool {
	for _, e := range expect {
		if count(rs, e) == 0 {
			return false
		}
	}
	return true
}

func matchesAny(text string) bool {
	for _, k := range known {
		if strings.Contains(text, k) {
			return true
		}
	}
	return false
}

func clip(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}
