package web

import (
	"bufio"
	"compress/gzip"
	"context"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// han matches Chinese characters, which must never reach a buyer.
var han = regexp.MustCompile(`\p{Han}`)

// TestPagesRenderInBothLanguages walks every kind of public page in English
// and Spanish and checks its language, title, heading and key content.
func TestPagesRenderInBothLanguages(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "20", "0.99", "usd"))
	planURL := firstPlanURL(t, s, "/destinations/jp")
	tests := []struct {
		path    string
		lang    string
		title   string // substring of <title>
		h1      string // substring of the first h1
		content string // CSS selector that must match at least once
	}{
		{"/", "en", "eSIM", "", `a[href="/destinations/jp"]`},
		{"/", "es", "eSIM", "", `a[href="/destinations/jp"]`},
		{"/destinations/jp", "en", "Japan", "Japan", `a[href^="/plans/"]`},
		{"/destinations/jp", "es", "Japón", "Japón", `a[href^="/plans/"]`},
		{"/destinations/us?filter=daily&sort=data", "en", "United States", "United States", `a[href^="/plans/"]`},
		{"/regions/europe", "en", "Europe", "Europe", `a[href^="/plans/"]`},
		{"/regions/europe", "es", "Europa", "Europa", `a[href^="/plans/"]`},
		{"/regions/global", "es", "", "", `a[href^="/plans/"]`},
		{planURL, "en", "Japan", "Japan", `form[action="/checkout#buy"] input[name="_csrf"]`},
		{planURL, "es", "Japón", "Japón", `form[action="/checkout#buy"] input[name="email"]`},
		{"/help/install", "en", "", "", "h1"},
		{"/help/install", "es", "", "", "h1"},
		{"/search?q=united", "en", "", "", `a[href="/destinations/gb"], a[href="/destinations/us"]`},
	}
	for _, tt := range tests {
		t.Run(tt.lang+tt.path, func(t *testing.T) {
			sep := "?"
			if strings.Contains(tt.path, "?") {
				sep = "&"
			}
			resp := s.get(t, tt.path+sep+"lang="+tt.lang)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			d := doc(t, resp)
			if got, _ := d.Find("html").Attr("lang"); got != tt.lang {
				t.Errorf("html lang = %q, want %q", got, tt.lang)
			}
			if title := text(d.Find("title")); !strings.Contains(title, tt.title) || title == "" {
				t.Errorf("title %q does not contain %q", title, tt.title)
			}
			if h1 := text(d.Find("h1").First()); !strings.Contains(h1, tt.h1) || h1 == "" {
				t.Errorf("h1 %q does not contain %q", h1, tt.h1)
			}
			if d.Find(tt.content).Length() == 0 {
				t.Errorf("no %s on the page", tt.content)
			}
			if href, ok := d.Find(`link[rel="canonical"]`).Attr("href"); !ok || !strings.HasPrefix(href, "https://shop.example/") {
				t.Errorf("canonical = %q", href)
			}
			html, _ := d.Html()
			if han.MatchString(html) {
				t.Errorf("page contains Chinese text: %q", han.FindString(html))
			}
			if d.Find(".demo-banner, [data-demo]").Length() != 0 {
				t.Error("demo banner shown outside demo mode")
			}
		})
	}
}

// firstPlanURL returns the first plan link on a page.
func firstPlanURL(t testing.TB, s *testShop, page string) string {
	t.Helper()
	d := doc(t, s.get(t, page))
	href, ok := d.Find(`a[href^="/plans/"]`).First().Attr("href")
	if !ok {
		t.Fatalf("no plan on %s", page)
	}
	return href
}

// TestBadInput checks that malformed or unknown input gets a clear 4xx
// page, never a 500.
func TestBadInput(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	tests := []struct {
		path   string
		status int
	}{
		{"/destinations/zz", http.StatusNotFound},
		{"/destinations/aq", http.StatusNotFound}, // a real country without plans
		{"/destinations/jpn", http.StatusNotFound},
		{"/destinations/j1", http.StatusNotFound},
		{"/destinations/JP", http.StatusMovedPermanently},
		{"/destinations/jp?sort=cheapest", http.StatusBadRequest},
		{"/destinations/jp?filter=%3Cscript%3E", http.StatusBadRequest},
		{"/regions/mars", http.StatusNotFound},
		{"/plans/does-not-exist", http.StatusNotFound},
		{"/plans/%3Cscript%3E", http.StatusNotFound},
		{"/plans/" + strings.Repeat("a", 300), http.StatusNotFound},
		{"/search?q=" + strings.Repeat("x", 500), http.StatusBadRequest},
		{"/no/such/page", http.StatusNotFound},
		{"/static/nope.css", http.StatusNotFound},
		{"/?lang=xx", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp := s.get(t, tt.path)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			body, _ := io.ReadAll(resp.Body)
			if strings.Contains(string(body), "goroutine") || strings.Contains(string(body), ".go:") {
				t.Error("response leaks internals")
			}
			if tt.status >= 400 && !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
				t.Errorf("error page content type %q", resp.Header.Get("Content-Type"))
			}
		})
	}
}

