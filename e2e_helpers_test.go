package main

// Helpers of the browser end-to-end tests (e2e_test.go): a whole shop in
// -demo mode on a loopback port, and a headless Chromium driven with
// chromedp, with the few actions a buyer's story needs. Every wait is a
// bounded poll of the page, never a fixed sleep, so the tests are as fast
// as the shop and still patient on a busy machine.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
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

// browser is one headless Chromium with one tab, talking to one shop.
type browser struct {
	t     *testing.T
	base  string
	root  context.Context // the tab, without a deadline (screenshots after a timeout)
	ctx   context.Context // the tab, bounded by e2eTimeout
	start time.Time
	steps int
	// phone: every step also checks that the page does not scroll sideways.
	phone bool

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

// browserOption configures newBrowser.
type browserOption func(*browser)

// asPhone emulates a 390×844 phone (an iPhone 12–15 class screen, the
// narrowest common one today) and checks every step for sideways scrolling.
func asPhone(b *browser) { b.phone = true }

// newBrowser starts a fresh Chromium (its own profile: no cookies carried
// over) for the shop. It is closed when the test ends; a failed test
// leaves a screenshot of what the browser showed last.
func newBrowser(t *testing.T, shop *e2eShop, opts ...browserOption) *browser {
	t.Helper()
	exe := chromiumPath(t)
	b := &browser{t: t, base: shop.base, start: time.Now()}
	for _, o := range opts {
		o(b)
	}
	allocOpts := append(chromedp.DefaultExecAllocatorOptions[:], // headless, no first run, no background networking, no sync…
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // containers and CI run as root
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), allocOpts...)
	tab, cancelTab := chromedp.NewContext(allocCtx)
	// The first Do starts the browser and binds its life to tab, which has
	// no deadline; the test's actions run on a bounded child of it.
	if err := chromedp.Do(tab); err != nil {
		cancelTab()
		cancelAlloc()
		t.Fatalf("starting Chromium (%s): %v", exe, err)
	}
	ctx, cancelCtx := context.WithTimeout(tab, e2eTimeout)
	b.root, b.ctx = tab, ctx

	consoleDone := make(chan struct{})
	messages := chromedp.Console(tab)
	go func() {
		defer close(consoleDone)
		for m, err := range messages {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
		}
	}()

	t.Cleanup(func() {
		if t.Failed() {
			b.screenshot("failure")
		}
		cancelCtx()
		cancelTab()
		cancelAlloc()
		<-consoleDone
		b.reportConsole()
	})
	if b.phone {
		b.do("emulating a phone", chromedp.EmulateViewport(phoneWidth, phoneHeight, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulateScale(2)))
	}
	return b
}

// reportConsole fails the test on an uncaught script error or a Content
// Security Policy violation (either means a page is broken for buyers),
// and logs the other console errors.
func (b *browser) reportConsole() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.console {
		switch {
		case m.IsException():
			b.t.Errorf("uncaught script error on %s:%d: %s", m.URL, m.Line+1, m.Text)
		case strings.Contains(m.Text, "Content Security Policy"):
			b.t.Errorf("CSP violation on %s: %s", m.URL, m.Text)
		case m.Type == chromedp.ConsoleError:
			b.t.Logf("console error on %s: %s", m.URL, m.Text)
		}
	}
}

// do runs browser actions, failing the test with what was being done.
func (b *browser) do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page. A script error
// fails the test at once, so expressions must be total (no null
// dereference); a protocol error, which is what an evaluation gets while
// the page is being replaced (the order page reloads itself), is retried
// until actionTimeout.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	deadline := time.Now().Add(actionTimeout)
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
		cancel()
		if err == nil {
			return v
		}
		var jsErr *chromedp.ExceptionError
		if errors.As(err, &jsErr) || time.Now().After(deadline) || b.ctx.Err() != nil {
			b.t.Fatalf("evaluating %s: %v", expr, err)
		}
		select {
		case <-time.After(pollEvery):
		case <-b.ctx.Done():
		}
	}
}

// open navigates to a path of the shop and waits for the page to load.
func (b *browser) open(path string) {
	b.t.Helper()
	b.do("opening "+path, chromedp.Navigate(b.base+path))
}

