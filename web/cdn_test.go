package web

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestCatalogPagesAreCDNReady: public catalog pages carry a shared-cache
// Cache-Control and an ETag, answer 304 to a matching If-None-Match (per
// encoding), and private pages stay no-store.
func TestCatalogPagesAreCDNReady(t *testing.T) {
	s := newTestShop(t, mustRule(t, "retail", "0.14", "0", "", "usd"))
	for _, path := range []string{"/", "/destinations/jp", "/regions/europe", "/help/install"} {
		t.Run(path, func(t *testing.T) {
			resp := s.get(t, path)
			io.Copy(io.Discard, resp.Body)
			tag := resp.Header.Get("ETag")
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != publicPageCache ||
				!strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) {
				t.Fatalf("%d, Cache-Control %q, ETag %q", resp.StatusCode, resp.Header.Get("Cache-Control"), tag)
			}
			if resp.Header.Get("Set-Cookie") != "" {
				t.Errorf("a shared page sets a cookie: %q", resp.Header.Get("Set-Cookie"))
			}
			for _, inm := range []string{tag, `W/` + tag, `"other", ` + tag, "*"} {
				again := s.get(t, path, "If-None-Match", inm)
				b, _ := io.ReadAll(again.Body)
				if again.StatusCode != http.StatusNotModified || len(b) != 0 || again.Header.Get("ETag") != tag {
					t.Errorf("If-None-Match %s: %d, %d bytes, ETag %q", inm, again.StatusCode, len(b), again.Header.Get("ETag"))
				}
			}
			if r := s.get(t, path, "If-None-Match", `"stale"`); r.StatusCode != http.StatusOK {
				t.Errorf("stale tag: %d", r.StatusCode)
			}
			gz := s.get(t, path, "Accept-Encoding", "gzip")
			if gt := gz.Header.Get("ETag"); gz.Header.Get("Content-Encoding") == "gzip" && gt == tag {
				t.Errorf("gzip body has the plain body's ETag %s", gt)
			}
			if r := s.get(t, path, "Accept-Encoding", "gzip", "If-None-Match", tag); r.StatusCode == http.StatusNotModified && r.Header.Get("Content-Encoding") == "" && gz.Header.Get("Content-Encoding") == "gzip" {
				t.Errorf("the plain tag validated the gzip variant")
			}
		})
	}
	// Choosing a language sets a cookie: that answer is not shareable.
	if r := s.get(t, "/?lang=es"); r.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("/?lang=es Cache-Control %q", r.Header.Get("Cache-Control"))
	}
	for _, path := range []string{"/plans/" + firstSKU(t, s), "/healthz", "/orders/nosuchtoken"} {
		if r := s.get(t, path); !strings.Contains(r.Header.Get("Cache-Control"), "no-store") || r.Header.Get("ETag") != "" {
			t.Errorf("%s: Cache-Control %q ETag %q", path, r.Header.Get("Cache-Control"), r.Header.Get("ETag"))
		}
	}
}

// firstSKU is a plan listed on the Japan page.
func firstSKU(t *testing.T, s *testShop) string {
	t.Helper()
	href, _ := doc(t, s.get(t, "/destinations/jp")).Find(`a[href^="/plans/"]`).First().Attr("href")
	if href == "" {
		t.Fatal("no plan on /destinations/jp")
	}
	return strings.TrimPrefix(href, "/plans/")
}
