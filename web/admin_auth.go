package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
	"golang.org/x/crypto/bcrypt"

	"github.com/esimshop/esimshop/bc"
	"github.com/esimshop/esimshop/store"
)

// Admin sign-in and session rules.
const (
	adminCookie     = "admin_session"
	adminLocal      = "admin" // Locals key of the signed-in store.AdminSession
	bcryptCost      = 12      // ~250 ms per check on a server core: slow for guessing, fine for signing in
	minPasswordLen  = 12      // characters
	maxPasswordLen  = 72      // bytes: bcrypt ignores anything longer, so refuse it
	sessionIdle     = 12 * time.Hour
	sessionMax      = 7 * 24 * time.Hour
	sessionTouchGap = time.Minute // slide the expiry at most once a minute: no write per request
	loginWindow     = 15 * time.Minute
	maxEmailFails   = 5  // failures per account in loginWindow before it is locked
	maxIPFails      = 20 // failures per IP in loginWindow before it is locked
	maxEmailInput   = 254
)

// passwordCost is the bcrypt cost of new hashes: bcryptCost, lowered by
// the tests only (bcrypt under the race detector takes seconds per hash).
var passwordCost = bcryptCost

// adminState is the admin dashboard's in-memory state.
type adminState struct {
	// skew moves the admin clock (sessions, rate limits) in tests.
	skew atomic.Int64

	balanceMu  sync.Mutex
	balance    *bc.Balance // last F014 answer; nil until one succeeded
	balanceAt  time.Time   // when balance (or balanceErr) was fetched
	balanceErr error       // the last fetch's failure, shown until the next try

	// Sign-in attempts being checked right now, per email and per IP: a
	// burst of parallel guesses must not all pass the limit before any of
	// them is recorded (bcrypt takes a quarter of a second).
	signinMu       sync.Mutex
	pendingByEmail map[string]int
	pendingByIP    map[string]int
}

// enterSignIn admits one sign-in attempt if the recorded failures plus the
// attempts in flight stay under the limits; leave must follow.
func (s *adminState) enterSignIn(email, ip string, failed func() (byEmail, byIP int, err error)) (bool, error) {
	s.signinMu.Lock()
	defer s.signinMu.Unlock()
	byEmail, byIP, err := failed()
	if err != nil {
		return false, err
	}
	if byEmail+s.pendingByEmail[email] >= maxEmailFails || byIP+s.pendingByIP[ip] >= maxIPFails {
		return false, nil
	}
	if s.pendingByEmail == nil {
		s.pendingByEmail, s.pendingByIP = map[string]int{}, map[string]int{}
	}
	s.pendingByEmail[email]++
	s.pendingByIP[ip]++
	return true, nil
}

// leaveSignIn ends an attempt admitted by enterSignIn.
func (s *adminState) leaveSignIn(email, ip string) {
	s.signinMu.Lock()
	defer s.signinMu.Unlock()
	if s.pendingByEmail[email]--; s.pendingByEmail[email] <= 0 {
		delete(s.pendingByEmail, email)
	}
	if s.pendingByIP[ip]--; s.pendingByIP[ip] <= 0 {
		delete(s.pendingByIP, ip)
	}
}

// adminNow is the admin clock: time.Now, moved by skew in tests.
func (a *App) adminNow() time.Time {
	return time.Now().Add(time.Duration(a.admin.skew.Load()))
}

// dummyHash is compared against when the email is unknown, so a wrong
// email costs as much time as a wrong password and timing does not reveal
// which emails have an account.
var dummyHash = sync.OnceValue(func() []byte {
	h, err := bcrypt.GenerateFromPassword([]byte("not-a-real-password-just-for-timing"), passwordCost)
	if err != nil {
		panic(err) // only fails for passwords over 72 bytes
	}
	return h
})

// ErrWeakPassword is wrapped by HashPassword's error for a password that is
// too short or too long.
var ErrWeakPassword = errors.New("password rejected")