// clickAndLoad clicks what sel finds (a link or a submit button) like a
// person would, and waits until the next page has fully loaded: the old
// document is marked, and the wait ends once a document without the mark
// is complete, whatever redirects happened in between.
func (b *browser) clickAndLoad(sel string) {
	b.t.Helper()
	b.markDocument()
	b.do("clicking "+sel, chromedp.Click(chromedp.CSS(sel)))
	b.waitFor("the page after clicking "+sel, `!window.__e2eOld && document.readyState === "complete"`, actionTimeout)
}

// markDocument marks the current document, so reloadedSinceMark can tell
// when the page was replaced (by a click, a redirect or its own script).
func (b *browser) markDocument() {
	b.t.Helper()
	eval[chromedp.Void](b, `window.__e2eOld = true`)
}

// reloadedSinceMark reports whether the document marked last is gone.
func (b *browser) reloadedSinceMark() bool {
	b.t.Helper()
	return !eval[bool](b, `!!window.__e2eOld`)
}

// typeInto types text into a field key by key, as a person would, after
// clearing it, so the page's input handlers run.
func (b *browser) typeInto(sel, text string) {
	b.t.Helper()
	b.do("typing into "+sel, chromedp.Clear(chromedp.CSS(sel)), chromedp.SendKeys(chromedp.CSS(sel), text))
}

// click clicks what sel finds, for controls that do not leave the page.
func (b *browser) click(sel string) {
	b.t.Helper()
	b.do("clicking "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// waitFor polls a boolean JavaScript expression until it is true. It
// survives page loads in between (an evaluation that fails while the page
// is replaced just counts as "not yet"), which chromedp's own Poll does not.
func (b *browser) waitFor(what, expr string, timeout time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	var lastErr error
	for {
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!(`+expr+`)`))
		cancel()
		if err == nil && ok {
			return
		}
		lastErr = err
		if time.Now().After(deadline) || b.ctx.Err() != nil {
			b.t.Fatalf("waiting for %s: not there after %s (last error: %v)", what, timeout, lastErr)
		}
		select {
		case <-time.After(pollEvery):
		case <-b.ctx.Done():
		}
	}
}

// waitVisible waits until sel finds a rendered element.
func (b *browser) waitVisible(sel string) {
	b.t.Helper()
	b.do("waiting for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// missing is what text returns for an element that is not there.
const missing = "\x00missing"

// text returns the rendered text of the first element sel finds, with
// runs of white space folded into one space; it fails the test without one.
func (b *browser) text(sel string) string {
	b.t.Helper()
	s := eval[string](b, fmt.Sprintf(`(() => { const e = document.querySelector(%s); return e ? e.innerText.replace(/\s+/g, " ").trim() : %s; })()`,
		jsString(sel), jsString(missing)))
	if s == missing {
		b.t.Fatalf("%s is not on %s", sel, b.path())
	}
	return s
}

// count returns how many elements sel finds.
func (b *browser) count(sel string) int {
	b.t.Helper()
	return eval[int](b, fmt.Sprintf(`document.querySelectorAll(%s).length`, jsString(sel)))
}

// attr returns an attribute of the first element sel finds ("" if absent).
func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(() => { const e = document.querySelector(%s); return (e && e.getAttribute(%s)) || ""; })()`,
		jsString(sel), jsString(name)))
}

// jsString quotes s as a JavaScript string literal (Go's quoting is valid
// JavaScript for the ASCII selectors and names the tests use).
func jsString(s string) string { return strconv.Quote(s) }

// path is the current page's path and query.
func (b *browser) path() string {
	b.t.Helper()
	return eval[string](b, `location.pathname + location.search`)
}

// wantPath fails the test unless the current path starts with prefix.
func (b *browser) wantPath(prefix string) string {
	b.t.Helper()
	p := b.path()
	if !strings.HasPrefix(p, prefix) {
		b.t.Fatalf("on %s, want a page under %s", p, prefix)
	}
	return p
}

// wantText fails the test unless the element's text contains want.
func (b *browser) wantText(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); !strings.Contains(got, want) {
		b.t.Errorf("%s on %s reads %q, want %q in it", sel, b.path(), got, want)
	}
}

