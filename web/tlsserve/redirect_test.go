package tlsserve

import (
	"context"
	"net"
	"net/http/httptest"
	"strings"
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

// TestListenRefuses checks that a wrong configuration or a port already
// taken is an error before anything is served.
func TestListenRefuses(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"no domains", Config{Dir: dir}, "no domains"},
		{"bad domain", Config{Domains: []string{"203.0.113.5"}, Dir: dir}, "IP address"},
		{"no directory", Config{Domains: []string{"shop.example.com"}}, "no directory"},
		{"http port taken", Config{Domains: []string{"shop.example.com"}, Dir: dir, HTTPAddr: taken.Addr().String(), HTTPSAddr: "127.0.0.1:0"}, taken.Addr().String()},
		{"https port taken", Config{Domains: []string{"shop.example.com"}, Dir: dir, HTTPAddr: "127.0.0.1:0", HTTPSAddr: taken.Addr().String()}, taken.Addr().String()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := Listen(tc.cfg)
			if err == nil {
				s.Shutdown(context.Background())
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}
