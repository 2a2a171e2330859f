package httpx

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Locals keys.
const (
	localNonce     = "nonce"
	localRequestID = "request_id"
)

// RequestID tags each request with a random id, echoed in X-Request-Id and
// in every log line about it.
func RequestID(c *fiber.Ctx) error {
	var b [8]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	c.Locals(localRequestID, id)
	c.SetUserContext(context.WithValue(c.UserContext(), ctxRequestID, id))
	c.Set("X-Request-Id", id)
	return c.Next()
}

// SecurityHeaders sets a strict Content-Security-Policy with a per-request
// nonce (pages carry no inline script without it) and the usual hardening
// headers; HSTS when the shop is served over https.
func SecurityHeaders(https bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		SetSecurityHeaders(c, https)
		return c.Next()
	}
}

// SetSecurityHeaders sets the security headers on this response, with a
// new nonce unless the request has one. The error handler calls it too:
// a request refused before any middleware ran (a body over the limit, a
// header too large) still gets them.
func SetSecurityHeaders(c *fiber.Ctx, https bool) {
	nonce := Nonce(c)
	if nonce == "" {
		var b [16]byte
		_, _ = rand.Read(b[:])
		nonce = base64.RawStdEncoding.EncodeToString(b[:])
		c.Locals(localNonce, nonce)
		c.Set(fiber.HeaderContentSecurityPolicy, CSP(nonce, "'self'"))
	}
	setDefault(c, "X-Content-Type-Options", "nosniff")
	setDefault(c, fiber.HeaderReferrerPolicy, "strict-origin-when-cross-origin")
	setDefault(c, "X-Frame-Options", "DENY")
	if https {
		setDefault(c, "Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
}

// setDefault sets a response header unless a handler already chose its
// value (a private page's stricter Referrer-Policy, say).
func setDefault(c *fiber.Ctx, name, value string) {
	if len(c.Response().Header.Peek(name)) == 0 {
		c.Set(name, value)
	}
}

// CSP is the Content-Security-Policy with the request's script nonce and
// the given style sources.
func CSP(nonce, styleSrc string) string {
	return "default-src 'self'; script-src 'self' 'nonce-" + nonce + "'; style-src " + styleSrc + "; img-src 'self' data:; " +
		"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self' https://checkout.stripe.com"
}

// Nonce is the request's CSP script nonce.
func Nonce(c *fiber.Ctx) string {
	s, _ := c.Locals(localNonce).(string)
	return s
}

// PrivateHeaders marks a response as the buyer's private page: never
// cached, never indexed, never leaked to another site in a Referer.
func PrivateHeaders(c *fiber.Ctx) {
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	c.Set("X-Robots-Tag", "noindex, nofollow")
}

// Deadline bounds the work of every request: its context ends after d, so
// a request waiting for the database under a burst gives up and answers
// instead of piling up behind the others. The error handler, which runs
// after this returns, gets the request's own context back to render its
// page with.
func Deadline(d time.Duration) fiber.Handler {
	return func(c *fiber.Ctx) error {
		parent := c.UserContext()
		ctx, cancel := context.WithTimeout(parent, d)
		defer cancel()
		c.SetUserContext(ctx)
		err := c.Next()
		c.SetUserContext(parent)
		return err
	}
}
