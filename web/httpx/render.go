package httpx

import (
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
)

// Render writes a templ component as the HTML response, with the
// request's CSP nonce on its scripts.
func Render(c *fiber.Ctx, status int, comp templ.Component) error {
	c.Status(status)
	c.Type("html", "utf-8")
	ctx := templ.WithNonce(c.UserContext(), Nonce(c))
	return comp.Render(ctx, c.Response().BodyWriter())
}

// Redirect answers 303 See Other to a local URL.
func Redirect(c *fiber.Ctx, to string) error { return c.Redirect(to, fiber.StatusSeeOther) }

// QueryString is the request's raw query string with its "?", or "".
func QueryString(c *fiber.Ctx) string {
	if q := string(c.Request().URI().QueryString()); q != "" {
		return "?" + q
	}
	return ""
}

// Truncate shortens s to at most n bytes on a rune boundary and copies it
// out of Fiber's buffer.
func Truncate(s string, n int) string {
	if len(s) > n {
		s = s[:n]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return utils.CopyString(s)
}

// PathEscape escapes a value for one URL path segment.
func PathEscape(s string) string { return url.PathEscape(s) }

// Secure reports whether a base URL is https, so cookies must be Secure.
func Secure(baseURL string) bool { return strings.HasPrefix(baseURL, "https://") }

// OneOf validates a query value against the allowed ones: "" is def,
// anything not allowed is a 400.
func OneOf(v, def string, allowed ...string) (string, error) {
	if v == "" {
		return def, nil
	}
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	return "", BadRequest("error.bad_query_value", v)
}

// SendPNG answers with a PNG image.
func SendPNG(c *fiber.Ctx, png []byte) error {
	c.Set(fiber.HeaderContentType, "image/png")
	return c.Send(png)
}
