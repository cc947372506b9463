package base

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisInstall is what a machine without Redis needs.
const RedisInstall = "apt-get install -y redis-server"

var (
	redisOnce sync.Once
	redisURL  string
	redisErr  error
)

// RedisURL returns the address of a Redis for the tests: REDIS_URL when
// set, else 127.0.0.1:6379 when it answers, else a throwaway redis-server
// started once per test process from the installed binary (it keeps nothing
// on disk and dies with the process). With none of these the test fails at
// once with the install command.
func RedisURL(tb testing.TB) string {
	tb.Helper()
	redisOnce.Do(func() { redisURL, redisErr = findRedis() })
	if redisErr != nil {
		tb.Fatal(redisErr)
	}
	return redisURL
}

// Redis returns a client of RedisURL, closed when the test ends.
func Redis(tb testing.TB) *redis.Client {
	tb.Helper()
	opts, err := redis.ParseURL(RedisURL(tb))
	if err != nil {
		tb.Fatalf("REDIS_URL: %v", err)
	}
	rdb := redis.NewClient(opts)
	if err := rdb.Ping(context.Background()).Err(); err != nil {
		tb.Fatalf("Redis at %s does not answer: %v", opts.Addr, err)
	}
	tb.Cleanup(func() { rdb.Close() })
	return rdb
}

// RedisPrefix gives each test its own Redis keys, so that tests (and test
// processes) sharing one server never see each other's.
func RedisPrefix(tb testing.TB) string {
	return fmt.Sprintf("fdtest:%s:%d:", tb.Name(), time.Now().UnixNano())
}

func findRedis() (string, error) {
	if url := os.Getenv("REDIS_URL"); url != "" {
		return url, nil
	}
	return findRedisAt("127.0.0.1:6379")
}

// findRedisAt returns the Redis at addr when it answers, else starts one.
func findRedisAt(addr string) (string, error) {
	if RedisAnswers(addr) {
		return "redis://" + addr + "/0", nil
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return "", fmt.Errorf("no Redis answers on 127.0.0.1:6379 and redis-server is not installed: %s (or set REDIS_URL)", RedisInstall)
	}
	port, err := freePort()
	if err != nil {
		return "", err
	}
	dir, err := os.MkdirTemp("", "frontdesk-redis-")
	if err != nil {
		return "", err
	}
	cmd := exec.Command(bin, "--bind", "127.0.0.1", "--port", strconv.Itoa(port), "--save", "", "--appendonly", "no", "--dir", dir)
	// The server dies with the test process, however that ends.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start %s: %w", bin, err)
	}
	addr = "127.0.0.1:" + strconv.Itoa(port)
	for i := 0; i < 100 && !RedisAnswers(addr); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if !RedisAnswers(addr) {
		return "", fmt.Errorf("the throwaway redis-server on %s did not start", addr)
	}
	return "redis://" + addr + "/0", nil
}

// RedisAnswers reports whether a Redis on addr (host:port) answers PING
// within a second.
func RedisAnswers(addr string) bool {
	c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
	if err != nil {
		return false
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return false
	}
	buf := make([]byte, 5)
	n, _ := c.Read(buf)
	return string(buf[:n]) == "+PONG"
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
