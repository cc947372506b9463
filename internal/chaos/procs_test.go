package chaos

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"frontdesk/internal/testkit/base"
)

// The processes of the suite: the frontdesk binary built once, the desk
// run from it as a child, and a throwaway redis-server the suite may
// restart and freeze. Every child gets SIGKILL when the test process dies
// (Pdeathsig) and is stopped by t.Cleanup.

// buildDesk builds the frontdesk binary, without -race, into a temporary
// folder, and returns its path.
func buildDesk(t *testing.T) string {
	t.Helper()
	goBin := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := os.Stat(goBin); err != nil {
		if goBin, err = exec.LookPath("go"); err != nil {
			t.Skip("chaos: no go command to build the desk with")
		}
	}
	root := moduleRoot(t, goBin)
	bin := filepath.Join(t.TempDir(), "frontdesk")
	cmd := exec.Command(goBin, "build", "-o", bin, ".")
	cmd.Dir = root
	// The child is built without the race detector whatever the test
	// process was built with; otherwise as go build would, so the build
	// cache that go vet and go build filled serves it.
	cmd.Env = withoutVar(os.Environ(), "GOFLAGS")
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("chaos: go build: %v\n%s", err, out)
	}
	t.Logf("chaos: built the desk in %.1fs", time.Since(start).Seconds())
	return bin
}

func moduleRoot(t *testing.T, goBin string) string {
	out, err := exec.Command(goBin, "env", "GOMOD").Output()
	mod := strings.TrimSpace(string(out))
	if err != nil || mod == "" || mod == os.DevNull {
		t.Fatalf("chaos: cannot find go.mod: %v %q", err, out)
	}
	return filepath.Dir(mod)
}

func withoutVar(env []string, name string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// freePort asks the kernel for a port that is free now; the desk keeps it
// across restarts, so customers reconnect to the same address.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// child is one run of a child process.
type child struct {
	cmd  *exec.Cmd
	done chan struct{}
	err  error // the exit, once done is closed
}

func startChild(bin string, args, env []string, log *os.File) (*child, error) {
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, done: make(chan struct{})}
	go func() { c.err = cmd.Wait(); close(c.done) }()
	return c, nil
}

func (c *child) signal(sig syscall.Signal) { c.cmd.Process.Signal(sig) }

// wait waits up to d for the child to end.
func (c *child) wait(d time.Duration) bool {
	select {
	case <-c.done:
		return true
	case <-time.After(d):
		return false
	}
}

func (c *child) running() bool {
	select {
	case <-c.done:
		return false
	default:
		return true
	}
}

// kill ends the child with SIGKILL, after SIGCONT in case it was frozen.
func (c *child) kill() {
	if c == nil || !c.running() {
		return
	}
	c.signal(syscall.SIGCONT)
	c.signal(syscall.SIGKILL)
	c.wait(10 * time.Second)
}

// deskProc runs the frontdesk binary, restarted as the faults need.
type deskProc struct {
	t    *testing.T
	bin  string
	env  []string
	base string
	log  *os.File

	mu  sync.Mutex
	cur *child
}

func newDeskProc(t *testing.T, bin string, env []string, addr string, logDir string) *deskProc {
	log, err := os.Create(filepath.Join(logDir, "frontdesk.log"))
	if err != nil {
		t.Fatal(err)
	}
	d := &deskProc{t: t, bin: bin, env: env, base: "http://" + addr, log: log}
	t.Cleanup(func() {
		d.mu.Lock()
		d.cur.kill()
		d.mu.Unlock()
		log.Close()
	})
	return d
}

