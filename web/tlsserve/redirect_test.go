package tlsserve

import (
	"net/http/httptest"
	"testing"
)

func TestRedirect(t *testing.T) {
	rd := redirect{domains: []string{"shop.example.com", "www.shop.example.com"}, httpsPort: 443}
	for _, tc := range []struct {
		name, method, host, target string
		code                       int
		location                   string
	}{
		{"GET keeps path and query", "GET", "shop.example.com", "/destinations/jp?lang=es", 301, "https://shop.example.com/destinations/jp?lang=es"},
		{"second domain, port dropped", "GET", "www.shop.example.com:80", "/", 301, "https://www.shop.example.com/"},
		{"upper case host", "HEAD", "SHOP.example.com", "/a", 301, "https://shop.example.com/a"},
		{"foreign host goes to the first domain", "GET", "evil.example", "/x", 301, "https://shop.example.com/x"},
		{"POST keeps its method", "POST", "shop.example.com", "/webhooks/stripe", 308, "https://shop.example.com/webhooks/stripe"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(tc.method, tc.target, nil)
			r.Host = tc.host
			w := httptest.NewRecorder()
			rd.ServeHTTP(w, r)
			if w.Code != tc.code || w.Header().Get("Location") != tc.location {
				t.Errorf("%d %q, want %d %q", w.Code, w.Header().Get("Location"), tc.code, tc.location)
			}
		})
	}
}

func TestCheckDomain(t *testing.T) {
	for _, tc := range []struct {
		domain string
		ok     bool
	}{
		{"shop.example.com", true},
		{"www.shop.example.com", true},
		{"", false},
		{"203.0.113.5", false},
		{"*.shop.example.com", false},
		{"https://shop.example.com", false},
		{"shop.example.com:443", false},
		{"localhost", false},
	} {
		if err := CheckDomain(tc.domain); (err == nil) != tc.ok {
			t.Errorf("CheckDomain(%q) = %v, want ok=%v", tc.domain, err, tc.ok)
		}
	}
}
