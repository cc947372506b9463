package main

import (
	"math/rand/v2"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"frontdesk/bot/telegram/telegramtest"
)

// benchCustomers is how many Telegram customers talk to the desk at once.
const benchCustomers = 100

// benchScript is one customer's visit in taps and texts: the menu, where
// is my order, verification by order number and the phone's last four
// digits, and the menu again.
var benchScript = []struct{ text, tap string }{
	{text: "/start"}, {tap: "menu:where"}, {text: "SO-1001"}, {text: "1234"}, {text: "/start"},
}

// BenchmarkTelegramLatency runs `frontdesk serve --demo` against the Bot
// API fake, strict about Telegram's limits (it answers 429 to a send over
// them, as Telegram does), with benchCustomers customers at once, each
// thinking a few seconds between messages (FRONTDESK_BENCH_THINK, default
// 8s: 100 customers then write about 12 messages a second, and the desk's
// answers stay under Telegram's 30 a second). It reports the p50 and p99
// time from a customer's update to the first message of the bot's answer,
// the p99 to its last message (an answer of several messages), and the
// sends the fake counted over Telegram's limits (to be 0).
//
//	go test -run XXX -bench TelegramLatency -benchtime 1x .
func BenchmarkTelegramLatency(b *testing.B) {
	think := 8 * time.Second
	if s := os.Getenv("FRONTDESK_BENCH_THINK"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			b.Fatalf("FRONTDESK_BENCH_THINK=%q: %v", s, err)
		}
		think = d
	}
	fake := telegramtest.New(b)
	fake.Strict()
	env := freshEnv(b)
	env["TELEGRAM_TOKEN"], env["TELEGRAM_API_ENDPOINT"] = fake.Token, fake.URL
	start(b, env, "--demo")

	var mu sync.Mutex
	var steps []stepTimes
	missing := 0
	b.ResetTimer()
	for b.Loop() {
		var wg sync.WaitGroup
		for c := range benchCustomers {
			wg.Add(1)
			go func(chat int64) {
				defer wg.Done()
				mine, lost := benchCustomer(fake, chat, think)
				mu.Lock()
				steps, missing = append(steps, mine...), missing+lost
				mu.Unlock()
			}(int64(700000 + c))
		}
		wg.Wait()
	}
	b.StopTimer()
	if len(steps) == 0 {
		b.Fatal("no answer reached the fake")
	}
	first, whole := make([]time.Duration, len(steps)), make([]time.Duration, len(steps))
	for i, s := range steps {
		first[i], whole[i] = s.first, s.whole
	}
	b.ReportMetric(quantileMS(first, 0.50), "p50_ms")
	b.ReportMetric(quantileMS(first, 0.99), "p99_ms")
	b.ReportMetric(quantileMS(whole, 0.99), "p99_whole_ms")
	b.ReportMetric(float64(len(steps)), "answers")
	b.ReportMetric(float64(missing), "unanswered")
	b.ReportMetric(float64(fake.OverLimit()), "over_limit")
	if missing > 0 || fake.OverLimit() > 0 {
		b.Errorf("%d steps unanswered, %d sends over Telegram's limits", missing, fake.OverLimit())
	}
}

// quantileMS is the q-quantile of ds in milliseconds.
func quantileMS(ds []time.Duration, q float64) float64 {
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return float64(ds[int(q*float64(len(ds)-1))].Microseconds()) / 1000
}

// benchCustomer walks one customer through benchScript and returns, per
// step, the time from the update to the first message of the answer.
func benchCustomer(fake *telegramtest.Server, chat int64, think time.Duration) (out []stepTimes, missing int) {
	time.Sleep(time.Duration(rand.Int64N(int64(think)))) // customers arrive over one thinking time
	for _, step := range benchScript {
		before := len(fake.SentTo(chat))
		u := telegramtest.TextFrom(chat, step.text, "zh-hans")
		if step.tap != "" {
			u = telegramtest.CallbackFrom(chat, step.tap, "zh-hans")
		}
		sent := time.Now()
		fake.Push(u)
		answer, ok := firstAnswer(fake, chat, before, 10*time.Second)
		if !ok {
			missing++
			continue
		}
		time.Sleep(think/2 + time.Duration(rand.Int64N(int64(think))))
		got := fake.SentTo(chat)
		out = append(out, stepTimes{first: answer.Sub(sent), whole: got[len(got)-1].At.Sub(sent)})
	}
	return out, missing
}

// stepTimes are the times from a customer's update to the first and to the
// last message of the bot's answer.
type stepTimes struct{ first, whole time.Duration }

// firstAnswer waits until chat has more than before messages and returns
// when the fake took the first new one.
func firstAnswer(fake *telegramtest.Server, chat int64, before int, wait time.Duration) (time.Time, bool) {
	deadline := time.Now().Add(wait)
	for time.Now().Before(deadline) {
		if got := fake.SentTo(chat); len(got) > before {
			return got[before].At, true
		}
		time.Sleep(2 * time.Millisecond)
	}
	return time.Time{}, false
}