// step names a moment of the story: it is logged with the time since the
// browser started, screenshotted with -e2e.screenshots, and on a phone
// checked for sideways scrolling.
func (b *browser) step(name string) {
	b.t.Helper()
	b.steps++
	b.t.Logf("step %02d %-22s %-40s %5.1fs", b.steps, name, b.path(), time.Since(b.start).Seconds())
	if *e2eScreenshots {
		b.screenshot(name)
	}
	if b.phone {
		b.wantNoSidewaysScroll(name)
	}
}

// phoneWidth and phoneHeight are the emulated phone's screen in CSS
// pixels: an iPhone 12–15 class screen, the narrowest common one today.
const phoneWidth, phoneHeight = 390, 844

// overflow is what the page reports about its width.
type overflow struct {
	InnerWidth      int      `json:"innerWidth"`
	DocScrollWidth  int      `json:"docScrollWidth"`
	BodyScrollWidth int      `json:"bodyScrollWidth"`
	Wide            []string `json:"wide"`
}

// overflowJS measures the page and, when it is wider than the screen,
// names the first elements that stick out on the right: what a person
// fixing it needs. The limit is the screen's width, not innerWidth: a
// mobile browser zooms out to fit a too-wide page, which widens
// innerWidth to the page, so "scrollWidth <= innerWidth" always holds.
var overflowJS = fmt.Sprintf(`(() => {
	const w = %d, de = document.documentElement, body = document.body;
	const wide = [];
	if (de.scrollWidth > w || body.scrollWidth > w || window.innerWidth > w) {
		// An element sticks out with its box, or with content spilling
		// out of a box that fits; only the innermost such are named.
		const out = [];
		for (const el of document.querySelectorAll("body *")) {
			const r = el.getBoundingClientRect();
			if (r.width === 0) continue;
			const spills = el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === "visible";
			if (r.right > w + 0.5 || (spills && r.left + el.scrollWidth > w + 0.5)) out.push(el);
		}
		for (const el of out) {
			if (out.some(o => o !== el && el.contains(o))) continue;
			let name = el.tagName.toLowerCase();
			if (el.id) name += "#" + el.id;
			if (typeof el.className === "string" && el.className.trim()) name += "." + el.className.trim().split(/\s+/).join(".");
			const r = el.getBoundingClientRect();
			wide.push(name + " (" + Math.round(Math.max(r.right, r.left + el.scrollWidth)) + "px)");
			if (wide.length === 8) break;
		}
	}
	return {innerWidth: window.innerWidth, docScrollWidth: de.scrollWidth, bodyScrollWidth: body.scrollWidth, wide: wide};
})()`, phoneWidth)

// wantNoSidewaysScroll fails the test when the page is wider than the
// phone's screen, naming the elements that stick out.
func (b *browser) wantNoSidewaysScroll(step string) {
	b.t.Helper()
	o := eval[overflow](b, overflowJS)
	if o.DocScrollWidth > phoneWidth || o.BodyScrollWidth > phoneWidth || o.InnerWidth > phoneWidth {
		b.t.Errorf("%s (%s) scrolls sideways on a %dpx-wide phone: document %dpx, body %dpx, window %dpx wide; sticking out: %s",
			step, b.path(), phoneWidth, o.DocScrollWidth, o.BodyScrollWidth, o.InnerWidth, strings.Join(o.Wide, ", "))
		b.screenshot(step + "-too-wide")
	}
}

// screenshot saves a full-page PNG under testdata/e2e-artifacts/<test>/
// and logs its path. It uses the tab without the test's deadline, so a
// timed-out test still shows what the browser was stuck on.
func (b *browser) screenshot(name string) {
	ctx, cancel := context.WithTimeout(b.root, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %q: %v", name, err)
		return
	}
	dir := filepath.Join(artifactsDir, strings.NewReplacer("/", "_", " ", "_").Replace(b.t.Name()))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Logf("screenshot %q: %v", name, err)
		return
	}
	file := filepath.Join(dir, fmt.Sprintf("%02d-%s.png", b.steps, name))
	if err := os.WriteFile(file, png, 0o644); err != nil {
		b.t.Logf("screenshot %q: %v", name, err)
		return
	}
	b.t.Logf("screenshot: %s", file)
}
