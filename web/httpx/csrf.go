package httpx

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"mime"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
)

// CSRF protection is a double-submit cookie: a random token in an HttpOnly,
// SameSite=Lax cookie that every form repeats in its "_csrf" field (or a
// script in the X-CSRF-Token header). It is stateless, so rendering a plan
// page writes nothing to the database.
const (
	CSRFCookie = "csrf"
	CSRFField  = "_csrf"
	CSRFHeader = "X-CSRF-Token"
)

// ErrCSRF is the answer to a form whose token does not match its cookie.
var ErrCSRF = &PageError{Status: fiber.StatusForbidden, Key: "error.csrf"}

// CSRFToken returns the request's CSRF token, issuing a cookie (Secure
// when secure) when the browser has none yet.
func CSRFToken(c *fiber.Ctx, secure bool) (string, error) {
	if t := c.Cookies(CSRFCookie); ValidToken(t) {
		return utils.CopyString(t), nil
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	t := base64.RawURLEncoding.EncodeToString(b[:])
	c.Cookie(&fiber.Cookie{
		Name: CSRFCookie, Value: t, Path: "/", HTTPOnly: true,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: secure,
	})
	return t, nil
}

// CheckCSRF verifies that the token sent in the form body (or the
// X-CSRF-Token header) matches the cookie's. The query string is never
// read: a token in a URL leaks through logs, history and Referer.
func CheckCSRF(c *fiber.Ctx) error {
	cookie := c.Cookies(CSRFCookie)
	sent := c.Get(CSRFHeader)
	if sent == "" {
		sent = BodyValue(c, CSRFField)
	}
	if !ValidToken(cookie) || subtle.ConstantTimeCompare([]byte(cookie), []byte(sent)) != 1 {
		return ErrCSRF
	}
	return nil
}

// RequireCSRF is middleware that refuses a request failing CheckCSRF.
func RequireCSRF(c *fiber.Ctx) error {
	if err := CheckCSRF(c); err != nil {
		return err
	}
	return c.Next()
}

// BodyValue is a field of a url-encoded or multipart form body; unlike
// c.FormValue it never falls back to the query string.
func BodyValue(c *fiber.Ctx, name string) string {
	ct, _, _ := mime.ParseMediaType(c.Get(fiber.HeaderContentType))
	if strings.HasPrefix(ct, "multipart/") {
		if f, err := c.MultipartForm(); err == nil && len(f.Value[name]) > 0 {
			return f.Value[name][0]
		}
		return ""
	}
	return string(c.Request().PostArgs().Peek(name))
}

// ValidToken reports whether t looks like a token we issued.
func ValidToken(t string) bool {
	if len(t) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(t)
	return err == nil
}
