package billing

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMain stops stripe-mock (if a test started it) after all tests ran.
func TestMain(m *testing.M) {
	code := m.Run()
	mock.stop()
	os.Exit(code)
}

// mock is the one stripe-mock process shared by this package's tests; it
// starts on first use so tests that do not need it stay fast.
var mock stripeMock

type stripeMock struct {
	once sync.Once
	cmd  *exec.Cmd
	url  string
	err  error
}

// stripeMockURL returns the base URL of a running stripe-mock, starting it
// on first use. When it cannot start (no go.mod tool directive, no build
// cache) the calling test is skipped with the reason: the only skip these
// tests allow.
func stripeMockURL(t *testing.T) string {
	t.Helper()
	mock.once.Do(mock.start)
	if mock.err != nil {
		t.Skipf("stripe-mock unavailable, skipping a test against it: %v", mock.err)
	}
	return mock.url
}

func (m *stripeMock) start() {
	m.err = m.launch()
}

func (m *stripeMock) launch() error {
	// "go tool -n" builds the tool (cached) and prints its path; running
	// the binary directly means Kill stops stripe-mock itself rather than
	// a go command that leaves it orphaned.
	out, err := exec.Command("go", "tool", "-n", "stripe-mock").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return fmt.Errorf("go tool -n stripe-mock: %v: %s", err, bytes.TrimSpace(ee.Stderr))
		}
		return fmt.Errorf("go tool -n stripe-mock: %v", err)
	}
	bin := strings.TrimSpace(string(out))
	// -http-port 0 picks a free port and (unlike -http-addr) also turns
	// off the HTTPS listener that would otherwise claim the fixed port 12112.
	cmd := exec.Command(bin, "-http-port", "0")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start stripe-mock: %v", err)
	}
	m.cmd = cmd
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		const prefix = "Listening for HTTP at address: "
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), prefix); ok {
				addr <- a
				break
			}
		}
		_, _ = io.Copy(io.Discard, stdout) // keep draining so it never blocks
	}()
	var listen string
	select {
	case listen = <-addr:
	case <-time.After(30 * time.Second):
		return errors.New("stripe-mock did not report its address within 30s")
	}
	_, port, err := net.SplitHostPort(listen)
	if err != nil {
		return fmt.Errorf("stripe-mock address %q: %v", listen, err)
	}
	hostport := net.JoinHostPort("127.0.0.1", port)
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", hostport, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("stripe-mock not accepting connections on %s: %v", hostport, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	m.url = "http://" + hostport
	return nil
}

func (m *stripeMock) stop() {
	if m.cmd != nil && m.cmd.Process != nil {
		_ = m.cmd.Process.Kill()
		_ = m.cmd.Wait()
	}
}

// recordedRequest is one request the recorder saw, with its form body
// decoded.
type recordedRequest struct {
	Method, Path string
	Header       http.Header
	Form         map[string]string
}

// recorder is an http.RoundTripper that records each request's method, path,
// headers and form body, then forwards it unchanged, so tests can assert on
// exactly what stripe-go sent to stripe-mock.
type recorder struct {
	mu   sync.Mutex
	reqs []recordedRequest
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := recordedRequest{Method: req.Method, Path: req.URL.Path, Header: req.Header.Clone(), Form: map[string]string{}}
	if req.Body != nil {
		body, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
		vals, err := parseForm(string(body))
		if err != nil {
			return nil, err
		}
		rec.Form = vals
	}
	if q := req.URL.RawQuery; q != "" && req.Method == http.MethodGet {
		vals, err := parseForm(q)
		if err != nil {
			return nil, err
		}
		rec.Form = vals
	}
	r.mu.Lock()
	r.reqs = append(r.reqs, rec)
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func (r *recorder) requests() []recordedRequest {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]recordedRequest(nil), r.reqs...)
}

// parseForm decodes a form body into single values, failing on a repeated
// key (the checkout request never repeats one).
func parseForm(s string) (map[string]string, error) {
	out := map[string]string{}
	if s == "" {
		return out, nil
	}
	vals, err := url.ParseQuery(s)
	if err != nil {
		return nil, err
	}
	for k, v := range vals {
		if len(v) != 1 {
			return nil, fmt.Errorf("form key %q sent %d times", k, len(v))
		}
		out[k] = v[0]
	}
	return out, nil
}
