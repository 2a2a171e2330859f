package httpx

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// TestCSRFMasking checks that every response carries a different form
// token for the same cookie (so compression cannot leak it), that each
// masked token and the cookie's own token pass the check, and that a
// tampered one fails.
func TestCSRFMasking(t *testing.T) {
	const cookie = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	seen := map[string]bool{}
	for range 20 {
		m, err := maskToken(cookie)
		if err != nil {
			t.Fatal(err)
		}
		if len(m) != maskedLen || seen[m] || strings.Contains(m, cookie[:20]) {
			t.Fatalf("masked token %q repeats or shows the token", m)
		}
		seen[m] = true
		if got := unmaskToken(m); got != cookie {
			t.Fatalf("unmask(%q) = %q", m, got)
		}
	}
	m, _ := maskToken(cookie)
	tampered := []byte(m)
	if tampered[50] == 'A' { // change one character in the middle
		tampered[50] = 'B'
	} else {
		tampered[50] = 'A'
	}
	tests := []struct {
		sent string
		want bool
	}{
		{m, true}, {cookie, true}, {string(tampered), false}, {"", false}, {m[:maskedLen-1], false},
	}
	for _, tt := range tests {
		app := fiber.New()
		app.Post("/", func(c *fiber.Ctx) error {
			if err := CheckCSRF(c); err != nil {
				return c.SendStatus(fiber.StatusForbidden)
			}
			return c.SendStatus(fiber.StatusNoContent)
		})
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("_csrf="+url.QueryEscape(tt.sent)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", CSRFCookie+"="+cookie)
		resp, err := app.Test(req)
		if err != nil {
			t.Fatal(err)
		}
		if got := resp.StatusCode == fiber.StatusNoContent; got != tt.want {
			t.Errorf("sent %q: accepted %v, want %v", tt.sent, got, tt.want)
		}
	}
}
