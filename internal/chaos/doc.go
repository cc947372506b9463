// Package chaos holds the chaos suite (chaos_test.go): it builds the real
// frontdesk binary, runs it as a child process against a throwaway
// redis-server and the Telegram and Slack fakes, puts a bounded load of
// web-chat and Telegram customers and a staff member on it, and injects one
// fault at a time (kill -9, Redis restart and freeze, Telegram 429 storms,
// 500 bursts, a hung call, a poison update, a full data folder, SIGTERM),
// counting what the customers lost, got twice or waited for.
//
// go test ./internal/chaos runs the short form; go test -tags chaos
// ./internal/chaos -run Chaos -v (or FRONTDESK_CHAOS=long) runs every fault
// with more load. The package has no code outside its tests.
package chaos
