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

// CSRFToken returns the CSRF token to put in this response's forms,
// issuing a cookie (Secure when secure) when the browser has none yet. The
// form value is the cookie's token masked with a fresh random pad (see
// maskToken), so no two responses carry the same bytes: a compressed page
// that also reflects a visitor's input cannot leak the token through its
// size (BREACH).
func CSRFToken(c *fiber.Ctx, secure bool) (string, error) {
	t := c.Cookies(CSRFCookie)
	if ValidToken(t) {
		t = utils.CopyString(t)
	} else {
		var b [32]byte
		if _, err := rand.Read(b[:]); err != nil {
			return "", err
		}
		t = base64.RawURLEncoding.EncodeToString(b[:])
		c.Cookie(&fiber.Cookie{
			Name: CSRFCookie, Value: t, Path: "/", HTTPOnly: true,
			SameSite: fiber.CookieSameSiteLaxMode, Secure: secure,
		})
	}
	return maskToken(t)
}

// maskedLen is the length of a masked token: 64 bytes in base64url.
const maskedLen = 86

// maskToken returns pad ‖ (token ⊕ pad), base64url, for a fresh random pad.
func maskToken(t string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(t)
	if err != nil {
		return "", err
	}
	out := make([]byte, 2*len(raw))
	if _, err := rand.Read(out[:len(raw)]); err != nil {
		return "", err
	}
	for i, b := range raw {
		out[len(raw)+i] = b ^ out[i]
	}
	return base64.RawURLEncoding.EncodeToString(out), nil
}

// unmaskToken undoes maskToken; a value of any other shape comes back as
// it was (a script or test may send the cookie's token itself: that is as
// secret as the masked form).
func unmaskToken(sent string) string {
	if len(sent) != maskedLen {
		return sent
	}
	b, err := base64.RawURLEncoding.DecodeString(sent)
	if err != nil || len(b) != 64 {
		return sent
	}
	n := len(b) / 2
	for i := 0; i < n; i++ {
		b[n+i] ^= b[i]
	}
	return base64.RawURLEncoding.EncodeToString(b[n:])
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
	if !TokenMatches(sent, cookie) {
		return ErrCSRF
	}
	return nil
}

// TokenMatches reports whether a form's token (masked or not) is the
// cookie's token.
func TokenMatches(sent, cookie string) bool {
	return ValidToken(cookie) && subtle.ConstantTimeCompare([]byte(cookie), []byte(unmaskToken(sent))) == 1
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
