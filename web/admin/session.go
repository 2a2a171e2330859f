package admin

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/web/httpx"
)

// Admin sign-in and session rules.
const (
	SessionCookie   = "admin_session"
	adminLocal      = "admin" // Locals key of the signed-in store.AdminSession
	bcryptCost      = 12      // ~250 ms per check on a server core: slow for guessing, fine for signing in
	minPasswordLen  = 12      // characters
	maxPasswordLen  = 72      // bytes: bcrypt ignores anything longer, so refuse it
	sessionIdle     = 12 * time.Hour
	sessionMax      = 7 * 24 * time.Hour
	sessionTouchGap = time.Minute // slide the expiry at most once a minute: no write per request
	loginWindow     = 15 * time.Minute
	maxEmailInput   = 254
)

// hashToken is what the store keeps of a session token: the raw token is
// only ever in the browser's cookie.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// setAdminCookie writes the session cookie; an empty token clears it.
func (a *Admin) setAdminCookie(c *fiber.Ctx, token string, expires time.Time) {
	ck := &fiber.Cookie{
		Name: SessionCookie, Value: token, Path: "/admin", HTTPOnly: true,
		Secure: httpx.Secure(a.BaseURL), SameSite: fiber.CookieSameSiteStrictMode, Expires: expires,
	}
	if token == "" {
		ck.Expires, ck.MaxAge = time.Unix(0, 0), -1
	}
	c.Cookie(ck)
}

// startSession signs an admin in: a new random session (never the one the
// browser came with, which is deleted), stored by hash.
func (a *Admin) startSession(c *fiber.Ctx, admin store.Admin) error {
	ctx := c.UserContext()
	if old := c.Cookies(SessionCookie); httpx.ValidToken(old) {
		if err := a.DB.DeleteAdminSession(ctx, hashToken(old)); err != nil {
			return err
		}
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	now := a.Now()
	if err := a.DB.CreateAdminSession(ctx, admin.ID, hashToken(token), now.Add(sessionIdle),
		a.ClientIP.Of(c), httpx.Truncate(c.Get(fiber.HeaderUserAgent), 200)); err != nil {
		return err
	}
	if err := a.DB.MarkAdminLogin(ctx, admin.ID, now); err != nil {
		return err
	}
	a.setAdminCookie(c, token, now.Add(sessionMax))
	return nil
}

// requireAdmin lets a request with a valid admin session through and slides
// its expiry (12 h idle, at most 7 days from sign-in); anything else is
// sent to the sign-in page, which brings the admin back here afterwards.
func (a *Admin) requireAdmin(c *fiber.Ctx) error {
	token := c.Cookies(SessionCookie)
	if !httpx.ValidToken(token) {
		return a.toSignIn(c)
	}
	ctx := c.UserContext()
	now := a.Now()
	hash := hashToken(token)
	s, err := a.DB.AdminSessionByHash(ctx, hash, now)
	if store.ErrorCode(err) == store.ENOTFOUND || (err == nil && !now.Before(s.CreatedAt.Add(sessionMax))) {
		a.setAdminCookie(c, "", time.Time{})
		return a.toSignIn(c)
	}
	if err != nil {
		return err
	}
	if now.Sub(s.LastSeenAt) >= sessionTouchGap {
		exp := now.Add(sessionIdle)
		if limit := s.CreatedAt.Add(sessionMax); exp.After(limit) {
			exp = limit
		}
		if err := a.DB.TouchAdminSession(ctx, hash, now, exp); err != nil {
			return err
		}
	}
	c.Locals(adminLocal, s)
	return c.Next()
}

// signedIn returns the request's admin session (set by requireAdmin).
func signedIn(c *fiber.Ctx) store.AdminSession {
	s, _ := c.Locals(adminLocal).(store.AdminSession)
	return s
}

// toSignIn redirects to the sign-in page, asking it to come back to the
// page asked for (only a GET can be repeated; a POST goes back to /admin).
func (a *Admin) toSignIn(c *fiber.Ctx) error {
	next := "/admin"
	if c.Method() == fiber.MethodGet {
		next = safeNext(c.Path() + httpx.QueryString(c))
	}
	return c.Redirect("/admin/sign-in?next="+url.QueryEscape(next), fiber.StatusSeeOther)
}

// safeNext accepts only a path inside the admin on this site as the place
// to go after signing in, so the sign-in page cannot be used to send an
// admin to another site (open redirect); anything else is /admin.
func safeNext(next string) string {
	const def = "/admin"
	if len(next) > 2000 || strings.ContainsAny(next, "\\\r\n\t") || strings.HasPrefix(next, "//") {
		return def
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return def
	}
	if u.Path != "/admin" && !strings.HasPrefix(u.Path, "/admin/") || strings.Contains(u.Path, "/..") ||
		strings.HasPrefix(u.Path, "/admin/sign-") {
		return def
	}
	return next
}