// TestLanguageChoice checks ?lang=, then the cookie, then Accept-Language.
func TestLanguageChoice(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	tests := []struct {
		name    string
		target  string
		headers []string
		want    string
		cookie  bool // a lang cookie is set
	}{
		{"default", "/", nil, "en", false},
		{"accept-language", "/", []string{"Accept-Language", "es-MX,es;q=0.9,en;q=0.5"}, "es", false},
		{"unsupported accept-language", "/", []string{"Accept-Language", "de-DE"}, "en", false},
		{"query wins", "/?lang=en", []string{"Accept-Language", "es"}, "en", true},
		{"cookie over accept-language", "/", []string{"Accept-Language", "en", "Cookie", "lang=es"}, "es", false},
		{"query over cookie", "/?lang=en", []string{"Cookie", "lang=es"}, "en", true},
		{"bad cookie ignored", "/", []string{"Cookie", "lang=zz", "Accept-Language", "es"}, "es", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := s.get(t, tt.target, tt.headers...)
			if got, _ := doc(t, resp).Find("html").Attr("lang"); got != tt.want {
				t.Errorf("lang = %q, want %q", got, tt.want)
			}
			set := strings.Contains(resp.Header.Get("Set-Cookie"), "lang=")
			if set != tt.cookie {
				t.Errorf("lang cookie set = %v, want %v", set, tt.cookie)
			}
		})
	}
}

// TestSearch checks the no-JavaScript search: names in either language,
// codes and aliases.
func TestSearch(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	tests := []struct {
		q        string
		location string // redirect target; "" means a results page
	}{
		{"usa", "/destinations/us"},
		{"UK", "/destinations/gb"},
		{"Japón", "/destinations/jp"},
		{"japon", "/destinations/jp"},
		{"jp", "/destinations/jp"},
		{" Thailand ", "/destinations/th"},
		{"Alemania", "/destinations/de"},
		{"japn", "/destinations/jp"},
		{"tokio", "/destinations/jp"},
		{"Tokyo", "/destinations/jp"},
		{"Phuket", "/destinations/th"},
		{"united", ""},
		{"zzzz", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			resp := s.get(t, "/search?q="+strings.ReplaceAll(tt.q, " ", "+"))
			if tt.location != "" {
				if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != tt.location {
					t.Fatalf("got %d → %q, want 303 → %q", resp.StatusCode, resp.Header.Get("Location"), tt.location)
				}
				return
			}
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
		})
	}
	// Nothing matches: the nearest names and the popular destinations,
	// never a dead end.
	d := doc(t, s.get(t, "/search?q=jpaaan&lang=es"))
	if d.Find(`[aria-labelledby="suggest-h"] a[href="/destinations/jp"]`).Length() != 1 {
		t.Error("no “did you mean Japón” for jpaaan")
	}
	if d.Find(`[aria-labelledby="popular-h"] a.tile`).Length() == 0 {
		t.Error("no popular destinations on an empty search")
	}
}

// TestPageCache checks that cached pages are served identically plain and
// gzipped, and that a new catalog snapshot serves fresh pages.
func TestPageCache(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	read := func(resp *http.Response) string {
		var r io.Reader = resp.Body
		if resp.Header.Get("Content-Encoding") == "gzip" {
			gz, err := gzip.NewReader(resp.Body)
			if err != nil {
				t.Fatal(err)
			}
			r = gz
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	plain := read(s.get(t, "/destinations/jp?lang=en"))
	again := read(s.get(t, "/destinations/jp?lang=en"))
	zipped := s.get(t, "/destinations/jp?lang=en", "Accept-Encoding", "gzip, br")
	if zipped.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(zipped.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("headers %v", zipped.Header)
	}
	if unz := read(zipped); plain != again || plain != unz || !strings.Contains(plain, "</html>") {
		t.Error("cached and gzipped pages differ from the rendered one")
	}
	if es := read(s.get(t, "/destinations/jp?lang=es")); es == plain {
		t.Error("the Spanish page came from the English cache entry")
	}
	// A reload (as after a sync or a pricing change) starts a fresh cache.
	old := s.app.snapshot()
	if err := s.app.cat.Reload(context.Background()); err != nil {
		t.Fatal(err)
	}
	if s.app.snapshot() == old || s.app.snapshot().Pages.Len() != 0 {
		t.Error("new snapshot reuses the old page cache")
	}
}

// TestSecurityHeadersOnEveryError: answers that Fiber gives before any
// middleware runs (a body over the limit, request headers too large) carry
// the same security headers as every page.
func TestSecurityHeadersOnEveryError(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	for _, tt := range []struct {
		name    string
		request string // raw HTTP/1.1, sent over a real connection
		status  int
	}{
		// Refused on its Content-Length, before the body is read.
		{"body over the limit", "POST /checkout HTTP/1.1\r\nHost: shop.example\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 2097152\r\n\r\n", http.StatusRequestEntityTooLarge},
		{"header too large", "GET / HTTP/1.1\r\nHost: shop.example\r\nX-Filler: " + strings.Repeat("b", 20<<10) + "\r\n\r\n", http.StatusRequestHeaderFieldsTooLarge},
		{"not found", "GET /nowhere HTTP/1.1\r\nHost: shop.example\r\n\r\n", http.StatusNotFound},
	} {
		t.Run(tt.name, func(t *testing.T) {
			conn, err := net.Dial("tcp", s.addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
			if _, err := io.WriteString(conn, tt.request); err != nil {
				t.Fatal(err)
			}
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Strict-Transport-Security"} {
				if resp.Header.Get(h) == "" {
					t.Errorf("%s missing", h)
				}
			}
			if !strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("CSP %q", resp.Header.Get("Content-Security-Policy"))
			}
		})
	}
	// A private page's stricter policy survives its error page.
	resp := s.get(t, "/orders/"+strings.Repeat("x", 30))
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get("Referrer-Policy") != "no-referrer" {
		t.Errorf("unknown order: status %d, Referrer-Policy %q", resp.StatusCode, resp.Header.Get("Referrer-Policy"))
	}
}