// HashPassword checks an admin password (at least 12 characters, at most
// 72 bytes, bcrypt's limit) and hashes it with bcrypt.
func HashPassword(pw string) (string, error) {
	switch {
	case utf8.RuneCountInString(pw) < minPasswordLen:
		return "", fmt.Errorf("%w: it must be at least %d characters long", ErrWeakPassword, minPasswordLen)
	case len(pw) > maxPasswordLen:
		return "", fmt.Errorf("%w: it must be at most %d bytes long (bcrypt ignores the rest)", ErrWeakPassword, maxPasswordLen)
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), passwordCost)
	if err != nil {
		return "", err
	}
	return string(h), nil
}

// CreateAdmin creates an admin account (esimshop admin create). The email
// is normalised by the store; an existing one is a store.ECONFLICT error.
func (a *App) CreateAdmin(ctx context.Context, email, password string) error {
	h, err := HashPassword(password)
	if err != nil {
		return err
	}
	_, err = a.db.CreateAdmin(ctx, email, h)
	return err
}

// EnsureAdmin creates the first admin from ADMIN_EMAIL and ADMIN_PASSWORD
// when no admin exists yet; once one exists it does nothing, so the
// environment can never reset a password an operator changed.
func (a *App) EnsureAdmin(ctx context.Context, email, password string) (created bool, err error) {
	n, err := a.db.CountAdmins(ctx)
	if err != nil || n > 0 {
		return false, err
	}
	if err := a.CreateAdmin(ctx, email, password); err != nil {
		return false, err
	}
	return true, nil
}

// hashToken is what the store keeps of a session token: the raw token is
// only ever in the browser's cookie.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// secureCookies reports whether cookies must be Secure (an https shop).
func (a *App) secureCookies() bool { return strings.HasPrefix(a.cfg.BaseURL, "https://") }

// setAdminCookie writes the session cookie; an empty token clears it.
func (a *App) setAdminCookie(c *fiber.Ctx, token string, expires time.Time) {
	ck := &fiber.Cookie{
		Name: adminCookie, Value: token, Path: "/admin", HTTPOnly: true,
		Secure: a.secureCookies(), SameSite: fiber.CookieSameSiteStrictMode, Expires: expires,
	}
	if token == "" {
		ck.Expires, ck.MaxAge = time.Unix(0, 0), -1
	}
	c.Cookie(ck)
}

// startSession signs an admin in: a new random session (never the one the
// browser came with, which is deleted), stored by hash.
func (a *App) startSession(c *fiber.Ctx, admin store.Admin) error {
	ctx := c.UserContext()
	if old := c.Cookies(adminCookie); validToken(old) {
		if err := a.db.DeleteAdminSession(ctx, hashToken(old)); err != nil {
			return err
		}
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	token := base64.RawURLEncoding.EncodeToString(b[:])
	now := a.adminNow()
	if err := a.db.CreateAdminSession(ctx, admin.ID, hashToken(token), now.Add(sessionIdle),
		a.clientIP(c), truncate(c.Get(fiber.HeaderUserAgent), 200)); err != nil {
		return err
	}
	if err := a.db.MarkAdminLogin(ctx, admin.ID, now); err != nil {
		return err
	}
	a.setAdminCookie(c, token, now.Add(sessionMax))
	return nil
}

// requireAdmin lets a request with a valid admin session through and slides
// its expiry (12 h idle, at most 7 days from sign-in); anything else is
// sent to the sign-in page, which brings the admin back here afterwards.
func (a *App) requireAdmin(c *fiber.Ctx) error {
	token := c.Cookies(adminCookie)
	if !validToken(token) {
		return a.toSignIn(c)
	}
	ctx := c.UserContext()
	now := a.adminNow()
	hash := hashToken(token)
	s, err := a.db.AdminSessionByHash(ctx, hash, now)
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
		if err := a.db.TouchAdminSession(ctx, hash, now, exp); err != nil {
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
func (a *App) toSignIn(c *fiber.Ctx) error {
	next := "/admin"
	if c.Method() == fiber.MethodGet {
		next = safeNext(c.Path() + queryString(c))
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

// truncate shortens s to at most n bytes on a rune boundary and copies it
// out of Fiber's buffer.
func truncate(s string, n int) string {
	if len(s) > n {
		s = s[:n]
		for !utf8.ValidString(s) {
			s = s[:len(s)-1]
		}
	}
	return utils.CopyString(s)
}
