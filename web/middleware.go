package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"runtime/debug"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Locals keys.
const (
	localNonce     = "nonce"
	localRequestID = "request_id"
	localLang      = "lang"
)

// requestID tags each request with a random id, echoed in X-Request-Id and
// in every log line about it.
func (a *App) requestID(c *fiber.Ctx) error {
	var b [8]byte
	_, _ = rand.Read(b[:])
	id := hex.EncodeToString(b[:])
	c.Locals(localRequestID, id)
	c.SetUserContext(context.WithValue(c.UserContext(), ctxRequestID, id))
	c.Set("X-Request-Id", id)
	return c.Next()
}

// securityHeaders sets a strict Content-Security-Policy with a per-request
// nonce (pages carry no inline script without it) and the usual hardening
// headers.
func (a *App) securityHeaders(c *fiber.Ctx) error {
	var b [16]byte
	_, _ = rand.Read(b[:])
	nonce := base64.RawStdEncoding.EncodeToString(b[:])
	c.Locals(localNonce, nonce)
	c.Set(fiber.HeaderContentSecurityPolicy, csp(nonce, "'self'"))
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	c.Set("X-Frame-Options", "DENY")
	if strings.HasPrefix(a.cfg.BaseURL, "https://") {
		c.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
	}
	return c.Next()
}

// csp is the Content-Security-Policy with the request's script nonce and
// the given style sources.
func csp(nonce, styleSrc string) string {
	return "default-src 'self'; script-src 'self' 'nonce-" + nonce + "'; style-src " + styleSrc + "; img-src 'self' data:; " +
		"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self' https://checkout.stripe.com"
}

// logPanic logs a recovered panic with its stack; the client gets the
// generic 500 page from the error handler.
func (a *App) logPanic(c *fiber.Ctx, e any) {
	a.log.ErrorContext(c.UserContext(), "panic", "route", c.Route().Path, "panic", e, "stack", string(debug.Stack()))
}

func nonceOf(c *fiber.Ctx) string {
	s, _ := c.Locals(localNonce).(string)
	return s
}
