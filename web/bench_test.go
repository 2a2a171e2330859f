package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/esimshop/esimshop/web/catalog"
)

// BenchmarkCountryPage measures serving a country page: "cached" is the
// steady state, "render" rebuilds the page each time (a fresh snapshot).
func BenchmarkCountryPage(b *testing.B) {
	s := newTestShop(b, mustRule(b, "retail", "0.14", "25", "0.99", "usd"))
	for _, bc := range []struct {
		name  string
		fresh bool
	}{{"cached", false}, {"render", true}} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if bc.fresh {
					s.app.snapshot().Pages = catalog.PageCache{}
				}
				req := httptest.NewRequest(http.MethodGet, "/destinations/jp?lang=en", nil)
				resp, err := s.app.Handler().Test(req, -1)
				if err != nil || resp.StatusCode != http.StatusOK {
					b.Fatalf("%v %v", resp.StatusCode, err)
				}
				resp.Body.Close()
			}
		})
	}
}

// BenchmarkPlanPage measures a plan page, rendered per request (it carries
// the buyer's CSRF token).
func BenchmarkPlanPage(b *testing.B) {
	s := newTestShop(b, mustRule(b, "retail", "0.14", "25", "0.99", "usd"))
	sku := s.app.snapshot().SKUs()[0]
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, "/plans/"+sku, nil)
		resp, err := s.app.Handler().Test(req, -1)
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("%v %v", resp.StatusCode, err)
		}
		resp.Body.Close()
	}
}

// BenchmarkSearch is the no-JavaScript search (/search?q=): a list
// ("united"), a typo ("japn", a redirect) and a miss with suggestions.
func BenchmarkSearch(b *testing.B) {
	s := newTestShop(b, mustRule(b, "retail", "0.14", "25", "0.99", "usd"))
	for _, q := range []string{"united", "japn", "xyzlandia"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, "/search?q="+q, nil)
				resp, err := s.app.Handler().Test(req, -1)
				if err != nil || resp.StatusCode >= 400 {
					b.Fatalf("%v %v", resp.StatusCode, err)
				}
				resp.Body.Close()
			}
		})
	}
}
