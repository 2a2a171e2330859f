package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

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
