package main

// Helpers of the browser end-to-end tests (e2e_test.go): a whole shop in
// -demo mode on a loopback port, and a headless Chromium driven with
// chromedp, with the few actions a buyer's story needs. Every wait is a
// bounded poll of the page, never a fixed sleep, so the tests are as fast
// as the shop and still patient on a busy machine.

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	// e2eTimeout bounds one whole test: shop, browser and story.
	e2eTimeout = 60 * time.Second
	// actionTimeout bounds one browser action, so a missing element fails
	// with its selector instead of the whole test's timeout.
	actionTimeout = 15 * time.Second
	// pollEvery is how often a wait looks at the page again.
	pollEvery = 100 * time.Millisecond
	// artifactsDir holds screenshots (gitignored).
	artifactsDir = "testdata/e2e-artifacts"
)

// chromiumPath finds Debian's Chromium, or skips the test: the browser is
// the one dependency of these tests that Go cannot fetch.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Skip("browser tests need Chromium: apt-get install -y chromium")
	return ""
}

// e2eShop is the whole binary's wiring, serving on a loopback port whose
// address is also its BASE_URL, so redirects stay on it.
type e2eShop struct {
	main *Main
	base string // http://127.0.0.1:port
	logs *syncBuffer
}

// startShop boots the shop in -demo mode with a fresh database and waits
// until the sandbox's catalog is served. It is closed when the test ends.
func startShop(t *testing.T) *e2eShop {
	t.Helper()
	logs := &syncBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	db := filepath.Join(t.TempDir(), "shop.db")
	var m *Main
	var base string
	// BASE_URL must name the port before the shop listens, so a free port
	// is picked first. Another process may take it in between: try again.
	for attempt := 1; ; attempt++ {
		port := freePort(t)
		base = fmt.Sprintf("http://127.0.0.1:%d", port)
		cfg, err := loadConfig("serve", []string{"-demo", "-addr", fmt.Sprintf("127.0.0.1:%d", port), "-base-url", base, "-db", db},
			func(string) string { return "" }, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		m = NewMain(cfg, log)
		err = m.Run(context.Background())
		if err == nil {
			break
		}
		m.Close()
		if attempt == 3 {
			t.Fatalf("starting the shop: %v", err)
		}
	}
	s := &e2eShop{main: m, base: base, logs: logs}
	t.Cleanup(func() {
		if err := m.Close(); err != nil {
			t.Errorf("closing the shop: %v", err)
		}
		if t.Failed() {
			t.Logf("shop log (last lines):\n%s", logs.tail(40))
		}
	})
	s.waitForCatalog(t)
	return s
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitForCatalog polls until the first catalog sync has landed: before it,
// country pages have no plans to click.
func (s *e2eShop) waitForCatalog(t *testing.T) {
	t.Helper()
	client := &http.Client{Timeout: 5 * time.Second}
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := client.Get(s.base + "/destinations/jp")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && bytes.Contains(body, []byte(`href="/plans/`)) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo catalog was not served within 20s (last error: %v)", err)
		}
		time.Sleep(pollEvery)
	}
}

// syncBuffer is a log sink the shop's goroutines can share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// tail returns the last n lines written.
func (b *syncBuffer) tail(n int) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	lines := strings.Split(strings.TrimRight(b.buf.String(), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
