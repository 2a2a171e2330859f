package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
)

// CSRF protection is a double-submit cookie: a random token in an HttpOnly,
// SameSite=Lax cookie that every form repeats in its "_csrf" field. It is
// stateless, so rendering a plan page writes nothing to the database.
const (
	csrfCookie = "csrf"
	csrfField  = "_csrf"
)

// csrfToken returns the request's CSRF token, issuing a cookie when the
// browser has none yet.
func (a *App) csrfToken(c *fiber.Ctx) (string, error) {
	if t := c.Cookies(csrfCookie); validToken(t) {
		return utils.CopyString(t), nil
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	t := base64.RawURLEncoding.EncodeToString(b[:])
	c.Cookie(&fiber.Cookie{
		Name: csrfCookie, Value: t, Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: strings.HasPrefix(a.cfg.BaseURL, "https://"),
	})
	return t, nil
}

// checkCSRF verifies that the form's token matches the cookie's.
func checkCSRF(c *fiber.Ctx) error {
	cookie, form := c.Cookies(csrfCookie), c.FormValue(csrfField)
	if !validToken(cookie) || subtle.ConstantTimeCompare([]byte(cookie), []byte(form)) != 1 {
		return &pageError{status: fiber.StatusForbidden, key: "error.csrf"}
	}
	return nil
}

// validToken reports whether t looks like a token we issued.
func validToken(t string) bool {
	if len(t) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(t)
	return err == nil
}
