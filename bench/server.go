package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Fake vendor credentials: in -demo the sandbox adopts them, so the
// benchmark can sign N009 notices itself. They are obviously not real.
const (
	fakeAppKey    = "bench-fake-app-key"
	fakeAppSecret = "bench-fake-app-secret-not-a-real-secret"
)

// buildBinary compiles the shop in srcDir into dir and returns its path.
func buildBinary(srcDir, dir string) (string, error) {
	bin := filepath.Join(dir, "esimshop")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = srcDir
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build in %s: %w\n%s", srcDir, err, out)
	}
	return bin, nil
}

// server is one running shop process.
type server struct {
	cmd     *exec.Cmd
	base    string    // http://127.0.0.1:port
	started time.Time // just before the process was started
	exited  chan struct{}

	mu  sync.Mutex
	log []logLine // every JSON line the process wrote to stderr

	gcs atomic.Int64 // "gc N @…" lines, with GODEBUG=gctrace=1
}

// logLine is one structured log line with the fields the benchmark reads.
type logLine struct {
	At       time.Time // when the benchmark read it
	Msg      string
	Duration time.Duration // slog writes time.Duration as nanoseconds
}

// forwardedFor is the header the benchmark's buyers name their client IP
// in. The shop rate-limits checkout per client IP; the benchmark runs it as
// it runs in production behind a reverse proxy (loopback trusted to set
// the header), so a thousand buyers are a thousand IPs, not one.
const forwardedFor = "X-Forwarded-For"

// startServer starts bin in -demo mode with a generated catalog of skus
// SKUs on a free loopback port, using the SQLite file db, with extra
// environment variables env (KEY=VALUE). Its stderr (JSON logs: stderr is
// a pipe, not a terminal) is kept in memory and copied to logPath for a
// person to read afterwards.
func startServer(bin, db string, skus int, env []string, logPath string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	return startServerOn(bin, db, skus, env, logPath, port)
}

// startServerOn is startServer on a given loopback port (a restart keeps
// the port, as a service restart does).
func startServerOn(bin, db string, skus int, env []string, logPath string, port int) (*server, error) {
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	s := &server{base: "http://" + addr, exited: make(chan struct{})}
	s.cmd = exec.Command(bin, "-demo", "-demo-skus", strconv.Itoa(skus),
		"-addr", addr, "-base-url", s.base, "-db", db)
	s.cmd.Env = append(os.Environ(), "BC_APP_KEY="+fakeAppKey, "BC_APP_SECRET="+fakeAppSecret,
		"TRUSTED_PROXY_HEADER="+forwardedFor, "TRUSTED_PROXIES=127.0.0.1")
	s.cmd.Env = append(s.cmd.Env, env...)
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		return nil, err
	}
	logFile, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	s.started = time.Now()
	if err := s.cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	go func() {
		defer logFile.Close()
		s.readLog(io.TeeReader(stderr, logFile))
		_ = s.cmd.Wait()
		close(s.exited)
	}()
	return s, nil
}

// freePort asks the kernel for a loopback port nobody uses right now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// readLog collects the process's log lines until its stderr closes.
func (s *server) readLog(r io.Reader) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var l struct {
			Msg      string `json:"msg"`
			Duration int64  `json:"duration"`
		}
		if json.Unmarshal(sc.Bytes(), &l) != nil {
			if bytes.HasPrefix(sc.Bytes(), []byte("gc ")) {
				s.gcs.Add(1)
			}
			continue // a GC trace, a panic trace or other plain text
		}
		s.mu.Lock()
		s.log = append(s.log, logLine{At: time.Now(), Msg: l.Msg, Duration: time.Duration(l.Duration)})
		s.mu.Unlock()
	}
}

// logged returns the log lines whose message starts with prefix.
func (s *server) logged(prefix string) []logLine {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []logLine
	for _, l := range s.log {
		if strings.HasPrefix(l.Msg, prefix) {
			out = append(out, l)
		}
	}
	return out
}

// startup is how long the process took to become useful.
type startup struct {
	Listening    time.Duration // process start → GET /healthz answers 200
	CatalogReady time.Duration // process start → the country page lists plans
	SyncDuration time.Duration // the "catalog synced" log line's duration; 0 if no sync ran
}

// waitReady polls until /healthz answers and then until the country page
// cc lists plans, timing both from the process start. With expectSync (an
// empty database) it also reads the sync's own duration from the log.
func (s *server) waitReady(ctx context.Context, cc string, expectSync bool, timeout time.Duration) (startup, error) {
	var st startup
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Timeout: 2 * time.Second}
	poll := func(path string, ok func(status int, body []byte) bool) (time.Duration, error) {
		for {
			select {
			case <-s.exited:
				return 0, errors.New("the shop exited during start-up; see its log")
			case <-ctx.Done():
				return 0, fmt.Errorf("waiting for %s: %w", path, ctx.Err())
			default:
			}
			if status, body, err := get(ctx, client, s.base+path); err == nil && ok(status, body) {
				return time.Since(s.started), nil
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	var err error
	if st.Listening, err = poll("/healthz", func(status int, _ []byte) bool { return status == http.StatusOK }); err != nil {
		return st, err
	}
	if st.CatalogReady, err = poll("/destinations/"+cc, func(status int, body []byte) bool {
		return status == http.StatusOK && bytes.Contains(body, []byte(`href="/plans/`))
	}); err != nil {
		return st, err
	}
	if !expectSync {
		return st, nil
	}
	// The sync logs after it swaps the snapshot in, so the line may trail
	// the first good page by a moment.
	for range 500 {
		if l := s.logged("catalog synced"); len(l) > 0 {
			st.SyncDuration = l[0].Duration
			return st, nil
		}
		time.Sleep(10 * time.Millisecond)
	}
	return st, errors.New(`no "catalog synced" line in the shop's log`)
}

// get fetches url and returns its status and body.
func get(ctx context.Context, client *http.Client, url string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// memory is the process's resident memory as the kernel reports it.
type memory struct {
	RSS, HWM int64 // bytes: current resident set and its peak
}

// readMemory reads VmRSS and VmHWM from /proc/<pid>/status.
func readMemory(pid int) (memory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memory{}, err
	}
	var m memory
	for _, line := range strings.Split(string(b), "\n") {
		key, val, ok := strings.Cut(line, ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		f := strings.Fields(val) // "12345 kB"
		if len(f) != 2 || f[1] != "kB" {
			return m, fmt.Errorf("unexpected %s line %q", key, line)
		}
		kb, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return m, err
		}
		if key == "VmRSS" {
			m.RSS = kb << 10
		} else {
			m.HWM = kb << 10
		}
	}
	if m.RSS == 0 {
		return m, errors.New("no VmRSS in /proc status")
	}
	return m, nil
}

// stop sends SIGTERM and waits for a graceful exit, killing the process
// if it takes longer than grace. It returns how long the exit took.
func (s *server) stop(grace time.Duration) (time.Duration, error) {
	t0 := time.Now()
	select {
	case <-s.exited:
		return 0, nil
	default:
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return 0, err
	}
	select {
	case <-s.exited:
		return time.Since(t0), nil
	case <-time.After(grace):
		_ = s.cmd.Process.Kill()
		<-s.exited
		return time.Since(t0), fmt.Errorf("no graceful exit within %s: killed", grace)
	}
}

// port is the loopback port the shop listens on.
func (s *server) port() int {
	_, p, _ := net.SplitHostPort(strings.TrimPrefix(s.base, "http://"))
	n, _ := strconv.Atoi(p)
	return n
}