// start runs the desk and waits until /healthz answers.
func (d *deskProc) start(args ...string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cur != nil && d.cur.running() {
		return errors.New("the desk is running already")
	}
	fmt.Fprintf(d.log, "\n==== chaos: start %s at %s\n", strings.Join(args, " "), time.Now().Format(time.RFC3339Nano))
	c, err := startChild(d.bin, append([]string{"serve"}, args...), d.env, d.log)
	if err != nil {
		return err
	}
	d.cur = c
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if !c.running() {
			return fmt.Errorf("the desk stopped at start: %v (log %s)", c.err, d.log.Name())
		}
		if res, err := quick.Get(d.base + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("the desk did not answer /healthz within 60 s (log %s)", d.log.Name())
}

// stop sends sig and waits up to d for the desk to end; it reports
// whether it ended and its exit.
func (d *deskProc) stop(sig syscall.Signal, within time.Duration) (bool, error) {
	d.mu.Lock()
	c := d.cur
	d.mu.Unlock()
	fmt.Fprintf(d.log, "\n==== chaos: signal %v at %s\n", sig, time.Now().Format(time.RFC3339Nano))
	c.signal(sig)
	if !c.wait(within) {
		return false, nil
	}
	return true, c.err
}

// logSize is where the desk's log ends now.
func (d *deskProc) logSize() int64 {
	st, err := os.Stat(d.log.Name())
	if err != nil {
		return 0
	}
	return st.Size()
}

// errorsSince counts the desk's ERROR lines after offset, grouped by
// message.
func (d *deskProc) errorsSince(offset int64) map[string]int {
	b, _ := os.ReadFile(d.log.Name())
	out := map[string]int{}
	if offset > int64(len(b)) {
		return out
	}
	for _, line := range strings.Split(string(b[offset:]), "\n") {
		if !strings.Contains(line, "level=ERROR") {
			continue
		}
		msg := line
		if i := strings.Index(line, "msg="); i >= 0 {
			msg = line[i+len("msg="):]
			if j := strings.Index(msg, "\" "); j >= 0 && strings.HasPrefix(msg, "\"") {
				msg = msg[:j+1]
			} else if j := strings.Index(msg, " "); j >= 0 && !strings.HasPrefix(msg, "\"") {
				msg = msg[:j]
			}
		}
		out[msg]++
	}
	return out
}

// longestRetry finds, after offset, the longest wait the outbox put on a
// message it will try again, and that log line.
func (d *deskProc) longestRetry(offset int64) (time.Duration, string) {
	b, _ := os.ReadFile(d.log.Name())
	var longest time.Duration
	var which string
	if offset > int64(len(b)) {
		return 0, ""
	}
	for _, line := range strings.Split(string(b[offset:]), "\n") {
		if !strings.Contains(line, "will retry") {
			continue
		}
		_, rest, ok := strings.Cut(line, " in=")
		if !ok {
			continue
		}
		v, _, _ := strings.Cut(rest, " ")
		if w, err := time.ParseDuration(v); err == nil && w > longest {
			longest, which = w, line
		}
	}
	return longest, which
}

// tail is the end of the desk's log, for a failure message.
func (d *deskProc) tail(n int) string {
	b, _ := os.ReadFile(d.log.Name())
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// redisProc is a throwaway redis-server that keeps nothing on disk, on a
// port of its own: the machine's Redis on 6379 is never touched.
type redisProc struct {
	t    *testing.T
	bin  string
	port int
	dir  string
	log  *os.File

	mu  sync.Mutex
	cur *child
}

func newRedisProc(t *testing.T, logDir string) *redisProc {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("chaos: redis-server is not installed (apt-get install -y redis-server)")
	}
	log, err := os.Create(filepath.Join(logDir, "redis.log"))
	if err != nil {
		t.Fatal(err)
	}
	r := &redisProc{t: t, bin: bin, port: freePort(t), dir: t.TempDir(), log: log}
	t.Cleanup(func() {
		r.mu.Lock()
		r.cur.kill()
		r.mu.Unlock()
		log.Close()
	})
	return r
}

func (r *redisProc) addr() string { return "127.0.0.1:" + strconv.Itoa(r.port) }
func (r *redisProc) url() string  { return "redis://" + r.addr() + "/0" }

// start runs redis-server without persistence and waits for PONG.
func (r *redisProc) start() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := startChild(r.bin, []string{"--bind", "127.0.0.1", "--port", strconv.Itoa(r.port),
		"--save", "", "--appendonly", "no", "--dir", r.dir}, nil, r.log)
	if err != nil {
		return err
	}
	r.cur = c
	for i := 0; i < 250; i++ {
		if base.RedisAnswers(r.addr()) {
			return nil
		}
		if !c.running() {
			return fmt.Errorf("redis-server stopped at start: %v", c.err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return errors.New("redis-server did not answer PING within 5 s")
}

// kill ends redis-server at once: everything in it is gone.
func (r *redisProc) kill() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cur.kill()
}

// freeze stops the server (SIGSTOP) or lets it go on (SIGCONT): clients
// connect and wait, as with a Redis stuck on a slow disk or a full host.
func (r *redisProc) freeze(on bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if on {
		r.cur.signal(syscall.SIGSTOP)
	} else {
		r.cur.signal(syscall.SIGCONT)
	}
}

// The full data folder: where mounting is allowed (root, or a container
// with CAP_SYS_ADMIN), the data folder is a small tmpfs of its own, which
// the fault fills to the last byte and then empties.

// mountTmpfs mounts a tmpfs of size bytes on dir; it returns why not when
// it cannot.
func mountTmpfs(t *testing.T, dir string, size int) string {
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+strconv.Itoa(size), "tmpfs", dir).CombinedOutput()
	if err != nil {
		return fmt.Sprintf("mount -t tmpfs is not allowed here (%v: %s)", err, bytes.TrimSpace(out))
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Logf("chaos: umount %s: %v %s; detaching it", dir, err, out)
			exec.Command("umount", "-l", dir).Run()
		}
	})
	return ""
}

// fill writes a file into dir until the file system is full, and returns
// its path.
func fill(dir string) (string, error) {
	path := filepath.Join(dir, "chaos-filler")
	f, err := os.Create(path)
	if err != nil {
		return path, err
	}
	defer f.Close()
	chunk := make([]byte, 1<<20)
	for _, size := range []int{1 << 20, 64 << 10, 4 << 10, 512} {
		for {
			if _, err := f.Write(chunk[:size]); err != nil {
				if errors.Is(err, syscall.ENOSPC) {
					break
				}
				return path, err
			}
		}
	}
	return path, nil
}

// freeBytes is what a file system has left for an ordinary write.
func freeBytes(dir string) int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return -1
	}
	return int64(st.Bavail) * int64(st.Bsize)
}
