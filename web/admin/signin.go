package admin

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"github.com/esimshop/esimshop/store"
	"github.com/esimshop/esimshop/views"
	"github.com/esimshop/esimshop/web/httpx"
)

// Sign-in messages. One message for every wrong combination, so the page
// never tells whether an email has an account.
const (
	MsgWrongLogin  = "Wrong email or password."
	MsgRateLimited = "Too many failed sign-in attempts. Wait 15 minutes and try again."
)

// handleSignIn serves GET /admin/sign-in.
func (a *Admin) handleSignIn(c *fiber.Ctx) error {
	return a.renderSignIn(c, fiber.StatusOK, "", "", safeNext(c.Query("next")))
}

// renderSignIn renders the sign-in form.
func (a *Admin) renderSignIn(c *fiber.Ctx, status int, email, msg, next string) error {
	token, err := httpx.CSRFToken(c, httpx.Secure(a.BaseURL))
	if err != nil {
		return err
	}
	return httpx.Render(c, status, views.AdminSignIn(views.AdminSignInData{
		AdminPage: views.AdminPage{Title: "Sign in", CSRF: token, Nonce: httpx.Nonce(c), Demo: a.Demo},
		Email:     email, Error: msg, Next: next,
	}))
}

// handleSignInPost serves POST /admin/sign-in. Attempts are counted in
// the database per account, per IP and per both (see signinLimiter): past
// an address's limits the answer is 429 even for the right password, so
// guessing gains nothing; an account attacked from everywhere only slows
// down.
func (a *Admin) handleSignInPost(c *fiber.Ctx) error {
	ctx := c.UserContext()
	email := httpx.Truncate(strings.ToLower(strings.TrimSpace(httpx.BodyValue(c, "email"))), maxEmailInput)
	password := httpx.BodyValue(c, "password")
	next := safeNext(httpx.BodyValue(c, "next"))
	ip := httpx.Truncate(a.ClientIP.Of(c), 64)
	now := a.Now()

	admitted, wait, err := a.signins.enter(email, ip, func() (store.LoginFailures, error) {
		return a.DB.FailedLogins(ctx, email, ip, now.Add(-loginWindow))
	})
	if err != nil {
		return err
	}
	if !admitted {
		a.Log.WarnContext(ctx, "admin sign-in rate limited", "ip", ip)
		return a.renderSignIn(c, fiber.StatusTooManyRequests, email, MsgRateLimited, next)
	}
	defer a.signins.leave(email, ip)
	if wait > 0 {
		a.Log.WarnContext(ctx, "admin sign-in slowed down after failures for the account", "ip", ip, "wait", wait)
		time.Sleep(wait)
	}

	admin, hash, err := a.DB.AdminByEmail(ctx, email)
	switch {
	case store.ErrorCode(err) == store.ENOTFOUND || store.ErrorCode(err) == store.EINVALID:
		_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
		hash = ""
	case err != nil:
		return err
	}
	ok := hash != "" && bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) == nil
	if err := a.DB.RecordLoginAttempt(ctx, email, ip, ok, now); err != nil {
		return err
	}
	if !ok {
		a.Log.InfoContext(ctx, "admin sign-in failed", "ip", ip)
		return a.renderSignIn(c, fiber.StatusUnauthorized, email, MsgWrongLogin, next)
	}
	if err := a.startSession(c, admin); err != nil {
		return err
	}
	a.Log.InfoContext(ctx, "admin signed in", "admin_id", admin.ID, "ip", ip)
	return c.Redirect(next, fiber.StatusSeeOther)
}

// handleSignOut serves POST /admin/sign-out: the session is deleted on
// the server, not just forgotten by the browser.
func (a *Admin) handleSignOut(c *fiber.Ctx) error {
	if token := c.Cookies(SessionCookie); httpx.ValidToken(token) {
		if err := a.DB.DeleteAdminSession(c.UserContext(), hashToken(token)); err != nil {
			return err
		}
	}
	a.setAdminCookie(c, "", time.Time{})
	return c.Redirect("/admin/sign-in", fiber.StatusSeeOther)
}
