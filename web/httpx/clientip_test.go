package httpx

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// TestClientIP checks which address a request is attributed to: a client
// cannot choose its own by writing into X-Forwarded-For.
func TestClientIP(t *testing.T) {
	// app.Test's requests come from 0.0.0.0.
	tests := []struct {
		name    string
		header  string
		proxies []string
		xff     string
		want    string
	}{
		{"no proxy header configured", "", nil, "203.0.113.9", "0.0.0.0"},
		{"peer not trusted", "X-Forwarded-For", []string{"10.0.0.1"}, "203.0.113.9", "0.0.0.0"},
		{"one hop", "X-Forwarded-For", []string{"0.0.0.0"}, "203.0.113.9", "203.0.113.9"},
		{"client-written prefix ignored", "X-Forwarded-For", []string{"0.0.0.0"}, "1.2.3.4, 203.0.113.9", "203.0.113.9"},
		{"inner trusted proxies skipped", "X-Forwarded-For", []string{"0.0.0.0", "10.0.0.0/8"}, "1.2.3.4, 203.0.113.9, 10.1.2.3", "203.0.113.9"},
		{"garbage stops the walk", "X-Forwarded-For", []string{"0.0.0.0", "10.0.0.0/8"}, "203.0.113.9, nonsense, 10.1.2.3", "10.1.2.3"},
		{"empty header", "X-Forwarded-For", []string{"0.0.0.0"}, "", "0.0.0.0"},
		{"single-value header", "CF-Connecting-IP", []string{"0.0.0.0"}, "2001:db8::1", "2001:db8::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewClientIP(tt.header, tt.proxies)
			f := fiber.New()
			f.Get("/", func(c *fiber.Ctx) error { return c.SendString(r.Of(c)) })
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			if tt.xff != "" {
				h := tt.header
				if h == "" {
					h = "X-Forwarded-For"
				}
				req.Header.Set(h, tt.xff)
			}
			resp, err := f.Test(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			if string(got) != tt.want {
				t.Errorf("client IP %q, want %q", got, tt.want)
			}
		})
	}
}
